import { addCandidates, storeCounts } from './candidate-counts.js';
import type { CandidateIndex } from './candidate-index.js';
import {
  BRANCH_CAPACITY,
  BRANCH_COLUMNS,
  ChildBlock,
  doubleArray,
  LEAF_CAPACITY,
  LEAF_COLUMNS,
} from './child-block.js';
import type { RegionNode, VmarNode } from './region-node.js';

/*
 * The structure of a VMAR's children list (region-tree.ts), a B+tree of `ChildBlock`s: finding
 * the leaf for a page, moving entries within and between blocks, splitting a full block, merging
 * or evening out one that fell below a quarter full, and bringing the branch entries above a
 * changed block up to date (`propagate`).
 *
 * An update changes one leaf (two when the changed gap is the first of the next leaf) and walks up
 * while the entries above change: the first offset is copied, a largest gap that grew is taken and
 * one that shrank recomputed from at most 32 entries, and a count gets the exact change of the
 * leaf's (recounted only when saturated). Splits, merges and moves between neighbours recompute
 * the entries of the blocks they touch (`storeEntry`). A block split by an entry after all its own
 * keeps three quarters (first fit fills a VMAR upwards, and even splits would leave every leaf
 * behind half empty). A leaf or branch that falls below a quarter full merges with a neighbour or
 * borrows from it; a root with one entry gives way to that entry, and a root leaf with one child
 * to the child, which its owner then keeps itself.
 */

/** Fewest entries of a block that is not the root; below, it merges with or borrows from a neighbour. */
const MINIMUM_LEAF_LENGTH = LEAF_CAPACITY / 4;
const MINIMUM_BRANCH_LENGTH = BRANCH_CAPACITY / 4;

/**
 * Recomputes entry `at` of the branch `parent` (first offset, largest gap, candidate counts) from
 * its child block, whose own entries must be current.
 */
function storeEntry(parent: ChildBlock, at: number, counts: CandidateIndex | null): void {
  const child = parent.items[at] as ChildBlock;
  parent.numbers[at] = child.numbers[0] as number;
  parent.numbers[parent.capacity + at] = largestGap(child);
  if (counts !== null) storeCounts(parent, at, child, counts);
}

/** The largest gap in `block` (0 when empty): of its children (leaf) or of its blocks (branch). */
export function largestGap(block: ChildBlock): number {
  const numbers = block.numbers;
  const capacity = block.capacity;
  let maxGap = 0;
  if (block.isLeaf) {
    let previousEnd = numbers[2 * capacity] as number;
    for (let entry = 0; entry < block.length; entry++) {
      const gap = (numbers[entry] as number) - previousEnd;
      if (gap > maxGap) maxGap = gap;
      previousEnd = numbers[capacity + entry] as number;
    }
    return maxGap;
  }
  for (let entry = 0; entry < block.length; entry++) {
    const gap = numbers[capacity + entry] as number;
    if (gap > maxGap) maxGap = gap;
  }
  return maxGap;
}

/**
 * Brings the entries above `block` up to date after its own entries changed, walking up while
 * something changes. The caller says what changed: `grown`, a gap now in the block that may pass
 * its largest (-1: none); `shrunk`, the former length of a gap that shrank or left it, which may
 * have been its largest (-1: none); `delta0`/`delta1`, the exact change of its candidate counts
 * for slots 0 and 1 (0 when the slot is not in use). The first offset is always taken again.
 * Each level costs a few entries; only a largest gap that shrank is recomputed, from at most 32.
 */
export function propagate(
  block: ChildBlock,
  grown: number,
  shrunk: number,
  delta0: number,
  delta1: number,
  counts: CandidateIndex | null,
): void {
  let child = block;
  let grownGap = grown;
  let shrunkGap = shrunk;
  for (let parent = block.parent; parent !== null; parent = parent.parent) {
    const at = child.position;
    const numbers = parent.numbers;
    const capacity = parent.capacity;
    const oldFirst = numbers[at] as number;
    // An emptied leaf keeps its entry's first offset until it is merged away (`rebalance`).
    const first = child.length > 0 ? (child.numbers[0] as number) : oldFirst;
    numbers[at] = first;
    const oldMax = numbers[capacity + at] as number;
    let newMax = oldMax;
    if (grownGap > oldMax) {
      newMax = grownGap;
    } else if (shrunkGap === oldMax) {
      newMax = largestGap(child);
    }
    numbers[capacity + at] = newMax;
    if (counts !== null) {
      if (delta0 !== 0) addCandidates(parent, at, child, counts, 0, delta0);
      if (delta1 !== 0) addCandidates(parent, at, child, counts, 1, delta1);
    }
    if (first === oldFirst && newMax === oldMax && delta0 === 0 && delta1 === 0) return;
    grownGap = newMax > oldMax ? newMax : -1;
    shrunkGap = newMax < oldMax ? oldMax : -1;
    child = parent;
  }
}

