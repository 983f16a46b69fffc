import type { TaskSink } from '../line-parser.js';
import { MAX_LINE_LENGTH, TraceError } from '../trace-error.js';
import type { TraceHeader } from '../trace-task.js';
import { StraceTasks } from './strace-tasks.js';
import { MICROS_PER_DAY, readTimestamp, StraceClock, timestampRead } from './strace-timestamp.js';

/** One file of `strace -ff -o PREFIX`: `PREFIX.TID` holds task `id`'s lines, with no tid on them. */
export interface StracePart {
  readonly id: number;
  readonly lines: AsyncIterable<string> | Iterable<string>;
  /** Named in errors. */
  readonly file?: string;
}

interface Cursor {
  readonly id: number;
  readonly file: string | undefined;
  /** Its place in `parts`. */
  readonly index: number;
  readonly next: () => IteratorResult<string> | Promise<IteratorResult<string>>;
  readonly clock: StraceClock;
  line: number;
  text: string;
  raw: number;
  timeOfDay: boolean;
  time: number;
  at: number;
  /** The line is a `+++ ... +++` one (an end). */
  end: boolean;
}

/**
 * The files of `strace -f -ff -o PREFIX` (one per task) merged into one trace by time, then read
 * as `createStraceParser` reads one stream. Each part's own lines keep their order. Among lines
 * of different parts with the same time (common with `-t`'s whole seconds): every other line
 * before a `+++` line (creations before ends); among the other lines the lower task id first (a
 * creator is older than what it creates, so usually lower), among `+++` lines the higher id first
 * (threads before the leader, whose end the kernel reports last); then the order of `parts`.
 * With `-t`/`-tt`, each part crosses midnight on its own, and a part whose first line is past
 * midnight starts on the next day (the parts' first times are placed on the shortest span of a
 * day that holds them all).
 */
export async function parseStraceParts(
  parts: readonly StracePart[],
  sink: TaskSink,
): Promise<{ header: TraceHeader; ignoredLines: number }> {
  const tasks = new StraceTasks(sink);
  const cursors: Cursor[] = [];
  for (const [index, part] of parts.entries()) {
    tasks.place.line = 0;
    tasks.place.file = part.file;
    tasks.checkTid(part.id);
    const lines = part.lines;
    let next: Cursor['next'];
    if (Symbol.asyncIterator in lines) {
      const iterator = lines[Symbol.asyncIterator]();
      next = () => iterator.next();
    } else {
      const iterator = lines[Symbol.iterator]();
      next = () => iterator.next();
    }
    const cursor: Cursor = {
      id: part.id,
      file: part.file,
      index,
      next,
      clock: new StraceClock(),
      line: 0,
      text: '',
      raw: 0,
      timeOfDay: false,
      time: 0,
      at: 0,
      end: false,
    };
    if (await read(cursor, tasks)) cursors.push(cursor);
  }
  placeFirstDays(cursors);
  for (const cursor of cursors) clockIn(cursor);

  const heap = cursors;
  for (let index = (heap.length >>> 1) - 1; index >= 0; index -= 1) siftDown(heap, index);
  while (heap.length > 0) {
    const top = heap[0] as Cursor;
    tasks.place.line = top.line;
    tasks.place.file = top.file;
    tasks.event(top.id, top.time, top.text, 0, top.at);
    if (await read(top, tasks)) {
      clockIn(top);
    } else {
      const last = heap.pop() as Cursor;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    siftDown(heap, 0);
  }
  tasks.end();
  return { header: tasks.header(), ignoredLines: tasks.ignoredLines };
}

function fail(cursor: Cursor, code: 'SYNTAX' | 'TOO_LONG', message: string): TraceError {
  const where: { line: number; file?: string } = { line: cursor.line };
  if (cursor.file !== undefined) where.file = cursor.file;
  return new TraceError(code, message, where);
}

/** The part's next timestamped line (blank lines counted as ignored); false at its end. */
async function read(cursor: Cursor, tasks: StraceTasks): Promise<boolean> {
  for (;;) {
    const result = await cursor.next();
    if (result.done === true) return false;
    cursor.line += 1;
    const text = result.value;
    if (text.length > MAX_LINE_LENGTH) {
      throw fail(
        cursor,
        'TOO_LONG',
        `a line of ${String(text.length)} characters (expected at most ${String(MAX_LINE_LENGTH)})`,
      );
    }
    if (text.trim() === '') {
      tasks.ignoredLines += 1;
      continue;
    }
    const raw = readTimestamp(text, 0);
    if (raw < 0 || text.charCodeAt(timestampRead.end) !== 32) {
      throw fail(
        cursor,
        'SYNTAX',
        `expected a timestamp (strace -t, -tt or -ttt) and a space at the start of the line (an -ff part has no tid), found ${JSON.stringify(text.slice(0, 40))}`,
      );
    }
    let at = timestampRead.end + 1;
    while (text.charCodeAt(at) === 32) at += 1;
    cursor.text = text;
    cursor.raw = raw;
    cursor.timeOfDay = timestampRead.timeOfDay;
    cursor.at = at;
    cursor.end = text.charCodeAt(at) === 43;
    return true;
  }
}

function clockIn(cursor: Cursor): void {
  const time = cursor.clock.micros(cursor.raw, cursor.timeOfDay);
  if (time === null) {
    throw fail(
      cursor,
      'SYNTAX',
      'the timestamp changes form (expected the same -t, -tt or -ttt form on every line)',
    );
  }
  cursor.time = time;
}

/** With times of day: the parts' first times lie on the shortest arc of the day holding them all. */
function placeFirstDays(cursors: readonly Cursor[]): void {
  const times = cursors.filter((cursor) => cursor.timeOfDay).map((cursor) => cursor.raw);
  if (times.length < 2) return;
  times.sort((a, b) => a - b);
  let widestGap = MICROS_PER_DAY - (times[times.length - 1] as number) + (times[0] as number);
  let earliest = times[0] as number;
  for (let index = 1; index < times.length; index += 1) {
    const gap = (times[index] as number) - (times[index - 1] as number);
    if (gap > widestGap) {
      widestGap = gap;
      earliest = times[index] as number;
    }
  }
  for (const cursor of cursors) {
    if (cursor.timeOfDay && cursor.raw < earliest) cursor.clock.startOnDay(1);
  }
}

function before(a: Cursor, b: Cursor): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.end !== b.end) return !a.end;
  if (a.id !== b.id) return a.end ? a.id > b.id : a.id < b.id;
  return a.index < b.index;
}

function siftDown(heap: Cursor[], from: number): void {
  let index = from;
  const item = heap[index];
  if (item === undefined) return;
  for (;;) {
    const left = index * 2 + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    let child = left;
    if (right < heap.length && before(heap[right] as Cursor, heap[left] as Cursor)) child = right;
    const candidate = heap[child] as Cursor;
    if (!before(candidate, item)) break;
    heap[index] = candidate;
    index = child;
  }
  heap[index] = item;
}
