/*
 * The subset of Zircon's C ABI that @vmars/backend-fuchsia binds, transcribed for the test double.
 *
 * Written from Zircon's public headers (misttech/fuchsia, see docs/zircon-vmar-semantics.md §0):
 *   zircon/system/public/zircon/types.h           handle, option, address, koid and object types;
 *                                                 ZX_MAX_NAME_LEN, ZX_KOID_*, ZX_OBJ_TYPE_VMO/VMAR
 *   zircon/system/public/zircon/rights.h          ZX_RIGHT_SAME_RIGHTS
 *   zircon/system/public/zircon/errors.h          status codes (§1.3)
 *   zircon/system/public/zircon/syscalls/object.h topics, zx_info_handle_basic_t, zx_info_vmar_t,
 *                                                 zx_info_maps_t (§5)
 * and the syscall signatures of §11.7 (zircon/vdso/vmar.fidl, vmo.fidl, ...). Only LP64 targets are meant: Fuchsia
 * runs on x86-64, arm64 and riscv64, all LP64.
 *
 * This header is not Zircon's: it holds no more than the bindings use, so that the ABI test
 * (test-double/abi.test.ts) can compare every size, offset and constant with the TypeScript side.
 */
#ifndef VMARS_ZIRCON_ABI_H_
#define VMARS_ZIRCON_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* types.h */
typedef int32_t zx_status_t;
typedef uint32_t zx_handle_t;
typedef uint32_t zx_rights_t;
typedef uint32_t zx_vm_option_t;
typedef uintptr_t zx_vaddr_t;
typedef uint64_t zx_koid_t;
typedef uint32_t zx_obj_type_t;

#define ZX_HANDLE_INVALID ((zx_handle_t)0)
#define ZX_MAX_NAME_LEN ((size_t)32u)
#define ZX_KOID_INVALID ((uint64_t)0)
#define ZX_KOID_FIRST ((uint64_t)1024)
#define ZX_OBJ_TYPE_VMO ((zx_obj_type_t)3u)
#define ZX_OBJ_TYPE_VMAR ((zx_obj_type_t)18u)

/* rights.h */
#define ZX_RIGHT_SAME_RIGHTS ((zx_rights_t)1u << 31)

/* errors.h (§1.3) */
#define ZX_OK ((zx_status_t)0)
#define ZX_ERR_INTERNAL ((zx_status_t)-1)
#define ZX_ERR_NOT_SUPPORTED ((zx_status_t)-2)
#define ZX_ERR_NO_RESOURCES ((zx_status_t)-3)
#define ZX_ERR_NO_MEMORY ((zx_status_t)-4)
#define ZX_ERR_INVALID_ARGS ((zx_status_t)-10)
#define ZX_ERR_BAD_HANDLE ((zx_status_t)-11)
#define ZX_ERR_WRONG_TYPE ((zx_status_t)-12)
#define ZX_ERR_OUT_OF_RANGE ((zx_status_t)-14)
#define ZX_ERR_BUFFER_TOO_SMALL ((zx_status_t)-15)
#define ZX_ERR_BAD_STATE ((zx_status_t)-20)
#define ZX_ERR_NOT_FOUND ((zx_status_t)-25)
#define ZX_ERR_ALREADY_EXISTS ((zx_status_t)-26)
#define ZX_ERR_ACCESS_DENIED ((zx_status_t)-30)

/* syscalls/object.h (§5) */
typedef uint32_t zx_object_info_topic_t;
#define ZX_INFO_HANDLE_BASIC ((zx_object_info_topic_t)2u)
#define ZX_INFO_VMAR ((zx_object_info_topic_t)7u)
#define ZX_INFO_VMAR_MAPS ((zx_object_info_topic_t)36u)

typedef struct zx_info_handle_basic {
  zx_koid_t koid;
  zx_rights_t rights;
  zx_obj_type_t type;
  zx_koid_t related_koid;
  uint32_t reserved;
  uint8_t padding1[4];
} zx_info_handle_basic_t;

typedef struct zx_info_vmar {
  uintptr_t base;
  size_t len;
} zx_info_vmar_t;

typedef struct zx_info_maps_mapping {
  zx_vm_option_t mmu_flags;
  uint8_t padding1[4];
  zx_koid_t vmo_koid;
  uint64_t vmo_offset;
  size_t committed_bytes;
  size_t populated_bytes;
  size_t committed_private_bytes;
  size_t populated_private_bytes;
  size_t committed_scaled_bytes;
  size_t populated_scaled_bytes;
  uint64_t committed_fractional_scaled_bytes;
  uint64_t populated_fractional_scaled_bytes;
} zx_info_maps_mapping_t;

typedef uint32_t zx_info_maps_type_t;
#define ZX_INFO_MAPS_TYPE_NONE ((zx_info_maps_type_t)0u)
#define ZX_INFO_MAPS_TYPE_ASPACE ((zx_info_maps_type_t)1u)
#define ZX_INFO_MAPS_TYPE_VMAR ((zx_info_maps_type_t)2u)
#define ZX_INFO_MAPS_TYPE_MAPPING ((zx_info_maps_type_t)3u)

typedef struct zx_info_maps {
  char name[ZX_MAX_NAME_LEN];
  zx_vaddr_t base;
  size_t size;
  size_t depth;
  zx_info_maps_type_t type;
  uint8_t padding1[4];
  union {
    zx_info_maps_mapping_t mapping;
  } u;
} zx_info_maps_t;

/* The syscalls (vDSO libzircon.so) and libc's zx_vmar_root_self (§11.7). */
zx_status_t zx_vmar_allocate(zx_handle_t parent_vmar, zx_vm_option_t options, size_t offset,
                             size_t size, zx_handle_t* child_vmar, zx_vaddr_t* child_addr);
zx_status_t zx_vmar_destroy(zx_handle_t handle);
zx_status_t zx_vmar_map(zx_handle_t handle, zx_vm_option_t options, size_t vmar_offset,
                        zx_handle_t vmo, uint64_t vmo_offset, size_t len, zx_vaddr_t* mapped_addr);
zx_status_t zx_vmar_unmap(zx_handle_t handle, zx_vaddr_t addr, size_t len);
zx_status_t zx_vmar_protect(zx_handle_t handle, zx_vm_option_t options, zx_vaddr_t addr,
                            size_t len);
zx_status_t zx_vmo_create(uint64_t size, uint32_t options, zx_handle_t* out);
zx_status_t zx_handle_close(zx_handle_t handle);
zx_status_t zx_handle_duplicate(zx_handle_t handle, zx_rights_t rights, zx_handle_t* out);
zx_status_t zx_object_get_info(zx_handle_t handle, uint32_t topic, void* buffer,
                               size_t buffer_size, size_t* actual, size_t* avail);
uint32_t zx_system_get_page_size(void);
zx_handle_t zx_vmar_root_self(void);

#ifdef __cplusplus
}
#endif

#endif /* VMARS_ZIRCON_ABI_H_ */
