import type { LineParser, TaskSink } from './line-parser.js';
import { TraceError } from './trace-error.js';
import {
  type TaskEnding,
  type TaskKind,
  TRACE_FORMAT_NAME,
  TRACE_FORMAT_VERSION,
  type Trace,
  type TraceHeader,
  type TraceSource,
  type TraceTask,
} from './trace-task.js';

/**
 * The project's own format, "vmars-trace" version 1: JSON Lines, a header first, then one record
 * per task in the order the tasks ended (the censored ones last):
 *
 *   {"format":"vmars-trace","version":1,"source":"strace","command":"make -j2","date":null,"origin":"1733534822.123456","kindsKnown":true}
 *   {"id":1235,"parent":1234,"kind":"thread","start":120,"end":5400,"seq":[3,9],"ending":"exit","code":0}
 *
 * The reader checks everything a replay relies on: every field and its type, `seq` as one
 * sequence (each of 0..M-1 exactly once, a start before its end, times never decreasing along
 * it), `ending` null exactly when `end` is, and no id alive twice at once.
 */

export interface VmarsTraceParserOptions {
  /** Named in errors. */
  readonly file?: string;
}

const SOURCES: ReadonlySet<string> = new Set<TraceSource>([
  'strace',
  'perf',
  'bpftrace',
  'vmars-trace',
]);
const KINDS: ReadonlySet<string> = new Set<TaskKind>(['thread', 'process']);
const ENDINGS: ReadonlySet<string> = new Set<TaskEnding>([
  'exit',
  'signal',
  'group-exit',
  'superseded',
]);
const HEADER_KEYS: ReadonlySet<string> = new Set([
  'format',
  'version',
  'source',
  'command',
  'date',
  'origin',
  'kindsKnown',
  'notes',
]);
const RECORD_KEYS: ReadonlySet<string> = new Set([
  'id',
  'parent',
  'kind',
  'start',
  'end',
  'seq',
  'ending',
  'code',
  'signal',
]);

const RECORD_EXAMPLE =
  '{"id":1235,"parent":1234,"kind":"thread","start":120,"end":5400,"seq":[3,9],"ending":"exit","code":0}';

/** One line: the header, without its line break. */
export function formatTraceHeader(header: TraceHeader): string {
  const out: Record<string, unknown> = {
    format: TRACE_FORMAT_NAME,
    version: TRACE_FORMAT_VERSION,
    source: header.source,
    command: header.command,
    date: header.date,
    origin: header.origin,
    kindsKnown: header.kindsKnown,
  };
  if (header.notes !== undefined) out.notes = header.notes;
  return JSON.stringify(out);
}

/** One line: a task's record, without its line break. */
export function formatTraceRecord(task: TraceTask): string {
  // Built by hand: the fields are numbers, null or known words, and this is the writer's hot loop.
  let text = `{"id":${String(task.id)},"parent":${task.parent === null ? 'null' : String(task.parent)},"kind":${task.kind === null ? 'null' : `"${task.kind}"`},"start":${task.start === null ? 'null' : String(task.start)},"end":${task.end === null ? 'null' : String(task.end)},"seq":[${task.startSeq === null ? 'null' : String(task.startSeq)},${task.endSeq === null ? 'null' : String(task.endSeq)}],"ending":${task.ending === null ? 'null' : `"${task.ending}"`}`;
  if (task.code !== undefined) text += `,"code":${String(task.code)}`;
  if (task.signal !== undefined) text += `,"signal":${JSON.stringify(task.signal)}`;
  return `${text}}`;
}

/**
 * The whole trace as lines (each with its `\n`): the header, then the tasks in the order they
 * ended, then the censored ones in the trace's order. Reading it back gives `trace` again when
 * `trace.tasks` is in the order `readTrace` gives (the tasks alive before the trace in the order
 * they ended, the censored last; then the others by `startSeq`).
 */
