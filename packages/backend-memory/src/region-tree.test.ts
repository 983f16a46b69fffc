import { describe, expect, it } from 'vitest';
import { linearScan } from './linear-scan.js';
import { RandomSource } from './random-source.js';
import { type RegionNode, VmarNode } from './region-node.js';
import {
  collectRange,
  endOfLast,
  findSpotAtIndex,
  insertRegion,
  lastCandidateCount,
  lastEndOf,
  overlapsRange,
  removeRegion,
} from './region-tree.js';

const OWNER_SIZE = 4096;

/**
 * Checks order, heap order, `gapBefore` and `maxGap` everywhere, and the owner's `lastEnd`;
 * returns the nodes in order.
 */
function checkInvariants(root: RegionNode | null, owner?: VmarNode): RegionNode[] {
  const nodes: RegionNode[] = [];
  function walk(node: RegionNode | null): number {
    if (node === null) return -1;
    if (node.left !== null) expect(node.left.priority).toBeLessThanOrEqual(node.priority);
    if (node.right !== null) expect(node.right.priority).toBeLessThanOrEqual(node.priority);
    const leftMax = walk(node.left);
    nodes.push(node);
    const rightMax = walk(node.right);
    const expected = Math.max(node.gapBefore, leftMax, rightMax);
    expect(node.maxGap).toBe(expected);
    return expected;
  }
  walk(root);
  let previousEnd = 0;
  for (const node of nodes) {
    expect(node.offset).toBeGreaterThanOrEqual(previousEnd);
    expect(node.gapBefore).toBe(node.offset - previousEnd);
    previousEnd = node.offset + node.size;
  }
  if (owner !== undefined) {
    expect(owner.lastEnd).toBe(previousEnd);
    expect(lastEndOf(root)).toBe(previousEnd);
    expect(root === null ? 0 : endOfLast(root)).toBe(previousEnd);
  }
  return nodes;
}

describe('region tree', () => {
  it('keeps its invariants and agrees with a sorted-array reference under random updates', () => {
    const random = new RandomSource(42);
    // A VMAR inside the root, so that it keeps `lastEnd` (the root walks instead).
    const owner = new VmarNode(new VmarNode(null, 0, 0, 0, 1), 0, 0, 0, 1);
    let root: RegionNode | null = null;
    let live: RegionNode[] = [];
    for (let step = 0; step < 4000; step++) {
      if (live.length > 0 && random.uniform(3) === 0) {
        const victim = live[random.uniform(live.length)] as RegionNode;
        root = removeRegion(root as RegionNode, victim);
        live = live.filter((node) => node !== victim);
      } else {
        const size = 1 + random.uniform(24);
        const align = 2 ** random.uniform(3);
        const base = random.uniform(8);
        const upperLimit = random.uniform(4) === 0 ? random.uniform(OWNER_SIZE) : OWNER_SIZE;
        const sorted = [...live].sort((a, b) => a.offset - b.offset);
        const request = { size, align, base, upperLimit };
        const first = linearScan(sorted, OWNER_SIZE, request, 0);
        const index = random.uniform(first.spot < 0 ? 1 : 300);
        const expected = linearScan(sorted, OWNER_SIZE, request, index);
        const spot = findSpotAtIndex(root, OWNER_SIZE, base, size, align, upperLimit, index);
        expect(spot).toBe(expected.spot);
        if (spot < 0) {
          expect(lastCandidateCount()).toBe(expected.count);
          continue;
        }
        expect(overlapsRange(root, spot, spot + size)).toBe(false);
        const node = new VmarNode(owner, spot, size, 0, 1);
        root = insertRegion(root, node);
        live.push(node);
      }
      if (step % 50 === 0 || live.length < 8) {
        const nodes = checkInvariants(root, owner);
        expect(nodes.length).toBe(live.length);
        const start = random.uniform(OWNER_SIZE);
        const end = start + 1 + random.uniform(512);
        const met: RegionNode[] = [];
        collectRange(root, start, end, met);
        expect(met).toEqual(nodes.filter((n) => n.offset < end && n.offset + n.size > start));
      }
    }
    checkInvariants(root, owner);
    // Removing every node, the last ones included, brings the trailing gap back to the start.
    for (const node of [...live].sort((a, b) => b.offset - a.offset)) {
      root = removeRegion(root as RegionNode, node);
      checkInvariants(root, owner);
    }
    expect(owner.lastEnd).toBe(0);
  });

  it('answers "no room" without a candidate and counts candidates exactly', () => {
    const owner = new VmarNode(null, 0, 0, 0, 1);
    let root: RegionNode | null = null;
    for (let offset = 0; offset < OWNER_SIZE; offset += 16) {
      root = insertRegion(root, new VmarNode(owner, offset, 15, 0, 1));
    }
    expect(findSpotAtIndex(root, OWNER_SIZE, 0, 2, 1, OWNER_SIZE, 0)).toBe(-1);
    expect(lastCandidateCount()).toBe(0);
    expect(findSpotAtIndex(root, OWNER_SIZE, 0, 1, 1, OWNER_SIZE, 1000)).toBe(-1);
    expect(lastCandidateCount()).toBe(OWNER_SIZE / 16);
    expect(findSpotAtIndex(root, OWNER_SIZE, 0, 1, 1, OWNER_SIZE, 3)).toBe(3 * 16 + 15);
  });
});
