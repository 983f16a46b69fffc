import {
  type Trace,
  type TraceSource,
  type TraceStats,
  taskEvents,
  traceStats,
} from '@vmars/thread-traces';
import type { WorkloadEvents } from './workload-events.js';

/**
 * The note every trace replay's report carries: what its seed can and cannot change.
 */
export const TRACE_REPLAY_NOTE =
  "A trace is one realization of its program: every run replays the same events in the same order, so a seed varies only the backend's ASLR (where the backend has one), not the workload.";

/** What a trace workload (and its report) says of the trace it came from. */
export interface TraceSummary extends TraceStats {
  /** A name for the trace: `workloadFromTrace`'s `name`, else the traced command, else its source. */
  readonly name: string;
  /** The traced command, as the trace's header gives it. */
  readonly command: string | null;
  /** The tool that recorded it. */
  readonly source: TraceSource;
  /** When it was recorded (ISO 8601), where known. */
  readonly date: string | null;
  /**
   * Tasks still alive when the trace ended, which the replay ends at its own end (after the
   * trace's last event, at the trace's last time): `censored`, said where it is acted on.
   */
  readonly endedAtReplayEnd: number;
  /** The trace's time at the peak (`mostAliveEvent`), microseconds from its origin. */
  readonly peakTimeUs: number;
}

/**
 * A real program's tasks as a workload: under Starnix every Linux task (each thread, and each
 * process's first thread) runs on a Zircon thread of its own, so each task is one lifecycle.
 * `pattern` is `'trace'`; there is no seed in it, since a trace is one realization.
 */
export interface TraceWorkload extends WorkloadEvents {
  readonly pattern: 'trace';
  /** Each event's time in the trace, microseconds from its origin (as `taskEvents` gives them). */
  readonly times: Float64Array;
  readonly trace: TraceSummary;
}

/** Options of `workloadFromTrace`. */
export interface TraceWorkloadOptions {
  /** What the report calls the trace (default: the traced command, else the trace's source). */
  readonly name?: string;
}

/**
 * Builds the workload that replays `trace`: its tasks in the trace's own order (`taskEvents`:
 * tasks alive before the trace began start first, ties keep the source's order), each task a
 * thread of the engine numbered as in `trace.tasks`; tasks still alive when the trace ended end
 * when the replay does. The peak is the most tasks alive at once, at `taskEvents`'
 * `mostAliveEvent`, so the report's peak equals `traceStats(trace).mostAlive`.
 *
 * Throws `RangeError` for a trace with no task (nothing to replay) or an empty `name`, and
 * `TraceError` `CONTRADICTION` where `taskEvents` does.
 */
export function workloadFromTrace(trace: Trace, options: TraceWorkloadOptions = {}): TraceWorkload {
  const { name } = options;
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
    throw new RangeError(`name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (trace.tasks.length === 0) {
    throw new RangeError('the trace has no task: there is nothing to replay');
  }
  const ordered = taskEvents(trace.tasks);
  const stats = traceStats(trace, ordered);
  const { header } = trace;
  return {
    pattern: 'trace',
    threads: trace.tasks.length,
    peak: ordered.mostAlive,
    events: ordered.events,
    peakEvent: ordered.mostAliveEvent,
    times: ordered.times,
    trace: {
      name: name ?? header.command ?? header.source,
      command: header.command,
      source: header.source,
      date: header.date,
      ...stats,
      endedAtReplayEnd: ordered.censored,
      peakTimeUs: ordered.times[ordered.mostAliveEvent] as number,
    },
  };
}
