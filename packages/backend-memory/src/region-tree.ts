import {
  activeIndex,
  CANDIDATE_COUNT_CAP,
  clearLeftCounts,
  countInsertion,
  countRemoval,
  countRotateLeft,
  countRotateRight,
  indexedSpotAtIndex,
  trackedSlot,
} from './candidate-index.js';
import type { RegionNode, VmarNode } from './region-node.js';

/*
 * The children tree of a VMAR (§3.1): a treap (a binary search tree keyed by `offset`, heap-ordered
 * by a random `priority`, so balanced in expectation) of `RegionNode`s. Each node knows the free
 * gap right before it (`gapBefore`) and the largest such gap in its subtree (`maxGap`), so a search
 * skips every subtree whose gaps are all too small, and "no room" is known from the root. Children
 * never overlap, so ordering by offset orders by end too.
 *
 * A tree that has been asked for random placement also counts, per node, the candidate spots of up
 * to two requests in its left subtree (`leftCandidates0`/`1`; see candidate-index.ts), so that the
 * `index`-th candidate of §3.2 is found in one descent. An update adds its change to those counts
 * on its own path and at its rotations; a tree without them (every COMPACT VMAR) pays one null
 * check.
 *
 * Why a treap and not the kernel's WAVL tree: the tree's shape is invisible (placement depends only
 * on the ascending order of gaps), and a treap needs an expected O(1) rotations per update and no
 * heights, so an update walks down once (reads only) and walks back up only while a `maxGap`
 * changes. An AVL tree rewrote O(log n) heights on every insert/remove pair at the end of a
 * packed VMAR. Nothing here allocates, except the one `CandidateIndex` of a VMAR.
 */

/**
 * The path from the root down to the node being inserted or removed. Shared scratch space, so
 * each walk clears what it wrote (`releasePath`): a stale entry would keep the tree of a dropped
 * backend reachable.
 */
const path: (RegionNode | undefined)[] = [];

/** Forgets `path[0, used)`. */
function releasePath(used: number): void {
  for (let index = 0; index < used; index++) path[index] = undefined;
}

/** A xorshift32 stream for priorities; its values never influence anything observable. */
let priorityState = 0x2545f491;

function nextPriority(): number {
  let value = priorityState;
  value ^= value << 13;
  value ^= value >>> 17;
  value ^= value << 5;
  priorityState = value;
  // 30 bits keep the value a V8 small integer on every platform.
  return value & 0x3fffffff;
}

/** Recomputes `node.maxGap` from its own gap and its children's. */
function refresh(node: RegionNode): void {
  let maxGap = node.gapBefore;
  const left = node.left;
  if (left !== null && left.maxGap > maxGap) maxGap = left.maxGap;
  const right = node.right;
  if (right !== null && right.maxGap > maxGap) maxGap = right.maxGap;
  node.maxGap = maxGap;
}

/**
 * Refreshes `path[index]` for index = `from` down to 0. Every index at or above `mustReach` is
 * refreshed; below it, the walk stops at the first node whose `maxGap` comes out unchanged, as
 * nothing above it can change then.
 */
function refreshUp(from: number, mustReach: number): void {
  for (let index = from; index >= 0; index--) {
    const node = path[index] as RegionNode;
    const old = node.maxGap;
    refresh(node);
    if (index <= mustReach && node.maxGap === old) return;
  }
}

/** Makes `child` the child of `path[index - 1]` that `previous` was; returns the new tree root. */
function relink(
  root: RegionNode | null,
  index: number,
  previous: RegionNode,
  child: RegionNode | null,
): RegionNode | null {
  if (index === 0) return child;
  const parent = path[index - 1] as RegionNode;
  if (parent.left === previous) {
    parent.left = child;
  } else {
    parent.right = child;
  }
  return root;
}

/**
 * Inserts `node` (a fresh region overlapping no child) into the tree at `root`; returns the new
 * root. Sets `node.gapBefore` and shrinks its successor's.
 */