export function* writeTrace(trace: Trace): Generator<string> {
  yield `${formatTraceHeader(trace.header)}\n`;
  const ended: TraceTask[] = [];
  const censored: TraceTask[] = [];
  for (const task of trace.tasks) (task.endSeq === null ? censored : ended).push(task);
  ended.sort((left, right) => (left.endSeq as number) - (right.endSeq as number));
  for (const task of ended) yield `${formatTraceRecord(task)}\n`;
  for (const task of censored) yield `${formatTraceRecord(task)}\n`;
}

type MutableTask = { -readonly [K in keyof TraceTask]: TraceTask[K] };

/**
 * A record exactly as `formatTraceRecord` writes it. Bounded repeats and no two ways to match
 * the same text: linear. At most 15 digits, so every number is below 2^53 (a longer one goes the
 * JSON.parse way, which checks it). Without captures: `test` allocates nothing, and
 * `CanonicalScanner` then reads the fields at the places the match vouches for.
 */
const CANONICAL =
  /^\{"id":(?:0|[1-9]\d{0,14}),"parent":(?:null|0|[1-9]\d{0,14}),"kind":(?:null|"thread"|"process"),"start":(?:null|0|[1-9]\d{0,14}),"end":(?:null|0|[1-9]\d{0,14}),"seq":\[(?:null|0|[1-9]\d{0,14}),(?:null|0|[1-9]\d{0,14})\],"ending":(?:null|"exit"|"signal"|"group-exit"|"superseded")(?:,"code":-?(?:0|[1-9]\d{0,14}))?(?:,"signal":"SIG[A-Z0-9+-]{1,16}")?\}$/;

const CHAR_N = 110; // n, the first letter of null
const CHAR_MINUS = 45;
const CHAR_ZERO = 48;

/**
 * Reads the fields of a line that `CANONICAL` matched, left to right: each field's name has a
 * known length, each number ends at the first character that is no digit. One object, reused.
 */
class CanonicalScanner {
  private text = '';
  private at = 0;
  /** One string per signal's name, not one per record: a trace keeps all its tasks. */
  private readonly signals = new Map<string, string>();

  /**
   * The task of a record in the writer's layout, its fields' types checked (not how they fit
   * together), or `undefined` for any other text, which the caller reads with JSON.parse (that
   * reads every layout, and names what is wrong).
   */
  read(text: string): MutableTask | undefined {
    if (text.charCodeAt(text.length - 1) !== 125 || !CANONICAL.test(text)) return undefined;
    return this.task(text);
  }

  private task(text: string): MutableTask {
    this.text = text;
    this.at = 6; // {"id":
    const id = this.number() as number;
    this.at += 10; // ,"parent":
    const parent = this.number();
    this.at += 8; // ,"kind":
    let kind: TaskKind | null = null;
    if (text.charCodeAt(this.at) === CHAR_N) this.at += 4;
    else if (text.charCodeAt(this.at + 1) === 116 /* t */) {
      kind = 'thread';
      this.at += 8;
    } else {
      kind = 'process';
      this.at += 9;
    }
    this.at += 9; // ,"start":
    const start = this.number();
    this.at += 7; // ,"end":
    const end = this.number();
    this.at += 8; // ,"seq":[
    const startSeq = this.number();
    this.at += 1; // ,
    const endSeq = this.number();
    this.at += 11; // ],"ending":
    const ending = this.ending();
    const task: MutableTask = { id, parent, kind, start, end, startSeq, endSeq, ending };
    if (text.charCodeAt(this.at + 2) === 99 /* c of ,"code": */) {
      this.at += 8;
      const negative = text.charCodeAt(this.at) === CHAR_MINUS;
      if (negative) this.at += 1;
      const code = this.number() as number;
      task.code = negative ? -code : code;
    }
    if (text.charCodeAt(this.at + 2) === 115 /* s of ,"signal":" */) {
      task.signal = this.sharedSignal(text.slice(this.at + 11, text.length - 2));
    }
    return task;
  }

