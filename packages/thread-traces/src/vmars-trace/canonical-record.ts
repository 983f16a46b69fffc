import type { TaskEnding, TaskKind, TraceTask } from '../trace-task.js';

/** A task as it is being read: its optional fields are added when present. */
export type MutableTask = { -readonly [K in keyof TraceTask]: TraceTask[K] };

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
export class CanonicalScanner {
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
    let code: number | undefined;
    if (text.charCodeAt(this.at + 2) === 99 /* c of ,"code": */) {
      this.at += 8;
      const negative = text.charCodeAt(this.at) === CHAR_MINUS;
      if (negative) this.at += 1;
      const magnitude = this.number() as number;
      code = negative ? -magnitude : magnitude;
    }
    const signal =
      text.charCodeAt(this.at + 2) === 115 /* s of ,"signal":" */
        ? this.sharedSignal(text.slice(this.at + 11, text.length - 2))
        : undefined;
    // One object literal per shape, so that every field is in the object itself: a field added
    // after it is made costs a separate backing store, for each of a million tasks.
    if (signal === undefined) {
      return code === undefined
        ? { id, parent, kind, start, end, startSeq, endSeq, ending }
        : { id, parent, kind, start, end, startSeq, endSeq, ending, code };
    }
    return code === undefined
      ? { id, parent, kind, start, end, startSeq, endSeq, ending, signal }
      : { id, parent, kind, start, end, startSeq, endSeq, ending, code, signal };
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
