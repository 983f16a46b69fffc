/*
 * The vmars test double of the zx ABI (see vmars-test-double.h). Not Zircon: every rule of the
 * kernel is the installed callbacks' business; this file only does what the syscall layer does
 * around them, so that callers see real C out-parameters, info buffers and statuses:
 *   - a NULL out-pointer the syscall must write answers ZX_ERR_INVALID_ARGS (a bad user pointer);
 *   - out-parameters are written only on ZX_OK;
 *   - ZX_INFO_HANDLE_BASIC and ZX_INFO_VMAR follow single_record_result, ZX_INFO_VMAR_MAPS
 *     actual_avail_result (docs/zircon-vmar-semantics.md §5.1, §5.2, §5.3);
 *   - with nothing installed every call answers ZX_ERR_BAD_STATE.
 */
#include "vmars-test-double.h"

#include <stdlib.h>
#include <string.h>

static vmars_zx_ops_t installed_ops;
static int has_ops;
static uint32_t installed_instance;
static uint64_t call_count;

/* A value a callback that forgot to write its result would leave behind: easy to spot. */
#define UNWRITTEN_32 ((uint32_t)0xDEADBEEFu)
#define UNWRITTEN_64 ((uint64_t)0xDEADBEEFDEADBEEFull)

void vmars_test_double_install(const vmars_zx_ops_t* ops, uint32_t instance) {
  if (ops == NULL) {
    has_ops = 0;
    memset(&installed_ops, 0, sizeof installed_ops);
    return;
  }
  installed_ops = *ops;
  installed_instance = instance;
  has_ops = 1;
}

uint64_t vmars_test_double_call_count(void) { return call_count; }

zx_handle_t zx_vmar_root_self(void) {
  call_count++;
  if (!has_ops) return ZX_HANDLE_INVALID;
  return installed_ops.vmar_root_self(installed_instance);
}

uint32_t zx_system_get_page_size(void) {
  call_count++;
  if (!has_ops) return 0;
  return installed_ops.system_get_page_size(installed_instance);
}

zx_status_t zx_vmar_allocate(zx_handle_t parent_vmar, zx_vm_option_t options, size_t offset,
                             size_t size, zx_handle_t* child_vmar, zx_vaddr_t* child_addr) {
  call_count++;
  if (!has_ops) return ZX_ERR_BAD_STATE;
  if (child_vmar == NULL || child_addr == NULL) return ZX_ERR_INVALID_ARGS;
  zx_handle_t child = UNWRITTEN_32;
  uint64_t address = UNWRITTEN_64;
  zx_status_t status = installed_ops.vmar_allocate(installed_instance, parent_vmar, options, offset,
                                                   size, &child, &address);
  if (status != ZX_OK) return status;
  *child_vmar = child;
  *child_addr = (zx_vaddr_t)address;
  return ZX_OK;
}

zx_status_t zx_vmar_destroy(zx_handle_t handle) {
  call_count++;
  if (!has_ops) return ZX_ERR_BAD_STATE;
  return installed_ops.vmar_destroy(installed_instance, handle);
}

zx_status_t zx_vmar_map(zx_handle_t handle, zx_vm_option_t options, size_t vmar_offset,
                        zx_handle_t vmo, uint64_t vmo_offset, size_t len, zx_vaddr_t* mapped_addr) {
  call_count++;
  if (!has_ops) return ZX_ERR_BAD_STATE;
  if (mapped_addr == NULL) return ZX_ERR_INVALID_ARGS;
  uint64_t address = UNWRITTEN_64;
  zx_status_t status = installed_ops.vmar_map(installed_instance, handle, options, vmar_offset, vmo,
                                              vmo_offset, len, &address);
  if (status != ZX_OK) return status;
  *mapped_addr = (zx_vaddr_t)address;
  return ZX_OK;
}

