import { describe, expect, it } from 'vitest';
import { RandomSource } from './random-source.js';
import {
  collectRange,
  findEndingAtOrBefore,
  findStartingAtOrAfter,
  forEachChild,
  overlapsRange,
} from './range-queries.js';
import { type RegionNode, VmarNode } from './region-node.js';
import { insertRegion, removeRegion } from './region-tree.js';
import { SpotSearch } from './spot-search.js';
import { checkChildren, endOfLast } from './test-support/children-invariants.js';
import { linearScan } from './test-support/linear-scan.js';

const OWNER_SIZE = 4096;

/**
 * Checks the list's invariants (children-invariants.ts), `lastEnd`, `endOfLast` and the in-order
 * walk against the children sorted by offset; returns them in order.
 */
function checkInvariants(owner: VmarNode, live: readonly RegionNode[]): RegionNode[] {
  const { regions, problems } = checkChildren(owner);
  expect(problems).toEqual([]);
  const sorted = [...live].sort((a, b) => a.offset - b.offset);
  expect(regions).toEqual(sorted);
  const visited: RegionNode[] = [];
  forEachChild(owner, (child: RegionNode) => {
    visited.push(child);
    return true;
  });
  expect(visited).toEqual(sorted);
  const last = sorted.at(-1);
  const lastEnd = last === undefined ? 0 : last.offset + last.size;
  expect(owner.lastEnd).toBe(lastEnd);
  expect(endOfLast(owner)).toBe(lastEnd);
  return sorted;
}

/**
 * Checks the range queries at `start` and `[start, end)` against the sorted children. `scratch`
 * is one array for every query of a test, as an address space keeps one for its unmaps
 * (`AddressSpaceState.unmapScratch`): what an earlier query left past the count must not show.
 */
function checkQueries(
  owner: VmarNode,
  sorted: readonly RegionNode[],
  start: number,
  end: number,
  scratch: (RegionNode | undefined)[],
) {
  const count = collectRange(owner, start, end, scratch);
  const meeting = sorted.filter((n) => n.offset < end && n.offset + n.size > start);
  expect(scratch.slice(0, count)).toEqual(meeting);
  expect(overlapsRange(owner, start, end)).toBe(meeting.length > 0);
  const endingBefore = sorted.filter((n) => n.offset + n.size <= start).at(-1) ?? null;
  expect(findEndingAtOrBefore(owner, start)).toBe(endingBefore);
  expect(findStartingAtOrAfter(owner, start)).toBe(sorted.find((n) => n.offset >= start) ?? null);
}

describe('region tree', () => {
  it('keeps its invariants and agrees with a sorted-array reference under random updates', () => {
    const random = new RandomSource(42);
    const search = new SpotSearch();
    const scratch: (RegionNode | undefined)[] = [];
    // A VMAR inside the root, as the thread blocks and stacks a workload places are.
    const owner = new VmarNode(new VmarNode(null, 0, 0, 0, 1), 0, 0, 0, 1);
    let live: RegionNode[] = [];
    for (let step = 0; step < 4000; step++) {
      if (live.length > 0 && random.uniform(3) === 0) {
        const victim = live[random.uniform(live.length)] as RegionNode;
        removeRegion(owner, victim, search);
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
        const spot = search.findSpotAtIndex(
          owner,
          OWNER_SIZE,
          base,
          size,
          align,
          upperLimit,
          index,
        );
        expect(spot).toBe(expected.spot);
        if (spot < 0) {
          expect(search.candidateCount).toBe(expected.count);
          continue;
        }
        expect(overlapsRange(owner, spot, spot + size)).toBe(false);
        const node = new VmarNode(owner, spot, size, 0, 1);
        insertRegion(owner, node, search);
        live.push(node);
      }
      if (step % 50 === 0 || live.length < 8) {
        const sorted = checkInvariants(owner, live);
        const start = random.uniform(OWNER_SIZE);
        checkQueries(owner, sorted, start, start + 1 + random.uniform(512), scratch);
      }
    }
    checkInvariants(owner, live);
    // Removing every node, the last ones included, brings the trailing gap back to the start.
    for (const node of [...live].sort((a, b) => b.offset - a.offset)) {
      removeRegion(owner, node, search);
      live = live.filter((other) => other !== node);
      checkInvariants(owner, live);
    }
    expect(owner.lastEnd).toBe(0);
    expect(owner.children).toBe(null);
  });

  it('splits, merges, borrows and shrinks through three levels and back', () => {
    const random = new RandomSource(9);
    const search = new SpotSearch();
    const scratch: (RegionNode | undefined)[] = [];
    const owner = new VmarNode(new VmarNode(null, 0, 0, 0, 1), 0, 0, 0, 1);
    // 3,000 one-page children two pages apart, inserted in a random order: a three-level tree.
    const nodes = Array.from(
      { length: 3000 },
      (_, index) => new VmarNode(owner, 2 * index + 1, 1, 0, 1),
    );
    const order = [...nodes];
    for (let index = order.length - 1; index > 0; index--) {
      const other = random.uniform(index + 1);
      [order[index], order[other]] = [order[other] as VmarNode, order[index] as VmarNode];
    }
    let live: RegionNode[] = [];
    for (const [count, node] of order.entries()) {
      insertRegion(owner, node, search);
      live.push(node);
      if (count % 97 === 0) checkInvariants(owner, live);
    }
    const sorted = checkInvariants(owner, live);
    for (let probe = 0; probe < 200; probe++) {
      const start = random.uniform(6100);
      checkQueries(owner, sorted, start, start + random.uniform(40), scratch);
    }
    // Removals in runs (whole leaves empty at once) and at random, down to nothing.
    while (live.length > 0) {
      const runStart = random.uniform(live.length);
      const ordered = [...live].sort((a, b) => a.offset - b.offset);
      const run =
        random.uniform(2) === 0
          ? ordered.slice(runStart, runStart + 40)
          : [ordered[runStart] as RegionNode];
      for (const node of run) removeRegion(owner, node, search);
      live = live.filter((node) => !run.includes(node));
      if (live.length % 7 === 0 || live.length < 40) {
        const remaining = checkInvariants(owner, live);
        const start = random.uniform(6100);
        checkQueries(owner, remaining, start, start + random.uniform(40), scratch);
      }
    }
    expect(owner.children).toBe(null);
    expect(owner.lastEnd).toBe(0);
  });

  it('answers "no room" without a candidate and counts candidates exactly', () => {
    const search = new SpotSearch();
    const owner = new VmarNode(null, 0, 0, 0, 1);
    for (let offset = 0; offset < OWNER_SIZE; offset += 16) {
      insertRegion(owner, new VmarNode(owner, offset, 15, 0, 1), search);
    }
    expect(search.findSpotAtIndex(owner, OWNER_SIZE, 0, 2, 1, OWNER_SIZE, 0)).toBe(-1);
    expect(search.candidateCount).toBe(0);
    expect(search.findSpotAtIndex(owner, OWNER_SIZE, 0, 1, 1, OWNER_SIZE, 1000)).toBe(-1);
    expect(search.candidateCount).toBe(OWNER_SIZE / 16);
    expect(search.findSpotAtIndex(owner, OWNER_SIZE, 0, 1, 1, OWNER_SIZE, 3)).toBe(3 * 16 + 15);
  });
});
