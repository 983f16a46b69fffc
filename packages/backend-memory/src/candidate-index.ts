import type { RegionNode } from './region-node.js';

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
 * pairs, in `RegionNode.candidates0` and `candidates1` of every node (that node's gap plus both
 * subtrees). A process allocating in its root asks for few sizes (libc: the stacks, the thread
 * block), so two slots cover the workload; a request found in neither slot is answered by the
 * exact gap walk (`scanForSpotAtIndex`), and takes over the least recently used slot when it is
 * asked for a second time in a row of such misses, so that a one-off request (a 1 GiB compact VMAR
 * among thousands of stacks) does not evict a size in steady use.
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
 * count that is subtracted is below the cap, so exact. Indices at or above the cap (entropy above
 * 30 bits, §3.4) use the gap walk.
 */
export const CANDIDATE_COUNT_CAP = 2 ** 30 - 1;

/**
 * The requests a VMAR's children tree counts candidates for (`RegionNode.candidateIndex`). A slot
 * is in use when its size is not 0; a node's `candidates0`/`candidates1` are exact (up to the cap)
 * for every node of the tree while its slot is in use, and unread otherwise.
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
export function activeIndex(owner: RegionNode | null): CandidateIndex | null {
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

/** `node.candidates0`/`candidates1` from its own gap and its subtrees', for the slots in use. */
export function refreshCandidates(node: RegionNode, index: CandidateIndex): void {
  const end = node.offset;
  const start = end - node.gapBefore;
  const left = node.left;
  const right = node.right;
  if (index.size0 !== 0) {
    let count = gapCandidates(start, end, index.size0, index.align0, index.phase0);
    if (left !== null) count += left.candidates0;
    if (right !== null) count += right.candidates0;
    node.candidates0 = Math.min(count, CANDIDATE_COUNT_CAP);
  }
  if (index.size1 !== 0) {
    let count = gapCandidates(start, end, index.size1, index.align1, index.phase1);
    if (left !== null) count += left.candidates1;
    if (right !== null) count += right.candidates1;
    node.candidates1 = Math.min(count, CANDIDATE_COUNT_CAP);
  }
}

/** Recounts `slot` over the whole subtree at `node` (children before parents); returns its count. */
function recount(
  node: RegionNode | null,
  slot: number,
  size: number,
  align: number,
  phase: number,
): number {
  if (node === null) return 0;
  const end = node.offset;
  let count =
    recount(node.left, slot, size, align, phase) +
    gapCandidates(end - node.gapBefore, end, size, align, phase) +
    recount(node.right, slot, size, align, phase);
  if (count > CANDIDATE_COUNT_CAP) count = CANDIDATE_COUNT_CAP;
  if (slot === 0) {
    node.candidates0 = count;
  } else {
    node.candidates1 = count;
  }
  return count;
}

/**
 * The slot of `owner`'s children tree (at `root`) that counts candidates for this request, or -1
 * when neither does: then the caller walks the gaps. A request that misses twice in a row takes
 * over the least recently used slot, which costs one pass over the tree.
 */
export function trackedSlot(
  owner: RegionNode,
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
  recount(root, slot, size, align, phase);
  index.leastRecent = 1 - slot;
  return slot;
}

/** The stored count of `slot` for the subtree at `node` (0 for none). */
function storedCount(node: RegionNode | null, slot: number): number {
  if (node === null) return 0;
  return slot === 0 ? node.candidates0 : node.candidates1;
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
      count += storedCount(node.left, slot) + gapCandidates(start, end, size, align, phase);
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
 * (`0 < index < CANDIDATE_COUNT_CAP`) among those ending at or before `upperLimit`, or, when there
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
    count = storedCount(root, slot) + gapCandidates(lastStart, ownerSize, size, align, phase);
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
    const left: RegionNode | null = node.left;
    if (left !== null) {
      const inLeft = slot === 0 ? left.candidates0 : left.candidates1;
      if (remaining < inLeft) {
        node = left;
        continue;
      }
      remaining -= inLeft;
    }
    const end = node.offset;
    const start = end - node.gapBefore;
    const own = gapCandidates(start, end, size, align, phase);
    if (remaining < own) return alignUp(start, align, phase) + remaining * align;
    remaining -= own;
    node = node.right;
  }
  return alignUp(lastStart, align, phase) + remaining * align;
}
