import type { TaskSink } from '../line-parser.js';
import { TraceError } from '../trace-error.js';
import type { TaskEnding, TaskKind, TraceHeader, TraceTask } from '../trace-task.js';

/**
 * The state machine every strace form feeds (`-o FILE` with the tid first, stderr with `[pid N]`,
 * and `-ff` parts merged by time): one call of `event` per timestamped line, with the line's task
 * already told. It keeps only what is alive: the live tasks by their current tid, their thread
 * groups, ended tasks waiting for the clone result that names their creator, and a bitset of the
 * ids seen (512 KiB at most: tids are at most `PID_MAX_LIMIT`).
 *
 * The rules it applies are in `README.md` beside this file.
 */

/** Linux's `PID_MAX_LIMIT` (2^22): no tid is larger. */
export const MAX_TASK_ID = 4_194_304;

/** The id of the first task of a stderr trace until a `[pid N]` line names it. */
const UNNAMED = -1;

const SUPERSEDED = '+++ superseded by execve in pid ';

const CREATING_CALLS: ReadonlySet<string> = new Set(['clone', 'clone3', 'fork', 'vfork']);

interface Group {
  /** The tid the group is known by (the leader's, which an `execve` hands on to its new leader). */
  readonly leaderTid: number;
  readonly members: Set<Live>;
}

interface Live {
  /** The record's id: the tid the task had when it started (kept across an `execve` takeover). */
  id: number;
  /** The tid its lines carry now (the leader's, after a non-leader's `execve`). */
  tid: number;
  /** The creator's record id; `UNNAMED` while that is the unnamed first task. */
  parent: number | null;
  kind: TaskKind | null;
  readonly start: number | null;
  readonly startSeq: number | null;
  group: Group;
  /** Its `<unfinished ...>` call, waiting for `<... NAME resumed>`. */
  pending: string | null;
  /** Whether that pending call's first half carries `CLONE_THREAD`. */
  pendingThread: boolean;
  /** Seen (by its own lines) before the clone result that created it. */
  awaitingCreator: boolean;
}

interface Ended {
  readonly live: Live;
  readonly end: number;
  readonly endSeq: number;
  readonly ending: TaskEnding;
  readonly code: number | undefined;
  readonly signal: string | undefined;
}

/** Where a line came from, for errors. */
export interface LinePlace {
  line: number;
  file: string | undefined;
}

export class StraceTasks {
  private readonly live = new Map<number, Live>();
  /** Tasks that ended before the clone result naming their creator came, by tid. */
  private readonly waitingForCreator = new Map<number, Ended>();
  /** Tasks that ended while their creator was the unnamed first task. */
  private waitingForName: Ended[] = [];
  private readonly seen = new Uint32Array((MAX_TASK_ID >>> 5) + 1);
  private seq = 0;
  private origin = -1;
  private originText: string | null = null;
  private lastTime = 0;
  /** How many live tasks have an unfinished clone, clone3, fork or vfork. */
  private creating = 0;
  /** True once the trace shows tasks that were there before it (`-p`), false for a command's. */
  private attached: boolean | null = null;
  private unnamed: Live | null = null;
  private lastUnprefixed: Live | null = null;
  /** Tids named by `Process N attached` after the trace began: children not yet created. */
  private readonly announced = new Set<number>();
  /** The stream announces new children (no `-q`): an unannounced unknown tid is no new child. */
  private announcing = false;
  private command: string | null = null;
  ignoredLines = 0;
  /** Where the current line is from (set by the caller before each `event`). */
  readonly place: LinePlace = { line: 0, file: undefined };

  constructor(private readonly sink: TaskSink) {}

  private error(code: 'SYNTAX' | 'CONTRADICTION', message: string): TraceError {
    // Line 0: no line yet (a `-ff` part's id is checked before its lines are read).
    const options: { line?: number; file?: string } = {};
    if (this.place.line > 0) options.line = this.place.line;
    if (this.place.file !== undefined) options.file = this.place.file;
    return new TraceError(code, message, options);
  }

  /** A tid read from a line, checked. */
  checkTid(tid: number): void {
    if (!(tid > 0 && tid <= MAX_TASK_ID)) {
      throw this.error(
        'SYNTAX',
        `task id ${String(tid)} is out of range (expected 1 to ${String(MAX_TASK_ID)})`,
      );
    }
  }

