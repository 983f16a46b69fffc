import type { TaskSink } from '../line-parser.js';
import { TraceError } from '../trace-error.js';
import type { TaskEnding, TaskKind, TraceTask } from '../trace-task.js';

/** Linux's `PID_MAX_LIMIT` (2^22): no tid is larger. */
export const MAX_TASK_ID = 4_194_304;

/** The id of the first task of a stderr trace until a `[pid N]` line names it. */
export const UNNAMED = -1;

export const CREATING_CALLS: ReadonlySet<string> = new Set(['clone', 'clone3', 'fork', 'vfork']);

export interface Group {
  /** The tid the group is known by (the leader's, which an `execve` hands on to its new leader). */
  readonly leaderTid: number;
  readonly members: Set<Live>;
}

export interface Live {
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

export interface Ended {
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

/**
 * What happens to the tasks of a strace trace, whatever its lines look like: tasks begin, are
 * created by a clone result (perhaps after their own first lines), join thread groups, end (a
 * leader's end ending the threads that printed nothing), are superseded by a thread's execve,
 * and are handed on as records once their creator is known. `StraceTasks` reads the lines and
 * drives it.
 */
export class StraceTaskTable {
  protected readonly live = new Map<number, Live>();
  /** Tasks that ended before the clone result naming their creator came, by tid. */
  protected readonly waitingForCreator = new Map<number, Ended>();
  /** Tasks that ended while their creator was the unnamed first task. */
  protected waitingForName: Ended[] = [];
  protected readonly seen = new Uint32Array((MAX_TASK_ID >>> 5) + 1);
  protected seq = 0;
  /** How many live tasks have an unfinished clone, clone3, fork or vfork. */
  protected creating = 0;
  /** True once the trace shows tasks that were there before it (`-p`), false for a command's. */
  protected attached: boolean | null = null;
  protected unnamed: Live | null = null;
  protected lastUnprefixed: Live | null = null;
  /** Tids named by `Process N attached` after the trace began: children not yet created. */
  protected readonly announced = new Set<number>();
  ignoredLines = 0;
  /** Where the current line is from (set by the caller before each `event`). */
  readonly place: LinePlace = { line: 0, file: undefined };

  constructor(private readonly sink: TaskSink) {}

  protected error(code: 'SYNTAX' | 'CONTRADICTION', message: string): TraceError {
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

  protected name(task: Live, tid: number): Live {
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
  protected addBefore(tid: number): Live {
    return this.begin(tid, null, null, null, null);
  }

  /** A child whose own lines come before the clone result that creates it. */
  protected addUncreated(tid: number, now: number): Live {
    const task = this.begin(tid, null, null, now, null);
    task.awaitingCreator = true;
    return task;
  }

  /**
   * A task alive from `start` (`null`: from before the trace), in `group` or a group of its own
   * that it leads: numbered in the sequence, in the group, live under `tid`.
   */
  protected begin(
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

  protected markSeen(tid: number): void {
    this.seen[tid >>> 5] = (this.seen[tid >>> 5] as number) | (1 << (tid & 31));
  }

  protected wasSeen(tid: number): boolean {
    return ((this.seen[tid >>> 5] as number) & (1 << (tid & 31))) !== 0;
  }

  protected clearPending(task: Live): void {
    if (task.pending !== null && CREATING_CALLS.has(task.pending)) this.creating -= 1;
    task.pending = null;
    task.pendingThread = false;
  }

  protected create(creator: Live, tid: number, thread: boolean, now: number): void {
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
  protected join(task: Live, group: Group): void {
    const own = task.group;
    for (const member of own.members) {
      member.group = group;
      group.members.add(member);
    }
    own.members.clear();
  }

  protected endTask(
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

  protected finishTask(
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

  protected supersede(leader: Live, successorTid: number, now: number): void {
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

  protected emit(ended: Ended): void {
    const task = ended.live;
    if (task.parent === UNNAMED && this.unnamed !== null && this.unnamed.id === UNNAMED) {
      this.waitingForName.push(ended);
      return;
    }
    this.sink(this.record(ended));
  }

  protected record(ended: Ended | null, live?: Live): TraceTask {
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
}
