import { CANDIDATE_COUNT_CAP, CandidateIndex } from './candidate-index.js';
import { ChildBlock } from './child-block.js';
import type { VmarNode } from './region-node.js';

/*
 * Candidate counts for random placement (§3.2, §3.3), so that the `index`-th candidate spot of a
 * non-COMPACT VMAR, and the count M of candidates, come from one root-to-leaf descent of its
 * children list (region-tree.ts) instead of a walk over every gap before the spot.
 *
 * The candidates of one gap `[start, end)` for a request of `size` pages aligned to `align` pages
 * are the aligned starts `a` with `a + size <= end` (§3.2: `a = roundup(g, align)`, then
 * `((len - size) >> align_pow2) + 1` spots). How many a subtree holds depends on size and alignment
 * in a way no fixed per-node summary captures for every request at once: gaps shorter than the
 * size count nothing, longer ones count their length less the size, so a count for one size says
 * nothing exact about another (buckets of gap sizes leave the gaps of the request's own bucket
 * undecided, and random placement leaves thousands of those in a tree of 100,000 children). So each
 * list counts candidates for the requests it is actually asked for: up to two (size, alignment)
 * pairs, slots 0 and 1. A process allocating in its root asks for few sizes (libc: the stacks, the
 * thread block), so two slots cover the workload; a request found in neither slot is answered by
 * the exact gap walk (`SpotSearch.scanForSpotAtIndex`, spot-search.ts), and takes over the least recently
 * used slot when it is asked for a second time in a row of such misses, so that a one-off request
 * (a 1 GiB compact VMAR among thousands of stacks) does not evict a size in steady use.
 *
 * What the B+tree keeps, per slot, is the count of each child block of a branch, in the branch's
 * count columns (child-block.ts): a descent reads one column of each block on its path and the
 * gaps of one leaf. Leaves keep no counts: a leaf's are summed from its gaps when it is read. An
 * insertion or removal changes the counts of two gaps (the region's own and the one after it), and
 * region-tree.ts adds that change to the entries on the way up (`addCandidates`, through
 * tree-structure.ts's `propagate`); a block whose
 * entries move (a split, a merge) has its entry recounted from its own columns (`storeCounts`), at
 * most 32 terms. The count of the whole list is the sum over its root block.
 *
 * Counts are exact for alignment 1 and for every other alignment alike: the owner's base never
 * moves, so each gap's aligned start is fixed (the slot keeps `base % align`, its phase). The upper
 * limit is not part of a slot: the candidates below it are a prefix of the candidates in address
 * order (a gap's aligned start only grows with its start, so once one gap starts at or past the
 * limit every later one does, §3.2's "stop"), and the gap that straddles the limit lies on the
 * descent toward it.
 */

/** The index whose slots insertions and removals under `owner` must keep exact, if any. */
export function activeIndex(owner: VmarNode | null): CandidateIndex | null {
  const index = owner === null ? null : owner.candidateIndex;
  return index !== null && (index.size0 !== 0 || index.size1 !== 0) ? index : null;
}

/** `roundup(start, align)` of the absolute address, as an offset: §3.2's `a`. */
export function alignUp(start: number, align: number, phase: number): number {
  if (align === 1) return start;
  const remainder = (phase + start) % align;
  return remainder === 0 ? start : start + (align - remainder);
}

/**
 * §3.2's spot count for the gap `[start, end)` (pages, in the owner): the aligned starts `a` with
 * `a + size <= end`. `phase` is the owner's base page modulo `align`, as alignment is of the
 * absolute address. A gap cut at an upper limit is passed with `end` = the limit.
 */
export function gapCandidates(
  start: number,
  end: number,
  size: number,
  align: number,
  phase: number,
): number {
  if (align === 1) {
    const length = end - start;
    return length >= size ? length - size + 1 : 0;
  }
  const length = end - alignUp(start, align, phase);
  return length >= size ? Math.floor((length - size) / align) + 1 : 0;
}

/** The count column of `slot` in a branch of capacity `capacity`. */
function countColumn(slot: number, capacity: number): number {
  return (2 + slot) * capacity;
}

/**
 * Candidates of a request in the gaps of `leaf` (each child's gap before it), saturated. A gap
 * shorter than the size counts nothing, and is skipped before any division.
 */
export function leafCandidates(
  leaf: ChildBlock,
  size: number,
  align: number,
  phase: number,
): number {
  const numbers = leaf.numbers;
  const capacity = leaf.capacity;
  let start = numbers[2 * capacity] as number;
  let total = 0;
  for (let at = 0; at < leaf.length; at++) {
    const end = numbers[at] as number;
    if (end - start >= size) total += gapCandidates(start, end, size, align, phase);
    start = numbers[capacity + at] as number;
  }
  return Math.min(total, CANDIDATE_COUNT_CAP);
}

