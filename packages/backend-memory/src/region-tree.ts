import { activeIndex, slotCandidates } from './candidate-counts.js';
import type { CandidateIndex } from './candidate-index.js';
import { ChildBlock, FIRST_LEAF_CAPACITY, LEAF_CAPACITY, smallInteger } from './child-block.js';
import type { RegionNode, VmarNode } from './region-node.js';
import type { SpotSearch } from './spot-search.js';
import {
  closeRoom,
  endBefore,
  growLeaf,
  lastAtOrBefore,
  leafFor,
  openRoom,
  propagate,
  rebalance,
  setItem,
  splitBlock,
} from './tree-structure.js';

/*
 * The children list of a VMAR (§3.1), as the kernel's newest `RegionList` keeps it: a B+tree.
 * Leaves (`ChildBlock`, child-block.ts) hold up to 32 children in address order, each child's
 * offset and end side by side in columns of one array of doubles (the gap before a child runs from
 * the end before it to its offset), with links to the neighbouring leaves; branches hold up to 32
 * blocks, with each block's first offset, largest gap and candidate counts (candidate-counts.ts)
 * in columns. A search (spot-search.ts) skips every block whose largest gap is too small, and "no
 * room" is known from the root's columns. Children never overlap, so ordering by offset orders by
 * end too. This module adds and removes children; tree-structure.ts keeps the blocks in shape, and
 * range-queries.ts answers which children meet a range.
 *
 * Why a B+tree and not a binary tree: with 10,000 children a binary tree is about 20 levels deep,
 * and each level is a dependent load of a 2–3 cache line region object plus an unpredictable
 * branch. Here a search reads 3 or 4 blocks, scanning a few cache lines of each, and a region
 * object carries no tree fields (it only knows its leaf, `RegionNode.leaf`, so that removing it
 * needs no descent). Placement inserts right after its search, and the search remembers the leaf
 * it ended in (`SpotSearch`'s place), so that the insertion does not descend again.
 *
 * Small VMARs: every thread block is a VMAR holding exactly one mapping, so a VMAR with one child
 * keeps the child itself in `children` (no block at all); the first leaf has room for 4 children
 * and doubles up to 32. Nothing here allocates but blocks (and the one `CandidateIndex` of a
 * VMAR); page counts leave as small integers (`smallInteger`).
 */

/**
 * Candidates of `slot`'s request in the gap `[start, end)`; 0 when the list counts none for the
 * slot (`counts` null, or the slot not in use).
 */
function gapCount(counts: CandidateIndex | null, slot: number, start: number, end: number): number {
  if (counts === null || (slot === 0 ? counts.size0 : counts.size1) === 0) return 0;
  return slotCandidates(counts, slot, start, end);
}

/**
 * The change of `slot`'s candidate count when a child `[offset, end)` is placed in the gap
 * `[start, successor)`: the gap before the child and the gap after it replace the whole gap.
 * Taking the child away changes the count by as much the other way.
 */
function splitGapChange(
  counts: CandidateIndex | null,
  slot: number,
  start: number,
  offset: number,
  end: number,
  successor: number,
): number {
  if (counts === null || (slot === 0 ? counts.size0 : counts.size1) === 0) return 0;
  return (
    slotCandidates(counts, slot, start, offset) -
    slotCandidates(counts, slot, start, successor) +
    slotCandidates(counts, slot, end, successor)
  );
}

/**
 * Inserts `region` (a fresh region overlapping no child) into `owner`'s children list, and gives
 * the gap before it and the one after it their new lengths. `search` is the address space's: the
 * place of the spot it found last is taken when it is where `region` goes, and forgotten.
 */
