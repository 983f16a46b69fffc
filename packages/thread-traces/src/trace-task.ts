/**
 * The model every format parses into: one record per task (a Linux thread, or a process's first
 * thread), which is one lifecycle of the engine under Starnix, where every task runs on a Zircon
 * thread of its own whose stacks come from `ThreadCreateVmars`.
 *
 * Times are whole microseconds from the trace's origin (the time of its first timestamped line),
 * so that they are exact. Their order is not left to the times alone: `startSeq` and `endSeq`
 * number every start and end of the trace in one sequence, the trace's own order (time, then the
 * order of the source's lines), so that ties, common at `strace -t`'s one-second resolution, keep
 * the order the program showed.
 */

/** A thread shares its creator's address space (`CLONE_THREAD`); a process has its own. */
export type TaskKind = 'thread' | 'process';

/**
 * How a task ended:
 * - `exit`: it exited (`+++ exited with N +++`, `sched_process_exit`), `code` says with what;
 * - `signal`: killed by a signal (`+++ killed by SIGKILL +++`), `signal` names it;
 * - `group-exit`: another thread of its group called `exit_group` (or was killed), and this one
 *   printed nothing more;
 * - `superseded`: a group leader replaced by a non-leader's `execve`, which takes the leader's id
 *   (`+++ superseded by execve in pid N +++`).
 */
export type TaskEnding = 'exit' | 'signal' | 'group-exit' | 'superseded';

/** One task of a trace: who made it, what kind, when it started and ended, and how. */
export interface TraceTask {
  /** The task id (tid) the source gave it. Ids are reused: a later task may carry the same one. */
  readonly id: number;
  /** The id of the task that created it; `null` for the first task and for tasks attached to. */
  readonly parent: number | null;
  /** `null` where the source cannot tell (perf without `task:task_newtask`, attached tasks). */
  readonly kind: TaskKind | null;
  /** Microseconds from the origin; `null` when it was alive before the trace began (`-p`). */
  readonly start: number | null;
  /** Microseconds from the origin; `null` when it was still alive when the trace ended. */
  readonly end: number | null;
  /**
   * Its start's place in the trace's one sequence of starts and ends (from 0); `null` exactly
   * when `start` is (a task alive before the trace began comes before every event).
   */
  readonly startSeq: number | null;
  /** Its end's place in that sequence; `null` for a task alive at the end (censored). */
  readonly endSeq: number | null;
  /** `null` exactly when `end` is. */
  readonly ending: TaskEnding | null;
  /** With `exit`: the exit status. */
  readonly code?: number;
  /** With `signal`: the signal's name (`SIGKILL`). */
  readonly signal?: string;
}

/** Where a trace came from. */
export type TraceSource = 'strace' | 'perf' | 'bpftrace' | 'vmars-trace';

/** The formats the parsers read; `sniffTraceFormat` tells them apart from the content. */
export type TraceFormat = 'strace' | 'perf' | 'vmars-trace';

/** The project's trace format's name, the header's `format`. */
export const TRACE_FORMAT_NAME = 'vmars-trace';
/** The version of the project's format this package writes and reads (a newer one is refused). */
export const TRACE_FORMAT_VERSION = 1;

/** The first line of the project's format, and what every parser says of its source. */
export interface TraceHeader {
  readonly format: typeof TRACE_FORMAT_NAME;
  readonly version: typeof TRACE_FORMAT_VERSION;
  /** The tool that recorded the original. */
  readonly source: TraceSource;
  /** The traced command, as one line, where known. */
  readonly command: string | null;
  /** When it was recorded (ISO 8601), where known. */
  readonly date: string | null;
  /** The origin's timestamp as the source printed it (`1733534822.123456`, `12:00:00.123456`). */
  readonly origin: string | null;
  /** Whether threads and processes can be told apart (false: perf without `task_newtask`). */
  readonly kindsKnown: boolean;
  /** Free-form facts a recorder adds (program version, machine); strings only. */
  readonly notes?: Readonly<Record<string, string>>;
}

/**
 * A whole trace in memory: its header and its tasks, those alive before the trace began first (in
 * the order the source showed them), then the others in the order of their `startSeq`.
 */
export interface Trace {
  readonly header: TraceHeader;
  readonly tasks: readonly TraceTask[];
  /** Lines understood and not needed (other syscalls, signals, blank lines), counted. */
  readonly ignoredLines: number;
}
