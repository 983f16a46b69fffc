import { type TaskEvents, taskEvents } from './task-events.js';
import type { Trace } from './trace-task.js';

/** Nearest-rank quantiles of the task lifetimes, in microseconds. */
export interface LifetimeQuantiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * What a trace holds, counted the way the engine replays it: `mostAlive` comes from the same
 * `taskEvents` order as the replay's peak, so a replay's peak equals it.
 */
export interface TraceStats {
  /** Every task: each is one lifecycle of the engine. */
  readonly tasks: number;
  /** Tasks created with `CLONE_THREAD`. */
  readonly threads: number;
  /** Tasks with an address space of their own (fork, vfork, clone without `CLONE_THREAD`). */
  readonly processes: number;
  /** Tasks whose kind the source could not tell (`kind: null`). */
  readonly unknownKind: number;
  /** The most tasks alive at once, the first task (and any attached ones) included. */
  readonly mostAlive: number;
  /** Tasks still alive when the trace ended (no end). */
  readonly censored: number;
  /** Tasks alive before the trace began (no start: attached to with `-p`). */
  readonly startedBefore: number;
  /**
   * From the first time the trace gives (a start or an end) to the last, in microseconds; 0 when
   * it gives none.
   */
  readonly durationUs: number;
  /**
   * Over the tasks with both a start and an end (censored and attached tasks have no known
   * lifetime); `null` when there is none.
   */
  readonly lifetimeUs: LifetimeQuantiles | null;
}

/**
 * Counts a trace's tasks, their kinds, the most alive at once and their lifetimes. O(n log n) in
 * the tasks (the lifetimes are sorted). Throws `TraceError` `CONTRADICTION` where `taskEvents`
 * does (sequence numbers that are not one sequence).
 *
 * `events`, when the caller already has `taskEvents(trace.tasks)`, saves computing it again.
 */
export function traceStats(trace: Trace, events?: TaskEvents): TraceStats {
  const ordered = events ?? taskEvents(trace.tasks);
  let threads = 0;
  let processes = 0;
  let unknownKind = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const lifetimes: number[] = [];
  for (const task of trace.tasks) {
    if (task.kind === 'thread') threads += 1;
    else if (task.kind === 'process') processes += 1;
    else unknownKind += 1;
    if (task.start !== null) {
      first = Math.min(first, task.start);
      last = Math.max(last, task.start);
    }
    if (task.end !== null) {
      first = Math.min(first, task.end);
      last = Math.max(last, task.end);
    }
    if (task.start !== null && task.end !== null) lifetimes.push(task.end - task.start);
  }
  return {
    tasks: trace.tasks.length,
    threads,
    processes,
    unknownKind,
    mostAlive: ordered.mostAlive,
    censored: ordered.censored,
    startedBefore: ordered.startedBefore,
    durationUs: first <= last ? last - first : 0,
    lifetimeUs: quantiles(lifetimes),
  };
}

function quantiles(values: number[]): LifetimeQuantiles | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  const rank = (percent: number): number =>
    sorted[Math.max(0, Math.ceil((percent * sorted.length) / 100) - 1)] as number;
  return {
    p50: rank(50),
    p90: rank(90),
    p99: rank(99),
    max: sorted[sorted.length - 1] as number,
  };
}
