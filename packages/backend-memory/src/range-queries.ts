import { ChildBlock } from './child-block.js';
import type { RegionNode, VmarNode } from './region-node.js';
import { lastAtOrBefore, leafFor } from './tree-structure.js';

/*
 * Range queries over a VMAR's children list (region-tree.ts): which children meet a range, which
 * ends or starts next to a page, every child in order. Each descends once to the leaf of its
 * first page and then follows the leaf links; none changes the list or allocates.
 */

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
