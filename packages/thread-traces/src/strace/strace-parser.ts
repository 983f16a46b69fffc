import type { LineParser, TaskSink } from '../line-parser.js';
import { MAX_LINE_LENGTH, TraceError } from '../trace-error.js';
import type { TraceHeader } from '../trace-task.js';
import { StraceTasks } from './strace-tasks.js';
import { IntegerReader } from './strace-text.js';
import { StraceClock, TimestampReader } from './strace-timestamp.js';

/** Options of `createStraceParser`. */
export interface StraceParserOptions {
  /** Named in errors. */
  readonly file?: string;
}

const ATTACH = 'strace: Process ';

/**
 * A parser for one `strace -f` stream with `-t`, `-tt` or `-ttt` timestamps, in either form:
 * `-o FILE` (`1234  1733534822.123456 clone(...) = 1235`, the tid first on every line) or
 * strace's own stderr (`[pid  1235] 1733534822.123456 ...`, with no prefix while one task is
 * traced, and `strace: Process N attached` messages that may cut another line in two). Tasks go
 * to `sink` as they end, the censored ones at `end()`. The rules it applies (exit_group, execve
 * takeovers, midnight, ties) are in this folder's README.
 */
export function createStraceParser(sink: TaskSink, options?: StraceParserOptions): LineParser {
  return new StraceParser(sink, options?.file);
}

class StraceParser implements LineParser {
  private readonly tasks: StraceTasks;
  private readonly clock = new StraceClock();
  private readonly integers = new IntegerReader();
  private readonly stamps = new TimestampReader();
  /** The first part of a line that a `strace: Process N attached` message cut in two. */
  private partial: string | null = null;
  private partialLine = 0;

  constructor(
    sink: TaskSink,
    private readonly file: string | undefined,
  ) {
    this.tasks = new StraceTasks(sink);
    this.tasks.place.file = file;
  }

  line(input: string, number: number): void {
    if (input.length > MAX_LINE_LENGTH) {
      throw this.fail(
        'TOO_LONG',
        `a line of ${String(input.length)} characters (expected at most ${String(MAX_LINE_LENGTH)})`,
        number,
      );
    }
    let text = input;
    if (this.partial !== null) {
      if (text.startsWith(ATTACH)) {
        this.message(text, 0, number);
        return;
      }
      text = this.partial + text;
      this.partial = null;
    }
    const first = text.charCodeAt(0);
    if (first >= 48 && first <= 57) this.digitLine(text, first, number);
    else if (first === 91 /* [ */ && text.startsWith('[pid ')) this.pidLine(text, number);
    else if (first === 115 /* s */ && text.startsWith('strace: ')) {
      if (text.startsWith(ATTACH)) this.message(text, 0, number);
      else this.tasks.ignoredLines += 1;
    } else if (first === 32 /* space */ && text.startsWith(' > ')) {
      // A stack frame of `strace -k`.
      this.tasks.ignoredLines += 1;
    } else if (text.trim() === '') {
      this.tasks.ignoredLines += 1;
    } else {
      throw this.fail(
        'SYNTAX',
        `expected a tid (strace -o), "[pid N]" or a timestamp at the start of the line, found ${JSON.stringify(text.slice(0, 40))}`,
        number,
      );
    }
  }

  /** `-o FILE`'s `TID  TIME ...`, or a `-t`/`-tt` time of the stderr form with no prefix. */
  private digitLine(text: string, first: number, number: number): void {
    let index = 0;
    let tid = 0;
    let code = first;
    while (code >= 48 && code <= 57 && index < 8) {
      tid = tid * 10 + (code - 48);
      index += 1;
      code = text.charCodeAt(index);
    }
    if (code === 32) {
      // `-o FILE`: the tid, spaces, the timestamp.
      while (text.charCodeAt(index) === 32) index += 1;
      this.timed(tid, text, index, number);
      return;
    }
    if (this.cut(text, number)) return;
    this.timed(null, text, 0, number);
  }

  /** The stderr form's `[pid  N] TIME ...`. */
  private pidLine(text: string, number: number): void {
    let index = 5;
    while (text.charCodeAt(index) === 32) index += 1;
    const tid = this.integers.read(text, index);
    const close = this.integers.end;
    if (
      tid === null ||
      text.charCodeAt(close) !== 93 /* ] */ ||
      text.charCodeAt(close + 1) !== 32
    ) {
      throw this.fail(
        'SYNTAX',
        `expected "[pid N] " at the start, found ${JSON.stringify(text.slice(0, 20))}`,
        number,
      );
    }
    if (this.cut(text, number)) return;
    this.timed(tid, text, close + 2, number);
  }

  private fail(code: 'SYNTAX' | 'TOO_LONG', message: string, line: number): TraceError {
    return new TraceError(code, message, { line, file: this.file });
  }

  private message(text: string, from: number, number: number): void {
    const tid = this.integers.read(text, from + ATTACH.length);
    if (tid !== null && text.startsWith(' attached', this.integers.end)) {
      this.tasks.place.line = number;
      this.tasks.attachedMessage(tid);
    } else {
      this.tasks.ignoredLines += 1;
    }
  }

  private timed(tid: number | null, text: string, from: number, number: number): void {
    const raw = this.stamps.read(text, from);
    if (raw < 0 || text.charCodeAt(this.stamps.end) !== 32) {
      throw this.fail(
        'SYNTAX',
        `expected a timestamp (strace -t, -tt or -ttt) and a space, found ${JSON.stringify(text.slice(from, from + 40))}`,
        number,
      );
    }
    const time = this.clock.micros(raw, this.stamps.timeOfDay);
    if (time === null) {
      throw this.fail(
        'SYNTAX',
        'the timestamp changes form (expected the same -t, -tt or -ttt form on every line)',
        number,
      );
    }
    let at = this.stamps.end + 1;
    while (text.charCodeAt(at) === 32) at += 1;
    this.tasks.place.line = number;
    this.tasks.event(tid, time, text, from, at);
  }

  /** Lines of the stderr form that a `strace: Process N attached` message cut in two. */
  private cut(text: string, number: number): boolean {
    const index = text.indexOf(ATTACH);
    if (index <= 0) return false;
    this.partial = text.slice(0, index);
    this.partialLine = number;
    this.message(text, index, number);
    return true;
  }

  end(): void {
    if (this.partial !== null) {
      throw this.fail(
        'SYNTAX',
        'a line cut by "strace: Process N attached" never continues (a truncated trace?)',
        this.partialLine,
      );
    }
    this.tasks.end();
  }

  header(): TraceHeader {
    return this.tasks.header();
  }

  get ignoredLines(): number {
    return this.tasks.ignoredLines;
  }
}
