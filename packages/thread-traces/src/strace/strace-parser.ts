import type { LineParser, TaskSink } from '../line-parser.js';
import { MAX_LINE_LENGTH, TraceError } from '../trace-error.js';
import type { TraceHeader } from '../trace-task.js';
import { lastIntegerEnd, readInteger, StraceTasks } from './strace-tasks.js';
import { readTimestamp, StraceClock, timestampRead } from './strace-timestamp.js';

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
  const tasks = new StraceTasks(sink);
  const file = options?.file;
  tasks.place.file = file;
  const clock = new StraceClock();
  let partial: string | null = null;
  let partialLine = 0;

  const fail = (code: 'SYNTAX' | 'TOO_LONG', message: string, line: number): TraceError => {
    const where: { line: number; file?: string } = { line };
    if (file !== undefined) where.file = file;
    return new TraceError(code, message, where);
  };

  const message = (text: string, from: number, number: number): void => {
    const tid = readInteger(text, from + ATTACH.length);
    if (tid !== null && text.startsWith(' attached', lastIntegerEnd())) {
      tasks.place.line = number;
      tasks.attachedMessage(tid);
    } else {
      tasks.ignoredLines += 1;
    }
  };

  const timed = (tid: number | null, text: string, from: number, number: number): void => {
    const raw = readTimestamp(text, from);
    if (raw < 0 || text.charCodeAt(timestampRead.end) !== 32) {
      throw fail(
        'SYNTAX',
        `expected a timestamp (strace -t, -tt or -ttt) and a space, found ${JSON.stringify(text.slice(from, from + 40))}`,
        number,
      );
    }
    const time = clock.micros(raw, timestampRead.timeOfDay);
    if (time === null) {
      throw fail(
        'SYNTAX',
        'the timestamp changes form (expected the same -t, -tt or -ttt form on every line)',
        number,
      );
    }
    let at = timestampRead.end + 1;
    while (text.charCodeAt(at) === 32) at += 1;
    tasks.place.line = number;
    tasks.event(tid, time, text, from, at);
  };

  /** Lines of the stderr form that a `strace: Process N attached` message cut in two. */
  const cut = (text: string, number: number): boolean => {
    const index = text.indexOf(ATTACH);
    if (index <= 0) return false;
    partial = text.slice(0, index);
    partialLine = number;
    message(text, index, number);
    return true;
  };

  const line = (input: string, number: number): void => {
    if (input.length > MAX_LINE_LENGTH) {
      throw fail(
        'TOO_LONG',
        `a line of ${String(input.length)} characters (expected at most ${String(MAX_LINE_LENGTH)})`,
        number,
      );
    }
    let text = input;
    if (partial !== null) {
      if (text.startsWith(ATTACH)) {
        message(text, 0, number);
        return;
      }
      text = partial + text;
      partial = null;
    }
    const first = text.charCodeAt(0);
    if (first >= 48 && first <= 57) {
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
        timed(tid, text, index, number);
        return;
      }
      if (cut(text, number)) return;
      timed(null, text, 0, number);
    } else if (first === 91 /* [ */ && text.startsWith('[pid ')) {
      let index = 5;
      while (text.charCodeAt(index) === 32) index += 1;
      const tid = readInteger(text, index);
      const close = lastIntegerEnd();
      if (
        tid === null ||
        text.charCodeAt(close) !== 93 /* ] */ ||
        text.charCodeAt(close + 1) !== 32
      ) {
        throw fail(
          'SYNTAX',
          `expected "[pid N] " at the start, found ${JSON.stringify(text.slice(0, 20))}`,
          number,
        );
      }
      if (cut(text, number)) return;
      timed(tid, text, close + 2, number);
    } else if (first === 115 /* s */ && text.startsWith('strace: ')) {
      if (text.startsWith(ATTACH)) message(text, 0, number);
      else tasks.ignoredLines += 1;
    } else if (first === 32 /* space */ && text.startsWith(' > ')) {
      // A stack frame of `strace -k`.
      tasks.ignoredLines += 1;
    } else if (text.trim() === '') {
      tasks.ignoredLines += 1;
    } else {
      throw fail(
        'SYNTAX',
        `expected a tid (strace -o), "[pid N]" or a timestamp at the start of the line, found ${JSON.stringify(text.slice(0, 40))}`,
        number,
      );
    }
  };

  return {
    line,
    end(): void {
      if (partial !== null) {
        throw fail(
          'SYNTAX',
          'a line cut by "strace: Process N attached" never continues (a truncated trace?)',
          partialLine,
        );
      }
      tasks.end();
    },
    header(): TraceHeader {
      return tasks.header();
    },
    get ignoredLines(): number {
      return tasks.ignoredLines;
    },
  };
}
