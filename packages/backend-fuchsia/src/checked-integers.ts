import { Status, ZxError } from '@vmars/address-space';

/**
 * The contract's number rule (`@vmars/address-space`), named after the C types: checked before
 * every call, because koffi would otherwise wrap or truncate silently (-1 becomes 0xFFFFFFFF, 1.5
 * becomes 1, 2^32 becomes 0), and a `uint64_t` of 2^53 or more could not be told from its
 * neighbours.
 */
export { isSafeUnsigned as isUint64, isUint32 } from '@vmars/address-space';

/**
 * A 64-bit value the kernel wrote, as a JS number; a `ZxError` with `Status.OUT_OF_RANGE` when a
 * number cannot hold it exactly (architecture.md, "Numbers": refuse rather than round).
 */
export function toExactNumber(value: bigint, operation: string, what: string): number {
  if (value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  throw new ZxError(Status.OUT_OF_RANGE, operation, {
    detail: `${what} 0x${value.toString(16)} is above 2^53 - 1, so a JS number cannot hold it exactly`,
  });
}
