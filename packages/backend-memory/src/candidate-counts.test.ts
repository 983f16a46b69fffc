import { describe, expect, it } from 'vitest';
import { indexedSpotAtIndex, type SpotPlace, trackedSlot } from './candidate-counts.js';
import { CANDIDATE_COUNT_CAP } from './candidate-index.js';
import { ChildBlock } from './child-block.js';
import { RandomSource } from './random-source.js';
import { type RegionNode, VmarNode } from './region-node.js';
import { insertRegion, removeRegion } from './region-tree.js';
import { SpotSearch } from './spot-search.js';
import { checkChildren, endOfLast } from './test-support/children-invariants.js';
import { linearScan, type Request } from './test-support/linear-scan.js';

/** Candidates of `request` over the whole tree: M. */
function candidateCount(
  sorted: readonly { offset: number; size: number }[],
  ownerSize: number,
  request: Request,
): number {
  return linearScan(sorted, ownerSize, request, Number.MAX_SAFE_INTEGER).count;
}

/** Builds a tree of `count` children with random sizes and gaps (zero gaps included). */
function randomTree(
  random: RandomSource,
  search: SpotSearch,
  count: number,
  maxSize: number,
  maxGap: number,
): { owner: VmarNode; sorted: RegionNode[]; ownerSize: number } {
  const owner = new VmarNode(null, 0, 0, 0, 1);
  const sorted: RegionNode[] = [];
  let offset = 0;
  for (let index = 0; index < count; index++) {
    // One gap in four is empty or a page, so that adjacent and tight children occur.
    offset += random.uniform(4) === 0 ? random.uniform(2) : random.uniform(maxGap + 1);
    const size = 1 + random.uniform(maxSize);
    sorted.push(new VmarNode(owner, offset, size, 0, 1));
    offset += size;
  }
  const ownerSize = offset + random.uniform(maxGap + 1) + 1;
  // Insert in a random order, so that splits happen all over the tree, not only at its end.
  const shuffled = [...sorted];
  for (let index = shuffled.length - 1; index > 0; index--) {
    const other = random.uniform(index + 1);
    [shuffled[index], shuffled[other]] = [
      shuffled[other] as RegionNode,
      shuffled[index] as RegionNode,
    ];
  }
  for (const node of shuffled) insertRegion(owner, node, search);
  return { owner, sorted, ownerSize };
}

function randomRequest(random: RandomSource, ownerSize: number, maxSize: number): Request {
  const size = 1 + random.uniform(maxSize);
  const align = 2 ** random.uniform(5);
  const base = random.uniform(64);
  // One request in three stops at an upper limit somewhere inside the owner (§3.2).
  const upperLimit = random.uniform(3) === 0 ? random.uniform(ownerSize + 1) : ownerSize;
  return { size, align, base, upperLimit };
}

/** Makes the list count `request` (it takes a slot on its second miss in a row). */
function track(owner: VmarNode, request: Request): number {
  const phase = request.base % request.align;
  let slot = trackedSlot(owner, request.size, request.align, phase);
  if (slot < 0) slot = trackedSlot(owner, request.size, request.align, phase);
  expect(slot).toBeGreaterThanOrEqual(0);
  return slot;
}

/**
 * Checks the whole list, its branches' candidate counts for the slots in use included, against a
 * recount from scratch (children-invariants.ts); returns how many counts of slot 0 are saturated.
 */
function checkCounts(owner: VmarNode): number {
  const { problems, saturated } = checkChildren(owner);
  expect(problems, 'broken invariants, stale counts among them').toEqual([]);
  return saturated;
}

/** One random tree of the first test, and what its checks need. */
interface Trial {
  readonly number: number;
  readonly random: RandomSource;
  readonly search: SpotSearch;
  readonly owner: VmarNode;
  readonly sorted: RegionNode[];
  readonly ownerSize: number;
  readonly maxSize: number;
  /** Collected rather than asserted one by one: 400,000 expect() calls would cost most of the time. */
  readonly mismatches: string[];
}

