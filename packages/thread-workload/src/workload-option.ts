import { describeValue } from '@vmars/address-space';
import { invalidOption } from './option-error.js';
import type { TraceWorkload } from './trace-workload.js';
import { type GeneratedWorkload, WORKLOAD_PATTERNS, type Workload } from './workload.js';
import { MAX_THREADS } from './workload-defaults.js';

/**
 * The `workload` option, checked so that the hot loop can trust it: each thread created once and
 * ended once after, `peak` the most alive at once, first reached after event `peakEvent`; and for
 * a trace, one time per event. `given` is every option as given, for those it excludes.
 */
export function resolveWorkload(
  value: unknown,
  given: Readonly<Record<string, unknown>>,
): Workload | undefined {
  if (value === undefined) return undefined;
  for (const option of ['threads', 'peak', 'pattern'] as const) {
    if (given[option] !== undefined) {
      throw invalidOption(
        'workload',
        `cannot be given with "${option}": a prepared workload replaces the one they would generate`,
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(
      'workload',
      `expected a workload (generateWorkload, workloadFromTrace), got ${describeValue(value)}`,
    );
  }
  const workload = value as Record<string, unknown>;
  const events = checkShape(workload);
  checkEvents(events, workload.threads as number, workload.peak, workload.peakEvent);
  if (workload.pattern === 'trace') {
    checkTrace(workload, events.length);
    return value as TraceWorkload;
  }
  checkSeed(workload, given);
  return value as GeneratedWorkload;
}

/** The pattern, the thread count and the events' type and length; answers the events. */
function checkShape(workload: Readonly<Record<string, unknown>>): Int32Array {
  const { pattern, threads, events } = workload;
  if (pattern !== 'trace' && !(WORKLOAD_PATTERNS as readonly unknown[]).includes(pattern)) {
    throw invalidOption(
      'workload',
      `expected pattern to be one of ${[...WORKLOAD_PATTERNS, 'trace'].join(', ')}, got ${describeValue(pattern)}`,
    );
  }
  if (
    typeof threads !== 'number' ||
    !Number.isSafeInteger(threads) ||
    threads < 1 ||
    threads > MAX_THREADS
  ) {
    throw invalidOption(
      'workload',
      `expected threads to be an integer from 1 to ${String(MAX_THREADS)}, got ${describeValue(threads)}`,
    );
  }
  if (!(events instanceof Int32Array) || events.length !== threads * 2) {
    throw invalidOption(
      'workload',
      `expected events to be an Int32Array of 2 × threads (${String(threads * 2)}) events`,
    );
  }
  return events;
}

/** One pass over the events: each thread starts once, then ends once; the peak is where it says. */
function checkEvents(events: Int32Array, threads: number, peak: unknown, peakEvent: unknown): void {
  const state = new Uint8Array(threads);
  let alive = 0;
  let most = 0;
  let mostEvent = -1;
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as number;
    const thread = event >= 0 ? event : ~event;
    const expected = event >= 0 ? 0 : 1;
    if (thread >= threads || state[thread] !== expected) {
      throw invalidOption(
        'workload',
        `event ${String(index)} ${event >= 0 ? 'starts' : 'ends'} thread ${String(thread)}, which is ${
          thread >= threads
            ? `out of range (threads: ${String(threads)})`
            : ['not started', 'alive', 'ended'][state[thread] as number]
        } (expected each thread to start once, then end once)`,
      );
    }
    state[thread] = expected + 1;
    alive += event >= 0 ? 1 : -1;
    if (alive > most) {
      most = alive;
      mostEvent = index;
    }
  }
  if (peak !== most || peakEvent !== mostEvent) {
    throw invalidOption(
      'workload',
      `expected peak ${describeValue(peak)} first reached after event ${describeValue(peakEvent)}; the events give ${String(most)} after event ${String(mostEvent)}`,
    );
  }
}

/** A trace's times (one per event, finite, never decreasing) and its summary. */
function checkTrace(workload: Readonly<Record<string, unknown>>, eventCount: number): void {
  const { times, trace } = workload;
  if (!(times instanceof Float64Array) || times.length !== eventCount) {
    throw invalidOption(
      'workload',
      `expected times to be a Float64Array of one time per event (${String(eventCount)})`,
    );
  }
  for (let index = 0; index < times.length; index += 1) {
    if (index > 0 && (times[index] as number) < (times[index - 1] as number)) {
      throw invalidOption(
        'workload',
        `expected times in the trace's order, never decreasing; event ${String(index)}'s time ${String(times[index])} comes after ${String(times[index - 1])}`,
      );
    }
    if (!Number.isFinite(times[index])) {
      throw invalidOption(
        'workload',
        `expected event ${String(index)}'s time to be finite, got ${String(times[index])}`,
      );
    }
  }
  if (
    typeof trace !== 'object' ||
    trace === null ||
    typeof (trace as { name?: unknown }).name !== 'string'
  ) {
    throw invalidOption(
      'workload',
      `expected trace to be workloadFromTrace's summary, got ${describeValue(trace)}`,
    );
  }
}

/** A generated workload's own seed, which the `seed` option may not contradict. */
function checkSeed(
  workload: Readonly<Record<string, unknown>>,
  given: Readonly<Record<string, unknown>>,
): void {
  if (given.seed !== undefined) {
    throw invalidOption(
      'workload',
      'cannot be given with "seed": a generated workload carries its own seed',
    );
  }
  const seed = workload.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) {
    throw invalidOption(
      'workload',
      `expected seed to be an integer from 0 to 4294967295, got ${describeValue(seed)}`,
    );
  }
}
