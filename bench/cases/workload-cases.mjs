// @ts-check

import { generateWorkload, runBareWorkload, sharedRegionBackend } from '../bare-thread-loop.mjs';
import { expect } from '../bench-error.mjs';
import { BENCH_SEED } from '../fixtures.mjs';
import { runWorkload } from '../packages.mjs';

/** @typedef {import('../measure-case.mjs').BenchCase} BenchCase */

/** Thread lifecycles per workload: the pipeline target is stated at 100,000. */
export const WORKLOAD_THREADS = 100_000;
/** Threads alive at once for the pipeline cases (the peak of a steady workload). */
export const PIPELINE_ALIVE = 10_000;
/** The bare loop's sizes: the lifecycle-under-churn target compares the last with the first. */
export const CHURN_ALIVE = [10, 1_000, 10_000];

/**
 * Whole workloads, each measured call one run of `WORKLOAD_THREADS` lifecycles (steady pattern,
 * the bench's seed for the workload and the backend's ASLR), reported per lifecycle:
 *
 * - `bare-loop-N`: the backend calls of the compact policy and nothing else
 *   (`bare-thread-loop.mjs`), with N threads alive at the peak; the floor of what a run costs.
 * - `workload-compact` and `workload-root`: `runWorkload` from `@vmars/thread-workload` with one
 *   policy, 10,000 alive at the peak, on a fresh shared-region backend from a factory: the whole
 *   pipeline (workload generation, policy, libc, page-table accounting, samples, the final
 *   `maps()` read and disposal).
 *
 * Each call builds everything from scratch, so calls are independent and the same work.
 * @returns {BenchCase[]}
 */
export function workloadCases() {
  /** @type {BenchCase[]} */
  const cases = CHURN_ALIVE.map((alive) => {
    const workload = generateWorkload({
      threads: WORKLOAD_THREADS,
      peak: alive,
      pattern: 'steady',
      seed: BENCH_SEED,
    });
    return {
      id: `bare-loop-${alive}`,
      name: `bare loop, ${alive.toLocaleString('en-US')} alive (${WORKLOAD_THREADS.toLocaleString('en-US')} lifecycles)`,
      unit: 'ns/lifecycle',
      operationsPerCall: WORKLOAD_THREADS,
      maximumBatch: 1,
      measure(count) {
        let elapsed = 0;
        for (let index = 0; index < count; index++)
          elapsed += runBareWorkload(workload, BENCH_SEED);
        return elapsed;
      },
    };
  });
  for (const policy of /** @type {const} */ (['compact', 'root'])) {
    cases.push({
      id: `workload-${policy}`,
      name: `runWorkload, ${policy} policy, ${PIPELINE_ALIVE.toLocaleString('en-US')} alive (${WORKLOAD_THREADS.toLocaleString('en-US')} lifecycles)`,
      unit: 'ns/lifecycle',
      operationsPerCall: WORKLOAD_THREADS,
      maximumBatch: 1,
      measure(count) {
        const options = {
          backend: () => sharedRegionBackend(BENCH_SEED),
          policies: [policy],
          threads: WORKLOAD_THREADS,
          peak: PIPELINE_ALIVE,
          seed: BENCH_SEED,
        };
        return timeRunWorkload(count, options, WORKLOAD_THREADS, `a ${policy} run`);
      },
    });
  }
  return cases;
}

/**
 * Runs `runWorkload(options)` (one policy) `count` times and returns the nanoseconds it took.
 * Throws unless every run created all `lifecycles` threads and disposed of everything: a run
 * that failed would not measure what the case says.
 * @param {number} count
 * @param {import('../../packages/thread-workload/dist/index.js').RunWorkloadOptions} options
 * @param {number} lifecycles
 * @param {string} what names the run in the error
 * @returns {number}
 */
export function timeRunWorkload(count, options, lifecycles, what) {
  let created = 0;
  const start = process.hrtime.bigint();
  for (let index = 0; index < count; index++) {
    const report = runWorkload(options);
    const [only] = report.policies;
    if (only?.threads.created === lifecycles && only.end.disposed) created++;
  }
  const elapsed = process.hrtime.bigint() - start;
  expect(created === count, `${what} failed a creation or left blocks behind`);
  return Number(elapsed);
}