/** A random tree for trial `number`: one in five has branches above its leaves. */
function newTrial(number: number, random: RandomSource, mismatches: string[]): Trial {
  const search = new SpotSearch();
  const large = number % 100 === 0;
  // One tree in five has branches above its leaves (more than 32 children), whose counts the
  // descent reads; the others are one leaf, or one child kept inline.
  const children = large ? 400 : number % 5 === 0 ? 150 : 40;
  const maxSize = 1 + random.uniform(large ? 64 : 16);
  const maxGap = 1 + random.uniform(large ? 256 : 48);
  const tree = randomTree(random, search, random.uniform(children), maxSize, maxGap);
  return { number, random, search, maxSize, mismatches, ...tree };
}

/**
 * Asks for candidate `index` of `request` through the counts (the descent itself, when the tree
 * has a block), `findSpotAtIndex` and `scanForSpotAtIndex`, each against the linear scan; answers
 * whether the descent was asked.
 */
function checkIndex(trial: Trial, request: Request, slot: number, index: number): boolean {
  const { owner, ownerSize, search } = trial;
  const expected = linearScan(trial.sorted, ownerSize, request, index);
  const where = `trial ${trial.number}, ${JSON.stringify(request)}, index ${index}`;
  const root = owner.children;
  if (root instanceof ChildBlock) {
    const place: SpotPlace = { leaf: null, position: 0 };
    const phase = request.base % request.align;
    const { size, align, upperLimit } = request;
    const lastStart = endOfLast(owner);
    const args = [lastStart, ownerSize, size, align, phase, upperLimit, index, place] as const;
    const indexed = indexedSpotAtIndex(root, slot, ...args);
    const wanted = expected.spot >= 0 ? expected.spot : -1 - expected.count;
    if (indexed !== wanted) trial.mismatches.push(`${where}: indexed ${indexed}, not ${wanted}`);
  }
  const { base, size, align, upperLimit } = request;
  const args = [owner, ownerSize, base, size, align, upperLimit, index] as const;
  for (const find of ['findSpotAtIndex', 'scanForSpotAtIndex'] as const) {
    const spot = search[find](...args);
    const count = spot < 0 ? search.candidateCount : expected.count;
    if (spot !== expected.spot || count !== expected.count) {
      trial.mismatches.push(`${where}: ${find} ${spot} (M ${count}), not ${expected.spot}`);
    }
  }
  return root instanceof ChildBlock;
}

/** Three random requests at seven indices each; answers how many went through the descent. */
function checkRequests(trial: Trial): number {
  const { random, owner, ownerSize } = trial;
  let indexedQueries = 0;
  for (let requestNumber = 0; requestNumber < 3; requestNumber++) {
    const request = randomRequest(random, ownerSize, trial.maxSize + 4);
    const total = candidateCount(trial.sorted, ownerSize, request);
    // First, second, last, one and two past the last, a random one, and one far past the end.
    const indices = [0, 1, total - 1, total, total + 1, random.uniform(total + 1)];
    indices.push(random.uniform(CANDIDATE_COUNT_CAP - 1));
    const slot = owner.children === null ? -1 : track(owner, request);
    for (const index of indices) {
      if (index >= 0 && checkIndex(trial, request, slot, index)) indexedQueries++;
    }
  }
  return indexedQueries;
}

