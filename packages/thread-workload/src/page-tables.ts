import type { Architecture } from '@vmars/address-space';
import type { PagingLevel } from './architecture.js';
import { PAGING_LEVELS } from './architecture.js';

/** A range of touched addresses, `[start, end)`, page-aligned. */
export interface AddressRange {
  readonly start: number;
  readonly end: number;
}

/** The table pages one level needs. */
export interface LevelCount extends PagingLevel {
  readonly pages: number;
}

/** The page-table pages a set of touched ranges needs, per level (lowest first) and in all. */
export interface PageTableCount {
  readonly levels: readonly LevelCount[];
  readonly total: number;
}

/**
 * Counts page-table pages the semantics doc's way (§12): at each level, the number of distinct
 * naturally aligned blocks of that level's coverage that hold at least one touched page. The top
 * level falls out of the same rule (one page whenever anything is touched). Works on ranges, not
 * pages, so a 2 MiB stack costs the same as a 4 KiB one: O(n log n) in the number of ranges.
 */
export function countPageTables(
  ranges: readonly AddressRange[],
  architecture: Architecture,
): PageTableCount {
  const sorted = ranges.filter((range) => range.end > range.start);
  sorted.sort((left, right) => left.start - right.start);
  const levels = PAGING_LEVELS[architecture].map((level) => ({
    ...level,
    pages: countBlocks(sorted, level.coverage),
  }));
  return { levels, total: levels.reduce((sum, level) => sum + level.pages, 0) };
}

/** Distinct `coverage`-aligned blocks meeting `sorted` (ranges sorted by start). */
function countBlocks(sorted: readonly AddressRange[], coverage: number): number {
  let count = 0;
  // The highest block already counted; ranges come in start order, so the first block of each
  // range is at or after the first block of the previous one.
  let lastCounted = -1;
  for (const range of sorted) {
    // Coverages are powers of two and addresses are below 2^53: the divisions are exact.
    const first = Math.floor(range.start / coverage);
    const last = Math.floor((range.end - 1) / coverage);
    if (last <= lastCounted) continue;
    count += last - Math.max(first, lastCounted + 1) + 1;
    lastCounted = last;
  }
  return count;
}
