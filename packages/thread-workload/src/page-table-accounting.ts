import type { Architecture } from '@vmars/address-space';
import type { PagingLevel } from './architecture.js';
import { PAGING_LEVELS } from './architecture.js';
import type { PageTableCount } from './page-tables.js';

/**
 * Exact page-table accounting, kept up to date at every map and unmap (semantics §12): the number of
 * touched pages in each naturally aligned block of the lowest level's coverage, and at each level
 * above, the number of non-empty blocks below in each of its blocks. A level needs one table page
 * per block whose count is above zero, so adding or removing a touched range costs O(blocks it
 * meets) at the lowest level — one or two for a thread's stack — plus one step up per level only
 * where a block turned empty or non-empty; the totals are never recomputed.
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
  /**
   * The lowest level: block index → touched pages in it. Each level above: block index → how
   * many of its blocks one level down are non-empty. Absent means zero.
   */
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
    this.#adjust(start, end, 1);
    if (this.#total > this.#maxTotal) {
      this.#maxTotal = this.#total;
      this.#maxPages = this.#pages.slice();
      this.#maxEvent = this.event;
    }
  }

  /** Removes touched pages `[start, end)` that an earlier `add` added. */
  remove(start: number, end: number): void {
    if (end <= start) return;
    this.#adjust(start, end, -1);
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
   * Moves `sign` × the pages of `[start, end)` into or out of the lowest level's blocks. Only a
   * block that becomes non-empty, or empty, changes the level above (`#cascade`), so most updates
   * touch the lowest level alone.
   */
  #adjust(start: number, end: number, sign: 1 | -1): void {
    const coverage = (this.#levels[0] as PagingLevel).coverage;
    const pagesPerBlock = this.#pagesPerBlock[0] as number;
    const pageSize = this.#pageSize;
    const blocks = this.#touched[0] as Map<number, number>;
    // Coverages are powers of two and addresses are below 2^53: the divisions are exact.
    const first = Math.floor(start / coverage);
    const last = Math.floor((end - 1) / coverage);
    for (let block = first; block <= last; block += 1) {
      const blockStart = block * coverage;
      const pages =
        block === first || block === last
          ? (Math.min(end, blockStart + coverage) - Math.max(start, blockStart)) / pageSize
          : pagesPerBlock;
      const before = blocks.get(block) ?? 0;
      const after = before + sign * pages;
      if (after < 0) {
        throw new RangeError(
          `PageTableAccounting: removed more pages than were added in block ${String(block)}`,
        );
      }
      if (after === 0) blocks.delete(block);
      else blocks.set(block, after);
      if (before === 0 || after === 0) this.#cascade(0, block, sign);
    }
  }

  /**
   * Block `block` of level `level` became non-empty (`sign` 1) or empty (-1): one more, or one
   * fewer, table at that level, and one more or fewer non-empty child in the block above it.
   */
  #cascade(level: number, block: number, sign: 1 | -1): void {
    let current = block;
    for (let at = level; at < this.#pages.length; at += 1) {
      this.#pages[at] = (this.#pages[at] as number) + sign;
      this.#total += sign;
      const above = at + 1;
      if (above === this.#pages.length) return;
      const ratio = (this.#pagesPerBlock[above] as number) / (this.#pagesPerBlock[at] as number);
      current = Math.floor(current / ratio);
      const children = this.#touched[above] as Map<number, number>;
      const before = children.get(current) ?? 0;
      const after = before + sign;
      if (after === 0) children.delete(current);
      else children.set(current, after);
      // The block above changed state only if it went from no non-empty child to one, or back.
      if (before !== 0 && after !== 0) return;
    }
  }

  #shape(pages: readonly number[], total: number): PageTableCount {
    return {
      levels: this.#levels.map((level, index) => ({ ...level, pages: pages[index] as number })),
      total,
    };
  }
}
