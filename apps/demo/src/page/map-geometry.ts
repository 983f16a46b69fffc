import type { PageBlockKind } from '../report-page-data.js';

/** A block the map draws: a machine stack, security stack or thread block of a live thread. */
export interface Block {
  /** The thread's number, or -1 for a report without a recorder (the peak only). */
  readonly thread: number;
  /** Index into `PageData.kinds`. */
  readonly kind: number;
  readonly base: number;
  readonly size: number;
  /** Index of its compact VMAR's row, or -1 when it sits directly in the root. */
  readonly row: number;
}

export interface Range {
  readonly base: number;
  readonly size: number;
}

/** Merges `[start, end)` pixel spans into runs of whole columns, for thousands of blocks. */
export function runs(spans: readonly [number, number][]): [number, number][] {
  const sorted = [...spans].sort((left, right) => left[0] - right[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const from = Math.floor(start);
    const to = Math.max(from + 1, Math.ceil(end));
    const last = merged.at(-1);
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/**
 * The free gaps of a compact VMAR: what lies between its blocks' VMARs (guards included).
 * `blocks` are sorted by base.
 */
export function holesOf(
  compact: Range,
  blocks: readonly Block[],
  kinds: readonly PageBlockKind[],
): Range[] {
  const holes: Range[] = [];
  let cursor = compact.base;
  for (const block of blocks) {
    const kind = kinds[block.kind];
    const start = block.base - (kind?.guardBelow ?? 0);
    if (start > cursor) holes.push({ base: cursor, size: start - cursor });
    cursor = Math.max(cursor, block.base + block.size + (kind?.guardAbove ?? 0));
  }
  const end = compact.base + compact.size;
  if (end > cursor) holes.push({ base: cursor, size: end - cursor });
  return holes;
}

/** The largest of `holes` (the first of equals), or `undefined` when there is none. */
export function largest(holes: readonly Range[]): Range | undefined {
  let best: Range | undefined;
  for (const hole of holes) if (best === undefined || hole.size > best.size) best = hole;
  return best;
}

/** The block of `sorted` (by base) nearest to `address`, and its distance in bytes. */
export function nearest(
  sorted: readonly Block[],
  address: number,
): { block: Block; distance: number } | undefined {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] as Block).base <= address) low = middle + 1;
    else high = middle - 1;
  }
  let best: { block: Block; distance: number } | undefined;
  for (const candidate of [sorted[high], sorted[high + 1]]) {
    if (candidate === undefined) continue;
    const distance =
      address < candidate.base
        ? candidate.base - address
        : Math.max(0, address - (candidate.base + candidate.size));
    if (best === undefined || distance < best.distance) best = { block: candidate, distance };
  }
  return best;
}

/**
 * A finder of the row (index into `rows`) whose compact VMAR holds an address, or -1: a binary
 * search over the rows sorted by base.
 */
export function rowFinder(rows: readonly Range[]): (address: number) => number {
  const byBase = rows
    .map((compact, index) => ({ compact, index }))
    .sort((left, right) => left.compact.base - right.compact.base);
  return (address) => {
    let low = 0;
    let high = byBase.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const entry = byBase[middle] as { compact: Range; index: number };
      if (address < entry.compact.base) high = middle - 1;
      else if (address >= entry.compact.base + entry.compact.size) low = middle + 1;
      else return entry.index;
    }
    return -1;
  };
}
