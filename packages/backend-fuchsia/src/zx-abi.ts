/**
 * The parts of Zircon's C ABI that the bindings hard-code: sizes and offsets of the info records
 * and the constants passed to the syscalls. LP64 only (Fuchsia's x86-64, arm64 and riscv64).
 *
 * Sources: `zircon/system/public/zircon/types.h`, `rights.h`, `syscalls/object.h`;
 * zircon-vmar-semantics.md §5.1 (zx_info_maps_t), §5.2 (zx_info_vmar_t), §5.3
 * (zx_info_handle_basic_t), §11.6, §11.7.
 * `test-double/abi.test.ts` compiles a C program against `test-double/zircon-abi.h` and checks
 * every value here against what the C compiler says.
 */

/** `ZX_MAX_NAME_LEN`: the name field of `zx_info_maps_t`, NUL included. */
export const ZX_MAX_NAME_LEN = 32;
/** `ZX_HANDLE_INVALID`. */
export const ZX_HANDLE_INVALID = 0;
/** `ZX_RIGHT_SAME_RIGHTS` (1 << 31). */
export const ZX_RIGHT_SAME_RIGHTS = 2 ** 31;
/** `ZX_INFO_HANDLE_BASIC` (topic 2). */
export const ZX_INFO_HANDLE_BASIC = 2;
/** `ZX_INFO_VMAR` (topic 7). */
export const ZX_INFO_VMAR = 7;
/** `ZX_INFO_VMAR_MAPS` (topic 36). */
export const ZX_INFO_VMAR_MAPS = 36;
/** `ZX_INFO_MAPS_TYPE_MAPPING`: the entry type whose union holds `zx_info_maps_mapping_t`. */
export const ZX_INFO_MAPS_TYPE_MAPPING = 3;

/**
 * `zx_info_handle_basic_t` (§5.3): `zx_koid_t koid; zx_rights_t rights; zx_obj_type_t type;
 * zx_koid_t related_koid; uint32_t reserved; uint8_t padding1[4];`, 32 bytes.
 */
export const ZX_INFO_HANDLE_BASIC_LAYOUT = {
  sizeof: 32,
  offsets: { koid: 0, rights: 8, type: 12, related_koid: 16, reserved: 24 },
} as const;

/** `zx_info_vmar_t { uintptr_t base; size_t len; }` (§5.2). */
export const ZX_INFO_VMAR_LAYOUT = {
  sizeof: 16,
  offsets: { base: 0, len: 8 },
} as const;

/** `zx_info_maps_mapping_t` (§5.1); offsets are within the mapping record (add `u`). */
export const ZX_INFO_MAPS_MAPPING_LAYOUT = {
  sizeof: 88,
  offsets: {
    mmu_flags: 0,
    vmo_koid: 8,
    vmo_offset: 16,
    committed_bytes: 24,
    populated_bytes: 32,
    committed_private_bytes: 40,
    populated_private_bytes: 48,
    committed_scaled_bytes: 56,
    populated_scaled_bytes: 64,
    committed_fractional_scaled_bytes: 72,
    populated_fractional_scaled_bytes: 80,
  },
} as const;

/** `zx_info_maps_t` (§5.1): 152 bytes on LP64; `u` is the union holding the mapping record. */
export const ZX_INFO_MAPS_LAYOUT = {
  sizeof: 152,
  offsets: { name: 0, base: 32, size: 40, depth: 48, type: 56, u: 64 },
} as const;
