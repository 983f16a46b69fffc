import type { TraceHeader, TraceTask } from './trace-task.js';

/** What `parseTrace`'s generator returns when done: the header and the count of ignored lines. */
export interface ParsedTraceEnd {
  readonly header: TraceHeader;
  readonly ignoredLines: number;
}

/**
 * `parseTrace`'s tasks, for `for await` or `next()`; `header()` and `ignoredLines()` answer once
 * the tasks are all read.
 */
export interface TraceTaskStream
  extends AsyncIterableIterator<TraceTask, ParsedTraceEnd, undefined> {
  /** Stops reading: the input is closed and later `next()` calls are done. */
  return(value?: ParsedTraceEnd): Promise<IteratorResult<TraceTask, ParsedTraceEnd>>;
  /** The header, complete once the input is over. Throws `Error` before then. */
  header(): TraceHeader;
  /** Lines understood and not needed. Throws `Error` before the input is over. */
  ignoredLines(): number;
}

/**
 * Hands on the tasks of each batch one `next()` at a time. Written by hand, not as an async
 * generator: a generator's `yield` costs several promises and trips through the job queue per
 * task, which for a million tasks was a sixth of the reading time; here a task of a batch
 * already read costs one resolved promise. Calls of `next()` that overlap are answered in order,
 * as a generator's are.
 */
export class TaskStream implements TraceTaskStream {
  private batch: TraceTask[] = [];
  private index = 0;
  private done: ParsedTraceEnd | undefined;
  private stopped = false;
  /** The refill under way, if any: a `next()` that comes meanwhile waits for it. */
  private pending: Promise<IteratorResult<TraceTask, ParsedTraceEnd>> | undefined;

  constructor(private readonly batches: AsyncGenerator<TraceTask[], ParsedTraceEnd, undefined>) {}

  next(): Promise<IteratorResult<TraceTask, ParsedTraceEnd>> {
    if (this.pending !== undefined) {
      const after = this.pending.then(
        () => this.next(),
        () => this.next(),
      );
      return after;
    }
    if (this.index < this.batch.length) {
      const value = this.batch[this.index] as TraceTask;
      this.index += 1;
      return Promise.resolve({ done: false, value });
    }
    if (this.stopped) return Promise.resolve(this.finishedResult());
    const refill = this.refill();
    this.pending = refill;
    const clear = (): void => {
      if (this.pending === refill) this.pending = undefined;
    };
    refill.then(clear, clear);
    return refill;
  }

  private finishedResult(): IteratorResult<TraceTask, ParsedTraceEnd> {
    // After the end, as a finished generator does: done, with no value.
    return { done: true, value: undefined as unknown as ParsedTraceEnd };
  }

  private async refill(): Promise<IteratorResult<TraceTask, ParsedTraceEnd>> {
    this.batch = [];
    this.index = 0;
    for (;;) {
      let next: IteratorResult<TraceTask[], ParsedTraceEnd>;
      try {
        next = await this.batches.next();
      } catch (error) {
        this.stopped = true;
        throw error;
      }
      if (next.done === true) {
        this.stopped = true;
        this.done = next.value;
        return { done: true, value: next.value };
      }
      if (next.value.length > 0) {
        this.batch = next.value;
        this.index = 1;
        return { done: false, value: next.value[0] as TraceTask };
      }
    }
  }

  async return(value?: ParsedTraceEnd): Promise<IteratorResult<TraceTask, ParsedTraceEnd>> {
    this.stopped = true;
    this.batch = [];
    this.index = 0;
    await this.batches.return(undefined as unknown as ParsedTraceEnd);
    return { done: true, value: value as ParsedTraceEnd };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  header(): TraceHeader {
    return this.finished().header;
  }

  ignoredLines(): number {
    return this.finished().ignoredLines;
  }

  private finished(): ParsedTraceEnd {
    if (this.done === undefined)
      throw new Error('parseTrace: the header is known once every task is read');
    return this.done;
  }
}
