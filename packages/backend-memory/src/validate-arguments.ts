/**
 * Checks of JavaScript values that a C caller could not pass: Zircon's arguments are unsigned
 * integers, so NaN, negative, fractional or imprecise (>= 2^53) numbers, and non-numbers, are
 * refused with INVALID_ARGS before they can reach any rule. The rule is the contract's
 * (`@vmars/address-space`); the names here say which C type an argument has.
 */
export {
  /** A `size_t` / `zx_vaddr_t` argument. */
  isSafeUnsigned as isUsize,
  /** A `uint64_t` argument (VMO sizes and offsets): held to the same safe-integer rule. */
  isSafeUnsigned as isUint64,
  /** A `uint32_t` argument (`zx_vm_option_t`, `zx_rights_t`). */
  isUint32,
} from '@vmars/address-space';