  /** `null`, or the digits at `at`. */
  private number(): number | null {
    const text = this.text;
    let at = this.at;
    if (text.charCodeAt(at) === CHAR_N) {
      this.at = at + 4;
      return null;
    }
    let value = 0;
    for (;;) {
      const digit = text.charCodeAt(at) - CHAR_ZERO;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      at += 1;
    }
    this.at = at;
    return value;
  }

  private sharedSignal(signal: string): string {
    const shared = this.signals.get(signal);
    if (shared !== undefined) return shared;
    if (this.signals.size < 256) this.signals.set(signal, signal);
    return signal;
  }

  private ending(): TaskEnding | null {
    const text = this.text;
    const at = this.at;
    if (text.charCodeAt(at) === CHAR_N) {
      this.at = at + 4;
      return null;
    }
    switch (text.charCodeAt(at + 1)) {
      case 101: // "exit"
        this.at = at + 6;
        return 'exit';
      case 103: // "group-exit"
        this.at = at + 12;
        return 'group-exit';
      default:
        if (text.charCodeAt(at + 2) === 105) {
          // "signal"
          this.at = at + 8;
          return 'signal';
        }
        this.at = at + 12; // "superseded"
        return 'superseded';
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Growable typed arrays, indexed by sequence number. */
class SeqTable {
  ids = new Float64Array(1024);
  times = new Float64Array(1024);
  lines = new Float64Array(1024);
  /** 0: free; 1: a start; 2: an end. */
  what = new Uint8Array(1024);
  size = 0;

  ensure(seq: number): void {
    if (seq < this.what.length) return;
    let length = this.what.length;
    while (length <= seq) length *= 2;
    const grow = <T extends Float64Array | Uint8Array>(old: T, make: (length: number) => T): T => {
      const next = make(length);
      next.set(old);
      return next;
    };
    this.ids = grow(this.ids, (size) => new Float64Array(size));
    this.times = grow(this.times, (size) => new Float64Array(size));
    this.lines = grow(this.lines, (size) => new Float64Array(size));
    this.what = grow(this.what, (size) => new Uint8Array(size));
  }
}

/**
 * A reader of the project's format. Each record goes to `sink` at once; the checks that need
 * the whole sequence (every number present, no id alive twice, times in order) run at `end()`.
 */
export function createVmarsTraceParser(
  sink: TaskSink,
  options: VmarsTraceParserOptions = {},
): LineParser {
  const file = options.file;
  let header: TraceHeader | undefined;
  let ignoredLines = 0;
  const table = new SeqTable();
  const scanner = new CanonicalScanner();
  /** Tasks alive before the trace began: their ids and lines. */
  const before: { id: number; line: number }[] = [];
  let lastLine = 0;

  const fail = (code: 'SYNTAX' | 'CONTRADICTION', message: string, line: number): never => {
    throw new TraceError(code, message, file === undefined ? { line } : { line, file });
  };

  /**
   * Numbers far beyond what the records so far could use wait here, so that one huge number
   * cannot make the table allocate without bound; at the end, when M is known, they either fit
   * the table or are refused.
   */
  const farAhead = new Map<number, { what: 1 | 2; id: number; time: number; line: number }>();
  let records = 0;

  const take = (seq: number, what: 1 | 2, id: number, time: number, line: number): void => {
    if (seq >= table.what.length && seq >= 4 * records + 65_536) {
      const other = farAhead.get(seq);
      if (other !== undefined) {
        fail(
          'CONTRADICTION',
          `sequence number ${String(seq)} is already taken by line ${String(other.line)} (expected each of 0..M-1 once)`,
          line,
        );
      }
      farAhead.set(seq, { what, id, time, line });
      return;
    }
    table.ensure(seq);
    if (table.what[seq] !== 0) {
      fail(
        'CONTRADICTION',
        `sequence number ${String(seq)} is already taken by line ${String(table.lines[seq])} (expected each of 0..M-1 once)`,
        line,
      );
    }
    table.what[seq] = what;
    table.ids[seq] = id;
    table.times[seq] = time;
    table.lines[seq] = line;
    if (seq + 1 > table.size) table.size = seq + 1;
  };

  const parseHeader = (value: unknown, line: number): TraceHeader => {
    const expected = `expected the header {"format":"vmars-trace","version":1,"source":…,"command":…,"date":…,"origin":…,"kindsKnown":…}`;
    if (!isRecord(value) || value.format !== TRACE_FORMAT_NAME) {
      return fail('SYNTAX', `${expected} first, found ${describe(value)}`, line);
    }
    const version = value.version;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
      return fail(
        'SYNTAX',
        `"version" must be a whole number (1), found ${describe(version)}`,
        line,
      );
    }
    if (version > TRACE_FORMAT_VERSION) {
      throw new TraceError(
        'UNKNOWN_FORMAT',
        `vmars-trace version ${String(version)} is newer than this reader, which reads version ${String(TRACE_FORMAT_VERSION)}: update @vmars/thread-traces`,
        file === undefined ? { line } : { line, file },
      );
    }
    for (const key of Object.keys(value)) {
      if (!HEADER_KEYS.has(key)) fail('SYNTAX', `unknown header field "${key}"`, line);
    }
    if (typeof value.source !== 'string' || !SOURCES.has(value.source)) {
      fail(
        'SYNTAX',
        `"source" must be one of ${[...SOURCES].join(', ')}, found ${describe(value.source)}`,
        line,
      );
    }
    for (const key of ['command', 'date', 'origin'] as const) {
      if (value[key] !== null && typeof value[key] !== 'string') {
        fail('SYNTAX', `"${key}" must be a string or null, found ${describe(value[key])}`, line);
      }
    }
    if (typeof value.kindsKnown !== 'boolean') {
      fail(
        'SYNTAX',
        `"kindsKnown" must be true or false, found ${describe(value.kindsKnown)}`,
        line,
      );
    }
    const result: {
      -readonly [K in keyof TraceHeader]: TraceHeader[K];
    } = {
      format: TRACE_FORMAT_NAME,
      version: TRACE_FORMAT_VERSION,
      source: value.source as TraceSource,
      command: value.command as string | null,
      date: value.date as string | null,
      origin: value.origin as string | null,
      kindsKnown: value.kindsKnown as boolean,
    };
    if (value.notes !== undefined) {
      const notes = value.notes;
      if (!isRecord(notes) || Object.values(notes).some((note) => typeof note !== 'string')) {
        fail('SYNTAX', `"notes" must be an object of strings, found ${describe(notes)}`, line);
      }
      result.notes = { ...(notes as Record<string, string>) };
    }
    return result;
  };

  const wholeOrNull = (value: unknown, name: string, line: number): number | null => {
    if (value === null) return null;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      return fail(
        'SYNTAX',
        `"${name}" must be a whole number ≥ 0 or null, found ${describe(value)}`,
        line,
      );
    }
    return value;
  };

  const parseRecord = (value: unknown, line: number): MutableTask => {
    if (!isRecord(value))
      return fail(
        'SYNTAX',
        `expected a task record like ${RECORD_EXAMPLE}, found ${describe(value)}`,
        line,
      );
    for (const key in value) {
      if (!RECORD_KEYS.has(key))
        fail(
          'SYNTAX',
          `unknown record field "${key}" (expected a task record like ${RECORD_EXAMPLE})`,
          line,
        );
    }
    const id = value.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
      return fail('SYNTAX', `"id" must be a whole number ≥ 0, found ${describe(id)}`, line);
    }
    const parent = wholeOrNull(value.parent, 'parent', line);
    const kind = value.kind;
    if (kind !== null && (typeof kind !== 'string' || !KINDS.has(kind))) {
      return fail(
        'SYNTAX',
        `"kind" must be "thread", "process" or null, found ${describe(kind)}`,
        line,
      );
    }
    const start = wholeOrNull(value.start, 'start', line);
    const end = wholeOrNull(value.end, 'end', line);
    const seq = value.seq;
    if (!Array.isArray(seq) || seq.length !== 2) {
      return fail(
        'SYNTAX',
        `"seq" must be [start, end] (numbers or null), found ${describe(seq)}`,
        line,
      );
    }
    const startSeq = wholeOrNull(seq[0], 'seq[0]', line);
    const endSeq = wholeOrNull(seq[1], 'seq[1]', line);
    const ending = value.ending;
    if (ending !== null && (typeof ending !== 'string' || !ENDINGS.has(ending))) {
      return fail(
        'SYNTAX',
        `"ending" must be one of ${[...ENDINGS].join(', ')} or null, found ${describe(ending)}`,
        line,
      );
    }
    const task: MutableTask = {
      id,
      parent,
      kind: kind as TaskKind | null,
      start,
      end,
      startSeq,
      endSeq,
      ending: ending as TaskEnding | null,
    };
    if (value.code !== undefined) {
      if (typeof value.code !== 'number' || !Number.isSafeInteger(value.code)) {
        fail('SYNTAX', `"code" must be a whole number, found ${describe(value.code)}`, line);
      }
      task.code = value.code as number;
    }
    if (value.signal !== undefined) {
      if (typeof value.signal !== 'string' || !/^SIG[A-Z0-9+-]{1,16}$/.test(value.signal)) {
        fail(
          'SYNTAX',
          `"signal" must be a signal's name like "SIGKILL", found ${describe(value.signal)}`,
          line,
        );
      }
      task.signal = value.signal as string;
    }
    return task;
  };

