/*
 * The vmars test double of the zx ABI: a shared library that exports the symbols of
 * zircon-abi.h with their C signatures and forwards every call to callbacks a test installs
 * (from JavaScript, through koffi), so that @vmars/backend-fuchsia's FFI path (argument
 * marshalling, out-parameters, info buffers, statuses) runs for real off Fuchsia.
 *
 * Every callback gets the `instance` number given to vmars_test_double_install first, so one set of
 * callbacks can serve several loaded copies of this library. A callback writes its results to the
 * pointers it is given (locals of this library); the library itself checks the caller's pointers
 * and writes the caller's out-parameters and info buffers in Zircon's layout.
 */
#ifndef VMARS_TEST_DOUBLE_H_
#define VMARS_TEST_DOUBLE_H_

#include "zircon-abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One ZX_INFO_VMAR_MAPS entry as a callback hands it over. Deliberately not zx_info_maps_t's
 * layout (no union, other field order), so that the library's copy into zx_info_maps_t is real
 * work that the bindings' decoder checks.
 */
typedef struct vmars_test_double_map_entry {
  uint32_t type;
  uint32_t mmu_flags;
  uint64_t base;
  uint64_t size;
  uint64_t depth;
  uint64_t vmo_koid;
  uint64_t vmo_offset;
  uint64_t committed_bytes;
  uint64_t populated_bytes;
  uint64_t committed_private_bytes;
  uint64_t populated_private_bytes;
  uint64_t committed_scaled_bytes;
  uint64_t populated_scaled_bytes;
  uint64_t committed_fractional_scaled_bytes;
  uint64_t populated_fractional_scaled_bytes;
  uint8_t name[ZX_MAX_NAME_LEN];
} vmars_test_double_map_entry_t;

typedef struct vmars_zx_ops {
  zx_handle_t (*vmar_root_self)(uint32_t instance);
  uint32_t (*system_get_page_size)(uint32_t instance);
  zx_status_t (*vmar_allocate)(uint32_t instance, zx_handle_t parent_vmar, zx_vm_option_t options,
                               uint64_t offset, uint64_t size, zx_handle_t* child_vmar,
                               uint64_t* child_addr);
  zx_status_t (*vmar_destroy)(uint32_t instance, zx_handle_t handle);
  zx_status_t (*vmar_map)(uint32_t instance, zx_handle_t handle, zx_vm_option_t options,
                          uint64_t vmar_offset, zx_handle_t vmo, uint64_t vmo_offset, uint64_t len,
                          uint64_t* mapped_addr);
  zx_status_t (*vmar_unmap)(uint32_t instance, zx_handle_t handle, uint64_t addr, uint64_t len);
  zx_status_t (*vmar_protect)(uint32_t instance, zx_handle_t handle, zx_vm_option_t options,
                              uint64_t addr, uint64_t len);
  zx_status_t (*vmo_create)(uint32_t instance, uint64_t size, uint32_t options, zx_handle_t* out);
  zx_status_t (*handle_close)(uint32_t instance, zx_handle_t handle);
  zx_status_t (*handle_duplicate)(uint32_t instance, zx_handle_t handle, zx_rights_t rights,
                                  zx_handle_t* out);
  /* ZX_INFO_VMAR: the record's fields. */
  zx_status_t (*vmar_info)(uint32_t instance, zx_handle_t handle, uint64_t* base, uint64_t* len);
  /*
   * ZX_INFO_VMAR_MAPS: writes min(capacity, *avail) entries to `entries` (room for `capacity`)
   * and the total count to `avail`.
   */
  zx_status_t (*vmar_maps)(uint32_t instance, zx_handle_t handle, uint64_t capacity,
                           vmars_test_double_map_entry_t* entries, uint64_t* avail);
  /* ZX_INFO_HANDLE_BASIC: the record's fields (reserved and padding are the library's). */
  zx_status_t (*handle_basic)(uint32_t instance, zx_handle_t handle, uint64_t* koid,
                              uint32_t* rights, uint32_t* type, uint64_t* related_koid);
} vmars_zx_ops_t;

/* Copies *ops (the pointer need not outlive the call); NULL uninstalls. */
void vmars_test_double_install(const vmars_zx_ops_t* ops, uint32_t instance);

/* How many zx_* / libc entry points were called since the library was loaded. */
uint64_t vmars_test_double_call_count(void);

#ifdef __cplusplus
}
#endif

#endif /* VMARS_TEST_DOUBLE_H_ */
