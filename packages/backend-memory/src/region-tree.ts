import {
  activeIndex,
  addCandidates,
  CANDIDATE_COUNT_CAP,
  type CandidateIndex,
  foundLeafPosition,
  indexedSpotAtIndex,
  slotCandidates,
  storeCounts,
  takeFoundLeaf,
  trackedSlot,
} from './candidate-index.js';
import {
  BRANCH_CAPACITY,
  BRANCH_COLUMNS,
  ChildBlock,
  doubleArray,
  FIRST_LEAF_CAPACITY,
  LEAF_CAPACITY,
  LEAF_COLUMNS,
  smallInteger,
} from './child-block.js';
import type { RegionNode, VmarNode } from './region-node.js';

/*
 * The children list of a VMAR (§3.1), as the kernel's newest `RegionList` keeps it: a B+tree.
 * Leaves (`ChildBlock`, child-block.ts) hold up to 32 children in address order, each child's
 * offset and end side by side in columns of one array of doubles (the gap before a child runs from
 * the end before it to its offset), with links to the neighbouring leaves; branches hold up to 32
 * blocks, with each block's first offset, largest gap and candidate counts (candidate-index.ts) in
 * columns. A search skips every block whose largest gap is too small, and "no room" is known from
 * the root's columns. Children never overlap, so ordering by offset orders by end too.
 *
 * Why a B+tree and not a binary tree (a treap until now): with 10,000 children a binary tree is
 * about 20 levels deep, and each level is a dependent load of a 2–3 cache line region object plus
 * an unpredictable branch. Here a search reads 3 or 4 blocks, scanning a few cache lines of each,
 * and a region object carries no tree fields (it only knows its leaf, `RegionNode.leaf`, so that
 * removing it needs no descent). An update changes one leaf (two when the changed gap is the first
 * of the next leaf) and walks up while the entries above change (`propagate`): the first offset
 * is copied, a largest gap that grew is taken and one that shrank recomputed from at most 32
 * entries, and a count gets the exact change of the leaf's (recounted only when saturated).
 * Splits, merges and moves between neighbours recompute the entries of the blocks they touch
 * (`storeEntry`). Placement inserts right after its search, and the search remembers the leaf it
 * ended in, so that the insertion does not descend again.
 *
 * Small VMARs: every thread block is a VMAR holding exactly one mapping, so a VMAR with one child
 * keeps the child itself in `children` (no block at all); the first leaf has room for 4 children
 * and doubles up to 32. A block split by an entry after all its own keeps three quarters (first
 * fit fills a VMAR upwards, and even splits would leave every leaf behind half empty). A leaf or
 * branch that falls below a quarter full merges with a neighbour or borrows from it; a root with
 * one entry gives way to that entry. Nothing here allocates but blocks (and the one
 * `CandidateIndex` of a VMAR); page counts leave as small integers (`smallInteger`).
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
function largestGap(block: ChildBlock): number {
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
function propagate(
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

// The change of a leaf's candidate counts being gathered for `propagate`, per slot.
let change0 = 0;
let change1 = 0;

/** Adds (`sign` 1) or takes away (-1) the candidates of the gap `[start, end)` to the change. */
function countGap(counts: CandidateIndex | null, start: number, end: number, sign: number): void {
  if (counts === null) return;
  if (counts.size0 !== 0) change0 += sign * slotCandidates(counts, 0, start, end);
  if (counts.size1 !== 0) change1 += sign * slotCandidates(counts, 1, start, end);
}