  /**
   * A `strace: Process N attached` message (stderr form). Before the first timestamped line it is
   * `-p` attaching to a task that was there before the trace; after it, a new child announced.
   */
  attachedMessage(tid: number): void {
    this.checkTid(tid);
    if (this.origin < 0) {
      this.attached = true;
      if (!this.live.has(tid)) this.addBefore(tid);
    } else {
      this.announcing = true;
      if (!this.live.has(tid)) this.announced.add(tid);
    }
  }

  /**
   * One timestamped line: `tid` its task (null: a stderr line with no `[pid N]` prefix), `time`
   * in microseconds on the stream's scale, `rest` the whole line, its timestamp printed from
   * `stampFrom`, and `at` where the call, `+++` or `---` part begins.
   */
  event(tid: number | null, time: number, rest: string, stampFrom: number, at: number): void {
    if (this.origin < 0) {
      this.origin = time;
      this.originText = rest.slice(stampFrom, at).trimEnd();
    }
    let now = time - this.origin;
    // strace stamps a line when it starts it and prints it when it is whole, so neighbouring
    // lines may step back a few microseconds; time never goes backwards here, so that time order
    // and line order (the sequence) agree.
    if (now < this.lastTime) now = this.lastTime;
    this.lastTime = now;

    const task =
      tid === null ? this.unprefixedTask(rest, at, now) : this.taskOf(tid, rest, at, now);
    const first = rest.charCodeAt(at);
    if (first === 43 /* + */) this.plusLine(task, rest, at, now);
    else if (first === 45 /* - */) this.minusLine(rest, at);
    else if (first === 60 /* < */) this.resumed(task, rest, at, now);
    else this.call(task, rest, at, now);
  }

  // ---------------------------------------------------------------------------------------------
  // Which task a line is

  private firstTask(tid: number, rest: string, at: number, now: number): Live {
    if (this.attached === null) this.attached = !rest.startsWith('execve', at);
    if (this.attached) return this.addBefore(tid);
    // The command's own first task: alive from the origin, the trace's first event.
    const task = this.begin(tid, null, 'process', now, null);
    this.command = commandOf(rest, at);
    return task;
  }

  private unprefixedTask(rest: string, at: number, now: number): Live {
    // strace prints a leader's `superseded` line after it has let go of the exec'ing thread, so
    // with no prefix even while both are alive: it is the leader of that thread's group.
    if (rest.startsWith(SUPERSEDED, at)) {
      const successor = this.live.get(readInteger(rest, at + SUPERSEDED.length) ?? 0);
      const leader = successor === undefined ? undefined : this.live.get(successor.group.leaderTid);
      if (leader !== undefined && leader !== successor) {
        this.lastUnprefixed = leader;
        return leader;
      }
    }
    if (this.live.size === 1) {
      for (const only of this.live.values()) {
        this.lastUnprefixed = only;
        return only;
      }
    }
    if (
      this.lastUnprefixed !== null &&
      this.live.get(this.lastUnprefixed.tid) === this.lastUnprefixed
    ) {
      return this.lastUnprefixed;
    }
    if (this.live.size === 0 && this.seq === 0 && this.unnamed === null && this.attached !== true) {
      const task = this.firstTask(UNNAMED, rest, at, now);
      this.unnamed = task;
      this.lastUnprefixed = task;
      return task;
    }
    throw this.error(
      'SYNTAX',
      `a line with no [pid N] prefix while ${String(this.live.size)} tasks are alive (expected one task alive, or a prefix)`,
    );
  }

  private taskOf(tid: number, rest: string, at: number, now: number): Live {
    const known = this.live.get(tid);
    if (known !== undefined) return known;
    this.checkTid(tid);
    if (this.live.size === 0 && this.seq === 0 && this.attached !== true && this.unnamed === null) {
      return this.firstTask(tid, rest, at, now);
    }
    if (
      this.unnamed !== null &&
      this.live.get(UNNAMED) === this.unnamed &&
      !this.announced.has(tid)
    ) {
      // The stderr form names its first task only once a second one exists: an unknown
      // `[pid N]` is the first task unless a creation is under way (then it is the new child),
      // or it resumes the first task's unfinished call.
      const resumesUnnamed =
        this.unnamed.pending !== null &&
        rest.startsWith(`<... ${this.unnamed.pending} resumed>`, at);
      if (resumesUnnamed || this.announcing || this.creating === 0)
        return this.name(this.unnamed, tid);
    }
    if (this.announced.delete(tid) || this.creating > 0) return this.addUncreated(tid, now);
    if (this.attached === true && !this.wasSeen(tid)) return this.addBefore(tid);
    throw this.error(
      'CONTRADICTION',
      `task ${String(tid)} is not alive (expected its creation first: a clone, clone3, fork or vfork returning ${String(tid)})`,
    );
  }

