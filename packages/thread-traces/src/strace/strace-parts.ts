import type { TaskSink } from '../line-parser.js';
import { MAX_LINE_LENGTH, TraceError } from '../trace-error.js';
import type { TraceHeader } from '../trace-task.js';
import { StraceTasks } from './strace-tasks.js';
import { MICROS_PER_DAY, StraceClock, TimestampReader } from './strace-timestamp.js';

/** One file of `strace -ff -o PREFIX`: `PREFIX.TID` holds task `id`'s lines, with no tid on them. */
export interface StracePart {
  readonly id: number;
  readonly lines: AsyncIterable<string> | Iterable<string>;
  /** Named in errors. */
  readonly file?: string;
  /**
   * The same lines again, from the start (a file opened anew). When given, the part is open only
   * while the merge is in it: its first line is read from `lines` to place it, then `lines` is
   * closed (`return()`), and `reopen()` is read when the merge reaches that line. `strace -ff`
   * writes one file per task, thousands for a build: without it every part stays open from the
   * start. Arrays need none.
   */
  readonly reopen?: () => AsyncIterable<string> | Iterable<string>;
}

type Lines = AsyncIterator<string> | Iterator<string>;

interface Cursor {
  readonly id: number;
  readonly file: string | undefined;
  /** Its place in `parts`. */
  readonly index: number;
  /** Null while closed (placed by its first line, waiting for the merge to reach it). */
  iterator: Lines | null;
  readonly reopen: (() => Lines) | null;
  readonly clock: StraceClock;
  /** Reads the part's timestamps. */
  readonly stamps: TimestampReader;
  line: number;
  /** Lines up to this one were counted already (blank ones, read again after a reopen). */
  counted: number;
  text: string;
  raw: number;
  timeOfDay: boolean;
  time: number;
  at: number;
  /** The line is a `+++ ... +++` one (an end). */
  end: boolean;
}

function iterate(lines: AsyncIterable<string> | Iterable<string>): Lines {
  return Symbol.asyncIterator in lines ? lines[Symbol.asyncIterator]() : lines[Symbol.iterator]();
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
 * day that holds them all). Parts with `reopen` (and arrays) are open only while the merge is in
 * them, so that open files follow the tasks alive, not the tasks of the whole run.
 */
export async function parseStraceParts(
  parts: readonly StracePart[],
  sink: TaskSink,
): Promise<{ header: TraceHeader; ignoredLines: number }> {
  const tasks = new StraceTasks(sink);
  const cursors: Cursor[] = [];
  try {
    for (const [index, part] of parts.entries()) {
      const cursor = await openPart(part, index, tasks);
      if (cursor !== undefined) cursors.push(cursor);
    }
    placeFirstDays(cursors);
    for (const cursor of cursors) clockIn(cursor);
    await merge(cursors, tasks);
    tasks.end();
    return { header: tasks.header(), ignoredLines: tasks.ignoredLines };
  } finally {
    // On an error, the parts still open are closed (their files with them).
    for (const cursor of cursors) if (cursor.iterator !== null) await close(cursor);
  }
}

/**
 * A part's cursor on its first timestamped line, or `undefined` for a part with none (closed).
 * A part that can be opened again is closed until the merge reaches it.
 */
async function openPart(
  part: StracePart,
  index: number,
  tasks: StraceTasks,
): Promise<Cursor | undefined> {
  tasks.place.line = 0;
  tasks.place.file = part.file;
  tasks.checkTid(part.id);
  const lines = part.lines;
  const again = part.reopen;
  const reopen =
    again !== undefined
      ? () => iterate(again())
      : Array.isArray(lines)
        ? () => iterate(lines)
        : null;
  const cursor: Cursor = {
    id: part.id,
    file: part.file,
    index,
    iterator: iterate(lines),
    reopen,
    clock: new StraceClock(),
    stamps: new TimestampReader(),
    line: 0,
    counted: 0,
    text: '',
    raw: 0,
    timeOfDay: false,
    time: 0,
    at: 0,
    end: false,
  };
  let some = false;
  try {
    some = await read(cursor, tasks);
  } finally {
    if (reopen !== null || !some) await close(cursor);
  }
  return some ? cursor : undefined;
}

