import type { RegionNode, VmarNode } from './region-node.js';

/*
 * Candidate counts for random placement (§3.2, §3.3), so that the `index`-th candidate spot of a
 * non-COMPACT VMAR, and the count M of candidates, come from one root-to-leaf descent of its
 * children tree instead of a walk over every gap before the spot.
 *
 * The candidates of one gap `[start, end)` for a request of `size` pages aligned to `align` pages
 * are the aligned starts `a` with `a + size <= end` (§3.2: `a = roundup(g, align)`, then
 * `((len - size) >> align_pow2) + 1` spots). How many a subtree holds depends on size and alignment
 * in a way no fixed per-node summary captures for every request at once: gaps shorter than the
 * size count nothing, longer ones count their length less the size, so a count for one size says
 * nothing exact about another (buckets of gap sizes leave the gaps of the request's own bucket
 * undecided, and random placement leaves thousands of those in a tree of 100,000 children). So each
 * tree counts candidates for the requests it is actually asked for: up to two (size, alignment)
 * pairs, slots 0 and 1. A process allocating in its root asks for few sizes (libc: the stacks, the
 * thread block), so two slots cover the workload; a request found in neither slot is answered by
 * the exact gap walk (`scanForSpotAtIndex` in region-tree.ts), and takes over the least recently
 * used slot when it is asked for a second time in a row of such misses, so that a one-off request
 * (a 1 GiB compact VMAR among thousands of stacks) does not evict a size in steady use.
 *
 * What a node keeps, per slot, is the count of its LEFT subtree (`leftCandidates0`/`1`), as an
 * order-statistics tree keeps left sizes: the descent then reads only the nodes on its path (in a
 * tree of 100,000 children, each node read is a likely cache miss, and reading the left child of
 * every node as well doubled the cost). An insertion or removal changes the counts of two gaps
 * (the new or removed region's, and its successor's), so it adds the difference to the nodes on its
 * path whose left subtree holds them, and fixes the O(1) expected rotations locally; no other node
 * is read. The count of a whole tree is the sum along its right spine.
 *
 * Counts are exact for alignment 1 and for every other alignment alike: the owner's base never
 * moves, so each gap's aligned start is fixed (the slot keeps `base % align`, its phase). The upper
 * limit is not part of a slot: the candidates below it are a prefix of the candidates in address
 * order (a gap's aligned start only grows with its start, so once one gap starts at or past the
 * limit every later one does, §3.2's "stop"), and the gap that straddles the limit lies on the
 * descent toward it.
 */

/**
 * Stored counts saturate here: 2^30 - 1 is a V8 small integer on every platform, so the count
 * fields stay in the node and never need a boxed number. A saturated count is a true lower bound,
 * which is all a descent for an index below the cap needs: `index < stored` holds for it, and a
 * count that is subtracted is below the cap, so exact. A saturated count that must shrink is
 * recounted from its subtree (`subtreeCandidates`). Indices at or above the cap (entropy above 30
 * bits, §3.4) use the gap walk.
 */
export const CANDIDATE_COUNT_CAP = 2 ** 30 - 1;

/**
 * The requests a VMAR's children tree counts candidates for (`VmarNode.candidateIndex`). A slot
 * is in use when its size is not 0; while it is, every node's `leftCandidates` of that slot is
 * `min(CANDIDATE_COUNT_CAP, candidates in the node's left subtree)`. Unread otherwise.
 */
export class CandidateIndex {
  /** Slot 0: size and alignment in pages, and the owner's base page modulo the alignment. */
  size0 = 0;
  align0 = 1;
  phase0 = 0;
  /** Slot 1, likewise. */
  size1 = 0;
  align1 = 1;
  phase1 = 0;
  /** The slot used least recently: the one a new request takes over. */
  leastRecent = 0;
  /** The last request found in neither slot (size 0: none); it takes a slot if asked again next. */
  pendingSize = 0;
  pendingAlign = 1;
  pendingPhase = 0;
}