  private name(task: Live, tid: number): Live {
    if (this.live.has(tid)) {
      throw this.error('CONTRADICTION', `task ${String(tid)} is alive twice`);
    }
    this.live.delete(UNNAMED);
    task.id = tid;
    task.tid = tid;
    const group: Group = { leaderTid: tid, members: task.group.members };
    for (const member of group.members) member.group = group;
    this.live.set(tid, task);
    this.markSeen(tid);
    for (const ended of this.waitingForName) this.emit(ended);
    this.waitingForName = [];
    return task;
  }

  /** A task attached to (`-p`) that was alive before the trace began. */
  private addBefore(tid: number): Live {
    return this.begin(tid, null, null, null, null);
  }

  /** A child whose own lines come before the clone result that creates it. */
  private addUncreated(tid: number, now: number): Live {
    const task = this.begin(tid, null, null, now, null);
    task.awaitingCreator = true;
    return task;
  }

  /**
   * A task alive from `start` (`null`: from before the trace), in `group` or a group of its own
   * that it leads: numbered in the sequence, in the group, live under `tid`.
   */
  private begin(
    tid: number,
    parent: number | null,
    kind: TaskKind | null,
    start: number | null,
    group: Group | null,
  ): Live {
    const task: Live = {
      id: tid,
      tid,
      parent,
      kind,
      start,
      startSeq: start === null ? null : this.seq++,
      group: group ?? { leaderTid: tid, members: new Set() },
      pending: null,
      pendingThread: false,
      awaitingCreator: false,
    };
    task.group.members.add(task);
    this.live.set(tid, task);
    if (tid !== UNNAMED) this.markSeen(tid);
    return task;
  }

  private markSeen(tid: number): void {
    this.seen[tid >>> 5] = (this.seen[tid >>> 5] as number) | (1 << (tid & 31));
  }

