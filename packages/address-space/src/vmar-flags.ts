/**
 * `zx_vm_option_t` flags with Zircon's exact bit values.
 *
 * Source: `zircon/system/public/zircon/types.h`; zircon-vmar-semantics.md §1.1. The names are
 * the Rust `zx::VmarFlags` names (plus `SPECIFIC_OVERWRITE` and `MAP_RANGE`, which Rust keeps in
 * `VmarFlagsExtended`), so code reads against Zircon's docs.
 */
export const VmarFlags = {
  PERM_READ: 1 << 0,
  PERM_WRITE: 1 << 1,
  PERM_EXECUTE: 1 << 2,
  COMPACT: 1 << 3,
  SPECIFIC: 1 << 4,
  SPECIFIC_OVERWRITE: 1 << 5,
  CAN_MAP_SPECIFIC: 1 << 6,
  CAN_MAP_READ: 1 << 7,
  CAN_MAP_WRITE: 1 << 8,
  CAN_MAP_EXECUTE: 1 << 9,
  MAP_RANGE: 1 << 10,
  REQUIRE_NON_RESIZABLE: 1 << 11,
  ALLOW_FAULTS: 1 << 12,
  OFFSET_IS_UPPER_LIMIT: 1 << 13,
  PERM_READ_IF_XOM_UNSUPPORTED: 1 << 14,
  FAULT_BEYOND_STREAM_SIZE: 1 << 15,

  // Alignment: log2(bytes) << ZX_VM_ALIGN_BASE (24). Bits 16..23 are undefined.
  ALIGN_1KB: 10 << 24,
  ALIGN_2KB: 11 << 24,
  ALIGN_4KB: 12 << 24,
  ALIGN_8KB: 13 << 24,
  ALIGN_16KB: 14 << 24,
  ALIGN_32KB: 15 << 24,
  ALIGN_64KB: 16 << 24,
  ALIGN_128KB: 17 << 24,
  ALIGN_256KB: 18 << 24,
  ALIGN_512KB: 19 << 24,
  ALIGN_1MB: 20 << 24,
  ALIGN_2MB: 21 << 24,
  ALIGN_4MB: 22 << 24,
  ALIGN_8MB: 23 << 24,
  ALIGN_16MB: 24 << 24,
  ALIGN_32MB: 25 << 24,
  ALIGN_64MB: 26 << 24,
  ALIGN_128MB: 27 << 24,
  ALIGN_256MB: 28 << 24,
  ALIGN_512MB: 29 << 24,
  ALIGN_1GB: 30 << 24,
  ALIGN_2GB: 31 << 24,
  ALIGN_4GB: 32 << 24,
} as const;

/** The name of a `VmarFlags` constant (`CAN_MAP_READ`, `COMPACT`, `ALIGN_1GB`, …). */
export type VmarFlagName = keyof typeof VmarFlags;

/** `ZX_VM_ALIGN_BASE`: the alignment exponent lives in bits 24..31 of the options. */
export const VM_ALIGN_BASE = 24;
/**
 * The alignment field: bits 24..31 of the options (0xFF000000). The public headers define no
 * `ZX_VM_ALIGN_MASK`; this is how the kernel reads the field, `options >> ZX_VM_ALIGN_BASE` after
 * the known bits are taken out (`split_syscall_flags` in
 * `zircon/kernel/object/vm_address_region_dispatcher.cc`). Written as a product because
 * `0xff << 24` would wrap to a negative number.
 */
export const VM_ALIGN_MASK = 0xff * 2 ** 24;

/**
 * The smallest alignment exponent a `ZX_VM_ALIGN_*` flag may carry: `ZX_VM_ALIGN_1KB` is `10 << 24`
 * (2^10 bytes). An exponent of 0 means no alignment flag; 1..9 are invalid (INVALID_ARGS).
 */
export const VM_ALIGN_MIN_EXPONENT = 10;
/** The largest alignment exponent a `ZX_VM_ALIGN_*` flag may carry: `ZX_VM_ALIGN_4GB` is `32 << 24`. */
export const VM_ALIGN_MAX_EXPONENT = 32;

/**
 * Whether `exponent` is the exponent of a `ZX_VM_ALIGN_*` flag: an integer from 10 to 32
 * (`ZX_VM_ALIGN_1KB` to `ZX_VM_ALIGN_4GB`). Zero, meaning no alignment, is not one; callers that
 * accept "none" test for it first.
 */
export function isAlignExponent(exponent: number): boolean {
  return (
    Number.isInteger(exponent) &&
    exponent >= VM_ALIGN_MIN_EXPONENT &&
    exponent <= VM_ALIGN_MAX_EXPONENT
  );
}

/** The `CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_EXECUTE` bits (kernel `VMAR_CAN_RWX_FLAGS`). */
export const CAN_MAP_RWX =
  VmarFlags.CAN_MAP_READ | VmarFlags.CAN_MAP_WRITE | VmarFlags.CAN_MAP_EXECUTE;
/** The `PERM_READ | PERM_WRITE | PERM_EXECUTE` bits. */
export const PERM_RWX = VmarFlags.PERM_READ | VmarFlags.PERM_WRITE | VmarFlags.PERM_EXECUTE;

/** Names of the flag bits set in `flags` (alignment shown as `ALIGN_<n>`), for messages and reports. */
export function describeVmarFlags(flags: number): string {
  if (!Number.isInteger(flags) || flags < 0) return `invalid(${String(flags)})`;
  const parts: string[] = [];
  const low = flags % 2 ** 24;
  for (const [name, value] of Object.entries(VmarFlags)) {
    if (name.startsWith('ALIGN_')) continue;
    if ((low & value) !== 0) parts.push(name);
  }
  const unknown = low & ~0xffff;
  if (unknown !== 0) parts.push(`0x${unknown.toString(16)}`);
  const align = Math.floor(flags / 2 ** 24);
  if (align !== 0) {
    const named = Object.entries(VmarFlags).find(
      ([name, value]) => name.startsWith('ALIGN_') && value === align * 2 ** 24,
    );
    parts.push(named ? named[0] : `ALIGN(${align})`);
  }
  return parts.length === 0 ? '0' : parts.join('|');
}
