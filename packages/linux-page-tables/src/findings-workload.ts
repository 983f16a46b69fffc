import { memoryBackend } from '@vmars/backend-memory';
import {
  type Architecture,
  runWorkload,
  type TouchedPages,
  type WorkloadReport,
} from '@vmars/thread-workload';

/** Lifecycles per thread alive at the peak, as in the test (3,000 for 1,000 alive). */
export const LIFECYCLES_PER_ALIVE = 3;

/** One size the findings measure. */
export interface FindingsRun {
  readonly touched: TouchedPages;
  readonly alive: number;
}

/**
 * The report `linux-findings.js` checks for one size: the demo's workload (the engine's defaults,
 * the memory backend on the Starnix shared region) with `alive` threads at the peak.
 */
export function findingsReport(
  run: FindingsRun,
  seed: number,
  architecture: Architecture,
): WorkloadReport {
  return runWorkload({
    backend: () => memoryBackend({ arch: architecture, region: 'shared', seed }),
    architecture,
    threads: run.alive * LIFECYCLES_PER_ALIVE,
    peak: run.alive,
    touched: run.touched,
    seed,
  });
}

/** The sizes docs/lab-findings.md quotes: stack-top up to 10,000 alive, every page up to 1,000. */
export const FINDINGS_RUNS: readonly FindingsRun[] = [
  { touched: 'stack-top', alive: 100 },
  { touched: 'stack-top', alive: 1000 },
  { touched: 'stack-top', alive: 10_000 },
  { touched: 'all', alive: 100 },
  { touched: 'all', alive: 1000 },
];