/** Six random insertions or removals; answers the children then, sorted. */
function changeTree(trial: Trial): RegionNode[] {
  const { random, owner, ownerSize, search } = trial;
  const live = [...trial.sorted];
  for (let change = 0; change < 6; change++) {
    if (live.length > 0 && random.uniform(2) === 0) {
      const victim = live.splice(random.uniform(live.length), 1)[0] as RegionNode;
      removeRegion(owner, victim, search);
    } else {
      const size = 1 + random.uniform(trial.maxSize);
      const ordered = live.sort((a, b) => a.offset - b.offset);
      const anyFit = { size, align: 1, base: 0, upperLimit: ownerSize };
      const room = candidateCount(ordered, ownerSize, anyFit);
      if (room === 0) continue;
      const spot = linearScan(ordered, ownerSize, anyFit, random.uniform(room)).spot;
      const node = new VmarNode(owner, spot, size, 0, 1);
      insertRegion(owner, node, search);
      live.push(node);
    }
  }
  return live.sort((a, b) => a.offset - b.offset);
}

/** Asks again for the requests the slots hold, after `changeTree`, against the linear scan. */
function checkSlots(trial: Trial, live: readonly RegionNode[]): void {
  const { random, owner, ownerSize, search } = trial;
  const index = owner.candidateIndex;
  for (const slot of [0, 1]) {
    const size = slot === 0 ? index?.size0 : index?.size1;
    const align = slot === 0 ? index?.align0 : index?.align1;
    if (owner.children === null || index === null || size === undefined || size === 0) continue;
    const request = { size, align: align ?? 1, base: slot === 0 ? index.phase0 : index.phase1 };
    const full = { ...request, upperLimit: ownerSize };
    const total = candidateCount(live, ownerSize, full);
    for (const at of [0, total - 1, total, random.uniform(total + 1)]) {
      if (at < 0) continue;
      const expected = linearScan(live, ownerSize, full, at);
      const { base } = request;
      const spot = search.findSpotAtIndex(
        owner,
        ownerSize,
        base,
        size,
        request.align,
        ownerSize,
        at,
      );
      const count = spot < 0 ? search.candidateCount : expected.count;
      if (spot !== expected.spot || count !== expected.count) {
        trial.mismatches.push(
          `trial ${trial.number} after changes, slot ${slot}, index ${at}: ${spot}`,
        );
      }
    }
  }
}