zx_status_t zx_vmar_unmap(zx_handle_t handle, zx_vaddr_t addr, size_t len) {
  call_count++;
  if (!has_ops) return ZX_ERR_BAD_STATE;
  return installed_ops.vmar_unmap(installed_instance, handle, addr, len);
}

zx_status_t zx_vmar_protect(zx_handle_t handle, zx_vm_option_t options, zx_vaddr_t addr,
                            size_t len) {
  call_count++;
  if (!has_ops) return ZX_ERR_BAD_STATE;
  return installed_ops.vmar_protect(installed_instance, handle, options, addr, len);
}

zx_status_t zx_vmo_create(uint64_t size, uint32_t options, zx_handle_t* out) {
  call_count++;
  if (!has_ops) return ZX_ERR_BAD_STATE;
  if (out == NULL) return ZX_ERR_INVALID_ARGS;
  zx_handle_t vmo = UNWRITTEN_32;
  zx_status_t status = installed_ops.vmo_create(installed_instance, size, options, &vmo);
  if (status != ZX_OK) return status;
  *out = vmo;
  return ZX_OK;
}

zx_status_t zx_handle_close(zx_handle_t handle) {
  call_count++;
  if (!has_ops) return ZX_ERR_BAD_STATE;
  return installed_ops.handle_close(installed_instance, handle);
}

zx_status_t zx_handle_duplicate(zx_handle_t handle, zx_rights_t rights, zx_handle_t* out) {
  call_count++;
  if (!has_ops) return ZX_ERR_BAD_STATE;
  if (out == NULL) return ZX_ERR_INVALID_ARGS;
  zx_handle_t duplicate = UNWRITTEN_32;
  zx_status_t status =
      installed_ops.handle_duplicate(installed_instance, handle, rights, &duplicate);
  if (status != ZX_OK) return status;
  *out = duplicate;
  return ZX_OK;
}

static zx_status_t get_handle_basic(zx_handle_t handle, void* buffer, size_t buffer_size,
                                    size_t* actual, size_t* avail) {
  uint64_t koid = UNWRITTEN_64;
  uint32_t rights = UNWRITTEN_32;
  uint32_t type = UNWRITTEN_32;
  uint64_t related_koid = UNWRITTEN_64;
  zx_status_t status = installed_ops.handle_basic(installed_instance, handle, &koid, &rights,
                                                  &type, &related_koid);
  if (status != ZX_OK) return status;
  /* single_record_result (§5.3, as §5.2): a short buffer still reports one record available. */
  if (buffer_size < sizeof(zx_info_handle_basic_t)) {
    if (actual != NULL) *actual = 0;
    if (avail != NULL) *avail = 1;
    return ZX_ERR_BUFFER_TOO_SMALL;
  }
  /* Dispatcher::GetHandleInfo zeroes reserved and the padding. */
  zx_info_handle_basic_t record;
  memset(&record, 0, sizeof record);
  record.koid = koid;
  record.rights = rights;
  record.type = type;
  record.related_koid = related_koid;
  memcpy(buffer, &record, sizeof record);
  if (actual != NULL) *actual = 1;
  if (avail != NULL) *avail = 1;
  return ZX_OK;
}

static zx_status_t get_vmar_info(zx_handle_t handle, void* buffer, size_t buffer_size,
                                 size_t* actual, size_t* avail) {
  uint64_t base = UNWRITTEN_64;
  uint64_t len = UNWRITTEN_64;
  zx_status_t status = installed_ops.vmar_info(installed_instance, handle, &base, &len);
  if (status != ZX_OK) return status;
  /* single_record_result (§5.2): a short buffer still reports one record available. */
  if (buffer_size < sizeof(zx_info_vmar_t)) {
    if (actual != NULL) *actual = 0;
    if (avail != NULL) *avail = 1;
    return ZX_ERR_BUFFER_TOO_SMALL;
  }
  zx_info_vmar_t record;
  memset(&record, 0, sizeof record);
  record.base = (uintptr_t)base;
  record.len = (size_t)len;
  memcpy(buffer, &record, sizeof record);
  if (actual != NULL) *actual = 1;
  if (avail != NULL) *avail = 1;
  return ZX_OK;
}

