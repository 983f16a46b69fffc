import { refuse } from './refuse.js';

/** What a sequence number holds: 0 nothing yet, 1 a start, 2 an end. */
type Event = 1 | 2;

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
 * The tasks alive at a point of the walk: id → the line of its record. Task ids are Linux tids
 * (below 2^22) in every trace a recorder writes, so a typed array indexed by id holds them,
 * cheaper than a Map for a million starts and ends, when the ids are few enough for the records
 * (an array no larger than a few times the records', so that memory follows the trace); other
 * traces use a Map.
 */
class AliveIds {
  /** Line + 1 of the alive task of each id; 0 for none. */
  private readonly direct: Uint32Array | undefined;
  private readonly map: Map<number, number> | undefined;

  constructor(largestId: number, records: number, lastLine: number) {
    const dense = largestId < 8 * records + 65_536 && lastLine < 0xffff_ffff;
    if (dense) this.direct = new Uint32Array(largestId + 1);
    else this.map = new Map();
  }

  /** The line of the alive task with this id, or `undefined`. */
  get(id: number): number | undefined {
    if (this.direct === undefined) return (this.map as Map<number, number>).get(id);
    const line = this.direct[id] as number;
    return line === 0 ? undefined : line - 1;
  }

  set(id: number, line: number): void {
    if (this.direct === undefined) (this.map as Map<number, number>).set(id, line);
    else this.direct[id] = line + 1;
  }

  delete(id: number): void {
    if (this.direct === undefined) (this.map as Map<number, number>).delete(id);
    else this.direct[id] = 0;
  }
}

/**
 * The checks of a vmars-trace that need the whole sequence: every number of 0..M-1 used exactly
 * once, times never decreasing along it, and no id alive twice at once. Records hand their
 * starts and ends to `take` as they come; `finish` checks the whole.
 */
export class SequenceCheck {
  private readonly table = new SeqTable();
  /** Tasks alive before the trace began: their ids and lines. */
  private readonly before: { id: number; line: number }[] = [];
  /**
   * Numbers far beyond what the records so far could use wait here, so that one huge number
   * cannot make the table allocate without bound; at the end, when M is known, they either fit
   * the table or are refused.
   */
  private readonly farAhead = new Map<
    number,
    { what: Event; id: number; time: number; line: number }
  >();
  private records = 0;
  /** The largest id of any record. */
  private largestId = 0;

  constructor(private readonly file: string | undefined) {}

  /** One record's task: its start (or its being alive before the trace) and its end. */
  record(
    id: number,
    startSeq: number | null,
    start: number | null,
    endSeq: number | null,
    end: number | null,
    line: number,
  ): void {
    this.records += 1;
    if (id > this.largestId) this.largestId = id;
    if (startSeq === null) this.before.push({ id, line });
    else this.take(startSeq, 1, id, start as number, line);
    if (endSeq !== null) this.take(endSeq, 2, id, end as number, line);
  }

  private take(seq: number, what: Event, id: number, time: number, line: number): void {
    const table = this.table;
    if (seq >= table.what.length && seq >= 4 * this.records + 65_536) {
      const other = this.farAhead.get(seq);
      if (other !== undefined) this.taken(seq, other.line, line);
      this.farAhead.set(seq, { what, id, time, line });
      return;
    }
    table.ensure(seq);
    if (table.what[seq] !== 0) this.taken(seq, table.lines[seq] as number, line);
    table.what[seq] = what;
    table.ids[seq] = id;
    table.times[seq] = time;
    table.lines[seq] = line;
    if (seq + 1 > table.size) table.size = seq + 1;
  }

  private taken(seq: number, otherLine: number, line: number): never {
    return refuse(
      'CONTRADICTION',
      `sequence number ${String(seq)} is already taken by line ${String(otherLine)} (expected each of 0..M-1 once)`,
      line,
      this.file,
    );
  }

  /** The input is over (its last line is `lastLine`): checks the whole sequence. */
  finish(lastLine: number): void {
    this.placeFarAhead();
    const alive = this.aliveBefore(lastLine);
    this.walk(alive, lastLine);
  }

  /** N records use at most 2N numbers (0..M-1, M ≤ 2N). */
  private placeFarAhead(): void {
    for (const [seq, entry] of this.farAhead) {
      if (seq >= 2 * this.records) {
        refuse(
          'CONTRADICTION',
          `sequence number ${String(seq)} is beyond what ${String(this.records)} records can number (expected each of 0..M-1 once, M ≤ ${String(2 * this.records)})`,
          entry.line,
          this.file,
        );
      }
      this.take(seq, entry.what, entry.id, entry.time, entry.line);
    }
  }

  /** The tasks alive before the trace began, by id, each with its line. */
  private aliveBefore(lastLine: number): AliveIds {
    const alive = new AliveIds(this.largestId, this.records, lastLine);
    for (const { id, line } of this.before) {
      const other = alive.get(id);
      if (other !== undefined) {
        refuse(
          'CONTRADICTION',
          `task ${String(id)} was alive before the trace began, and so was the task of line ${String(other)} with the same id (expected one task per id at a time)`,
          line,
          this.file,
        );
      }
      alive.set(id, line);
    }
    return alive;
  }

  /**
   * One walk along the sequence: every number present, times never decreasing, and each id
   * alive at most once at a time (the alive-before-trace tasks are alive at its beginning).
   */
  private walk(alive: AliveIds, lastLine: number): void {
    const table = this.table;
    let lastTime = 0;
    for (let seq = 0; seq < table.size; seq += 1) {
      const what = table.what[seq];
      if (what === 0) {
        refuse(
          'CONTRADICTION',
          `sequence number ${String(seq)} belongs to no start or end (expected each of 0 to ${String(table.size - 1)} once)`,
          lastLine,
          this.file,
        );
      }
      const id = table.ids[seq] as number;
      const line = table.lines[seq] as number;
      const time = table.times[seq] as number;
      if (time < lastTime) {
        refuse(
          'CONTRADICTION',
          `seq ${String(seq)} is at ${String(time)} µs, before seq ${String(seq - 1)} at ${String(lastTime)} µs (expected times in seq order)`,
          line,
          this.file,
        );
      }
      lastTime = time;
      if (what === 1) {
        const other = alive.get(id);
        if (other !== undefined) {
          refuse(
            'CONTRADICTION',
            `task ${String(id)} starts (seq ${String(seq)}) while the task of line ${String(other)} with the same id is alive (expected one task per id at a time)`,
            line,
            this.file,
          );
        }
        alive.set(id, line);
      } else {
        alive.delete(id);
      }
    }
  }
}