/** The leaf where a child at page `page` belongs: the last one whose first offset is at or before it. */
function leafFor(root: ChildBlock, page: number): ChildBlock {
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
function lastAtOrBefore(leaf: ChildBlock, page: number): number {
  const numbers = leaf.numbers;
  let at = leaf.length - 1;
  while (at >= 0 && (numbers[at] as number) > page) at--;
  return at;
}

/** Where the gap before entry `at` of `leaf` starts: the end of the child before it. */
function endBefore(leaf: ChildBlock, at: number): number {
  return leaf.numbers[at > 0 ? leaf.capacity + at - 1 : 2 * leaf.capacity] as number;
}

/**
 * Makes the item and its back pointers (a region's leaf; a block's parent and position) say it is
 * entry `at` of `block`.
 */
function setItem(block: ChildBlock, at: number, item: RegionNode | ChildBlock): void {
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
function openRoom(block: ChildBlock, at: number, by: number): void {
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
function closeRoom(block: ChildBlock, at: number, by: number): void {
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
function growLeaf(leaf: ChildBlock): void {
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
function splitBlock(
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

/*
 * Where the spot the last search of a list found goes: that list's owner, the spot, the leaf and
 * the entry a child there becomes. Placement inserts the new child right after its search, and
 * then needs no second descent. Any change to any list forgets it, so it is never stale; an
 * insertion elsewhere (another owner, another offset) ignores it.
 */
let hintOwner: VmarNode | null = null;
let hintOffset = -1;
let hintLeaf: ChildBlock | null = null;
let hintPosition = 0;

function rememberSpot(
  owner: VmarNode,
  offset: number,
  leaf: ChildBlock | null,
  position: number,
): void {
  hintOwner = leaf === null ? null : owner;
  hintOffset = offset;
  hintLeaf = leaf;
  hintPosition = position;
}

function forgetSpot(): void {
  hintOwner = null;
  hintLeaf = null;
}

/**
 * Inserts `region` (a fresh region overlapping no child) into `owner`'s children list, and gives
 * the gap before it and the one after it their new lengths.
 */
export function insertRegion(owner: VmarNode, region: RegionNode): void {
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
  if (hintOwner === owner && hintOffset === offset) {
    leaf = hintLeaf as ChildBlock;
    at = hintPosition;
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
  forgetSpot();
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
  change0 = 0;
  change1 = 0;
  countGap(counts, predecessorEnd, offset, 1);
  if (at + 1 < leaf.length) {
    const successor = numbers[at + 1] as number;
    countGap(counts, predecessorEnd, successor, -1);
    countGap(counts, end, successor, 1);
    propagate(leaf, -1, successor - predecessorEnd, change0, change1, counts);
    return;
  }
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
  change0 = 0;
  change1 = 0;
  countGap(counts, oldStart, successor, -1);
  countGap(counts, newStart, successor, 1);
  next.numbers[2 * next.capacity] = newStart;
  const grown = newStart < oldStart ? successor - newStart : -1;
  const shrunk = newStart > oldStart ? successor - oldStart : -1;
  propagate(next, grown, shrunk, change0, change1, counts);
}

/** Removes `region`, which must be one of `owner`'s children. */
export function removeRegion(owner: VmarNode, region: RegionNode): void {
  forgetSpot();
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
  change0 = 0;
  change1 = 0;
  countGap(counts, freedStart, offset, -1);
  if (at < leaf.length) {
    const successor = numbers[at] as number;
    countGap(counts, end, successor, -1);
    countGap(counts, freedStart, successor, 1);
    propagate(leaf, successor - freedStart, -1, change0, change1, counts);
  } else {
    propagate(leaf, -1, offset - freedStart, change0, change1, counts);
    // The gap after the region (before the next leaf, or the trailing gap) now starts where its
    // predecessor ends.
    moveFollowingGapStart(owner, leaf, end, freedStart, counts);
  }
  rebalance(owner, leaf, counts);
}

/**
 * After `changed` lost an entry (and the entries above it were brought up to date): merges it with
 * a neighbour, or moves entries over from one, while it is below a quarter full, up the tree; and
 * lets a root with one entry give way to it (a single child is kept by its owner directly).
 * Moving entries between siblings changes no total of their parent, only the siblings' entries
 * and maybe first offsets.
 */
function rebalance(owner: VmarNode, changed: ChildBlock, counts: CandidateIndex | null): void {
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

/** True when some child of `owner` shares a page with `[start, end)`. */
export function overlapsRange(owner: VmarNode, start: number, end: number): boolean {
  const children = owner.children;
  if (children === null) return false;
  if (!(children instanceof ChildBlock)) {
    return children.offset < end && children.offset + children.size > start;
  }
  // The last child starting before `end` has the largest end of those that do.
  const leaf = leafFor(children, end - 1);
  const at = lastAtOrBefore(leaf, end - 1);
  return at >= 0 && (leaf.numbers[leaf.capacity + at] as number) > start;
}

/**
 * Writes to `out[0]`, `out[1]`, ..., in ascending order, every child of `owner` meeting
 * `[start, end)`, and answers how many. Entries of `out` past those are left as they were, so a
 * caller can keep one array for every call (vmar-unmap.ts does) instead of making one each time.
 */
export function collectRange(
  owner: VmarNode,
  start: number,
  end: number,
  out: (RegionNode | undefined)[],
): number {
  const children = owner.children;
  if (children === null) return 0;
  if (!(children instanceof ChildBlock)) {
    if (children.offset < end && children.offset + children.size > start) {
      out[0] = children;
      return 1;
    }
    return 0;
  }
  let count = 0;
  let leaf: ChildBlock | null = leafFor(children, start);
  let at = lastAtOrBefore(leaf, start);
  // The child starting at or before `start` meets the range only when it ends after `start`.
  if (at < 0 || (leaf.numbers[leaf.capacity + at] as number) <= start) at++;
  while (leaf !== null) {
    const numbers = leaf.numbers;
    for (; at < leaf.length; at++) {
      if ((numbers[at] as number) >= end) return count;
      out[count++] = leaf.items[at] as RegionNode;
    }
    leaf = leaf.next;
    at = 0;
  }
  return count;
}

/** Calls `visit` on every child of `owner` in ascending order, until it answers false. */
export function forEachChild(owner: VmarNode, visit: (child: RegionNode) => boolean): void {
  const children = owner.children;
  if (children === null) return;
  if (!(children instanceof ChildBlock)) {
    visit(children);
    return;
  }
  let leaf: ChildBlock | null = leafFor(children, Number.NEGATIVE_INFINITY);
  while (leaf !== null) {
    for (let at = 0; at < leaf.length; at++) {
      if (!visit(leaf.items[at] as RegionNode)) return;
    }
    leaf = leaf.next;
  }
}

/** The last child of `owner` that ends at or before page `page`. */
export function findEndingAtOrBefore(owner: VmarNode, page: number): RegionNode | null {
  const children = owner.children;
  if (children === null) return null;
  if (!(children instanceof ChildBlock)) {
    return children.offset + children.size <= page ? children : null;
  }
  const leaf = leafFor(children, page - 1);
  const at = lastAtOrBefore(leaf, page - 1);
  if (at < 0) return null;
  if ((leaf.numbers[leaf.capacity + at] as number) <= page) return leaf.items[at] as RegionNode;
  // It starts before `page` but ends after it: the child before it is the one.
  if (at > 0) return leaf.items[at - 1] as RegionNode;
  const previous = leaf.previous;
  return previous === null ? null : (previous.items[previous.length - 1] as RegionNode);
}

/** The first child of `owner` that starts at or after page `page`. */
export function findStartingAtOrAfter(owner: VmarNode, page: number): RegionNode | null {
  const children = owner.children;
  if (children === null) return null;
  if (!(children instanceof ChildBlock)) return children.offset >= page ? children : null;
  const leaf = leafFor(children, page);
  const at = lastAtOrBefore(leaf, page - 1) + 1;
  if (at < leaf.length) return leaf.items[at] as RegionNode;
  const next = leaf.next;
  return next === null ? null : (next.items[0] as RegionNode);
}

/**
 * Records `end` as `owner.lastEnd`. In the root VMAR it can pass 2^31 pages (a 128 TiB region is
 * 2^35 pages); the field is tagged (see `VmarNode`), so such a value is boxed in the root alone.
 */
function keepLastEnd(owner: VmarNode, end: number): void {
  owner.lastEnd = smallInteger(end);
}

/** The page after `owner`'s last child (0 when it has none), as the owner keeps it: O(1). */
export function lastEndOf(owner: VmarNode): number {
  return owner.lastEnd;
}

/** The last leaf of the tree at `root`. */
export function lastLeaf(root: ChildBlock): ChildBlock {
  let block = root;
  while (!block.isLeaf) block = block.items[block.length - 1] as ChildBlock;
  return block;
}

// State of the candidate search, kept in module variables so that a search allocates nothing.
let searchSize = 0;
let searchAlign = 1;
let searchBase = 0;
let searchLimit = 0;
let searchIndex = 0;
let searchCount = 0;
let searchFound = -1;
/** The leaf and entry where the gap that ended the scan lies (the leaf null: not in a leaf). */
let searchLeaf: ChildBlock | null = null;
let searchPosition = 0;

/**
 * One gap of §3.2's loop, in pages: counts its candidate spots, or finds the wanted one. Returns
 * true when the search is over (spot found, or the gap starts at or past the upper limit).
 */
function considerGap(start: number, end: number): boolean {
  // A gap shorter than the size holds no spot; skipping its upper-limit test changes nothing,
  // because a later gap (or the end of the scan) ends the search with the same count.
  if (end - start < searchSize) return false;
  // Alignment is of the absolute address: a = roundup(g, align).
  const remainder = (searchBase + start) % searchAlign;
  const aligned = remainder === 0 ? start : start + (searchAlign - remainder);
  if (aligned >= searchLimit) return true;
  let length = end - aligned;
  if (aligned + length > searchLimit) length = searchLimit - aligned;
  if (length < searchSize) return false;
  const spots = Math.floor((length - searchSize) / searchAlign) + 1;
  if (searchIndex < spots) {
    searchFound = aligned + searchIndex * searchAlign;
    return true;
  }
  searchIndex -= spots;
  searchCount += spots;
  return false;
}

/** Visits the gaps in `block` in ascending order, skipping blocks whose gaps are all too small. */
function scanBlock(block: ChildBlock): boolean {
  if (block.isLeaf) return scanLeaf(block);
  const numbers = block.numbers;
  const maxGaps = block.capacity;
  for (let at = 0; at < block.length; at++) {
    if (
      (numbers[maxGaps + at] as number) >= searchSize &&
      scanBlock(block.items[at] as ChildBlock)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Visits the gaps in `leaf` in ascending order. A root leaf that gets through all of them without
 * ending the search remembers the largest as the root's: a search of a root leaf whose largest gap
 * is not known scans it once, instead of taking the largest gap first and scanning again for the
 * spot (a probe with room is mostly that, and the insertion after it forgets the largest gap).
 */
function scanLeaf(leaf: ChildBlock): boolean {
  const numbers = leaf.numbers;
  const capacity = leaf.capacity;
  let previousEnd = numbers[2 * capacity] as number;
  let largest = 0;
  for (let at = 0; at < leaf.length; at++) {
    const offset = numbers[at] as number;
    const gap = offset - previousEnd;
    if (gap > largest) largest = gap;
    if (gap >= searchSize && considerGap(previousEnd, offset)) {
      searchLeaf = leaf;
      searchPosition = at;
      return true;
    }
    previousEnd = numbers[capacity + at] as number;
  }
  if (leaf.parent === null) leaf.rootLargestGap = largest;
  return false;
}

/**
 * `RegionList::FindSpotAtIndex` (§3.2) over the children of `owner`, a VMAR `ownerSize` pages
 * long whose base is absolute page `ownerBase`: the offset (in pages) of the `index`-th candidate
 * spot for `size` pages aligned to `align` pages (absolute), with every spot ending at or before
 * `upperLimit`; or -1, and then `lastCandidateCount()` is the number of candidates M.
 *
 * Candidates are numbered in ascending address order, gap by gap, exactly as §3.2's linear scan
 * numbers them (§13: the kernel's own tree walk may differ for a random index; this backend keeps
 * the linear scan's answer). First fit (index 0) walks the gaps (`scanForSpotAtIndex`), which costs
 * O(log n) as only blocks holding a large enough gap are entered. A random index is found through
 * the list's candidate counts (candidate-index.ts) in one descent, O(log n), with M from the same
 * counts; a request the list does not count yet (or an index of 2^30 - 1 and above, or a VMAR
 * with a single child) walks the gaps, with the same answer.
 */
export function findSpotAtIndex(
  owner: VmarNode,
  ownerSize: number,
  ownerBase: number,
  size: number,
  align: number,
  upperLimit: number,
  index: number,
): number {
  const children = owner.children;
  if (index !== 0 && index < CANDIDATE_COUNT_CAP && children !== null) {
    const phase = align === 1 ? 0 : ownerBase % align;
    const slot = trackedSlot(owner, size, align, phase);
    if (slot >= 0 && children instanceof ChildBlock) {
      const spot = indexedSpotAtIndex(
        children,
        slot,
        lastEndOf(owner),
        ownerSize,
        size,
        align,
        phase,
        upperLimit,
        index,
      );
      searchCount = spot < 0 ? -1 - spot : 0;
      if (spot < 0) return -1;
      const leaf = takeFoundLeaf();
      rememberSpot(owner, spot, leaf, foundLeafPosition());
      return smallInteger(spot);
    }
  }
  return scanForSpotAtIndex(owner, ownerSize, ownerBase, size, align, upperLimit, index);
}

/**
 * §3.2 as the kernel states it: visits the gaps between `owner`'s children in ascending order
 * (skipping blocks whose largest gap is below `size`, which hold no candidate) and counts
 * candidates until the `index`-th. Same inputs and answer as `findSpotAtIndex`; O(log n) for
 * index 0, O(gaps before the spot) otherwise. The reference that the candidate counts are tested
 * against.
 */
export function scanForSpotAtIndex(
  owner: VmarNode,
  ownerSize: number,
  ownerBase: number,
  size: number,
  align: number,
  upperLimit: number,
  index: number,
): number {
  searchSize = size;
  searchAlign = align;
  searchBase = ownerBase;
  searchLimit = upperLimit;
  searchIndex = index;
  searchCount = 0;
  searchFound = -1;
  searchLeaf = null;
  const children = owner.children;
  let over = false;
  if (children instanceof ChildBlock) {
    let largest = children.rootLargestGap;
    // A root branch's largest gap is one pass over a column; a root leaf's, `scanLeaf` keeps.
    if (largest < 0 && !children.isLeaf) {
      largest = largestGap(children);
      children.rootLargestGap = largest;
    }
    if (largest < 0 || largest >= size) over = scanBlock(children);
  } else if (children !== null) {
    over = considerGap(0, children.offset);
  }
  if (!over) {
    considerGap(lastEndOf(owner), ownerSize);
    // The last gap: a new child there goes after the last one.
    if (children instanceof ChildBlock) {
      searchLeaf = lastLeaf(children);
      searchPosition = searchLeaf.length;
    }
  }
  const found = searchFound;
  if (found >= 0) rememberSpot(owner, found, searchLeaf, searchPosition);
  searchLeaf = null;
  return found < 0 ? found : smallInteger(found);
}

/** The candidate count M of the last failed `findSpotAtIndex` or `scanForSpotAtIndex`. */
export function lastCandidateCount(): number {
  return searchCount;
}
