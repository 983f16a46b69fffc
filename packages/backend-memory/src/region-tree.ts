import type { RegionNode } from './region-node.js';

/*
 * The children tree of a VMAR (§3.1): an AVL tree of `RegionNode`s keyed by `offset`, augmented
 * with each subtree's first page, end page and largest inner gap. Children never overlap, so
 * ordering by offset orders by end too. All functions take and return subtree roots; none
 * allocates.
 */

/** Recomputes `node`'s height and augmentation from its children (the kernel's observer). */
function refresh(node: RegionNode): void {
  const left = node.left;
  const right = node.right;
  const nodeEnd = node.offset + node.size;
  let height = 0;
  let maxGap = 0;
  let start = node.offset;
  let end = nodeEnd;
  if (left !== null) {
    height = left.height;
    start = left.subtreeStart;
    maxGap = left.maxGap;
    // §3.1 left_gap = node.first_byte - left.max_last_byte - 1, here in whole pages.
    const leftGap = node.offset - left.subtreeEnd;
    if (leftGap > maxGap) maxGap = leftGap;
  }
  if (right !== null) {
    if (right.height > height) height = right.height;
    end = right.subtreeEnd;
    if (right.maxGap > maxGap) maxGap = right.maxGap;
    const rightGap = right.subtreeStart - nodeEnd;
    if (rightGap > maxGap) maxGap = rightGap;
  }
  node.height = height + 1;
  node.subtreeStart = start;
  node.subtreeEnd = end;
  node.maxGap = maxGap;
}

function heightOf(node: RegionNode | null): number {
  return node === null ? 0 : node.height;
}

function rotateRight(node: RegionNode): RegionNode {
  const pivot = node.left as RegionNode;
  node.left = pivot.right;
  pivot.right = node;
  refresh(node);
  refresh(pivot);
  return pivot;
}

function rotateLeft(node: RegionNode): RegionNode {
  const pivot = node.right as RegionNode;
  node.right = pivot.left;
  pivot.left = node;
  refresh(node);
  refresh(pivot);
  return pivot;
}

/** Restores the AVL balance at `node` (children already balanced) and refreshes it. */
function rebalance(node: RegionNode): RegionNode {
  const balance = heightOf(node.left) - heightOf(node.right);
  if (balance > 1) {
    const left = node.left as RegionNode;
    if (heightOf(left.left) < heightOf(left.right)) node.left = rotateLeft(left);
    return rotateRight(node);
  }
  if (balance < -1) {
    const right = node.right as RegionNode;
    if (heightOf(right.right) < heightOf(right.left)) node.right = rotateRight(right);
    return rotateLeft(node);
  }
  refresh(node);
  return node;
}

/** Inserts `node` (a fresh leaf, not overlapping any child) into the tree at `root`. */
export function insertRegion(root: RegionNode | null, node: RegionNode): RegionNode {
  if (root === null) {
    node.left = null;
    node.right = null;
    refresh(node);
    return node;
  }
  if (node.offset < root.offset) {
    root.left = insertRegion(root.left, node);
  } else {
    root.right = insertRegion(root.right, node);
  }
  return rebalance(root);
}

/** The leftmost node removed by the last `removeLeftmost`, to return two values without allocating. */
let removedLeftmost: RegionNode | null = null;

function removeLeftmost(root: RegionNode): RegionNode | null {
  const left = root.left;
  if (left === null) {
    removedLeftmost = root;
    return root.right;
  }
  root.left = removeLeftmost(left);
  return rebalance(root);
}

/** Removes `node`, which must be in the tree at `root`; returns the new root. */
export function removeRegion(root: RegionNode | null, node: RegionNode): RegionNode | null {
  if (root === null) return null;
  if (root !== node) {
    if (node.offset < root.offset) {
      root.left = removeRegion(root.left, node);
    } else {
      root.right = removeRegion(root.right, node);
    }
    return rebalance(root);
  }
  const left = node.left;
  const right = node.right;
  node.left = null;
  node.right = null;
  if (left === null) return right;
  if (right === null) return left;
  const rest = removeLeftmost(right);
  const successor = removedLeftmost as RegionNode;
  removedLeftmost = null;
  successor.left = left;
  successor.right = rest;
  return rebalance(successor);
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
  if (root === null || root.subtreeStart >= end || root.subtreeEnd <= start) return;
  collectRange(root.left, start, end, out);
  if (root.offset < end && root.offset + root.size > start) out.push(root);
  collectRange(root.right, start, end, out);
}

/** The node of the tree at `root` containing page `page`, if any. */
export function findContaining(root: RegionNode | null, page: number): RegionNode | null {
  let node = root;
  while (node !== null) {
    if (page < node.offset) {
      node = node.left;
    } else if (page >= node.offset + node.size) {
      node = node.right;
    } else {
      return node;
    }
  }
  return null;
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

/** Visits the gaps inside the subtree at `node` in ascending order, skipping subtrees too tight. */
function scanSubtree(node: RegionNode): boolean {
  if (node.maxGap < searchSize) return false;
  const left = node.left;
  if (left !== null) {
    if (scanSubtree(left)) return true;
    if (considerGap(left.subtreeEnd, node.offset)) return true;
  }
  const right = node.right;
  if (right !== null) {
    if (considerGap(node.offset + node.size, right.subtreeStart)) return true;
    return scanSubtree(right);
  }
  return false;
}

/**
 * `RegionList::FindSpotAtIndex` (§3.2) over the children tree at `root` of a VMAR `ownerSize`
 * pages long whose base is absolute page `ownerBase`: the offset (in pages) of the `index`-th
 * candidate spot for `size` pages aligned to `align` pages (absolute), with every spot ending at or
 * before `upperLimit`; or -1, and then `lastCandidateCount()` is the number of candidates M.
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
  searchSize = size;
  searchAlign = align;
  searchBase = ownerBase;
  searchLimit = upperLimit;
  searchIndex = index;
  searchCount = 0;
  searchFound = -1;
  if (root === null) {
    considerGap(0, ownerSize);
  } else if (!considerGap(0, root.subtreeStart) && !scanSubtree(root)) {
    considerGap(root.subtreeEnd, ownerSize);
  }
  return searchFound;
}

/** The candidate count M of the last failed `findSpotAtIndex`. */
export function lastCandidateCount(): number {
  return searchCount;
}