  /** How the fields of a task fit together, whichever way it was read. */
  const checkTask = (task: TraceTask, line: number, kindsKnown: boolean): void => {
    const { kind, start, end, startSeq, endSeq, ending } = task;
    if (!kindsKnown && kind !== null) {
      fail(
        'CONTRADICTION',
        `"kind" is ${describe(kind)} but the header says kindsKnown:false (expected null)`,
        line,
      );
    }
    if ((start === null) !== (startSeq === null)) {
      fail(
        'CONTRADICTION',
        `"start" is ${describe(start)} and "seq"[0] is ${describe(startSeq)} (expected both null or neither)`,
        line,
      );
    }
    if ((end === null) !== (endSeq === null) || (end === null) !== (ending === null)) {
      fail(
        'CONTRADICTION',
        `"end" is ${describe(end)}, "seq"[1] ${describe(endSeq)} and "ending" ${describe(ending)} (expected all three null or none)`,
        line,
      );
    }
    if (start !== null && end !== null && end < start) {
      fail(
        'CONTRADICTION',
        `the task ends (${String(end)} µs) before it starts (${String(start)} µs)`,
        line,
      );
    }
    if (startSeq !== null && endSeq !== null && endSeq <= startSeq) {
      fail(
        'CONTRADICTION',
        `the task's end (seq ${String(endSeq)}) comes before its start (seq ${String(startSeq)})`,
        line,
      );
    }
    if (task.code !== undefined && ending !== 'exit') {
      fail(
        'CONTRADICTION',
        `"code" goes only with "ending":"exit", found "ending":${describe(ending)}`,
        line,
      );
    }
    if (task.signal !== undefined && ending !== 'signal') {
      fail(
        'CONTRADICTION',
        `"signal" goes only with "ending":"signal", found "ending":${describe(ending)}`,
        line,
      );
    }
    if (task.signal === undefined && ending === 'signal') {
      fail('SYNTAX', `"ending":"signal" needs "signal" naming it (like "SIGKILL")`, line);
    }
  };

