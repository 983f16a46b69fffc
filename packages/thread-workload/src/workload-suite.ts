import { ARCHITECTURES, type Architecture } from '@vmars/address-space';
import type { WorkloadPattern } from './workload.js';

/**
 * One workload of the suite: the `runWorkload` options that make it (with a seed and an
 * architecture from the sweep). Named as allocator benchmark suites name theirs, so that a result
 * can say "steady-10k" and mean one thing.
 */
export interface SuiteWorkload {
  readonly name: string;
  /** One line: what it stands for. */
  readonly description: string;
  readonly threads: number;
  readonly peak: number;
  readonly pattern: WorkloadPattern;
  /** Static TLS per thread in bytes (the engine's default is 1 KiB). */
  readonly tlsSize: number;
}

const KiB = 1024;

/**
 * The suite: steady churn at three sizes, bursts that drain, all-at-once waves, long- and
 * short-lived threads together, TLS from none to 64 KiB, and a fill that runs the region out of
 * room. Sizes are modest so that a sweep of 20 seeds stays quick; `scaleSuiteWorkload` makes a
 * workload longer for a closer look.
 */
export const WORKLOAD_SUITE: readonly SuiteWorkload[] = [
  {
    name: 'steady-100',
    description: 'a small service: 100 threads alive, steady churn',
    threads: 1_000,
    peak: 100,
    pattern: 'steady',
    tlsSize: KiB,
  },
  {
    name: 'steady-1k',
    description: '1,000 threads alive, steady churn with random exits',
    threads: 3_000,
    peak: 1_000,
    pattern: 'steady',
    tlsSize: KiB,
  },
  {
    name: 'steady-10k',
    description: '10,000 threads alive, steady churn with random exits',
    threads: 12_000,
    peak: 10_000,
    pattern: 'steady',
    tlsSize: KiB,
  },
  {
    name: 'bursty',
    description: 'bursts of up to 1,000 creations, each drained at random (a build, a test runner)',
    threads: 3_000,
    peak: 1_000,
    pattern: 'bursty',
    tlsSize: KiB,
  },
  {
    name: 'waves',
    description: 'waves of 1,000 threads that all start, then all end',
    threads: 3_000,
    peak: 1_000,
    pattern: 'all-at-once',
    tlsSize: KiB,
  },
  {
    name: 'mixed-lifetimes',
    description: '1,000 alive, about one in eight long-lived (to the end), the rest short-lived',
    threads: 3_000,
    peak: 1_000,
    pattern: 'mixed-lifetimes',
    tlsSize: KiB,
  },
  {
    name: 'tls-0',
    description: 'steady-1k without static TLS: the thread block is the thread struct only',
    threads: 3_000,
    peak: 1_000,
    pattern: 'steady',
    tlsSize: 0,
  },
  {
    name: 'tls-64k',
    description: 'steady-1k with 64 KiB of static TLS per thread',
    threads: 3_000,
    peak: 1_000,
    pattern: 'steady',
    tlsSize: 64 * KiB,
  },
  {
    name: 'fill-26k',
    description:
      '26,000 threads started and none ending: more than riscv64’s shared region (Sv39) holds',
    threads: 26_000,
    peak: 26_000,
    pattern: 'all-at-once',
    tlsSize: KiB,
  },
];

/** The architectures the suite runs on: x86_64, arm64, riscv64. */
export const SUITE_ARCHITECTURES: readonly Architecture[] = ARCHITECTURES;

/** The suite's workload named `name`, or `undefined`. */
export function suiteWorkload(name: string): SuiteWorkload | undefined {
  return WORKLOAD_SUITE.find((workload) => workload.name === name);
}

/** `workload` with `factor` times the lifecycles (the peak stays): a longer run of the same shape. */
export function scaleSuiteWorkload(workload: SuiteWorkload, factor: number): SuiteWorkload {
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new RangeError(`factor must be a positive number, got ${String(factor)}`);
  }
  const threads = Math.max(workload.peak, Math.round(workload.threads * factor));
  return { ...workload, threads };
}