export function insertRegion(root: RegionNode | null, node: RegionNode): RegionNode {
  node.left = null;
  node.right = null;
  node.priority = nextPriority();
  const counts = activeIndex(node.owner);
  let predecessorEnd = 0;
  let successor: RegionNode | null = null;
  let successorIndex = -1;
  let length = 0;
  let current = root;
  while (current !== null) {
    path[length++] = current;
    if (node.offset < current.offset) {
      successor = current;
      successorIndex = length - 1;
      current = current.left;
    } else {
      predecessorEnd = current.offset + current.size;
      current = current.right;
    }
  }
  node.gapBefore = node.offset - predecessorEnd;
  node.maxGap = node.gapBefore;
  if (counts !== null) clearLeftCounts(node);
  if (root === null) {
    keepLastEnd(node.owner as VmarNode, node.offset + node.size);
    return node;
  }
  const used = length;
  const leafParent = path[length - 1] as RegionNode;
  if (node.offset < leafParent.offset) {
    leafParent.left = node;
  } else {
    leafParent.right = node;
  }
  let successorOldGap = 0;
  if (successor !== null) {
    successorOldGap = successor.gapBefore;
    successor.gapBefore = successor.offset - (node.offset + node.size);
  } else {
    keepLastEnd(node.owner as VmarNode, node.offset + node.size);
  }
  if (counts !== null) countInsertion(counts, path, length, node, successor, successorOldGap);
  // Rotate the new node up while its priority beats its parent's.
  let top: RegionNode = root;
  let index = length - 1;
  while (index >= 0) {
    const parent = path[index] as RegionNode;
    if (parent.priority >= node.priority) break;
    if (parent.left === node) {
      parent.left = node.right;
      node.right = parent;
      if (counts !== null) countRotateRight(counts, parent, node);
    } else {
      parent.right = node.left;
      node.left = parent;
      if (counts !== null) countRotateLeft(counts, parent, node);
    }
    refresh(parent);
    top = relink(top, index, parent, node) as RegionNode;
    index--;
  }
  refresh(node);
  // path[index] is now the node's parent; the successor, if still above, must be refreshed too.
  const mustReach = successor !== null && successorIndex <= index ? successorIndex : index;
  refreshUp(index, mustReach);
  releasePath(used);
  return top;
}

/** Removes `node`, which must be in the tree at `root`; returns the new root. */
export function removeRegion(root: RegionNode, node: RegionNode): RegionNode | null {
  const counts = activeIndex(node.owner);
  let length = 0;
  let successorIndex = -1;
  let current = root;
  while (current !== node) {
    path[length++] = current;
    if (node.offset < current.offset) {
      successorIndex = length - 1;
      current = current.left as RegionNode;
    } else {
      current = current.right as RegionNode;
    }
  }
  const nodeIndex = length;
  let used = length;
  // The freed pages and the gap before them join the gap before the successor: the leftmost node
  // of the right subtree, or else the last ancestor left of which the node lies.
  const freed = node.gapBefore + node.size;
  let mustReach = nodeIndex - 1;
  let successor: RegionNode | null = null;
  let spineEnd = nodeIndex;
  const right = node.right;
  if (right !== null) {
    let next = right;
    while (next.left !== null) {
      path[++spineEnd] = next;
      next = next.left;
    }
    successor = next;
    next.gapBefore += freed;
    refresh(next);
    for (let index = spineEnd; index > nodeIndex; index--) refresh(path[index] as RegionNode);
    if (spineEnd + 1 > used) used = spineEnd + 1;
  } else if (successorIndex >= 0) {
    successor = path[successorIndex] as RegionNode;
    successor.gapBefore += freed;
    mustReach = successorIndex;
  } else {
    // The last child goes: the trailing gap now starts where its predecessor ends.
    keepLastEnd(node.owner as VmarNode, node.offset - node.gapBefore);
  }
  if (counts !== null) {
    countRemoval(
      counts,
      path,
      nodeIndex,
      spineEnd,
      node,
      successor,
      successor === null ? 0 : successor.gapBefore - freed,
    );
  }
  // Rotate the node down, lifting its higher-priority child, until it has at most one child.
  let top: RegionNode | null = root;
  let index = nodeIndex;
  for (;;) {
    const left = node.left;
    const rightChild = node.right;
    if (left === null || rightChild === null) {
      top = relink(top, index, node, left === null ? rightChild : left);
      break;
    }
    let lifted: RegionNode;
    if (left.priority > rightChild.priority) {
      lifted = left;
      node.left = left.right;
      left.right = node;
      if (counts !== null) countRotateRight(counts, node, left);
    } else {
      lifted = rightChild;
      node.right = rightChild.left;
      rightChild.left = node;
      if (counts !== null) countRotateLeft(counts, node, rightChild);
    }
    top = relink(top, index, node, lifted);
    path[index] = lifted;
    index++;
    if (index > used) used = index;
  }
  node.left = null;
  node.right = null;
  // mustReach <= nodeIndex - 1 <= index - 1: every lifted node and the old parent get refreshed.
  refreshUp(index - 1, mustReach);
  releasePath(used);
  return top;
}

/** True when some node of the tree at `root` shares a page with `[start, end)`. */
export function overlapsRange(root: RegionNode | null, start: number, end: number): boolean {
  let node = root;
  while (node !== null) {
    if (node.offset >= end) {
      node = node.left;
    } else if (node.offset + node.size <= start) {
      node = node.right;
    } else {
      return true;
    }
  }
  return false;
}

/** Appends to `out`, in ascending order, every node of the tree at `root` meeting `[start, end)`. */
export function collectRange(
  root: RegionNode | null,
  start: number,
  end: number,
  out: RegionNode[],
): void {
  if (root === null) return;
  const rootEnd = root.offset + root.size;
  // Nodes on the left end at or before `root.offset`, nodes on the right start at or after its end.
  if (root.offset > start) collectRange(root.left, start, end, out);
  if (root.offset < end && rootEnd > start) out.push(root);
  if (rootEnd < end) collectRange(root.right, start, end, out);
}

