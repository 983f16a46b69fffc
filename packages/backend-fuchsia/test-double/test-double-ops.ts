import type { Result, Status } from '@vmars/address-space';

/**
 * One `vmars_test_double_map_entry_t`, as a callback hands it to C: raw C values (the fractional
 * byte counts as 63-bit fixed point).
 */
export interface TestDoubleMapEntry {
  readonly name: string;
  readonly base: number | bigint;
  readonly size: number | bigint;
  readonly depth: number | bigint;
  readonly type: number;
  readonly mapping?: {
    readonly mmuFlags: number;
    readonly vmoKoid: number | bigint;
    readonly vmoOffset: number | bigint;
    readonly committedBytes: number | bigint;
    readonly populatedBytes: number | bigint;
    readonly committedPrivateBytes: number | bigint;
    readonly populatedPrivateBytes: number | bigint;
    readonly committedScaledBytes: number | bigint;
    readonly populatedScaledBytes: number | bigint;
    readonly committedFractionalScaledBytes: number | bigint;
    readonly populatedFractionalScaledBytes: number | bigint;
  };
}

/** A `uint64_t` as koffi hands it over: a number when it is safe, else a bigint. */
export type U64 = number | bigint;

/** What the test double asks JavaScript for, one method per zx entry point. */
export interface TestDoubleOps {
  vmarRootSelf(): number;
  systemGetPageSize(): number;
  vmarAllocate(
    parent: number,
    options: number,
    offset: U64,
    size: U64,
  ): Result<{ handle: number; address: U64 }>;
  vmarDestroy(handle: number): Status;
  vmarMap(
    handle: number,
    options: number,
    vmarOffset: U64,
    vmo: number,
    vmoOffset: U64,
    length: U64,
  ): Result<U64>;
  vmarUnmap(handle: number, address: U64, length: U64): Status;
  vmarProtect(handle: number, options: number, address: U64, length: U64): Status;
  vmoCreate(size: U64, options: number): Result<number>;
  handleClose(handle: number): Status;
  handleDuplicate(handle: number, rights: number): Result<number>;
  vmarInfo(handle: number): Result<{ base: U64; len: U64 }>;
  vmarMaps(
    handle: number,
    capacity: number,
  ): Result<{ entries: readonly TestDoubleMapEntry[]; avail: number }>;
  /** ZX_INFO_HANDLE_BASIC of any handle: raw C values (`koid`s may be bigints past 2^53). */
  handleBasic(
    handle: number,
  ): Result<{ koid: U64; rights: number; type: number; relatedKoid: U64 }>;
}

/** A `U64` as a number (NaN above 2^53). */
export function asNumber(value: U64): number {
  // Above 2^53 it becomes NaN, which the emulation refuses with INVALID_ARGS; the bindings under
  // test never send such a value (they refuse it first), so no test depends on this.
  return typeof value === 'bigint'
    ? value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : Number.NaN
    : value;
}
