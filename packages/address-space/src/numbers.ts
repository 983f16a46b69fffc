/**
 * The numbers the contract takes (see "Numbers" on `Vmar`): a backend answers any other value
 * with INVALID_ARGS before any rule sees it.
 */

/**
 * A size, offset or address (`size_t`, `zx_vaddr_t`, `uint64_t`): a non-negative safe integer. A
 * double above 2^53 cannot say which integer was meant (2^53 + 1 reads as 2^53), so it is refused
 * rather than guessed at.
 */
export function isSafeUnsigned(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A flags or rights value (`zx_vm_option_t`, `zx_rights_t`, `uint32_t`): an integer in [0, 2^32). */
export function isUint32(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < 2 ** 32;
}
