import {
  PAGE_SIZE,
  VM_ALIGN_MAX_EXPONENT,
  VM_ALIGN_MIN_EXPONENT,
  VmarFlags,
} from '@vmars/address-space';

/*
 * Rules on `zx_vm_option_t` values and lengths that more than one call applies.
 */

/** PERM_READ/WRITE/EXECUTE (bits 0..2) shifted left by 2 are the READ/WRITE/EXECUTE rights (bits 2..4). */
export const PERM_TO_RIGHTS_SHIFT = 2;

/**
 * §2.3 step 3 and §11.2 step 9: the ALIGN_* exponent (`options >>> 24`) is 0 (the default) or
 * 10..32; bit 31 gives 128.
 */
export function isValidAlignment(alignPow2: number): boolean {
  // The range test written out rather than `isAlignExponent`: `alignPow2` comes from `>>>`, so it
  // is already an integer, and map and allocate call this on every request.
  return (
    alignPow2 === 0 || (alignPow2 >= VM_ALIGN_MIN_EXPONENT && alignPow2 <= VM_ALIGN_MAX_EXPONENT)
  );
}

/**
 * §11.2 step 3, §11.4: PERM_READ_IF_XOM_UNSUPPORTED becomes PERM_READ when the CPU cannot map
 * execute-only. Which CPUs can is UNCONFIRMED (§11.0), so this backend treats every
 * architecture as unable.
 */
export function withXomFallback(options: number): number {
  if ((options & VmarFlags.PERM_READ_IF_XOM_UNSUPPORTED) === 0) return options;
  return (options & ~VmarFlags.PERM_READ_IF_XOM_UNSUPPORTED) | VmarFlags.PERM_READ;
}

/** §11.2 step 4, §11.4: PERM_WRITE or PERM_EXECUTE without PERM_READ (INVALID_ARGS). */
export function writeOrExecuteWithoutRead(options: number): boolean {
  return (
    (options & (VmarFlags.PERM_WRITE | VmarFlags.PERM_EXECUTE)) !== 0 &&
    (options & VmarFlags.PERM_READ) === 0
  );
}

/** A byte length rounded up to whole pages, as map, unmap and protect take `len` (§11.2–§11.4). */
export function pagesRoundedUp(length: number): number {
  return Math.ceil(length / PAGE_SIZE);
}
