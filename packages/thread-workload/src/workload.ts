import { SeededRandom } from './seeded-random.js';
import type { TraceWorkload } from './trace-workload.js';

/** How threads come and go: the demo's patterns. */
export type ChurnPattern = 'steady' | 'bursty' | 'all-at-once';
/** Every `ChurnPattern`. */
export const CHURN_PATTERNS: readonly ChurnPattern[] = ['steady', 'bursty', 'all-at-once'];

/**
 * Every pattern `generateWorkload` and `runWorkload` take: the churn patterns and
 * `mixed-lifetimes`, where some threads live long (the policy lab's workload suite uses it).
 */
export type WorkloadPattern = ChurnPattern | 'mixed-lifetimes';
/** Every `WorkloadPattern`: the churn patterns and `mixed-lifetimes`. */
export const WORKLOAD_PATTERNS: readonly WorkloadPattern[] = [...CHURN_PATTERNS, 'mixed-lifetimes'];

/**
 * In `mixed-lifetimes`, a new thread is long-lived with probability 1/`LONG_LIVED_ONE_IN`, while
 * fewer than a quarter of the peak are: long-lived threads end only when the run does.
 */
export const LONG_LIVED_ONE_IN = 8;

/** What `generateWorkload` makes a workload from: its size, pattern and seed. */
export interface WorkloadOptions {
  /** Thread lifecycles in all (each thread is created once and ends once). */
  readonly threads: number;
  /** The most threads alive at once; reached at least once. At most `threads`. */
  readonly peak: number;
  readonly pattern: WorkloadPattern;
  readonly seed: number;
}

/**
 * What the engine replays of any workload: the order in which Linux threads are created and end.
 * `events[i] >= 0` creates thread `events[i]`; `events[i] < 0` ends thread `-events[i] - 1`
 * (`~events[i]`). Threads are numbered in creation order; each is created once and ends once.
 */
export interface WorkloadEvents {
  /** Thread lifecycles in all: `events` holds twice as many events. */
  readonly threads: number;
  /** The most threads alive at once. */
  readonly peak: number;
  readonly events: Int32Array;
  /** The index of the first event after which `peak` threads are alive. */
  readonly peakEvent: number;
}

/** A workload `generateWorkload` made: its options and its events. */
export interface GeneratedWorkload extends WorkloadOptions, WorkloadEvents {}

/**
 * A workload `runWorkload` can run (its `workload` option): generated from a pattern and a seed
 * (`generateWorkload`), or a real program's tasks from a trace (`workloadFromTrace`, with
 * `pattern: 'trace'`).
 */
export type Workload = GeneratedWorkload | TraceWorkload;

/** The thread an event concerns, and whether it starts or ends it. */
export function decodeEvent(event: number): { readonly create: boolean; readonly thread: number } {
  return event >= 0 ? { create: true, thread: event } : { create: false, thread: ~event };
}

/**
 * Builds the workload for `options`; the same options give the same events. Which live thread
 * ends next is chosen at random, so the compact VMARs see holes open in the middle, as they do
 * when real threads end out of order.
 */
export function generateWorkload(options: WorkloadOptions): GeneratedWorkload {
  const { threads, peak, pattern, seed } = options;
  if (!Number.isSafeInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${String(threads)}`);
  }
  if (!Number.isSafeInteger(peak) || peak < 1 || peak > threads) {
    throw new RangeError(`peak must be an integer in [1, threads], got ${String(peak)}`);
  }
  const random = new SeededRandom(seed);
  const events = new Int32Array(threads * 2);
  let length = 0;
  let created = 0;
  // Live threads in an array with swap-remove, so that ending a random one costs O(1).
  const live: number[] = [];
  let peakEvent = -1;

  const create = (): void => {
    live.push(created);
    events[length] = created;
    length += 1;
    created += 1;
    if (peakEvent < 0 && live.length === peak) peakEvent = length - 1;
  };
  // `mixed-lifetimes`: the long-lived threads, kept out of `live` until the run ends.
  const longLived: number[] = [];
  const alive = (): number => live.length + longLived.length;
  const endRandom = (): void => {
    const index = random.nextInt(live.length);
    const thread = live[index] as number;
    live[index] = live[live.length - 1] as number;
    live.pop();
    events[length] = ~thread;
    length += 1;
  };

  switch (pattern) {
    case 'steady': {
      // Ramp up to the peak, then hover between 90% and 100% of it: each step ends or starts
      // one thread, as a server with a fairly constant load does.
      const low = Math.max(0, Math.floor(peak * 0.9) - 1);
      while (created < threads) {
        if (live.length < peak && (peakEvent < 0 || live.length <= low)) create();
        else if (live.length >= peak) endRandom();
        else if (random.nextInt(2) === 0) create();
        else endRandom();
      }
      break;
    }
    case 'bursty': {
      // Bursts of creations (the first one reaches the peak), each followed by a random number of
      // endings, as a build system or a test runner spawning workers does.
      while (created < threads) {
        const room = Math.min(peak - live.length, threads - created);
        const burst = peakEvent < 0 ? room : random.nextIntBetween(1, room);
        for (let count = 0; count < burst; count += 1) create();
        if (created === threads) break;
        const endings = random.nextIntBetween(1, live.length);
        for (let count = 0; count < endings; count += 1) endRandom();
      }
      break;
    }
    case 'mixed-lifetimes': {
      // Steady churn as above, but some threads live until the end: they pin their pages in the
      // middle of the compact VMARs while the short-lived ones come and go around them.
      const low = Math.max(0, Math.floor(peak * 0.9) - 1);
      const longLimit = Math.floor(peak / 4);
      const createMixed = (): void => {
        create();
        if (longLived.length < longLimit && random.nextInt(LONG_LIVED_ONE_IN) === 0) {
          longLived.push(live.pop() as number);
        }
        if (peakEvent < 0 && alive() === peak) peakEvent = length - 1;
      };
      while (created < threads) {
        const count = alive();
        if (count < peak && (peakEvent < 0 || count <= low || live.length === 0)) createMixed();
        else if (count >= peak) endRandom();
        else if (random.nextInt(2) === 0) createMixed();
        else endRandom();
      }
      live.push(...longLived);
      break;
    }
    case 'all-at-once': {
      // Waves: start as many threads as the peak allows, then let every one of them end.
      while (created < threads) {
        const wave = Math.min(peak, threads - created);
        for (let count = 0; count < wave; count += 1) create();
        while (live.length > 0) endRandom();
      }
      break;
    }
  }
  while (live.length > 0) endRandom();
  return { threads, peak, pattern, seed, events, peakEvent };
}