describe('candidate counts (random placement, §3.2)', () => {
  it('find the same spot and count M as the linear scan on 10,000 random trees', () => {
    const random = new RandomSource(2024);
    const mismatches: string[] = [];
    let indexedQueries = 0;
    for (let number = 0; number < 10_000; number++) {
      const trial = newTrial(number, random, mismatches);
      indexedQueries += checkRequests(trial);
      // What the searches left remembered (the root's largest gap among it) is right.
      for (const problem of checkChildren(trial.owner).problems) {
        mismatches.push(`trial ${number}: ${problem}`);
      }
      // The last two requests hold the slots now: change the tree and ask them again.
      const live = changeTree(trial);
      checkCounts(trial.owner);
      checkSlots(trial, live);
      if (mismatches.length > 20) break;
    }
    expect(mismatches).toEqual([]);
    expect(indexedQueries).toBeGreaterThan(100_000);
  });

  it('stay exact through insertions and removals', () => {
    const random = new RandomSource(7);
    const search = new SpotSearch();
    const ownerSize = 1 << 16;
    const owner = new VmarNode(null, 0, 0, 0, 1);
    let live: RegionNode[] = [];
    // Three requests in turn, so that slots are taken over and recounted now and then.
    const requests: Request[] = [
      { size: 8, align: 1, base: 3, upperLimit: ownerSize },
      { size: 3, align: 4, base: 3, upperLimit: ownerSize },
      { size: 40, align: 1, base: 3, upperLimit: ownerSize },
    ];
    for (let step = 0; step < 6000; step++) {
      const request = requests[Math.floor(step / 500) % 3] as Request;
      if (live.length > 0 && random.uniform(5) < 2) {
        const victim = live[random.uniform(live.length)] as RegionNode;
        removeRegion(owner, victim, search);
        live = live.filter((node) => node !== victim);
      } else {
        const sorted = [...live].sort((a, b) => a.offset - b.offset);
        const total = candidateCount(sorted, ownerSize, request);
        const index = random.uniform(Math.max(1, total));
        const expected = linearScan(sorted, ownerSize, request, index);
        const spot = search.findSpotAtIndex(
          owner,
          ownerSize,
          request.base,
          request.size,
          request.align,
          ownerSize,
          index,
        );
        expect(spot).toBe(expected.spot);
        if (spot < 0) continue;
        const node = new VmarNode(owner, spot, request.size, 0, 1);
        insertRegion(owner, node, search);
        live.push(node);
      }
      if (step % 100 === 0) checkCounts(owner);
    }
    expect(owner.candidateIndex?.size0).not.toBe(0);
    checkCounts(owner);
  });

  it('answer in one descent for 20,000 children of one size, as the scan does', () => {
    const random = new RandomSource(11);
    const search = new SpotSearch();
    const ownerSize = 2 ** 34;
    const owner = new VmarNode(null, 0, 0, 0, 1);
    const request: Request = { size: 512, align: 1, base: 512, upperLimit: ownerSize };
    for (let count = 0; count < 20_000; count++) {
      const index = random.uniform(2 ** 30);
      const spot = search.findSpotAtIndex(owner, ownerSize, request.base, 512, 1, ownerSize, index);
      expect(spot).toBeGreaterThanOrEqual(0);
      if (count % 1000 === 0) {
        expect(spot).toBe(
          search.scanForSpotAtIndex(owner, ownerSize, request.base, 512, 1, ownerSize, index),
        );
      }
      insertRegion(owner, new VmarNode(owner, spot, 512, 0, 1), search);
    }
    expect(owner.candidateIndex?.size0).toBe(512);
    checkCounts(owner);
    // Saturation: children far out leave gaps of 2^32 pages and more before them, so the counts
    // of the blocks holding them are capped; removals make capped counts shrink (a recount);
    // indices below the cap still agree with the scan.
    const far = [2 ** 33, 2 ** 33 + 2 ** 32, 2 ** 33 + 2 ** 31, ownerSize - 1024].map(
      (offset) => new VmarNode(owner, offset, 512, 0, 1),
    );
    for (const node of far) insertRegion(owner, node, search);
    expect(checkCounts(owner)).toBeGreaterThan(0);
    removeRegion(owner, far[1] as RegionNode, search);
    removeRegion(owner, far[0] as RegionNode, search);
    checkCounts(owner);
    insertRegion(owner, new VmarNode(owner, 2 ** 33 + 2 ** 30, 512, 0, 1), search);
    insertRegion(owner, new VmarNode(owner, 2 ** 32, 512, 0, 1), search);
    checkCounts(owner);
    for (const index of [1, 2 ** 29, CANDIDATE_COUNT_CAP - 1, CANDIDATE_COUNT_CAP, 2 ** 33]) {
      const expected = search.scanForSpotAtIndex(
        owner,
        ownerSize,
        request.base,
        512,
        1,
        ownerSize,
        index,
      );
      expect(search.findSpotAtIndex(owner, ownerSize, request.base, 512, 1, ownerSize, index)).toBe(
        expected,
      );
    }
    // An upper limit in the middle: M below it, exactly.
    const limit = 2 ** 28;
    const below = search.scanForSpotAtIndex(
      owner,
      ownerSize,
      request.base,
      512,
      1,
      limit,
      2 ** 30 - 2,
    );
    expect(below).toBe(-1);
    const count = search.candidateCount;
    expect(search.findSpotAtIndex(owner, ownerSize, request.base, 512, 1, limit, 2 ** 30 - 2)).toBe(
      -1,
    );
    expect(search.candidateCount).toBe(count);
    expect(search.findSpotAtIndex(owner, ownerSize, request.base, 512, 1, limit, count - 1)).toBe(
      search.scanForSpotAtIndex(owner, ownerSize, request.base, 512, 1, limit, count - 1),
    );
  });
});