/**
 * Hands every line of the parts to `tasks` in the merged order. Closed parts wait in the order
 * of their first lines; open ones merge in a heap.
 */
async function merge(cursors: readonly Cursor[], tasks: StraceTasks): Promise<void> {
  const waiting = cursors.filter((cursor) => cursor.iterator === null);
  // What places a waiting part is its first line's time and kind; its text is read again.
  for (const cursor of waiting) cursor.text = '';
  waiting.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  let nextWaiting = 0;
  const heap = cursors.filter((cursor) => cursor.iterator !== null);
  for (let index = (heap.length >>> 1) - 1; index >= 0; index -= 1) siftDown(heap, index);
  for (;;) {
    // A waiting part joins when its first line comes before every open part's next line.
    let joining = waiting[nextWaiting];
    while (joining !== undefined && (heap.length === 0 || before(joining, heap[0] as Cursor))) {
      nextWaiting += 1;
      await reopenAt(joining, tasks);
      heap.push(joining);
      siftUp(heap, heap.length - 1);
      joining = waiting[nextWaiting];
    }
    const top = heap[0];
    if (top === undefined) return;
    tasks.place.line = top.line;
    tasks.place.file = top.file;
    tasks.event(top.id, top.time, top.text, 0, top.at);
    if (await read(top, tasks)) {
      clockIn(top);
    } else {
      top.iterator = null;
      const last = heap.pop() as Cursor;
      if (heap.length === 0) continue;
      if (last !== top) heap[0] = last;
    }
    siftDown(heap, 0);
  }
}

async function close(cursor: Cursor): Promise<void> {
  const iterator = cursor.iterator;
  cursor.iterator = null;
  await iterator?.return?.();
}

/** Opens a waiting part again and reads it up to the first line, which placed it. */
async function reopenAt(cursor: Cursor, tasks: StraceTasks): Promise<void> {
  const placed = cursor.raw;
  const line = cursor.line;
  cursor.iterator = (cursor.reopen as () => Lines)();
  cursor.line = 0;
  if (!(await read(cursor, tasks)) || cursor.line !== line || cursor.raw !== placed) {
    throw fail(
      cursor,
      'SYNTAX',
      'the part reads differently the second time (expected the same lines from reopen())',
    );
  }
}

function fail(cursor: Cursor, code: 'SYNTAX' | 'TOO_LONG', message: string): TraceError {
  return new TraceError(code, message, { line: cursor.line, file: cursor.file });
}

/** The part's next timestamped line (blank lines counted as ignored); false at its end. */
async function read(cursor: Cursor, tasks: StraceTasks): Promise<boolean> {
  const iterator = cursor.iterator as Lines;
  for (;;) {
    const result = await iterator.next();
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
      if (cursor.line > cursor.counted) tasks.ignoredLines += 1;
      continue;
    }
    const raw = cursor.stamps.read(text, 0);
    if (raw < 0 || text.charCodeAt(cursor.stamps.end) !== 32) {
      throw fail(
        cursor,
        'SYNTAX',
        `expected a timestamp (strace -t, -tt or -ttt) and a space at the start of the line (an -ff part has no tid), found ${JSON.stringify(text.slice(0, 40))}`,
      );
    }
    let at = cursor.stamps.end + 1;
    while (text.charCodeAt(at) === 32) at += 1;
    cursor.text = text;
    cursor.raw = raw;
    cursor.timeOfDay = cursor.stamps.timeOfDay;
    cursor.at = at;
    cursor.end = text.charCodeAt(at) === 43;
    if (cursor.line > cursor.counted) cursor.counted = cursor.line;
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

function siftUp(heap: Cursor[], from: number): void {
  let index = from;
  const item = heap[index] as Cursor;
  while (index > 0) {
    const parent = (index - 1) >>> 1;
    const above = heap[parent] as Cursor;
    if (!before(item, above)) break;
    heap[index] = above;
    index = parent;
  }
  heap[index] = item;
}
