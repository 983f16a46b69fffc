import { TraceError } from '../trace-error.js';

/** The events a perf trace is read from; any other event's line is counted and passed over. */
export type PerfEventName =
  | 'sched:sched_process_fork'
  | 'sched:sched_process_exit'
  | 'task:task_newtask'
  | 'sched:sched_process_exec';

/** One event line of `perf script`, cut into its parts. */
export interface PerfLine {
  readonly tid: number;
  /** The event, or `null` for an event the reader does not need. */
  readonly name: PerfEventName | null;
  /** The time as printed, with its colon: `190.342260:`. */
  readonly timeText: string;
  /** What follows the event's name, trimmed. */
  readonly fields: string;
}

const WHOLE = /^\d{1,15}$/;
const TIME = /^(\d{1,12})\.(\d{1,9}):$/;
/** `perf script` after `perf record -g`: one frame a line, `\t  ffffffff81001234 func+0x1 (dso)`. */
const CALLCHAIN = /^\s+[0-9a-f]{4,16} \S/;
const FIELDS: Readonly<Record<PerfEventName, string>> = {
  'sched:sched_process_fork': 'comm= pid= child_comm= child_pid=',
  'sched:sched_process_exit': 'comm= pid= prio= [group_dead=]',
  'task:task_newtask': 'pid= comm= clone_flags= oom_score_adj=',
  'sched:sched_process_exec': 'filename= pid= old_pid=',
};

function eventName(name: string): PerfEventName | null {
  return Object.hasOwn(FIELDS, name) ? (name as PerfEventName) : null;
}

/**
 * Cuts a line `COMM TID [CPU] SECONDS.FRACTION: EVENT: FIELDS` into its parts, or gives
 * `undefined` for a call chain's frame line. COMM may hold spaces: the timestamp token
 * ("190.342260:") is found first; the tid is the token before it (or before the "[CPU]" token,
 * and may be `PID/TID`), the event the token after it.
 */
export function splitPerfLine(
  text: string,
  line: number,
  file: string | undefined,
): PerfLine | undefined {
  const expected = 'expected a perf script line "COMM TID [CPU] SECONDS.MICROS: EVENT: FIELDS"';
  const tokens = text.trim().split(/\s+/);
  let timeToken = -1;
  for (let index = 1; index < tokens.length; index += 1) {
    if (TIME.test(tokens[index] as string)) {
      timeToken = index;
      break;
    }
  }
  if (timeToken < 0) {
    if (CALLCHAIN.test(text)) return undefined;
    throw new TraceError('SYNTAX', `${expected}, found ${JSON.stringify(text.slice(0, 80))}`, {
      line,
      file,
    });
  }
  const tidToken =
    tokens[/^\[\d+\]$/.test(tokens[timeToken - 1] as string) ? timeToken - 2 : timeToken - 1];
  const tid = tidToken === undefined ? undefined : /^(?:\d+\/)?(\d{1,15})$/.exec(tidToken)?.[1];
  if (tid === undefined) {
    throw new TraceError('SYNTAX', `${expected}: no TID before the time`, { line, file });
  }
  const event = tokens[timeToken + 1];
  if (event === undefined || !event.endsWith(':')) {
    throw new TraceError('SYNTAX', `${expected}: no "EVENT:" after the time`, { line, file });
  }
  const timeText = tokens[timeToken] as string;
  const eventAt = text.indexOf(event, text.indexOf(timeText));
  return {
    tid: Number(tid),
    name: eventName(event.slice(0, -1)),
    timeText,
    fields: text.slice(eventAt + event.length).trim(),
  };
}

/** A line's time in microseconds since the epoch of its clock (`190.342260:` → 190342260). */
export function perfMicros(timeText: string): number {
  const time = TIME.exec(timeText) as RegExpExecArray;
  return (
    Number(time[1]) * 1_000_000 + Math.floor(Number((time[2] as string).padEnd(9, '0')) / 1000)
  );
}

/**
 * The `key=value` fields of one event line, read by name; a field that is missing or malformed
 * is a SYNTAX error naming the event's expected fields.
 */
export class PerfFields {
  constructor(
    private readonly name: PerfEventName,
    private readonly fields: string,
    private readonly line: number,
    private readonly file: string | undefined,
  ) {}

  /** Whether the field `key` is there (not the first). */
  has(key: string): boolean {
    return this.fields.includes(` ${key}=`);
  }

  /**
   * The value of `key`, running to the next known key `before` (or to the end): comm values may
   * hold spaces and even `=`, but never the next key with its leading space, which the kernel
   * prints.
   */
  text(key: string, before: string | null): string {
    const fields = this.fields;
    const keyAt = fields.startsWith(`${key}=`) ? 0 : fields.indexOf(` ${key}=`);
    if (keyAt < 0) return this.bad();
    const from = keyAt === 0 ? key.length + 1 : keyAt + key.length + 2;
    if (before === null) return fields.slice(from).trimEnd();
    const to = fields.indexOf(` ${before}=`, from);
    if (to < 0) return this.bad();
    return fields.slice(from, to);
  }

  /** The value of `key` as a whole number. */
  whole(key: string, before: string | null): number {
    const value = this.text(key, before);
    return WHOLE.test(value) ? Number(value) : this.bad();
  }

  bad(): never {
    throw new TraceError(
      'SYNTAX',
      `expected the fields of ${this.name} (${FIELDS[this.name]}), found ${JSON.stringify(this.fields.slice(0, 80))}`,
      { line: this.line, file: this.file },
    );
  }
}