export function insertRegion(owner: VmarNode, region: RegionNode, search: SpotSearch): void {
  const children = owner.children;
  if (children instanceof ChildBlock) children.rootLargestGap = -1;
  const offset = region.offset;
  const end = offset + region.size;
  if (children === null) {
    region.leaf = null;
    owner.children = region;
    keepLastEnd(owner, end);
    return;
  }
  const counts = activeIndex(owner);
  let leaf: ChildBlock;
  let at = -1;
  if (search.placeOwner === owner && search.placeOffset === offset) {
    leaf = search.placeLeaf as ChildBlock;
    at = search.placePosition;
  } else if (children instanceof ChildBlock) {
    leaf = leafFor(children, offset);
  } else {
    // The second child: the only one so far moves into a first leaf.
    leaf = new ChildBlock(true, FIRST_LEAF_CAPACITY);
    leaf.length = 1;
    leaf.numbers[0] = children.offset;
    leaf.numbers[FIRST_LEAF_CAPACITY] = children.offset + children.size;
    setItem(leaf, 0, children);
    owner.children = leaf;
  }
  search.forgetPlace();
  if (leaf.length === leaf.capacity) {
    if (leaf.capacity < LEAF_CAPACITY) {
      growLeaf(leaf);
    } else {
      const appending = offset > (leaf.numbers[leaf.length - 1] as number);
      const sibling = splitBlock(owner, leaf, appending, counts);
      if (offset >= (sibling.numbers[0] as number)) leaf = sibling;
      at = -1;
    }
  }
  if (at < 0) at = lastAtOrBefore(leaf, offset) + 1;
  const capacity = leaf.capacity;
  const predecessorEnd = endBefore(leaf, at);
  openRoom(leaf, at, 1);
  const numbers = leaf.numbers;
  numbers[at] = offset;
  numbers[capacity + at] = end;
  setItem(leaf, at, region);
  // The region splits the gap `[predecessorEnd, successor)`: the part before it is its own gap,
  // the part after it the successor's.
  if (at + 1 < leaf.length) {
    const successor = numbers[at + 1] as number;
    const change0 = splitGapChange(counts, 0, predecessorEnd, offset, end, successor);
    const change1 = splitGapChange(counts, 1, predecessorEnd, offset, end, successor);
    propagate(leaf, -1, successor - predecessorEnd, change0, change1, counts);
    return;
  }
  const change0 = gapCount(counts, 0, predecessorEnd, offset);
  const change1 = gapCount(counts, 1, predecessorEnd, offset);
  propagate(leaf, offset - predecessorEnd, -1, change0, change1, counts);
  moveFollowingGapStart(owner, leaf, predecessorEnd, end, counts);
}

/**
 * After the last entry of `leaf` changed: the gap after it (before the first child of the next
 * leaf, or the trailing gap after the last leaf) now starts at `newStart` instead of `oldStart`.
 */
function moveFollowingGapStart(
  owner: VmarNode,
  leaf: ChildBlock,
  oldStart: number,
  newStart: number,
  counts: CandidateIndex | null,
): void {
  const next = leaf.next;
  if (next === null) {
    keepLastEnd(owner, newStart);
    return;
  }
  const successor = next.numbers[0] as number;
  const change0 =
    gapCount(counts, 0, newStart, successor) - gapCount(counts, 0, oldStart, successor);
  const change1 =
    gapCount(counts, 1, newStart, successor) - gapCount(counts, 1, oldStart, successor);
  next.numbers[2 * next.capacity] = newStart;
  const grown = newStart < oldStart ? successor - newStart : -1;
  const shrunk = newStart > oldStart ? successor - oldStart : -1;
  propagate(next, grown, shrunk, change0, change1, counts);
}

/**
 * Removes `region`, which must be one of `owner`'s children. `search` is the address space's,
 * whose remembered place the change makes stale.
 */
export function removeRegion(owner: VmarNode, region: RegionNode, search: SpotSearch): void {
  search.forgetPlace();
  const children = owner.children;
  if (children instanceof ChildBlock) children.rootLargestGap = -1;
  if (owner.children === region) {
    owner.children = null;
    keepLastEnd(owner, 0);
    return;
  }
  const leaf = region.leaf as ChildBlock;
  region.leaf = null;
  const counts = activeIndex(owner);
  // Found by its offset: the offsets are read anyway, to move the later entries down.
  const at = lastAtOrBefore(leaf, region.offset);
  const capacity = leaf.capacity;
  const numbers = leaf.numbers;
  const offset = numbers[at] as number;
  const end = numbers[capacity + at] as number;
  const freedStart = endBefore(leaf, at);
  closeRoom(leaf, at, 1);
  // The region's gap, its pages and the successor's gap become one gap before the successor.
  if (at < leaf.length) {
    const successor = numbers[at] as number;
    // `0 - change`, not `-change`: a -0 would reach `propagate` as a heap number.
    const change0 = 0 - splitGapChange(counts, 0, freedStart, offset, end, successor);
    const change1 = 0 - splitGapChange(counts, 1, freedStart, offset, end, successor);
    propagate(leaf, successor - freedStart, -1, change0, change1, counts);
  } else {
    const change0 = 0 - gapCount(counts, 0, freedStart, offset);
    const change1 = 0 - gapCount(counts, 1, freedStart, offset);
    propagate(leaf, -1, offset - freedStart, change0, change1, counts);
    // The gap after the region (before the next leaf, or the trailing gap) now starts where its
    // predecessor ends.
    moveFollowingGapStart(owner, leaf, end, freedStart, counts);
  }
  rebalance(owner, leaf, counts);
}

/**
 * Records `end` as `owner.lastEnd`. In the root VMAR it can pass 2^31 pages (a 128 TiB region is
 * 2^35 pages); the field is tagged (see `VmarNode`), so such a value is boxed in the root alone.
 */
function keepLastEnd(owner: VmarNode, end: number): void {
  owner.lastEnd = smallInteger(end);
}