/** Candidates of `slot` (with its request) in the whole block, saturated. */
function blockCandidates(
  block: ChildBlock,
  slot: number,
  size: number,
  align: number,
  phase: number,
): number {
  if (block.isLeaf) return leafCandidates(block, size, align, phase);
  const numbers = block.numbers;
  const column = countColumn(slot, block.capacity);
  let total = 0;
  for (let at = 0; at < block.length; at++) total += numbers[column + at] as number;
  return Math.min(total, CANDIDATE_COUNT_CAP);
}

/**
 * Stores, for every slot in use, the candidates of `child` (entry `at` of `parent`) in `parent`'s
 * count columns. The child's own entries must be current.
 */
export function storeCounts(
  parent: ChildBlock,
  at: number,
  child: ChildBlock,
  index: CandidateIndex,
): void {
  const capacity = parent.capacity;
  for (let slot = 0; slot < 2; slot++) {
    if ((slot === 0 ? index.size0 : index.size1) !== 0) {
      parent.numbers[countColumn(slot, capacity) + at] = slotBlockCandidates(child, index, slot);
    }
  }
}

/** Candidates of `slot`'s request (which must be in use) in the whole `block`, saturated. */
function slotBlockCandidates(block: ChildBlock, index: CandidateIndex, slot: number): number {
  return slot === 0
    ? blockCandidates(block, 0, index.size0, index.align0, index.phase0)
    : blockCandidates(block, 1, index.size1, index.align1, index.phase1);
}

/** Candidates of `slot`'s request (which must be in use) in the gap `[start, end)`. */
export function slotCandidates(
  index: CandidateIndex,
  slot: number,
  start: number,
  end: number,
): number {
  return slot === 0
    ? gapCandidates(start, end, index.size0, index.align0, index.phase0)
    : gapCandidates(start, end, index.size1, index.align1, index.phase1);
}

/**
 * Adds `delta`, the exact change of the candidates of `slot` in `child` (entry `at` of `parent`),
 * to that entry: a stored count below the cap is exact, so the sum is; a saturated one is recounted
 * from the child, whose own entries must be current.
 */
export function addCandidates(
  parent: ChildBlock,
  at: number,
  child: ChildBlock,
  index: CandidateIndex,
  slot: number,
  delta: number,
): void {
  const entry = countColumn(slot, parent.capacity) + at;
  const stored = parent.numbers[entry] as number;
  if (stored < CANDIDATE_COUNT_CAP) {
    const count = stored + delta;
    parent.numbers[entry] = Math.min(count, CANDIDATE_COUNT_CAP);
  } else {
    parent.numbers[entry] = slotBlockCandidates(child, index, slot);
  }
}

/** Recounts `slot` over every branch below and at `block`, children first; returns its count. */
function recount(
  block: ChildBlock,
  slot: number,
  size: number,
  align: number,
  phase: number,
): number {
  if (block.isLeaf) return leafCandidates(block, size, align, phase);
  const column = countColumn(slot, block.capacity);
  let total = 0;
  for (let at = 0; at < block.length; at++) {
    const count = recount(block.items[at] as ChildBlock, slot, size, align, phase);
    block.numbers[column + at] = count;
    total += count;
  }
  return Math.min(total, CANDIDATE_COUNT_CAP);
}

/**
 * The slot of `owner`'s children list that counts candidates for this request, or -1 when
 * neither does: then the caller walks the gaps. A request that misses twice in a row takes over
 * the least recently used slot, which costs one pass over the list.
 */
export function trackedSlot(owner: VmarNode, size: number, align: number, phase: number): number {
  let index = owner.candidateIndex;
  if (index === null) {
    index = new CandidateIndex();
    owner.candidateIndex = index;
  }
  if (index.size0 === size && index.align0 === align && index.phase0 === phase) {
    index.leastRecent = 1;
    return 0;
  }
  if (index.size1 === size && index.align1 === align && index.phase1 === phase) {
    index.leastRecent = 0;
    return 1;
  }
  if (index.pendingSize !== size || index.pendingAlign !== align || index.pendingPhase !== phase) {
    index.pendingSize = size;
    index.pendingAlign = align;
    index.pendingPhase = phase;
    return -1;
  }
  index.pendingSize = 0;
  const slot = index.leastRecent;
  if (slot === 0) {
    index.size0 = size;
    index.align0 = align;
    index.phase0 = phase;
  } else {
    index.size1 = size;
    index.align1 = align;
    index.phase1 = phase;
  }
  const children = owner.children;
  if (children instanceof ChildBlock) recount(children, slot, size, align, phase);
  index.leastRecent = 1 - slot;
  return slot;
}

