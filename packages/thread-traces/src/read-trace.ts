import type { LineParser, TaskSink } from './line-parser.js';
import { createPerfParser } from './perf/index.js';
import { sniffTraceFormat } from './sniff.js';
import { createStraceParser } from './strace/index.js';
import { MAX_LINE_LENGTH, TraceError } from './trace-error.js';
import type { Trace, TraceFormat, TraceHeader, TraceTask } from './trace-task.js';
import { createVmarsTraceParser } from './vmars-trace-format.js';

/** Text in chunks of any size, split anywhere (a stream's strings, or lines without their breaks). */
export type TraceChunks = AsyncIterable<string> | Iterable<string>;

/** Options of `parseTrace` and `readTrace`. */
export interface ParseTraceOptions {
  /** Skips sniffing: the content is this format. */
  readonly format?: TraceFormat;
  /** Named in errors. */
  readonly file?: string;
}

/** What `parseTrace`'s generator returns when done: the header and the count of ignored lines. */
export interface ParsedTraceEnd {
  readonly header: TraceHeader;
  readonly ignoredLines: number;
}

/** How many non-blank lines (besides `#` comments) the sniffer is shown at most. */
const SNIFF_LINES = 8;

/**
 * Cuts text into lines whatever its chunking: `\n` or `\r\n`, the last line with or without a
 * break. Lines are numbered from 1. A line longer than `MAX_LINE_LENGTH` is refused as soon as
 * it is seen, so that a file with no line breaks never fills memory.
 */
class LineSplitter {
  private rest = '';
  private number = 0;
  /** Whether the last line handed on had no line break after it (a possibly truncated file). */
  lastUnterminated = false;

  constructor(private readonly file: string | undefined) {}

  private tooLong(): never {
    throw new TraceError(
      'TOO_LONG',
      `a line longer than ${String(MAX_LINE_LENGTH)} characters (expected lines of a trace, which are short)`,
      this.file === undefined
        ? { line: this.number + 1 }
        : { line: this.number + 1, file: this.file },
    );
  }

  push(chunk: string, onLine: (text: string, number: number) => void): void {
    let from = 0;
    if (this.rest.length > 0) {
      // Only the new chunk can hold the line's end: searching `rest` again for every small
      // chunk of a long line would be quadratic.
      const at = chunk.indexOf('\n');
      if (at < 0) {
        this.rest += chunk;
        if (this.rest.length > MAX_LINE_LENGTH + 1) this.tooLong();
        return;
      }
      let text = this.rest + chunk.slice(0, at);
      this.rest = '';
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (text.length > MAX_LINE_LENGTH) this.tooLong();
      this.number += 1;
      onLine(text, this.number);
      from = at + 1;
    }
    for (;;) {
      const at = chunk.indexOf('\n', from);
      if (at < 0) break;
      const end = at > from && chunk.charCodeAt(at - 1) === 13 ? at - 1 : at;
      if (end - from > MAX_LINE_LENGTH) this.tooLong();
      this.number += 1;
      onLine(chunk.slice(from, end), this.number);
      from = at + 1;
    }
    if (from < chunk.length) {
      // A trailing "\r" may be the first half of "\r\n": it stays with the rest.
      if (chunk.length - from > MAX_LINE_LENGTH + 1) this.tooLong();
      this.rest = chunk.slice(from);
    }
  }

  finish(onLine: (text: string, number: number) => void): void {
    if (this.rest.length === 0) return;
    let text = this.rest;
    this.rest = '';
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.length > MAX_LINE_LENGTH) this.tooLong();
    this.number += 1;
    this.lastUnterminated = true;
    onLine(text, this.number);
  }

  get lines(): number {
    return this.number;
  }
}

/** Lines of `chunks`, without their breaks (see `LineSplitter` above for the rules). */
export async function* splitLines(chunks: TraceChunks): AsyncGenerator<string> {
  const splitter = new LineSplitter(undefined);
  const lines: string[] = [];
  const collect = (text: string): void => {
    lines.push(text);
  };
  for await (const chunk of chunks) {
    splitter.push(chunk, collect);
    yield* lines;
    lines.length = 0;
  }
  splitter.finish(collect);
  yield* lines;
}