  private wasSeen(tid: number): boolean {
    return ((this.seen[tid >>> 5] as number) & (1 << (tid & 31))) !== 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Lines

  private minusLine(rest: string, at: number): void {
    if (!rest.startsWith('--- ', at)) {
      throw this.error(
        'SYNTAX',
        `expected a system call, "+++ ... +++" or "--- ... ---", found ${quote(rest, at)}`,
      );
    }
    this.ignoredLines += 1;
  }

  private plusLine(task: Live, rest: string, at: number, now: number): void {
    if (!rest.endsWith(' +++')) {
      throw this.error(
        'SYNTAX',
        `expected a line ending in " +++" (a truncated line?), found ${quote(rest, at)}`,
      );
    }
    if (rest.startsWith('+++ exited with ', at)) {
      const code = readInteger(rest, at + 16);
      if (code === null || readEnd !== rest.length - 4) {
        throw this.error('SYNTAX', `expected "+++ exited with N +++", found ${quote(rest, at)}`);
      }
      this.endTask(task, 'exit', code, undefined, now);
    } else if (rest.startsWith('+++ killed by SIG', at)) {
      let end = at + 14;
      while (end < rest.length && rest.charCodeAt(end) !== 32) end += 1;
      this.endTask(task, 'signal', undefined, rest.slice(at + 14, end), now);
    } else if (rest.startsWith(SUPERSEDED, at)) {
      const successor = readInteger(rest, at + SUPERSEDED.length);
      if (successor === null || readEnd !== rest.length - 4) {
        throw this.error(
          'SYNTAX',
          `expected "+++ superseded by execve in pid N +++", found ${quote(rest, at)}`,
        );
      }
      this.supersede(task, successor, now);
    } else {
      throw this.error(
        'SYNTAX',
        `expected "+++ exited with N +++", "+++ killed by SIG... +++" or "+++ superseded by execve in pid N +++", found ${quote(rest, at)}`,
      );
    }
  }

  private resumed(task: Live, rest: string, at: number, now: number): void {
    const close = rest.indexOf(' resumed>', at);
    if (!rest.startsWith('<... ', at) || close < 0) {
      if (rest.startsWith('<detached ...>', at)) {
        this.ignoredLines += 1;
        return;
      }
      throw this.error('SYNTAX', `expected "<... NAME resumed>", found ${quote(rest, at)}`);
    }
    const name = rest.slice(at + 5, close);
    if (task.pending !== name) {
      throw this.error(
        'CONTRADICTION',
        `task ${String(task.tid)} resumes ${name}, but ${task.pending === null ? 'has no unfinished call' : `its unfinished call is ${task.pending}`} (expected "<unfinished ...>" first)`,
      );
    }
    const thread = task.pendingThread || rest.includes('CLONE_THREAD', close);
    this.clearPending(task);
    this.finish(task, name, thread, rest, close + 9, now);
  }

  private call(task: Live, rest: string, at: number, now: number): void {
    const open = rest.indexOf('(', at);
    if (open <= at || !isName(rest, at, open)) {
      throw this.error(
        'SYNTAX',
        `expected a system call "NAME(...)", "+++ ... +++" or "--- ... ---", found ${quote(rest, at)}`,
      );
    }
    const name = rest.slice(at, open);
    // `-ff` ends the exec'ing thread's half of a non-leader's execve with `<pid changed to L
    // ...>` (the leader's part resumes it); the other forms say `<unfinished ...>`.
    if (
      rest.endsWith('<unfinished ...>') ||
      (rest.endsWith(' ...>') && rest.includes(' <pid changed to ', open))
    ) {
      if (task.pending !== null) {
        throw this.error(
          'CONTRADICTION',
          `task ${String(task.tid)} starts ${name} while its ${task.pending} is unfinished (expected "<... ${task.pending} resumed>")`,
        );
      }
      task.pending = name;
      if (CREATING_CALLS.has(name)) {
        task.pendingThread = rest.includes('CLONE_THREAD', open);
        this.creating += 1;
      } else {
        this.ignoredLines += 1;
      }
      return;
    }
    if (rest.endsWith('<detached ...>')) {
      this.ignoredLines += 1;
      return;
    }
    if (task.pending !== null) {
      throw this.error(
        'CONTRADICTION',
        `task ${String(task.tid)} makes a ${name} call while its ${task.pending} is unfinished (expected "<... ${task.pending} resumed>")`,
      );
    }
    this.finish(task, name, rest.includes('CLONE_THREAD', open), rest, open, now);
  }

  /** A whole call (or a resumed one's second half from `from`): creations are all it needs. */
  private finish(
    task: Live,
    name: string,
    thread: boolean,
    rest: string,
    from: number,
    now: number,
  ): void {
    const equals = rest.lastIndexOf(' = ');
    if (equals < from) {
      throw this.error(
        'SYNTAX',
        `expected "= RESULT" at the end of the ${name} call (a truncated line?), found ${quote(rest, from)}`,
      );
    }
    if (!CREATING_CALLS.has(name)) {
      this.ignoredLines += 1;
      return;
    }
    const result = rest.charCodeAt(equals + 3);
    if (result === 45 /* - */ || result === 63 /* ? */) return; // failed (-1 EAGAIN) or none: no task
    const child = readInteger(rest, equals + 3);
    if (child === null || child <= 0) {
      throw this.error(
        'SYNTAX',
        `expected the ${name} call's result, a task id, found ${quote(rest, equals + 3)}`,
      );
    }
    this.checkTid(child);
    this.create(task, child, name === 'fork' || name === 'vfork' ? false : thread, now);
  }

  private clearPending(task: Live): void {
    if (task.pending !== null && CREATING_CALLS.has(task.pending)) this.creating -= 1;
    task.pending = null;
    task.pendingThread = false;
  }

  // ---------------------------------------------------------------------------------------------
  // Starts and ends

  private create(creator: Live, tid: number, thread: boolean, now: number): void {
    this.announced.delete(tid);
    const kind: TaskKind = thread ? 'thread' : 'process';
    const early = this.live.get(tid);
    if (early !== undefined) {
      if (!early.awaitingCreator) {
        throw this.error(
          'CONTRADICTION',
          `a creation returns ${String(tid)}, but task ${String(tid)} is alive already (a task alive twice)`,
        );
      }
      early.awaitingCreator = false;
      early.parent = creator.id;
      early.kind = kind;
      if (thread) this.join(early, creator.group);
      return;
    }
    const ended = this.waitingForCreator.get(tid);
    if (ended !== undefined) {
      this.waitingForCreator.delete(tid);
      ended.live.awaitingCreator = false;
      ended.live.parent = creator.id;
      ended.live.kind = kind;
      this.emit(ended);
      return;
    }
    this.begin(tid, creator.id, kind, now, thread ? creator.group : null);
  }

  /** A task seen early turns out to be a thread: it (and any threads it made) join the group. */
  private join(task: Live, group: Group): void {
    const own = task.group;
    for (const member of own.members) {
      member.group = group;
      group.members.add(member);
    }
    own.members.clear();
  }

  private endTask(
    task: Live,
    ending: TaskEnding,
    code: number | undefined,
    signal: string | undefined,
    now: number,
  ): void {
    const group = task.group;
    if (group.leaderTid === task.tid) {
      // The kernel reports a group leader's end only once every other thread of its group is
      // gone: the threads that printed nothing of their end (killed by exit_group, or by the
      // signal that killed the group) end here, just before it.
      for (const member of group.members) {
        if (member !== task) this.finishTask(member, 'group-exit', undefined, undefined, now);
      }
    }
    this.finishTask(task, ending, code, signal, now);
  }

  private finishTask(
    task: Live,
    ending: TaskEnding,
    code: number | undefined,
    signal: string | undefined,
    now: number,
  ): void {
    this.clearPending(task);
    this.live.delete(task.tid);
    task.group.members.delete(task);
    const ended: Ended = { live: task, end: now, endSeq: this.seq++, ending, code, signal };
    if (task.awaitingCreator) this.waitingForCreator.set(task.tid, ended);
    else this.emit(ended);
  }

  private supersede(leader: Live, successorTid: number, now: number): void {
    this.checkTid(successorTid);
    if (successorTid === leader.tid) {
      throw this.error(
        'CONTRADICTION',
        `task ${String(leader.tid)} is superseded by itself (expected another thread's id)`,
      );
    }
    let successor = this.live.get(successorTid);
    if (successor === undefined) {
      if (this.attached !== true || this.wasSeen(successorTid)) {
        throw this.error(
          'CONTRADICTION',
          `task ${String(leader.tid)} is superseded by task ${String(successorTid)}, which is not alive (expected a thread of its group)`,
        );
      }
      successor = this.addBefore(successorTid);
      this.join(successor, leader.group);
    }
    if (successor.group !== leader.group) {
      if (successor.group.members.size === 1 && successor.kind === null)
        this.join(successor, leader.group);
      else {
        throw this.error(
          'CONTRADICTION',
          `task ${String(leader.tid)} is superseded by task ${String(successorTid)}, which is not a thread of its group`,
        );
      }
    }
    // An execve kills every other thread of the group before the exec'ing one takes the leader's
    // id: those that printed nothing of it end here, then the old leader.
    const group = leader.group;
    for (const member of group.members) {
      if (member !== leader && member !== successor)
        this.finishTask(member, 'group-exit', undefined, undefined, now);
    }
    this.finishTask(leader, 'superseded', undefined, undefined, now);
    this.live.delete(successorTid);
    successor.tid = leader.tid;
    this.live.set(leader.tid, successor);
    if (this.lastUnprefixed === leader) this.lastUnprefixed = successor;
  }

  private emit(ended: Ended): void {
    const task = ended.live;
    if (task.parent === UNNAMED && this.unnamed !== null && this.unnamed.id === UNNAMED) {
      this.waitingForName.push(ended);
      return;
    }
    this.sink(this.record(ended));
  }

  private record(ended: Ended | null, live?: Live): TraceTask {
    const task = ended === null ? (live as Live) : ended.live;
    const id = task.id === UNNAMED ? 0 : task.id;
    const unnamedId = this.unnamed === null || this.unnamed.id === UNNAMED ? 0 : this.unnamed.id;
    const parent = task.parent === UNNAMED ? unnamedId : task.parent;
    const base = {
      id,
      parent,
      kind: task.kind,
      start: task.start,
      end: ended === null ? null : ended.end,
      startSeq: task.startSeq,
      endSeq: ended === null ? null : ended.endSeq,
      ending: ended === null ? null : ended.ending,
    };
    if (ended?.code !== undefined) return { ...base, code: ended.code };
    if (ended?.signal !== undefined) return { ...base, signal: ended.signal };
    return base;
  }

  /**
   * The input is over. Tasks still alive are censored (an unfinished call of theirs is what a
   * detach or an interrupted strace leaves, not an error); ended tasks whose creation never came
   * go with parent and kind unknown; a first task never named gets id 0.
   */
  end(): void {
    for (const ended of this.waitingForName) this.sink(this.record(ended));
    this.waitingForName = [];
    for (const ended of this.waitingForCreator.values()) this.sink(this.record(ended));
    this.waitingForCreator.clear();
    for (const task of this.live.values()) this.sink(this.record(null, task));
    this.live.clear();
  }

  /** With `-ttt` the origin is a date: the first line's second, in ISO 8601 (UTC). */
  private date(): string | null {
    if (this.originText === null || this.originText.includes(':')) return null;
    const date = new Date(Math.floor(this.origin / 1_000_000) * 1000);
    return Number.isNaN(date.getTime()) ? null : date.toISOString().replace('.000Z', 'Z');
  }

  header(): TraceHeader {
    return {
      format: 'vmars-trace',
      version: 1,
      source: 'strace',
      command: this.command,
      date: this.date(),
      origin: this.originText,
      kindsKnown: true,
    };
  }
}

/** Where `readInteger` stopped. */
let readEnd = 0;

/**
 * A decimal integer (optionally negative, at most 15 digits) at `position`, or null; on success
 * `lastIntegerEnd()` is the index just past it.
 */
export function readInteger(text: string, position: number): number | null {
  let index = position;
  let negative = false;
  if (text.charCodeAt(index) === 45) {
    negative = true;
    index += 1;
  }
  let value = 0;
  const start = index;
  let code = text.charCodeAt(index);
  while (code >= 48 && code <= 57 && index - start < 15) {
    value = value * 10 + (code - 48);
    index += 1;
    code = text.charCodeAt(index);
  }
  if (index === start) return null;
  readEnd = index;
  return negative ? -value : value;
}

export const lastIntegerEnd = (): number => readEnd;

function isName(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) {
    const code = text.charCodeAt(index);
    const ok =
      (code >= 97 && code <= 122) ||
      (code >= 48 && code <= 57) ||
      code === 95 ||
      (code >= 65 && code <= 90) ||
      code === 63;
    if (!ok) return false;
  }
  return true;
}

