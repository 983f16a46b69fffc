import type { TraceHeader, TraceTask } from './trace-task.js';

/**
 * What every format's parser is: fed one line at a time, it hands each task to `onTask` as soon
 * as the task has ended (so that memory holds what is alive, not the whole file), and the tasks
 * still alive at `end()`, censored. Records come in the order their tasks end; `startSeq` and
 * `endSeq` carry the trace's order.
 */
export interface LineParser {
  /** One line, without its line break; `number` is 1-based. Throws `TraceError`. */
  line(text: string, number: number): void;
  /** The input is over: hands on the censored tasks. Throws `TraceError` (a call left open). */
  end(): void;
  /** What the parser knows of the source; complete after `end()`. */
  header(): TraceHeader;
  /** Lines understood and not needed, so far. */
  readonly ignoredLines: number;
}

/** Where a parser hands each task once it is complete (ended, or censored at the end). */
export type TaskSink = (task: TraceTask) => void;
