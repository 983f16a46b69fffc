import { TraceError } from './trace-error.js';
import type { TraceTask } from './trace-task.js';

/**
 * A trace as one ordered list of events, the form both `traceStats` and the engine's replay use,
 * so that the two count the same thing. Tasks are numbered from 0 in the order `Trace.tasks`
 * gives (alive-before-the-trace first, then by `startSeq`); `events[i] >= 0` starts task
 * `events[i]`, `events[i] < 0` ends task `~events[i]` (the engine's `Workload` encoding).
 *
 * The tasks alive before the trace began start first, in their order; then every start and end
 * of the trace in `seq` order; then the tasks still alive at the end (censored) end, in task
 * order, at the trace's last time.
 */
export interface TaskEvents {
  readonly events: Int32Array;
  /** Each event's time, microseconds from the origin (0 for the tasks alive before it began). */
  readonly times: Float64Array;
  /** How many tasks were alive when the trace ended (their ends are the last `censored` events). */
  readonly censored: number;
  /** How many were alive before the trace began (their starts are the first events). */
  readonly startedBefore: number;
  /** The most tasks alive at once, the first task (and any attached ones) included. */
  readonly mostAlive: number;
  /** The index of the first event after which `mostAlive` tasks are alive. */
  readonly mostAliveEvent: number;
}

/**
 * Orders `tasks` (as `Trace.tasks` holds them) into events. Throws `TraceError`
 * `CONTRADICTION` when the sequence numbers are not one sequence (a number twice, a gap, an end
 * numbered before its start): a trace that a parser accepted never does.
 */
export function taskEvents(tasks: readonly TraceTask[]): TaskEvents {
  let inTrace = 0;
  let startedBefore = 0;
  let censored = 0;
  let lastTime = 0;
  for (const task of tasks) {
    if (task.startSeq === null) startedBefore += 1;
    else inTrace += 1;
    if (task.endSeq === null) censored += 1;
    else inTrace += 1;
    if (task.start !== null && task.start > lastTime) lastTime = task.start;
    if (task.end !== null && task.end > lastTime) lastTime = task.end;
  }
  const total = tasks.length * 2;
  const events = new Int32Array(total);
  const times = new Float64Array(total);
  const placed = new Uint8Array(inTrace);
  const place = (seq: number, event: number, time: number, index: number): void => {
    if (!Number.isSafeInteger(seq) || seq < 0 || seq >= inTrace || placed[seq] === 1) {
      throw new TraceError(
        'CONTRADICTION',
        `task ${String(index)} (id ${String(tasks[index]?.id)}): sequence number ${String(seq)} is out of range or taken (expected each of 0 to ${String(inTrace - 1)} once)`,
      );
    }
    placed[seq] = 1;
    events[startedBefore + seq] = event;
    times[startedBefore + seq] = time;
  };
  let before = 0;
  let censoredAt = startedBefore + inTrace;
  for (let index = 0; index < tasks.length; index += 1) {
    const task = tasks[index] as TraceTask;
    if (task.startSeq === null) {
      if (before !== index) {
        throw new TraceError(
          'CONTRADICTION',
          `task ${String(index)} (id ${String(task.id)}) was alive before the trace began but comes after a task that started in it`,
        );
      }
      events[before] = index;
      times[before] = 0;
      before += 1;
    } else {
      place(task.startSeq, index, task.start ?? 0, index);
    }
    if (task.endSeq === null) {
      events[censoredAt] = ~index;
      times[censoredAt] = lastTime;
      censoredAt += 1;
    } else {
      if (task.startSeq !== null && task.endSeq <= task.startSeq) {
        throw new TraceError(
          'CONTRADICTION',
          `task ${String(index)} (id ${String(task.id)}) ends (seq ${String(task.endSeq)}) before it starts (seq ${String(task.startSeq)})`,
        );
      }
      place(task.endSeq, ~index, task.end ?? lastTime, index);
    }
  }
  let alive = 0;
  let mostAlive = 0;
  let mostAliveEvent = -1;
  for (let index = 0; index < total; index += 1) {
    alive += (events[index] as number) >= 0 ? 1 : -1;
    if (alive > mostAlive) {
      mostAlive = alive;
      mostAliveEvent = index;
    }
  }
  return { events, times, censored, startedBefore, mostAlive, mostAliveEvent };
}