  return {
    line(text: string, number: number): void {
      lastLine = number;
      // A record starts with "{": only other lines need the look for white space.
      if (text.charCodeAt(0) !== 123 && text.trim().length === 0) {
        if (header === undefined)
          fail('SYNTAX', 'expected the vmars-trace header first, found a blank line', number);
        ignoredLines += 1;
        return;
      }
      // The writer's own layout is read by one linear regular expression, several times
      // faster than JSON.parse; any other layout of the same JSON goes through JSON.parse. Both
      // give a task whose fields' types are checked to the same checks of how they fit.
      let task = header === undefined ? undefined : scanner.read(text);
      if (task === undefined) {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          const expected =
            header === undefined
              ? 'the vmars-trace header'
              : `a task record like ${RECORD_EXAMPLE}`;
          throw new TraceError(
            'SYNTAX',
            `expected ${expected} as one JSON object, found text that is not JSON (${(error as Error).message})`,
            { cause: error, line: number, ...(file === undefined ? {} : { file }) },
          );
        }
        if (header === undefined) {
          header = parseHeader(value, number);
          return;
        }
        task = parseRecord(value, number);
      }
      checkTask(task, number, (header as TraceHeader).kindsKnown);
      records += 1;
      if (task.startSeq === null) before.push({ id: task.id, line: number });
      else take(task.startSeq, 1, task.id, task.start as number, number);
      if (task.endSeq !== null) take(task.endSeq, 2, task.id, task.end as number, number);
      sink(task);
    },

