import type { MapInfo } from '@vmars/address-space';
import { MapsType } from '@vmars/address-space';
import type { AddressRange } from './page-tables.js';
import type { BlockLayout, ThreadLayout } from './thread-layout.js';
import { blockAtVmoOffset } from './thread-layout.js';

/**
 * Which mapped pages count as touched, i.e. hold a present page-table entry (semantics §12):
 * `all` — every mapped page (the upper bound, and §12's worked example); `stack-top` — the thread
 * block and only the pages of each stack nearest where it starts to grow.
 */
export type TouchedPages = 'all' | 'stack-top';
/** Every `TouchedPages` choice; the first is the default. */
export const TOUCHED_PAGES: readonly TouchedPages[] = ['all', 'stack-top'];

/** With `stack-top`, the pages of each stack taken as touched (a thread's first few frames). */
export const STACK_TOP_TOUCHED_PAGES = 4;

/**
 * The touched ranges of the mapping entries among `entries` (ZX_INFO_VMAR_MAPS records; VMAR
 * entries are skipped). A mapping's block is told by its VMO offset (`threadLayout` puts the
 * machine stack, security stack and thread block at fixed offsets of the thread's VMO).
 */
export function touchedRanges(
  entries: readonly MapInfo[],
  layout: ThreadLayout,
  touched: TouchedPages,
  pageSize: number,
): AddressRange[] {
  const ranges: AddressRange[] = [];
  for (const entry of entries) {
    if (entry.type !== MapsType.MAPPING || entry.mapping === undefined) continue;
    const start = entry.base;
    const end = entry.base + entry.size;
    const block = blockAtVmoOffset(layout, entry.mapping.vmoOffset);
    if (block === undefined) {
      ranges.push({ start, end });
      continue;
    }
    // The block's own start, from the entry's place in it (an entry may be one protection range).
    const blockStart = entry.base - (entry.mapping.vmoOffset - block.vmoOffset);
    const window = touchedWindow(block, touched, pageSize);
    const windowStart = blockStart + window.offset;
    const windowEnd = windowStart + window.length;
    const clippedStart = Math.max(start, windowStart);
    const clippedEnd = Math.min(end, windowEnd);
    if (clippedEnd > clippedStart) ranges.push({ start: clippedStart, end: clippedEnd });
  }
  return ranges;
}

/** The touched part of one block, relative to the base of its mapping: `[offset, offset + length)`. */
export interface TouchedWindow {
  readonly offset: number;
  readonly length: number;
}

/**
 * The pages of `block` counted as touched under `touched`, as `touchedRanges` finds them from a
 * `maps()` read, but from the layout alone: what the incremental page-table accounting adds at
 * each map and removes at each unmap.
 */
export function touchedWindow(
  block: BlockLayout,
  touched: TouchedPages,
  pageSize: number,
): TouchedWindow {
  if (touched === 'all' || block.grows === 'not') return { offset: 0, length: block.size };
  const length = Math.min(block.size, STACK_TOP_TOUCHED_PAGES * pageSize);
  return { offset: block.grows === 'down' ? block.size - length : 0, length };
}