function quote(text: string, from: number): string {
  const shown = text.length - from > 80 ? `${text.slice(from, from + 80)}...` : text.slice(from);
  return JSON.stringify(shown);
}

/**
 * The command from the first `execve("/usr/bin/sh", ["sh", "-c", "true & wait"], ...)`: its
 * argv's strings joined by spaces (quoted where they hold a space), as strace shows them (it
 * cuts long strings with `...`). Null when the line is not an execve with an argv.
 */
function commandOf(rest: string, at: number): string | null {
  if (!rest.startsWith('execve(', at)) return null;
  const open = rest.indexOf('[', at);
  if (open < 0) return null;
  const words: string[] = [];
  let index = open + 1;
  while (rest.charCodeAt(index) === 34 /* " */) {
    let word = '';
    index += 1;
    while (index < rest.length && rest.charCodeAt(index) !== 34) {
      if (rest.charCodeAt(index) === 92 /* \ */) {
        index += 1;
        const escaped = rest[index] ?? '';
        word += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
      } else {
        word += rest[index];
      }
      index += 1;
    }
    index += 1;
    if (rest.startsWith('...', index)) {
      word += '...';
      index += 3;
    }
    words.push(
      /[\s'"\\$&|;<>()*?]/.test(word) || word === '' ? `'${word.replaceAll("'", "'\\''")}'` : word,
    );
    if (rest.startsWith(', ', index)) index += 2;
    else break;
  }
  return words.length === 0 ? null : words.join(' ');
}