static void copy_map_entry(const vmars_test_double_map_entry_t* entry, zx_info_maps_t* record) {
  memset(record, 0, sizeof *record);
  memcpy(record->name, entry->name, ZX_MAX_NAME_LEN);
  /* Zircon's names are always NUL-terminated within ZX_MAX_NAME_LEN. */
  record->name[ZX_MAX_NAME_LEN - 1] = '\0';
  record->base = (zx_vaddr_t)entry->base;
  record->size = (size_t)entry->size;
  record->depth = (size_t)entry->depth;
  record->type = entry->type;
  if (entry->type == ZX_INFO_MAPS_TYPE_MAPPING) {
    zx_info_maps_mapping_t* mapping = &record->u.mapping;
    mapping->mmu_flags = entry->mmu_flags;
    mapping->vmo_koid = entry->vmo_koid;
    mapping->vmo_offset = entry->vmo_offset;
    mapping->committed_bytes = (size_t)entry->committed_bytes;
    mapping->populated_bytes = (size_t)entry->populated_bytes;
    mapping->committed_private_bytes = (size_t)entry->committed_private_bytes;
    mapping->populated_private_bytes = (size_t)entry->populated_private_bytes;
    mapping->committed_scaled_bytes = (size_t)entry->committed_scaled_bytes;
    mapping->populated_scaled_bytes = (size_t)entry->populated_scaled_bytes;
    mapping->committed_fractional_scaled_bytes = entry->committed_fractional_scaled_bytes;
    mapping->populated_fractional_scaled_bytes = entry->populated_fractional_scaled_bytes;
  }
}

static zx_status_t get_vmar_maps(zx_handle_t handle, void* buffer, size_t buffer_size,
                                 size_t* actual, size_t* avail) {
  size_t capacity = buffer_size / sizeof(zx_info_maps_t);
  vmars_test_double_map_entry_t* entries = NULL;
  if (capacity > 0) {
    entries = calloc(capacity, sizeof *entries);
    if (entries == NULL) return ZX_ERR_NO_MEMORY;
  }
  uint64_t available = UNWRITTEN_64;
  zx_status_t status =
      installed_ops.vmar_maps(installed_instance, handle, capacity, entries, &available);
  if (status != ZX_OK) {
    free(entries);
    return status;
  }
  /* actual_avail_result (§5.1): ZX_OK with actual = min(max, avail), even for a short buffer. */
  size_t count = available < capacity ? (size_t)available : capacity;
  for (size_t index = 0; index < count; index++) {
    zx_info_maps_t record;
    copy_map_entry(&entries[index], &record);
    memcpy((char*)buffer + index * sizeof record, &record, sizeof record);
  }
  free(entries);
  if (actual != NULL) *actual = count;
  if (avail != NULL) *avail = (size_t)available;
  return ZX_OK;
}

zx_status_t zx_object_get_info(zx_handle_t handle, uint32_t topic, void* buffer,
                               size_t buffer_size, size_t* actual, size_t* avail) {
  call_count++;
  if (!has_ops) return ZX_ERR_BAD_STATE;
  if (buffer == NULL && buffer_size > 0) return ZX_ERR_INVALID_ARGS;
  switch (topic) {
    case ZX_INFO_HANDLE_BASIC:
      return get_handle_basic(handle, buffer, buffer_size, actual, avail);
    case ZX_INFO_VMAR:
      return get_vmar_info(handle, buffer, buffer_size, actual, avail);
    case ZX_INFO_VMAR_MAPS:
      return get_vmar_maps(handle, buffer, buffer_size, actual, avail);
    default:
      return ZX_ERR_NOT_SUPPORTED;
  }
}
