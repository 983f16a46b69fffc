import { SeededRandom } from './seeded-random.js';
import type { TraceWorkload } from './trace-workload.js';
import type { WorkloadEvents } from './workload-events.js';

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
  const builder = new EventBuilder(threads, peak, new SeededRandom(seed));
  // Plain JavaScript can pass a pattern outside the type; it adds no steps before the ending.
  PATTERN_STEPS[pattern]?.(builder);
  builder.endAll();
  return { threads, peak, pattern, seed, events: builder.events, peakEvent: builder.peakEvent };
}

/** The events of a workload as they are made: who is alive, and where the peak was reached. */
class EventBuilder {
  readonly threads: number;
  readonly peak: number;
  readonly random: SeededRandom;
  readonly events: Int32Array;
  length = 0;
  created = 0;
  /** Live threads in an array with swap-remove, so that ending a random one costs O(1). */
  readonly live: number[] = [];
  /** `mixed-lifetimes`: the long-lived threads, kept out of `live` until the run ends. */
  readonly longLived: number[] = [];
  peakEvent = -1;

  constructor(threads: number, peak: number, random: SeededRandom) {
    this.threads = threads;
    this.peak = peak;
    this.random = random;
    this.events = new Int32Array(threads * 2);
  }

  /** Threads alive, the long-lived ones included. */
  get alive(): number {
    return this.live.length + this.longLived.length;
  }

  /** Starts the next thread; the first time `live` reaches the peak, that is the peak event. */
  create(): void {
    this.live.push(this.created);
    this.events[this.length] = this.created;
    this.length += 1;
    this.created += 1;
    if (this.peakEvent < 0 && this.live.length === this.peak) this.peakEvent = this.length - 1;
  }

  /** Ends a live thread chosen at random. */
  endRandom(): void {
    const live = this.live;
    const index = this.random.nextInt(live.length);
    const thread = live[index] as number;
    live[index] = live[live.length - 1] as number;
    live.pop();
    this.events[this.length] = ~thread;
    this.length += 1;
  }

  /** Ends every thread still alive, long-lived ones included, in random order. */
  endAll(): void {
    this.live.push(...this.longLived);
    this.longLived.length = 0;
    while (this.live.length > 0) this.endRandom();
  }
}

/** How each pattern starts and ends threads until all have started. */
const PATTERN_STEPS: Readonly<Record<WorkloadPattern, (builder: EventBuilder) => void>> = {
  steady,
  bursty,
  'mixed-lifetimes': mixedLifetimes,
  'all-at-once': allAtOnce,
};

/**
 * Ramp up to the peak, then hover between 90% and 100% of it: each step ends or starts one
 * thread, as a server with a fairly constant load does.
 */
function steady(builder: EventBuilder): void {
  const { peak, threads, live, random } = builder;
  const low = Math.max(0, Math.floor(peak * 0.9) - 1);
  while (builder.created < threads) {
    if (live.length < peak && (builder.peakEvent < 0 || live.length <= low)) builder.create();
    else if (live.length >= peak) builder.endRandom();
    else if (random.nextInt(2) === 0) builder.create();
    else builder.endRandom();
  }
}

/**
 * Bursts of creations (the first one reaches the peak), each followed by a random number of
 * endings, as a build system or a test runner spawning workers does.
 */
function bursty(builder: EventBuilder): void {
  const { peak, threads, live, random } = builder;
  while (builder.created < threads) {
    const room = Math.min(peak - live.length, threads - builder.created);
    const burst = builder.peakEvent < 0 ? room : random.nextIntBetween(1, room);
    for (let count = 0; count < burst; count += 1) builder.create();
    if (builder.created === threads) break;
    const endings = random.nextIntBetween(1, live.length);
    for (let count = 0; count < endings; count += 1) builder.endRandom();
  }
}

/**
 * Steady churn as above, but some threads live until the end: they pin their pages in the middle
 * of the compact VMARs while the short-lived ones come and go around them.
 */
function mixedLifetimes(builder: EventBuilder): void {
  const { peak, threads, live, longLived, random } = builder;
  const low = Math.max(0, Math.floor(peak * 0.9) - 1);
  const longLimit = Math.floor(peak / 4);
  const createMixed = (): void => {
    builder.create();
    if (longLived.length < longLimit && random.nextInt(LONG_LIVED_ONE_IN) === 0) {
      longLived.push(live.pop() as number);
    }
    if (builder.peakEvent < 0 && builder.alive === peak) builder.peakEvent = builder.length - 1;
  };
  while (builder.created < threads) {
    const count = builder.alive;
    if (count < peak && (builder.peakEvent < 0 || count <= low || live.length === 0)) {
      createMixed();
    } else if (count >= peak) builder.endRandom();
    else if (random.nextInt(2) === 0) createMixed();
    else builder.endRandom();
  }
}

/** Waves: start as many threads as the peak allows, then let every one of them end. */
function allAtOnce(builder: EventBuilder): void {
  const { peak, threads, live } = builder;
  while (builder.created < threads) {
    const wave = Math.min(peak, threads - builder.created);
    for (let count = 0; count < wave; count += 1) builder.create();
    while (live.length > 0) builder.endRandom();
  }
}
