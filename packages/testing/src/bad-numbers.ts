/**
 * Values no `zx_*` argument can take through this contract: numbers that are not exact
 * non-negative integers below 2^53 (architecture.md, "Numbers"), and things that are not numbers.
 * Every one of them is INVALID_ARGS, whatever the argument, and changes nothing. A backend's own
 * tests add what only reaches it (a bigint through an FFI, say).
 */
export const BAD_NUMBERS: readonly [string, unknown][] = [
  ['NaN', Number.NaN],
  ['-1', -1],
  ['1.5', 1.5],
  ['2^53', 2 ** 53],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['a string', '4096'],
  ['undefined', undefined],
];