/**
 * Candidates in the gaps of the list at `root` that end at or before `limit`, plus the part below
 * `limit` of the gap that straddles it (the last gap, after every child, excepted). Descends toward
 * `limit`: every child block before the one holding the last child at or before the limit counts
 * whole; in that leaf the gaps ending by the limit count one by one, and the next gap (in the leaf
 * or first in the next leaf) is the one that straddles it.
 */
function candidatesBelow(
  root: ChildBlock,
  slot: number,
  size: number,
  align: number,
  phase: number,
  limit: number,
): number {
  let count = 0;
  let block = root;
  while (!block.isLeaf) {
    const numbers = block.numbers;
    const column = countColumn(slot, block.capacity);
    let at = block.length - 1;
    while (at > 0 && (numbers[at] as number) > limit) at--;
    for (let before = 0; before < at; before++) count += numbers[column + before] as number;
    block = block.items[at] as ChildBlock;
  }
  const numbers = block.numbers;
  const capacity = block.capacity;
  let start = numbers[2 * capacity] as number;
  let at = 0;
  while (at < block.length && (numbers[at] as number) <= limit) {
    count += gapCandidates(start, numbers[at] as number, size, align, phase);
    start = numbers[capacity + at] as number;
    at++;
  }
  // The straddling gap starts at `start` (the end of the last child at or before the limit), and
  // ends at the next child, here or first in the next leaf.
  if (at === block.length && block.next === null) return count;
  if (start < limit) count += gapCandidates(start, limit, size, align, phase);
  return count;
}

/**
 * Where a spot found by `indexedSpotAtIndex` goes in the list: the leaf (null when the descent did
 * not reach one) and the entry a new child there becomes. `SpotSearch` (spot-search.ts) is one.
 */
export interface SpotPlace {
  leaf: ChildBlock | null;
  position: number;
}

/**
 * `RegionList::FindSpotAtIndex` (§3.2) through the counts of `slot`, which must count this request
 * (`size`, `align`, `phase`) over the list at `root`: the offset of the `index`-th candidate
 * (`0 <= index < CANDIDATE_COUNT_CAP`) among those ending at or before `upperLimit`, or, when there
 * are only M <= `index` of them, `-1 - M`. `lastStart` is where the last gap begins (the end of the
 * last child); the owner is `ownerSize` pages long. Same answer as the gap walk; O(depth).
 * Writes where the spot goes to `place` (its leaf null when there is no spot).
 */
export function indexedSpotAtIndex(
  root: ChildBlock,
  slot: number,
  lastStart: number,
  ownerSize: number,
  size: number,
  align: number,
  phase: number,
  upperLimit: number,
  index: number,
  place: SpotPlace,
): number {
  // M, from the counts. A saturated count makes M >= the cap > index, so M is only ever used
  // (returned) when no count in it was saturated, that is when it is exact.
  let count: number;
  if (upperLimit >= ownerSize) {
    count =
      blockCandidates(root, slot, size, align, phase) +
      gapCandidates(lastStart, ownerSize, size, align, phase);
  } else {
    count = candidatesBelow(root, slot, size, align, phase, upperLimit);
    if (lastStart < upperLimit) count += gapCandidates(lastStart, upperLimit, size, align, phase);
  }
  place.leaf = null;
  if (index >= count) return -1 - count;
  // The index-th candidate lies below the limit, so it is the index-th of the whole list: descend,
  // in address order, into the block whose count passes the remaining index.
  let remaining = index;
  let block = root;
  while (!block.isLeaf) {
    const numbers = block.numbers;
    const column = countColumn(slot, block.capacity);
    let at = 0;
    while (at < block.length) {
      const inBlock = numbers[column + at] as number;
      if (remaining < inBlock) break;
      remaining -= inBlock;
      at++;
    }
    if (at === block.length) return alignUp(lastStart, align, phase) + remaining * align;
    block = block.items[at] as ChildBlock;
  }
  const numbers = block.numbers;
  const capacity = block.capacity;
  let start = numbers[2 * capacity] as number;
  for (let at = 0; at < block.length; at++) {
    const end = numbers[at] as number;
    if (end - start >= size) {
      const own = gapCandidates(start, end, size, align, phase);
      if (remaining < own) {
        place.leaf = block;
        place.position = at;
        return alignUp(start, align, phase) + remaining * align;
      }
      remaining -= own;
    }
    start = numbers[capacity + at] as number;
  }
  // Past the last child of the list (only a root leaf gets here).
  place.leaf = block;
  place.position = block.length;
  return alignUp(lastStart, align, phase) + remaining * align;
}
