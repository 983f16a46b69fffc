import { PERM_RWX } from '@vmars/address-space';

/*
 * Protection ranges of a mapping (§11.4): a flat array `[firstPage, mmuFlags, ...]`, first pages
 * relative to the mapping's start, ascending, the first 0, neighbours differing in flags (the
 * kernel keeps a first-range flag plus boundaries only where the flags change).
 */

/**
 * One frozen `[0, flags]` per flags value (the PERM_READ/WRITE/EXECUTE bits, 0 to 7), made once:
 * the ranges of every mapping with a single range, which is nearly every mapping. Range lists are
 * never changed in place, only replaced, so sharing them is safe, and saves an array (about 80
 * bytes) per mapping. The table is never written after this line, and not frozen itself, as
 * V8 reads a frozen array's elements by a slower path (see failure-results.ts).
 */
const SINGLE_RANGES: readonly (readonly number[])[] = Array.from(
  { length: PERM_RWX + 1 },
  (_, flags) => Object.freeze([0, flags]),
);

/** The shared ranges of a mapping whose pages all have `flags`. */
export function singleRange(flags: number): readonly number[] {
  return SINGLE_RANGES[flags] ?? Object.freeze([0, flags]);
}

/** `ranges` itself, or the shared equal array when it holds one range. */
function shared(ranges: number[]): readonly number[] {
  return ranges.length === 2 ? singleRange(ranges[1] as number) : ranges;
}

/** The mmu flags at page `page` (relative to the mapping). */
export function flagsAt(ranges: readonly number[], page: number): number {
  let flags = ranges[1] as number;
  for (let index = 2; index < ranges.length && (ranges[index] as number) <= page; index += 2) {
    flags = ranges[index + 1] as number;
  }
  return flags;
}

/** Appends a range to `out` unless it has the flags of the previous one (coalescing). */
function pushRange(out: number[], firstPage: number, flags: number): void {
  if (out.length > 0 && out[out.length - 1] === flags) return;
  out.push(firstPage, flags);
}

/** The ranges of pages `[from, to)` of a mapping, rebased so that `from` becomes page 0. */
export function sliceRanges(
  ranges: readonly number[],
  from: number,
  to: number,
): readonly number[] {
  const out: number[] = [];
  pushRange(out, 0, flagsAt(ranges, from));
  for (let index = 2; index < ranges.length; index += 2) {
    const firstPage = ranges[index] as number;
    if (firstPage <= from) continue;
    if (firstPage >= to) break;
    pushRange(out, firstPage - from, ranges[index + 1] as number);
  }
  return shared(out);
}

/** The ranges after setting pages `[from, to)` of a `size`-page mapping to `flags`. */
export function setRangeFlags(
  ranges: readonly number[],
  size: number,
  from: number,
  to: number,
  flags: number,
): readonly number[] {
  const out: number[] = [];
  for (let index = 0; index < ranges.length; index += 2) {
    const firstPage = ranges[index] as number;
    if (firstPage >= from) break;
    pushRange(out, firstPage, ranges[index + 1] as number);
  }
  pushRange(out, from, flags);
  if (to < size) {
    pushRange(out, to, flagsAt(ranges, to));
    for (let index = 2; index < ranges.length; index += 2) {
      const firstPage = ranges[index] as number;
      if (firstPage > to) pushRange(out, firstPage, ranges[index + 1] as number);
    }
  }
  return shared(out);
}

/** The ranges of two adjacent mappings joined, the right one starting at page `leftSize`. */
export function concatRanges(
  left: readonly number[],
  leftSize: number,
  right: readonly number[],
): readonly number[] {
  const out = left.slice();
  for (let index = 0; index < right.length; index += 2) {
    pushRange(out, (right[index] as number) + leftSize, right[index + 1] as number);
  }
  return shared(out);
}

/** True when some page of `[from, to)` has flags lacking a bit of `flags` (protect would add it). */
export function wouldAddPermission(
  ranges: readonly number[],
  size: number,
  from: number,
  to: number,
  flags: number,
): boolean {
  for (let index = 0; index < ranges.length; index += 2) {
    const firstPage = ranges[index] as number;
    const endPage = index + 2 < ranges.length ? (ranges[index + 2] as number) : size;
    if (endPage <= from || firstPage >= to) continue;
    if ((flags & ~(ranges[index + 1] as number)) !== 0) return true;
  }
  return false;
}