    end(): void {
      if (header === undefined) {
        fail(
          'SYNTAX',
          'expected the vmars-trace header, found an empty file',
          Math.max(lastLine, 1),
        );
      }
      // N records use at most 2N numbers (0..M-1, M ≤ 2N).
      for (const [seq, entry] of farAhead) {
        if (seq >= 2 * records) {
          fail(
            'CONTRADICTION',
            `sequence number ${String(seq)} is beyond what ${String(records)} records can number (expected each of 0..M-1 once, M ≤ ${String(2 * records)})`,
            entry.line,
          );
        }
        take(seq, entry.what, entry.id, entry.time, entry.line);
      }
      // One walk along the sequence: every number present, times never decreasing, and each id
      // alive at most once at a time (the alive-before-trace tasks are alive at its beginning).
      const alive = new Map<number, number>();
      for (const { id, line } of before) {
        const other = alive.get(id);
        if (other !== undefined) {
          fail(
            'CONTRADICTION',
            `task ${String(id)} was alive before the trace began, and so was the task of line ${String(other)} with the same id (expected one task per id at a time)`,
            line,
          );
        }
        alive.set(id, line);
      }
      let lastTime = 0;
      for (let seq = 0; seq < table.size; seq += 1) {
        const what = table.what[seq];
        if (what === 0) {
          fail(
            'CONTRADICTION',
            `sequence number ${String(seq)} belongs to no start or end (expected each of 0 to ${String(table.size - 1)} once)`,
            lastLine,
          );
        }
        const id = table.ids[seq] as number;
        const line = table.lines[seq] as number;
        const time = table.times[seq] as number;
        if (time < lastTime) {
          fail(
            'CONTRADICTION',
            `seq ${String(seq)} is at ${String(time)} µs, before seq ${String(seq - 1)} at ${String(lastTime)} µs (expected times in seq order)`,
            line,
          );
        }
        lastTime = time;
        if (what === 1) {
          const other = alive.get(id);
          if (other !== undefined) {
            fail(
              'CONTRADICTION',
              `task ${String(id)} starts (seq ${String(seq)}) while the task of line ${String(other)} with the same id is alive (expected one task per id at a time)`,
              line,
            );
          }
          alive.set(id, line);
        } else {
          alive.delete(id);
        }
      }
    },

    header(): TraceHeader {
      if (header === undefined) {
        throw new TraceError(
          'SYNTAX',
          'no vmars-trace header has been read',
          file === undefined ? {} : { file },
        );
      }
      return header;
    },

    get ignoredLines(): number {
      return ignoredLines;
    },
  };
}