/** The last node of the tree at `root` that ends at or before page `page`. */
export function findEndingAtOrBefore(root: RegionNode | null, page: number): RegionNode | null {
  let node = root;
  let best: RegionNode | null = null;
  while (node !== null) {
    if (node.offset + node.size <= page) {
      best = node;
      node = node.right;
    } else {
      node = node.left;
    }
  }
  return best;
}

/** The first node of the tree at `root` that starts at or after page `page`. */
export function findStartingAtOrAfter(root: RegionNode | null, page: number): RegionNode | null {
  let node = root;
  let best: RegionNode | null = null;
  while (node !== null) {
    if (node.offset >= page) {
      best = node;
      node = node.left;
    } else {
      node = node.right;
    }
  }
  return best;
}

/**
 * Records `end` as `owner.lastEnd`, except in the root VMAR: its page offsets can pass 2^31 (a
 * 128 TiB region is 2^35 pages), and one such value stored in a field makes V8 box that field in
 * every `VmarNode` from then on (48 bytes more per node, measured). The root's children are few
 * in a compact layout, and `lastEndOf` walks to its last child instead.
 */
function keepLastEnd(owner: VmarNode, end: number): void {
  if (owner.owner !== null) owner.lastEnd = end;
}

/**
 * The page after the last node of the tree at `root` (0 when empty): as its owner keeps it
 * (`lastEnd`, O(1)), or in the root VMAR by walking to it.
 */
export function lastEndOf(root: RegionNode | null): number {
  if (root === null) return 0;
  const owner = root.owner as VmarNode;
  return owner.owner === null ? endOfLast(root) : owner.lastEnd;
}

/** The page after the last node of the tree at `root` (0 when empty), by walking to it. */
export function endOfLast(root: RegionNode | null): number {
  if (root === null) return 0;
  let node = root;
  while (node.right !== null) node = node.right;
  return node.offset + node.size;
}

// State of the candidate search, kept in module variables so that a search allocates nothing.
let searchSize = 0;
let searchAlign = 1;
let searchBase = 0;
let searchLimit = 0;
let searchIndex = 0;
let searchCount = 0;
let searchFound = -1;

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

/** Visits the gaps in the subtree at `node` in ascending order, skipping subtrees too tight. */
function scanSubtree(node: RegionNode | null): boolean {
  if (node === null || node.maxGap < searchSize) return false;
  if (scanSubtree(node.left)) return true;
  if (considerGap(node.offset - node.gapBefore, node.offset)) return true;
  return scanSubtree(node.right);
}

/**
 * `RegionList::FindSpotAtIndex` (§3.2) over the children tree at `root` of a VMAR `ownerSize`
 * pages long whose base is absolute page `ownerBase`: the offset (in pages) of the `index`-th
 * candidate spot for `size` pages aligned to `align` pages (absolute), with every spot ending at or
 * before `upperLimit`; or -1, and then `lastCandidateCount()` is the number of candidates M.
 *
 * Candidates are numbered in ascending address order, gap by gap, exactly as §3.2's linear scan
 * numbers them (§13: the kernel's own tree walk may differ for a random index; this backend keeps
 * the linear scan's answer). First fit (index 0) walks the gaps (`scanForSpotAtIndex`), which costs
 * O(log n) as only subtrees holding a large enough gap are entered. A random index is found through
 * the tree's candidate counts (candidate-index.ts) in one descent, O(log n) expected, with M from
 * the same counts; a request the tree does not count yet (or an index of 2^30 - 1 and above) walks
 * the gaps, with the same answer.
 */
export function findSpotAtIndex(
  root: RegionNode | null,
  ownerSize: number,
  ownerBase: number,
  size: number,
  align: number,
  upperLimit: number,
  index: number,
): number {
  if (index !== 0 && index < CANDIDATE_COUNT_CAP && root !== null && root.owner !== null) {
    const phase = align === 1 ? 0 : ownerBase % align;
    const slot = trackedSlot(root.owner, root, size, align, phase);
    if (slot >= 0) {
      const spot = indexedSpotAtIndex(
        root,
        slot,
        lastEndOf(root),
        ownerSize,
        size,
        align,
        phase,
        upperLimit,
        index,
      );
      searchCount = spot < 0 ? -1 - spot : 0;
      return spot < 0 ? -1 : spot;
    }
  }
  return scanForSpotAtIndex(root, ownerSize, ownerBase, size, align, upperLimit, index);
}

/**
 * §3.2 as the kernel states it: visits the gaps of the tree at `root` in ascending order (skipping
 * subtrees whose `maxGap` is below `size`, which hold no candidate) and counts candidates until the
 * `index`-th. Same inputs and answer as `findSpotAtIndex`; O(log n) for index 0, O(gaps before the
 * spot) otherwise. The reference that the candidate counts are tested against.
 */
export function scanForSpotAtIndex(
  root: RegionNode | null,
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
  if (!scanSubtree(root)) considerGap(lastEndOf(root), ownerSize);
  return searchFound;
}

/** The candidate count M of the last failed `findSpotAtIndex` or `scanForSpotAtIndex`. */
export function lastCandidateCount(): number {
  return searchCount;
}
