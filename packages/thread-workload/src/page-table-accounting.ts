import type { Architecture, PagingLevel } from './architecture.js';
import { PAGING_LEVELS } from './architecture.js';
import type { PageTableCount } from './page-tables.js';

/**
 * Exact page-table accounting, kept up to date at every map and unmap (semantics §12): per paging
 * level, the number of touched pages in each naturally aligned block of that level's coverage. A
 * level needs one table page per block whose count is above zero, so adding or removing a touched
 * range costs O(blocks it meets) per level — one or two for a thread's stack at the lowest level,
 * one at every level above — and the totals are never recomputed.
 *
 * It counts what `countPageTables` counts from a `maps()` read of the same moment (that function
 * stays as the test oracle), provided the ranges added and not yet removed never overlap: each is
 * one mapping's touched pages, and mappings never overlap (§4).
 *
 * It also keeps the most page-table pages there were after any `add`, and the per-level counts
 * and `event` tag of that moment: the maximum over every event of the run, not over samples.
 */
export class PageTableAccounting {
  readonly #levels: readonly PagingLevel[];
  readonly #pagesPerBlock: readonly number[];
  readonly #pageSize: number;
  /** Per level: block index → touched pages in that block. Absent means zero. */
  readonly #touched: Map<number, number>[];
  readonly #pages: number[];
  #total = 0;
  #maxTotal = 0;
  #maxPages: number[];
  #maxEvent = 0;
  /** The tag recorded with a new maximum; the caller sets it (for example, events done). */
  event = 0;

  constructor(architecture: Architecture, pageSize: number) {
    this.#levels = PAGING_LEVELS[architecture];
    this.#pageSize = pageSize;
    this.#pagesPerBlock = this.#levels.map((level) => level.coverage / pageSize);
    this.#touched = this.#levels.map(() => new Map<number, number>());
    this.#pages = this.#levels.map(() => 0);
    this.#maxPages = this.#pages.slice();
  }

  /** Page-table pages now, all levels. */
  get total(): number {
    return this.#total;
  }

  /** Adds the touched pages `[start, end)` (page-aligned, disjoint from every range held). */
  add(start: number, end: number): void {
    if (end <= start) return;
    const levelCount = this.#pages.length;
    for (let level = 0; level < levelCount; level += 1) {
      const added = this.#adjust(level, start, end, 1);
      this.#pages[level] = (this.#pages[level] as number) + added;
      this.#total += added;
    }
    if (this.#total > this.#maxTotal) {
      this.#maxTotal = this.#total;
      this.#maxPages = this.#pages.slice();
      this.#maxEvent = this.event;
    }
  }

  /** Removes touched pages `[start, end)` that an earlier `add` added. */
  remove(start: number, end: number): void {
    if (end <= start) return;
    const levelCount = this.#pages.length;
    for (let level = 0; level < levelCount; level += 1) {
      const removed = this.#adjust(level, start, end, -1);
      this.#pages[level] = (this.#pages[level] as number) + removed;
      this.#total += removed;
    }
  }

  /** Page-table pages per level now, lowest first. */
  pagesPerLevel(): number[] {
    return this.#pages.slice();
  }

  /** The count now, in `countPageTables`'s shape. */
  count(): PageTableCount {
    return this.#shape(this.#pages, this.#total);
  }

  /** The count at the moment with the most pages so far (the first such), and its `event` tag. */
  max(): PageTableCount & { readonly event: number } {
    return { ...this.#shape(this.#maxPages, this.#maxTotal), event: this.#maxEvent };
  }

  /**
   * Moves `sign` × the pages of `[start, end)` into or out of the blocks of one level, and returns
   * the change in that level's table pages (blocks that became non-empty, or empty).
   */
  #adjust(level: number, start: number, end: number, sign: 1 | -1): number {
    const coverage = (this.#levels[level] as PagingLevel).coverage;
    const pagesPerBlock = this.#pagesPerBlock[level] as number;
    const pageSize = this.#pageSize;
    const blocks = this.#touched[level] as Map<number, number>;
    // Coverages are powers of two and addresses are below 2^53: the divisions are exact.
    const first = Math.floor(start / coverage);
    const last = Math.floor((end - 1) / coverage);
    let change = 0;
    for (let block = first; block <= last; block += 1) {
      const blockStart = block * coverage;
      const pages =
        block === first || block === last
          ? (Math.min(end, blockStart + coverage) - Math.max(start, blockStart)) / pageSize
          : pagesPerBlock;
      const before = blocks.get(block) ?? 0;
      const after = before + sign * pages;
      if (after === 0) {
        blocks.delete(block);
        change -= 1;
      } else {
        if (after < 0) {
          throw new RangeError(
            `PageTableAccounting: removed more pages than were added in block ${String(block)} of level ${String(level)}`,
          );
        }
        blocks.set(block, after);
        if (before === 0) change += 1;
      }
    }
    return change;
  }

  #shape(pages: readonly number[], total: number): PageTableCount {
    return {
      levels: this.#levels.map((level, index) => ({ ...level, pages: pages[index] as number })),
      total,
    };
  }
}
