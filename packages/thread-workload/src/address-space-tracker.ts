import type { StorageObserver } from './libc-thread-storage.js';
import type { PageTableAccounting } from './page-table-accounting.js';
import type { BlockLayout, ThreadLayout } from './thread-layout.js';
import { type TouchedPages, type TouchedWindow, touchedWindow } from './touched-ranges.js';

/**
 * Follows libc's maps and unmaps (`StorageObserver`): the bytes mapped, and the touched pages of
 * each mapping into the page-table accounting.
 */
export class AddressSpaceTracker implements StorageObserver {
  readonly #windows: Map<BlockLayout, TouchedWindow>;
  readonly #accounting: PageTableAccounting;
  mappedBytes = 0;

  constructor(
    layout: ThreadLayout,
    touched: TouchedPages,
    pageSize: number,
    accounting: PageTableAccounting,
  ) {
    this.#windows = new Map(
      layout.blocks.map((block) => [block, touchedWindow(block, touched, pageSize)]),
    );
    this.#accounting = accounting;
  }

  mapped(block: BlockLayout, base: number): void {
    this.mappedBytes += block.size;
    const window = this.#windows.get(block) as TouchedWindow;
    const start = base + window.offset;
    this.#accounting.add(start, start + window.length);
  }

  unmapped(block: BlockLayout, base: number): void {
    this.mappedBytes -= block.size;
    const window = this.#windows.get(block) as TouchedWindow;
    const start = base + window.offset;
    this.#accounting.remove(start, start + window.length);
  }
}