/** The leaf where a child at page `page` belongs: the last one whose first offset is at or before it. */
export function leafFor(root: ChildBlock, page: number): ChildBlock {
  let block = root;
  while (!block.isLeaf) {
    const numbers = block.numbers;
    let at = block.length - 1;
    while (at > 0 && (numbers[at] as number) > page) at--;
    block = block.items[at] as ChildBlock;
  }
  return block;
}

/** The last entry of `leaf` starting at or before `page`; -1 when none does. */
export function lastAtOrBefore(leaf: ChildBlock, page: number): number {
  const numbers = leaf.numbers;
  let at = leaf.length - 1;
  while (at >= 0 && (numbers[at] as number) > page) at--;
  return at;
}

/** Where the gap before entry `at` of `leaf` starts: the end of the child before it. */
export function endBefore(leaf: ChildBlock, at: number): number {
  return leaf.numbers[at > 0 ? leaf.capacity + at - 1 : 2 * leaf.capacity] as number;
}

/**
 * Makes the item and its back pointers (a region's leaf; a block's parent and position) say it is
 * entry `at` of `block`.
 */
export function setItem(block: ChildBlock, at: number, item: RegionNode | ChildBlock): void {
  block.items[at] = item;
  if (block.isLeaf) {
    (item as RegionNode).leaf = block;
  } else {
    (item as ChildBlock).parent = block;
    (item as ChildBlock).position = at;
  }
}

/** Gives the blocks in entries `[from, length)` of the branch `block` their positions again. */
function renumber(block: ChildBlock, from: number): void {
  if (block.isLeaf) return;
  for (let entry = from; entry < block.length; entry++) {
    (block.items[entry] as ChildBlock).position = entry;
  }
}

/** Copies `count` entries (every column, and the items) from `from` at `fromAt` to `to` at `toAt`. */
function copyEntries(
  from: ChildBlock,
  fromAt: number,
  to: ChildBlock,
  toAt: number,
  count: number,
): void {
  const columns = from.isLeaf ? LEAF_COLUMNS : BRANCH_COLUMNS;
  const fromNumbers = from.numbers;
  const toNumbers = to.numbers;
  for (let column = 0; column < columns; column++) {
    const source = column * from.capacity + fromAt;
    const target = column * to.capacity + toAt;
    for (let entry = 0; entry < count; entry++) {
      toNumbers[target + entry] = fromNumbers[source + entry] as number;
    }
  }
  for (let entry = 0; entry < count; entry++) {
    setItem(to, toAt + entry, from.items[fromAt + entry] as RegionNode | ChildBlock);
  }
}

/** Moves the entries `[at, length)` of `block` up by `by`, leaving room at `at`. */
export function openRoom(block: ChildBlock, at: number, by: number): void {
  const columns = block.isLeaf ? LEAF_COLUMNS : BRANCH_COLUMNS;
  const numbers = block.numbers;
  const items = block.items;
  for (let column = 0; column < columns; column++) {
    const base = column * block.capacity;
    for (let entry = block.length - 1; entry >= at; entry--) {
      numbers[base + entry + by] = numbers[base + entry] as number;
    }
  }
  for (let entry = block.length - 1; entry >= at; entry--) items[entry + by] = items[entry];
  block.length += by;
  renumber(block, at + by);
}

/** Drops the entries `[at, at + by)` of `block`, moving the later ones down. */
export function closeRoom(block: ChildBlock, at: number, by: number): void {
  const columns = block.isLeaf ? LEAF_COLUMNS : BRANCH_COLUMNS;
  const numbers = block.numbers;
  const items = block.items;
  const length = block.length;
  for (let column = 0; column < columns; column++) {
    const base = column * block.capacity;
    for (let entry = at + by; entry < length; entry++) {
      numbers[base + entry - by] = numbers[base + entry] as number;
    }
  }
  for (let entry = at + by; entry < length; entry++) items[entry - by] = items[entry];
  // Cleared, so that a dropped region is not kept reachable.
  for (let entry = length - by; entry < length; entry++) items[entry] = undefined;
  block.length = length - by;
  renumber(block, at);
}

/** Doubles the capacity of a leaf that is not yet `LEAF_CAPACITY` long. */
export function growLeaf(leaf: ChildBlock): void {
  const old = leaf.numbers;
  const oldCapacity = leaf.capacity;
  const capacity = oldCapacity * 2;
  const numbers = doubleArray(capacity * LEAF_COLUMNS + 1);
  for (let column = 0; column < LEAF_COLUMNS; column++) {
    for (let entry = 0; entry < leaf.length; entry++) {
      numbers[column * capacity + entry] = old[column * oldCapacity + entry] as number;
    }
  }
  numbers[LEAF_COLUMNS * capacity] = old[LEAF_COLUMNS * oldCapacity] as number;
  leaf.numbers = numbers;
  leaf.capacity = capacity;
  for (let entry = oldCapacity; entry < capacity; entry++) leaf.items.push(undefined);
}

