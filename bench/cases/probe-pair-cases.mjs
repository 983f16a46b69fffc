// @ts-check
import { expect } from '../bench-error.mjs';
import { allocateAnywhere, benchBackend, createCompact, spreadPageChildren } from '../fixtures.mjs';
import { NaiveFirstFit } from '../naive-first-fit.mjs';
import { PROBE_SIZE, VMAR_SIZE } from '../packages.mjs';

/** @typedef {import('../measure-case.mjs').BenchCase} BenchCase */
/** @typedef {import('../../packages/compact-vmar/dist/index.js').CompactVmar} CompactVmar */

/** How many small children the crowded VMARs hold. */
export const CROWDED_CHILDREN = 100_000;

/**
 * `CompactVmar.probe(PROBE_SIZE)` in a loop: allocate a 32 MiB child with CAN_MAP_READ, destroy
 * it, close its handle. Every answer is checked against `expected`.
 * @param {CompactVmar} compact
 * @param {boolean} expected whether the probe must succeed
 * @returns {(count: number) => number}
 */
function probeLoop(compact, expected) {
  return (count) => {
    let matched = 0;
    const start = process.hrtime.bigint();
    for (let index = 0; index < count; index++) {
      if (compact.probe(PROBE_SIZE) === expected) matched++;
    }
    const elapsed = process.hrtime.bigint() - start;
    expect(
      matched === count,
      `a probe answered ${String(!expected)}, expected ${String(expected)}`,
    );
    return Number(elapsed);
  };
}

/**
 * The probe pair in four 1 GiB COMPACT VMARs (one backend): empty; full with 32 children of
 * 32 MiB; 100,000 one-page children spread over the first 992 MiB (every gap one or two pages)
 * with the only 32 MiB hole at the end; full with 100,000 one-page children spread over the whole
 * GiB. And the same probe pair on a naive first-fit allocator holding the third layout.
 * @returns {BenchCase[]}
 */
export function probePairCases() {
  const backend = benchBackend();
  const pageSize = backend.pageSize;

  const empty = createCompact(backend);

  const full = createCompact(backend);
  for (const child of fill(full)) child.close();
  expect(!full.probe(PROBE_SIZE), 'the VMAR of 32 children of 32 MiB still has room');

  const crowdedWithHole = createCompact(backend);
  spreadPageChildren(crowdedWithHole.vmar, CROWDED_CHILDREN, VMAR_SIZE - PROBE_SIZE, pageSize);

  // The first fit for 32 MiB must be the hole at the end, just past the last child.
  const spanPages = (VMAR_SIZE - PROBE_SIZE) / pageSize;
  const lastPage = Math.floor(((CROWDED_CHILDREN - 1) * spanPages) / CROWDED_CHILDREN);
  const holeAddress = crowdedWithHole.address + (lastPage + 1) * pageSize;
  const firstFit = allocateAnywhere(crowdedWithHole.vmar, PROBE_SIZE);
  const firstFitInfo = firstFit.info();
  expect(firstFitInfo.ok && firstFitInfo.value.base === holeAddress, 'the probe missed the hole');
  firstFit.destroy();
  firstFit.close();

  const crowdedFull = createCompact(backend);
  spreadPageChildren(crowdedFull.vmar, CROWDED_CHILDREN, VMAR_SIZE, pageSize);

  const naive = new NaiveFirstFit(crowdedWithHole.address, VMAR_SIZE);
  for (let index = 0; index < CROWDED_CHILDREN; index++) {
    const page = Math.floor((index * spanPages) / CROWDED_CHILDREN);
    expect(naive.allocateAt(crowdedWithHole.address + page * pageSize, pageSize), 'naive overlap');
  }
  const naiveFirstFit = naive.allocate(PROBE_SIZE);
  expect(naiveFirstFit === holeAddress && naive.free(naiveFirstFit), 'naive missed the hole');

  return [
    {
      id: 'probe-empty',
      name: 'probe pair, empty 1 GiB VMAR',
      measure: probeLoop(empty, true),
    },
    {
      id: 'probe-full-32',
      name: 'probe pair, full (32 children of 32 MiB)',
      measure: probeLoop(full, false),
    },
    {
      id: 'probe-crowded-hole',
      name: 'probe pair, 100,000 children + 32 MiB hole at end',
      measure: probeLoop(crowdedWithHole, true),
    },
    {
      id: 'probe-crowded-full',
      name: 'probe pair, full with 100,000 children',
      measure: probeLoop(crowdedFull, false),
    },
    {
      id: 'naive-crowded-hole',
      name: 'reference: naive first fit, 100,000 children + hole',
      maximumBatch: 64,
      measure(count) {
        let placed = 0;
        const start = process.hrtime.bigint();
        for (let index = 0; index < count; index++) {
          const address = naive.allocate(PROBE_SIZE);
          if (address >= 0 && naive.free(address)) placed++;
        }
        const elapsed = process.hrtime.bigint() - start;
        expect(placed === count, 'the naive allocator found no room for the probe');
        return Number(elapsed);
      },
    },
  ];
}

/**
 * Fills `compact` with 32 children of 32 MiB, first fit, and returns their handles.
 * @param {CompactVmar} compact
 */
export function fill(compact) {
  const children = [];
  for (let slot = 0; slot < VMAR_SIZE / PROBE_SIZE; slot++) {
    children.push(allocateAnywhere(compact.vmar, PROBE_SIZE));
  }
  return children;
}