/** The index whose slots insertions and removals under `owner` must keep exact, if any. */
export function activeIndex(owner: VmarNode | null): CandidateIndex | null {
  const index = owner === null ? null : owner.candidateIndex;
  return index !== null && (index.size0 !== 0 || index.size1 !== 0) ? index : null;
}

/** `roundup(start, align)` of the absolute address, as an offset: §3.2's `a`. */
function alignUp(start: number, align: number, phase: number): number {
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

/** Candidates of `slot` in `node`'s own gap (`gapBefore`). */
function ownCandidates(node: RegionNode, index: CandidateIndex, slot: number): number {
  const end = node.offset;
  const start = end - node.gapBefore;
  return slot === 0
    ? gapCandidates(start, end, index.size0, index.align0, index.phase0)
    : gapCandidates(start, end, index.size1, index.align1, index.phase1);
}

function leftCount(node: RegionNode, slot: number): number {
  return slot === 0 ? node.leftCandidates0 : node.leftCandidates1;
}

function setLeftCount(node: RegionNode, slot: number, count: number): void {
  if (slot === 0) {
    node.leftCandidates0 = count;
  } else {
    node.leftCandidates1 = count;
  }
}

function inUse(index: CandidateIndex, slot: number): boolean {
  return (slot === 0 ? index.size0 : index.size1) !== 0;
}

/**
 * Candidates of `slot` in the whole subtree at `node`, saturated: its left counts and own gaps
 * along its right spine.
 */
function subtreeCandidates(node: RegionNode | null, index: CandidateIndex, slot: number): number {
  let total = 0;
  for (let spine = node; spine !== null; spine = spine.right) {
    total += leftCount(spine, slot) + ownCandidates(spine, index, slot);
    if (total >= CANDIDATE_COUNT_CAP) return CANDIDATE_COUNT_CAP;
  }
  return total;
}

/** Adds `delta` (exact) to the candidates of `node`'s left subtree, which are already changed. */
function addToLeft(node: RegionNode, index: CandidateIndex, slot: number, delta: number): void {
  if (delta === 0) return;
  const stored = leftCount(node, slot);
  let count: number;
  if (stored < CANDIDATE_COUNT_CAP) {
    count = Math.min(stored + delta, CANDIDATE_COUNT_CAP);
  } else if (delta > 0) {
    return;
  } else {
    count = subtreeCandidates(node.left, index, slot);
  }
  setLeftCount(node, slot, count);
}

/** A new node has an empty left subtree. */
export function clearLeftCounts(node: RegionNode): void {
  node.leftCandidates0 = 0;
  node.leftCandidates1 = 0;
}

/**
 * After `node` was linked as a leaf below `path[length - 1]` (its ancestors, root first) and its
 * successor's gap shrank from `successorOldGap` pages: every ancestor holding the node, or the
 * successor, in its left subtree gains their change. Bottom-up, so that a saturated count that is
 * recounted sees its subtree final.
 */
export function countInsertion(
  index: CandidateIndex,
  path: readonly (RegionNode | undefined)[],
  length: number,
  node: RegionNode,
  successor: RegionNode | null,
  successorOldGap: number,
): void {
  for (let slot = 0; slot < 2; slot++) {
    if (!inUse(index, slot)) continue;
    const added = ownCandidates(node, index, slot);
    const successorChange =
      successor === null ? 0 : successorDelta(successor, successorOldGap, index, slot);
    for (let at = length - 1; at >= 0; at--) {
      const ancestor = path[at] as RegionNode;
      // The node and its successor lie in an ancestor's left subtree exactly when they come
      // before it (an ancestor's subtree holds every key between it and the node).
      let delta = node.offset < ancestor.offset ? added : 0;
      if (successor !== null && successor.offset < ancestor.offset) delta += successorChange;
      addToLeft(ancestor, index, slot, delta);
    }
  }
}

/** How much `successor`'s own count changed when its gap went from `oldGap` to what it is. */
function successorDelta(
  successor: RegionNode,
  oldGap: number,
  index: CandidateIndex,
  slot: number,
): number {
  const end = successor.offset;
  const before =
    slot === 0
      ? gapCandidates(end - oldGap, end, index.size0, index.align0, index.phase0)
      : gapCandidates(end - oldGap, end, index.size1, index.align1, index.phase1);
  return ownCandidates(successor, index, slot) - before;
}

/**
 * Before `node` is rotated out of the tree: its own gap stops counting (its `gapBefore` becomes
 * 0; the caller has given the pages to the successor, whose gap grew from `successorOldGap`).
 * `path[0, nodeIndex)` are the node's ancestors, root first; `path(nodeIndex, spineEnd]` the left
 * spine of its right subtree down to the successor's parent (empty when the successor is an
 * ancestor, or there is none).
 */
export function countRemoval(
  index: CandidateIndex,
  path: readonly (RegionNode | undefined)[],
  nodeIndex: number,
  spineEnd: number,
  node: RegionNode,
  successor: RegionNode | null,
  successorOldGap: number,
): void {
  const removed0 = inUse(index, 0) ? ownCandidates(node, index, 0) : 0;
  const removed1 = inUse(index, 1) ? ownCandidates(node, index, 1) : 0;
  node.gapBefore = 0;
  for (let slot = 0; slot < 2; slot++) {
    if (!inUse(index, slot)) continue;
    const removed = slot === 0 ? removed0 : removed1;
    const successorChange =
      successor === null ? 0 : successorDelta(successor, successorOldGap, index, slot);
    // The spine lies right of the node: only the successor, left of each spine node, counts.
    for (let at = spineEnd; at > nodeIndex; at--) {
      addToLeft(path[at] as RegionNode, index, slot, successorChange);
    }
    for (let at = nodeIndex - 1; at >= 0; at--) {
      const ancestor = path[at] as RegionNode;
      let delta = node.offset < ancestor.offset ? -removed : 0;
      if (successor !== null && successor.offset < ancestor.offset) delta += successorChange;
      addToLeft(ancestor, index, slot, delta);
    }
  }
}

/**
 * After a right rotation at `parent` lifted its left child `child` (`parent.left` is now the
 * child's former right subtree): the parent's left subtree lost the child and the child's left
 * subtree. The child's own left subtree is unchanged.
 */
export function countRotateRight(
  index: CandidateIndex,
  parent: RegionNode,
  child: RegionNode,
): void {
  for (let slot = 0; slot < 2; slot++) {
    if (!inUse(index, slot)) continue;
    const stored = leftCount(parent, slot);
    setLeftCount(
      parent,
      slot,
      stored < CANDIDATE_COUNT_CAP
        ? stored - leftCount(child, slot) - ownCandidates(child, index, slot)
        : subtreeCandidates(parent.left, index, slot),
    );
  }
}

/**
 * After a left rotation at `parent` lifted its right child `child` (`child.left` is now the
 * parent): the child's left subtree is the parent, its left subtree and the child's former left
 * subtree. The parent's left subtree is unchanged.
 */
export function countRotateLeft(
  index: CandidateIndex,
  parent: RegionNode,
  child: RegionNode,
): void {
  for (let slot = 0; slot < 2; slot++) {
    if (!inUse(index, slot)) continue;
    const count =
      leftCount(parent, slot) + ownCandidates(parent, index, slot) + leftCount(child, slot);
    setLeftCount(child, slot, Math.min(count, CANDIDATE_COUNT_CAP));
  }
}

/** Recounts `slot` over the whole subtree at `node` (children first); returns its count. */
function recount(node: RegionNode | null, index: CandidateIndex, slot: number): number {
  if (node === null) return 0;
  const left = recount(node.left, index, slot);
  setLeftCount(node, slot, left);
  const total = left + ownCandidates(node, index, slot) + recount(node.right, index, slot);
  return Math.min(total, CANDIDATE_COUNT_CAP);
}

/**
 * The slot of `owner`'s children tree (at `root`) that counts candidates for this request, or -1
 * when neither does: then the caller walks the gaps. A request that misses twice in a row takes
 * over the least recently used slot, which costs one pass over the tree.
 */
export function trackedSlot(
  owner: VmarNode,
  root: RegionNode,
  size: number,
  align: number,
  phase: number,
): number {
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
  recount(root, index, slot);
  index.leastRecent = 1 - slot;
  return slot;
}

/**
 * Candidates in the gaps of the tree at `root` that end at or before `limit`, plus the part below
 * `limit` of the gap that straddles it (the last gap, after every child, excepted). Descends toward
 * `limit`: every node whose gap ends by the limit brings its left subtree's count along; the first
 * node past the limit, where the straddling gap ends, is on the way.
 */
function candidatesBelow(
  root: RegionNode,
  slot: number,
  size: number,
  align: number,
  phase: number,
  limit: number,
): number {
  let count = 0;
  let node: RegionNode | null = root;
  while (node !== null) {
    const end = node.offset;
    const start = end - node.gapBefore;
    if (end <= limit) {
      count += leftCount(node, slot) + gapCandidates(start, end, size, align, phase);
      node = node.right;
    } else {
      if (start < limit) count += gapCandidates(start, limit, size, align, phase);
      node = node.left;
    }
  }
  return count;
}

/**
 * `RegionList::FindSpotAtIndex` (§3.2) through the counts of `slot`, which must count this request
 * (`size`, `align`, `phase`) over the tree at `root`: the offset of the `index`-th candidate
 * (`0 <= index < CANDIDATE_COUNT_CAP`) among those ending at or before `upperLimit`, or, when there
 * are only M <= `index` of them, `-1 - M`. `lastStart` is where the last gap begins (the end of the
 * last child); the owner is `ownerSize` pages long. Same answer as the gap walk; O(depth).
 */
export function indexedSpotAtIndex(
  root: RegionNode,
  slot: number,
  lastStart: number,
  ownerSize: number,
  size: number,
  align: number,
  phase: number,
  upperLimit: number,
  index: number,
): number {
  // M, from the counts. A saturated count makes M >= the cap > index, so M is only ever used
  // (returned) when no count in it was saturated, that is when it is exact.
  let count: number;
  if (upperLimit >= ownerSize) {
    count = 0;
    // The tree's count: left counts and own gaps down the right spine (the path to the last
    // child, which every placement here walks, so it stays in cache).
    for (let spine: RegionNode | null = root; spine !== null; spine = spine.right) {
      const end = spine.offset;
      count +=
        leftCount(spine, slot) + gapCandidates(end - spine.gapBefore, end, size, align, phase);
    }
    count += gapCandidates(lastStart, ownerSize, size, align, phase);
  } else {
    count = candidatesBelow(root, slot, size, align, phase, upperLimit);
    if (lastStart < upperLimit) count += gapCandidates(lastStart, upperLimit, size, align, phase);
  }
  if (index >= count) return -1 - count;
  // The index-th candidate lies below the limit, so it is the index-th of the whole tree: descend,
  // in address order, left subtree, own gap, right subtree.
  let remaining = index;
  let node: RegionNode | null = root;
  while (node !== null) {
    const inLeft = slot === 0 ? node.leftCandidates0 : node.leftCandidates1;
    if (remaining < inLeft) {
      node = node.left;
      continue;
    }
    remaining -= inLeft;
    const end = node.offset;
    const start = end - node.gapBefore;
    const own = gapCandidates(start, end, size, align, phase);
    if (remaining < own) return alignUp(start, align, phase) + remaining * align;
    remaining -= own;
    node = node.right;
  }
  return alignUp(lastStart, align, phase) + remaining * align;
}
