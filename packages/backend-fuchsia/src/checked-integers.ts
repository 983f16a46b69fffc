import { Status, ZxError } from '@vmars/address-space';

/**
 * True when `value` is a number that a `uint32_t` argument holds exactly. koffi would otherwise
 * wrap or truncate silently (-1 becomes 0xFFFFFFFF, 1.5 becomes 1, 2^32 becomes 0).
 */
export function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
}

/**
 * True when `value` is a number that a `uint64_t` argument holds exactly *and* that this package
 * can tell from its neighbours: a non-negative safe integer (below 2^53). Larger numbers are
 * refused even when a double happens to hold them, as the memory backend refuses them.
 */
export function isUint64(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

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
