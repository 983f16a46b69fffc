/**
 * Checks of JavaScript values that a C caller could not pass: Zircon's arguments are unsigned
 * integers, so NaN, negative, fractional or imprecise (>= 2^53) numbers, and non-numbers, are
 * refused with INVALID_ARGS before they can reach any rule.
 */

/** A `size_t` / `zx_vaddr_t` argument: a non-negative safe integer. */
export function isUsize(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * A `uint64_t` argument (VMO sizes and offsets): a non-negative safe integer too. A double above
 * 2^53 cannot say which integer was meant (2^53 + 1 reads as 2^53), so, as for `size_t`, the
 * contract refuses it rather than guess; the Fuchsia backend draws the same line.
 */
export function isUint64(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A `uint32_t` argument (`zx_vm_option_t`, `zx_rights_t`): an integer in `[0, 2^32)`. */
export function isUint32(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < 2 ** 32;
}