/** Makes the parser for a format. */
export function createTraceParser(
  format: TraceFormat,
  sink: TaskSink,
  options: { readonly file?: string } = {},
): LineParser {
  const parserOptions = options.file === undefined ? {} : { file: options.file };
  switch (format) {
    case 'vmars-trace':
      return createVmarsTraceParser(sink, parserOptions);
    case 'perf':
      return createPerfParser(sink, parserOptions);
    case 'strace':
      return createStraceParser(sink, parserOptions);
  }
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
 * The tasks of a trace as they end (the censored ones last), from text in any chunking; the
 * format is sniffed from the first lines unless `options.format` names it. When the tasks are
 * all read, the header and the count of ignored lines are the iterator's return value and the
 * answers of `header()` and `ignoredLines()` (for `for await`, which drops the return value).
 * A last line without a line break that its parser refuses is reported as a truncated line.
 */
export function parseTrace(chunks: TraceChunks, options: ParseTraceOptions = {}): TraceTaskStream {
  return new TaskStream(parseTraceBatches(chunks, options));
}

/**
 * Hands on the tasks of each batch one `next()` at a time. Written by hand, not as an async
 * generator: a generator's `yield` costs several promises and trips through the job queue per
 * task, which for a million tasks was a sixth of the reading time; here a task of a batch
 * already read costs one resolved promise. Calls of `next()` that overlap are answered in order,
 * as a generator's are.
 */
class TaskStream implements TraceTaskStream {
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

/**
 * `parseTrace`'s work, handing on the tasks of each chunk at once: an async generator's every
 * `yield` costs a few microseconds, which for a million tasks is most of the reading time.
 */
async function* parseTraceBatches(
  chunks: TraceChunks,
  options: ParseTraceOptions,
): AsyncGenerator<TraceTask[], ParsedTraceEnd, undefined> {
  const file = options.file;
  const splitter = new LineSplitter(file);
  let ready: TraceTask[] = [];
  const sink: TaskSink = (task) => {
    ready.push(task);
  };
  let parser: LineParser | undefined =
    options.format === undefined
      ? undefined
      : createTraceParser(options.format, sink, { ...(file === undefined ? {} : { file }) });
  /** Lines held until the format is known. */
  const held: { text: string; number: number }[] = [];
  let counted = 0;

  const start = (): LineParser => {
    let format: TraceFormat;
    try {
      format = sniffTraceFormat(held.map((line) => line.text));
    } catch (error) {
      if (TraceError.isInstance(error) && file !== undefined) {
        throw new TraceError(error.code, error.message, { cause: error, file });
      }
      throw error;
    }
    const made = createTraceParser(format, sink, file === undefined ? {} : { file });
    for (const { text, number } of held) made.line(text, number);
    held.length = 0;
    return made;
  };

  const onLine = (text: string, number: number): void => {
    if (parser !== undefined) {
      parser.line(text, number);
      return;
    }
    held.push({ text, number });
    if (text.trim().length > 0 && !text.startsWith('#')) counted += 1;
    if (counted >= SNIFF_LINES) parser = start();
  };

  const truncated = (error: unknown): unknown => {
    if (
      splitter.lastUnterminated &&
      TraceError.isInstance(error) &&
      error.code === 'SYNTAX' &&
      error.line === splitter.lines
    ) {
      return new TraceError(
        'SYNTAX',
        `the last line has no line break and is not a whole line: the trace looks truncated (${error.message})`,
        { cause: error, line: splitter.lines, ...(file === undefined ? {} : { file }) },
      );
    }
    return error;
  };

  for await (const chunk of chunks) {
    if (typeof chunk !== 'string') {
      throw new TypeError(
        `parseTrace: expected chunks of text, found ${typeof chunk} (decode the bytes first)`,
      );
    }
    splitter.push(chunk, onLine);
    if (ready.length > 0) {
      const batch = ready;
      ready = [];
      yield batch;
    }
  }
  try {
    splitter.finish(onLine);
    parser ??= start();
    parser.end();
  } catch (error) {
    throw truncated(error);
  }
  if (ready.length > 0) yield ready;
  return { header: parser.header(), ignoredLines: parser.ignoredLines };
}

/**
 * Puts tasks in the order `Trace.tasks` holds them: those alive before the trace began first, in
 * the order given, then the others by `startSeq`. Stable.
 */
export function orderTraceTasks(tasks: readonly TraceTask[]): TraceTask[] {
  const before: TraceTask[] = [];
  // Start numbers are distinct (each parser and the vmars-trace reader see to that), so the
  // tasks can be placed by them in one pass instead of sorted; a repeat falls back to sorting.
  let last = -1;
  for (const task of tasks)
    if (task.startSeq !== null && task.startSeq > last) last = task.startSeq;
  // Numbers of a trace are 0..M-1; anything sparser is sorted instead.
  let distinct = last < 2 * tasks.length + 1;
  const byStart = new Array<TraceTask | undefined>(distinct ? last + 1 : 0);
  for (const task of tasks) {
    if (task.startSeq === null) before.push(task);
    else if (!distinct) continue;
    else if (byStart[task.startSeq] === undefined) byStart[task.startSeq] = task;
    else distinct = false;
  }
  if (!distinct) {
    const during = tasks.filter((task) => task.startSeq !== null);
    during.sort((left, right) => (left.startSeq as number) - (right.startSeq as number));
    return before.concat(during);
  }
  for (const task of byStart) if (task !== undefined) before.push(task);
  return before;
}

/** A whole trace: `parseTrace`'s tasks, ordered as `Trace` requires, with its header. */
export async function readTrace(
  chunks: TraceChunks,
  options: ParseTraceOptions = {},
): Promise<Trace> {
  const tasks: TraceTask[] = [];
  const batches = parseTraceBatches(chunks, options);
  for (;;) {
    const next = await batches.next();
    if (next.done === true) {
      return {
        header: next.value.header,
        tasks: orderTraceTasks(tasks),
        ignoredLines: next.value.ignoredLines,
      };
    }
    for (const task of next.value) tasks.push(task);
  }
}
