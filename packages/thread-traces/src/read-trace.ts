import type { LineParser, TaskSink } from './line-parser.js';
import { LineSplitter } from './line-splitter.js';
import { type ParsedTraceEnd, TaskStream, type TraceTaskStream } from './task-stream.js';
import { TraceError } from './trace-error.js';
import { createTraceParser, SniffingParser } from './trace-parser.js';
import type { Trace, TraceFormat, TraceTask } from './trace-task.js';

export type { ParsedTraceEnd, TraceTaskStream } from './task-stream.js';
export { createTraceParser } from './trace-parser.js';

/** Text in chunks of any size, split anywhere (a stream's strings, or lines without their breaks). */
export type TraceChunks = AsyncIterable<string> | Iterable<string>;

/** Options of `parseTrace` and `readTrace`. */
export interface ParseTraceOptions {
  /** Skips sniffing: the content is this format. */
  readonly format?: TraceFormat;
  /** Named in errors. */
  readonly file?: string;
}

/** Lines of `chunks`, without their breaks (the rules are `LineSplitter`'s). */
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
  const parser: LineParser =
    options.format === undefined
      ? new SniffingParser(sink, file)
      : createTraceParser(options.format, sink, { file });
  const onLine = (text: string, number: number): void => parser.line(text, number);

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
        { cause: error, line: splitter.lines, file },
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