/**
 * Splits the full `block` in two: its upper entries move to a new block right after it, which is
 * returned, entered in the parent (split in turn when full, or made the new root). Half of them
 * move; only a quarter when `appending` (the entry that caused the split goes after all of them):
 * first fit fills a VMAR in ascending order, and even splits would leave every block behind it half
 * empty, while a quarter keeps the new block above the minimum, so that a child that comes and goes
 * at the end (a probe) does not split and merge each time.
 */
export function splitBlock(
  owner: VmarNode,
  block: ChildBlock,
  appending: boolean,
  counts: CandidateIndex | null,
): ChildBlock {
  const sibling = new ChildBlock(block.isLeaf, block.capacity);
  const keep = appending ? block.length - block.capacity / 4 : block.length >> 1;
  const moved = block.length - keep;
  copyEntries(block, keep, sibling, 0, moved);
  sibling.length = moved;
  closeRoom(block, keep, moved);
  if (block.isLeaf) {
    sibling.numbers[2 * sibling.capacity] = block.numbers[block.capacity + keep - 1] as number;
    const next = block.next;
    sibling.next = next;
    if (next !== null) next.previous = sibling;
    sibling.previous = block;
    block.next = sibling;
  }
  let parent = block.parent;
  if (parent === null) {
    parent = new ChildBlock(false, BRANCH_CAPACITY);
    parent.length = 1;
    setItem(parent, 0, block);
    owner.children = parent;
  } else if (parent.length === parent.capacity) {
    splitBlock(owner, parent, parent.items[parent.length - 1] === block, counts);
    parent = block.parent as ChildBlock;
  }
  const at = block.position;
  openRoom(parent, at + 1, 1);
  setItem(parent, at + 1, sibling);
  storeEntry(parent, at, counts);
  storeEntry(parent, at + 1, counts);
  return sibling;
}

/**
 * After `changed` lost an entry (and the entries above it were brought up to date): merges it with
 * a neighbour, or moves entries over from one, while it is below a quarter full, up the tree; and
 * lets a root with one entry give way to it (a single child is kept by its owner directly).
 * Moving entries between siblings changes no total of their parent, only the siblings' entries
 * and maybe first offsets.
 */
export function rebalance(
  owner: VmarNode,
  changed: ChildBlock,
  counts: CandidateIndex | null,
): void {
  let block = changed;
  for (;;) {
    const parent = block.parent;
    if (parent === null) {
      shrinkRoot(owner, block);
      return;
    }
    const minimum = block.isLeaf ? MINIMUM_LEAF_LENGTH : MINIMUM_BRANCH_LENGTH;
    if (block.length >= minimum) {
      // A merge below changed no total, but maybe a first offset.
      if (block !== changed) propagate(block, -1, -1, 0, 0, counts);
      return;
    }
    if (parent.length === 1) {
      // Only the root branch can have a single child; it gives way below.
      block = parent;
      continue;
    }
    const at = block.position;
    const leftAt = at + 1 < parent.length ? at : at - 1;
    const left = parent.items[leftAt] as ChildBlock;
    const right = parent.items[leftAt + 1] as ChildBlock;
    if (left.length + right.length <= left.capacity) {
      copyEntries(right, 0, left, left.length, right.length);
      left.length += right.length;
      if (left.isLeaf) {
        const next = right.next;
        left.next = next;
        if (next !== null) next.previous = left;
      }
      closeRoom(parent, leftAt + 1, 1);
      storeEntry(parent, leftAt, counts);
      block = parent;
      continue;
    }
    // Too many for one block: share them evenly.
    const leftLength = (left.length + right.length) >> 1;
    if (left.length < leftLength) {
      const moved = leftLength - left.length;
      copyEntries(right, 0, left, left.length, moved);
      left.length = leftLength;
      closeRoom(right, 0, moved);
    } else {
      const moved = left.length - leftLength;
      openRoom(right, 0, moved);
      copyEntries(left, leftLength, right, 0, moved);
      closeRoom(left, leftLength, moved);
    }
    if (right.isLeaf) {
      right.numbers[2 * right.capacity] = left.numbers[left.capacity + left.length - 1] as number;
    }
    storeEntry(parent, leftAt, counts);
    storeEntry(parent, leftAt + 1, counts);
    propagate(parent, -1, -1, 0, 0, counts);
    return;
  }
}

/** Replaces a root branch of one entry by that entry, and a root leaf of one child by the child. */
function shrinkRoot(owner: VmarNode, oldRoot: ChildBlock): void {
  let root = oldRoot;
  while (!root.isLeaf && root.length === 1) {
    root = root.items[0] as ChildBlock;
    root.parent = null;
  }
  if (root.isLeaf && root.length === 1) {
    const only = root.items[0] as RegionNode;
    only.leaf = null;
    owner.children = only;
  } else {
    // It may have been a root before, with a largest gap remembered since.
    root.rootLargestGap = -1;
    owner.children = root;
  }
}

/** The last leaf of the tree at `root`. */
export function lastLeaf(root: ChildBlock): ChildBlock {
  let block = root;
  while (!block.isLeaf) block = block.items[block.length - 1] as ChildBlock;
  return block;
}
