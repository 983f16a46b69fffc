/**
 * Test support (not shipped from index.ts): a model of task trees written as strace text, for
 * property tests of the strace parser and of anything that reads traces. `buildStraceScenario`
 * turns a list of random choices into one scenario: the tasks it must parse back to (as the
 * parser documents them), and the same run written as `strace -o` text (tid first) and as
 * strace's stderr (`[pid N]` prefixes, none while one task is alive, `Process N attached`
 * messages cut into lines), with `-ttt` or `-tt` timestamps (the latter crossing midnight), and,
 * with `{ whole: true }`, as `strace -ff` parts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TaskEnding, TaskKind, TraceHeader, TraceTask } from '../trace-task.js';
import { createStraceParser } from './strace-parser.js';

export interface ParsedStrace {
  /** In `Trace` order: alive-before-the-trace first (by id), then by `startSeq`. */
  readonly tasks: TraceTask[];
  /** In the order the sink got them. */
  readonly received: TraceTask[];
  readonly header: TraceHeader;
  readonly ignoredLines: number;
}

export function orderTasks(tasks: readonly TraceTask[]): TraceTask[] {
  return [...tasks].sort((a, b) => {
    if (a.startSeq === null || b.startSeq === null) {
      if (a.startSeq !== null) return 1;
      if (b.startSeq !== null) return -1;
      return a.id - b.id;
    }
    return a.startSeq - b.startSeq;
  });
}

export function parseStraceLines(lines: Iterable<string>, file?: string): ParsedStrace {
  const received: TraceTask[] = [];
  const parser = createStraceParser(
    (task) => received.push(task),
    file === undefined ? {} : { file },
  );
  let number = 0;
  for (const line of lines) {
    number += 1;
    parser.line(line, number);
  }
  parser.end();
  return {
    tasks: orderTasks(received),
    received,
    header: parser.header(),
    ignoredLines: parser.ignoredLines,
  };
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/strace/${name}`, import.meta.url));
}

export function fixtureLines(name: string): string[] {
  const text = readFileSync(fixturePath(name), 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// -------------------------------------------------------------------------------------------------
// The model

interface ModelTask {
  id: number;
  tid: number;
  parent: number | null;
  kind: TaskKind | null;
  start: number | null;
  startSeq: number | null;
  end: number | null;
  endSeq: number | null;
  ending: TaskEnding | null;
  code?: number;
  signal?: string;
  group: ModelGroup;
  /** An unfinished call: a creation (with its child's tid) or an ordinary one. */
  pending: { name: string; child: number | null; thread: boolean; early: ModelTask | null } | null;
  /** Alive before the trace and not yet shown by any line (attach scenarios). */
  hidden: boolean;
  creator: ModelTask | null;
  /** Seen by its own lines before its creation returned (it only prints and ends meanwhile). */
  awaiting?: boolean;
}

interface ModelGroup {
  leaderTid: number;
  members: ModelTask[];
}

/** One line before rendering: whose, when, and what follows the tid and timestamp. */
interface AbstractLine {
  readonly tid: number;
  readonly time: number;
  readonly body: string;
  /** How many tasks strace traces when the line starts (no `[pid N]` prefix when 1). */
  readonly traced: number;
  readonly task: ModelTask;
  /** A child's tid that strace announces cut into this line (stderr form). */
  readonly announce?: number;
  /** Where in `body` the announcement cuts it. */
  readonly cutAt?: number;
}

export interface StraceScenario {
  /** What every rendering must parse back to, in `Trace` order. */
  readonly tasks: TraceTask[];
  /** The same, as parsed from the stderr form (a first task never named there is id 0). */
  readonly stderrTasks: TraceTask[];
  /** `strace -f -ttt -o FILE`. */
  readonly oLines: string[];
  /** `strace -f -tt -o FILE`, starting just before midnight. */
  readonly oTimeOfDayLines: string[];
  /** `strace -f -ttt` on stderr. */
  readonly stderrLines: string[];
  /** Lines that parse to nothing needed (the parser's `ignoredLines`, `-o` form). */
  readonly ignored: number;
  /** `strace -ff -o PREFIX -ttt`: one part per tid (a reused tid's tasks share it, in order). */
  readonly parts: { id: number; lines: string[] }[];
}

export interface ScenarioOptions {
  /**
   * Only whole lines and strictly increasing times, as `-ff` writes them (no `<unfinished ...>`
   * but an execve's `<pid changed to L ...>`, no child printing before its creation returns), so
   * that the parts merged by time give back the `-o` order exactly.
   */
  readonly whole?: boolean;
}

const EPOCH_BASE = 1_796_600_000; // seconds
const BEFORE_MIDNIGHT = 86_400_000_000 - 5_000; // 23:59:59.995000, in µs of the day

/**
 * Builds one scenario from `choices` (any non-negative integers; fast-check shrinks them).
 * `attach`: the trace begins with tasks already alive (`-p`), else with a command's `execve`.
 */
export function buildStraceScenario(
  choices: readonly number[],
  attach: boolean,
  options: ScenarioOptions = {},
): StraceScenario {
  const whole = options.whole === true;
  let cursor = 0;
  const pick = (count: number): number => {
    const value = choices[cursor % Math.max(choices.length, 1)] ?? 0;
    cursor += 1;
    return count <= 1 ? 0 : ((value * 2654435761 + cursor * 40503) >>> 0) % count;
  };
  const lines: AbstractLine[] = [];
  const all: ModelTask[] = [];
  const live = new Map<number, ModelTask>();
  const ended: number[] = [];
  let announced = 0; // children announced, not yet created nor seen
  let nextTid = 100;
  let time = 0;
  let seq = 0;
  let ignored = 0;

  const tracedCount = (): number => {
    // strace traces the attached tasks before they print anything.
    return live.size + announced;
  };
  const emit = (
    task: ModelTask,
    body: string,
    extra?: { announce: number; cutAt: number },
  ): void => {
    time += pick(4) === 0 && !whole ? 0 : 1 + pick(50);
    const line: AbstractLine = { tid: task.tid, time, body, traced: tracedCount(), task, ...extra };
    lines.push(line);
  };
  const newGroup = (tid: number): ModelGroup => ({ leaderTid: tid, members: [] });
  const addTask = (task: ModelTask): ModelTask => {
    task.group.members.push(task);
    live.set(task.tid, task);
    all.push(task);
    return task;
  };
  const finish = (
    task: ModelTask,
    ending: TaskEnding,
    extra: { code?: number; signal?: string },
  ): void => {
    task.end = time;
    task.endSeq = seq++;
    task.ending = ending;
    if (extra.code !== undefined) task.code = extra.code;
    if (extra.signal !== undefined) task.signal = extra.signal;
    task.pending = null;
    live.delete(task.tid);
    task.group.members.splice(task.group.members.indexOf(task), 1);
    ended.push(task.tid);
  };
  const freshTid = (): number => {
    // Reuse an ended id now and then: a new task with an old id.
    if (ended.length > 0 && pick(3) === 0) {
      const reused = ended[pick(ended.length)] as number;
      if (!live.has(reused) && !pendingChildren().has(reused)) return reused;
    }
    nextTid += 1 + pick(3);
    return nextTid;
  };
  const pendingChildren = (): Set<number> => {
    const children = new Set<number>();
    for (const task of live.values())
      if (task.pending?.child != null) children.add(task.pending.child);
    return children;
  };
  const creating = (): number => {
    let count = 0;
    for (const task of live.values())
      if (task.pending !== null && task.pending.child !== null) count += 1;
    return count;
  };
  const shown = (): ModelTask[] => [...live.values()].filter((task) => !task.hidden);
  const idle = (): ModelTask[] => shown().filter((task) => task.pending === null);
  const groupIdle = (group: ModelGroup): boolean =>
    group.members.every((member) => member.pending === null && !member.hidden);
  /** A hidden (attached, unseen) task shows itself: only while no creation is under way. */
  const reveal = (task: ModelTask): void => {
    task.hidden = false;
  };

  // The first tasks.
  if (attach) {
    const count = 1 + pick(3);
    for (let index = 0; index < count; index += 1) {
      const tid = freshTid();
      addTask({
        id: tid,
        tid,
        parent: null,
        kind: null,
        start: null,
        startSeq: null,
        end: null,
        endSeq: null,
        ending: null,
        group: newGroup(tid),
        pending: null,
        hidden: true,
        creator: null,
      });
    }
    // The first line must not be an execve: the first task shows itself with another call.
    const first = [...live.values()][0] as ModelTask;
    reveal(first);
    emit(first, 'getpid() = 1');
  } else {
    const tid = freshTid();
    const task = addTask({
      id: tid,
      tid,
      parent: null,
      kind: 'process',
      start: 0,
      startSeq: seq++,
      end: null,
      endSeq: null,
      ending: null,
      group: newGroup(tid),
      pending: null,
      hidden: false,
      creator: null,
    });
    emit(task, 'execve("/bin/prog", ["prog"], 0x7ffd00000000 /* 3 vars */) = 0');
  }
  // The first line is the origin.
  ignored += 1;
  time = 0;
  (lines[0] as { time: number }).time = 0;

  const creationCall = (thread: boolean): { name: string; args: string } => {
    const form = pick(thread ? 2 : 4);
    if (thread) {
      return form === 0
        ? {
            name: 'clone',
            args: 'child_stack=0x7f0000001000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM',
          }
        : {
            name: 'clone3',
            args: '{flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, exit_signal=0, stack=0x7f0000000000, stack_size=0x7fff80}',
          };
    }
    return [
      {
        name: 'clone',
        args: 'child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD',
      },
      {
        name: 'clone3',
        args: '{flags=CLONE_PARENT_SETTID, exit_signal=SIGCHLD, stack=NULL, stack_size=0}',
      },
      { name: 'fork', args: '' },
      { name: 'vfork', args: '' },
    ][form] as { name: string; args: string };
  };

  const createChild = (
    creator: ModelTask,
    tid: number,
    thread: boolean,
    early: ModelTask | null,
  ): void => {
    if (early !== null) {
      // Its own lines came first: it started then (and may have ended since); now it learns
      // its creator. A thread's group (with any threads it made) joins its creator's.
      early.parent = creator.id;
      early.creator = creator;
      early.awaiting = false;
      early.kind = thread ? 'thread' : 'process';
      if (thread && early.end === null) {
        const own = early.group;
        for (const member of own.members) {
          member.group = creator.group;
          creator.group.members.push(member);
        }
        own.members = [];
      }
      return;
    }
    addTask({
      id: tid,
      tid,
      parent: creator.id,
      kind: thread ? 'thread' : 'process',
      start: time,
      startSeq: seq++,
      end: null,
      endSeq: null,
      ending: null,
      group: thread ? creator.group : newGroup(tid),
      pending: null,
      hidden: false,
      creator,
    });
  };

  const steps = 6 + pick(40);
  for (let step = 0; step < steps; step += 1) {
    const kindOfStep = pick(11);
    const ready = idle();
    if (ready.length === 0 && kindOfStep !== 1) {
      // Everything shown waits on a call: resume one, or reveal a hidden task.
      if (!resumeOne()) {
        if (!revealOne()) break;
      }
      continue;
    }
    switch (kindOfStep) {
      case 0:
      case 8: {
        if (live.size > 24) break;
        const creators = ready.filter((task) => task.awaiting !== true);
        const creator = creators[pick(creators.length)];
        if (creator === undefined) break;
        const thread = pick(2) === 0;
        const call = creationCall(thread);
        const tid = freshTid();
        if (pick(2) === 0 || whole) {
          const body = `${call.name}(${call.args}) = ${String(tid)}`;
          emit(creator, body, {
            announce: tid,
            cutAt: 1 + pick(Math.max(1, body.indexOf(' = ') - 1)),
          });
          createChild(creator, tid, thread, null);
        } else {
          announced += 1;
          emit(creator, `${call.name}(${call.args} <unfinished ...>`, { announce: tid, cutAt: 0 });
          creator.pending = { name: call.name, child: tid, thread, early: null };
        }
        break;
      }
      case 1:
        if (!resumeOne() && !revealOne() && !whole) childFirst();
        break;
      case 2: {
        // A thread (not a leader) exits on its own.
        const threads = ready.filter((task) => task.group.leaderTid !== task.tid);
        if (threads.length === 0) break;
        const task = threads[pick(threads.length)] as ModelTask;
        emit(task, 'exit(0) = ?');
        ignored += 1;
        const code = pick(3);
        emit(task, `+++ exited with ${String(code)} +++`);
        finish(task, 'exit', { code });
        break;
      }
      case 3:
      case 4: {
        // A whole group ends: exit_group by one of its threads, or a fatal signal.
        const groups = [...new Set(ready.map((task) => task.group))].filter(groupIdle);
        const group = groups[pick(groups.length)];
        if (group === undefined || group.members.length === 0) break;
        const leader = live.get(group.leaderTid);
        if (leader === undefined || leader.group !== group) break;
        const code = pick(256);
        const killed = kindOfStep === 4;
        if (!killed) {
          const caller = group.members[pick(group.members.length)] as ModelTask;
          emit(caller, `exit_group(${String(code)}) = ?`);
          ignored += 1;
        }
        const end = killed ? '+++ killed by SIGKILL +++' : `+++ exited with ${String(code)} +++`;
        const extra = killed ? { signal: 'SIGKILL' } : { code };
        const silent: ModelTask[] = [];
        for (const member of [...group.members]) {
          if (member === leader) continue;
          if (pick(3) === 0) silent.push(member);
          else {
            emit(member, end);
            finish(member, killed ? 'signal' : 'exit', extra);
          }
        }
        emit(leader, end);
        for (const member of group.members.filter((member) => member !== leader))
          finish(member, 'group-exit', {});
        finish(leader, killed ? 'signal' : 'exit', extra);
        break;
      }
      case 5: {
        const task = ready[pick(ready.length)] as ModelTask;
        if (pick(2) === 0 || whole) {
          emit(
            task,
            pick(2) === 0
              ? 'getpid() = 7'
              : '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_status=0} ---',
          );
          ignored += 1;
        } else {
          emit(task, 'read(0,  <unfinished ...>');
          ignored += 1;
          task.pending = { name: 'read', child: null, thread: false, early: null };
        }
        break;
      }
      case 6: {
        const task = ready[pick(ready.length)] as ModelTask;
        emit(
          task,
          'clone(child_stack=NULL, flags=CLONE_VM|CLONE_THREAD|SIGCHLD) = -1 EAGAIN (Resource temporarily unavailable)',
        );
        break;
      }
      case 7: {
        // A thread's execve: it takes its leader's id, the leader is superseded.
        const threads = ready.filter(
          (task) =>
            task.group.leaderTid !== task.tid &&
            groupIdle(task.group) &&
            live.get(task.group.leaderTid)?.group === task.group,
        );
        if (threads.length === 0) break;
        const execer = threads[pick(threads.length)] as ModelTask;
        const group = execer.group;
        const leader = live.get(group.leaderTid) as ModelTask;
        emit(
          execer,
          `execve("/bin/true", ["true"], 0x7ffd00000000 /* 3 vars */ ${whole ? `<pid changed to ${String(group.leaderTid)} ...>` : '<unfinished ...>'}`,
        );
        ignored += 1;
        execer.pending = { name: 'execve', child: null, thread: false, early: null };
        for (const member of [...group.members]) {
          if (member === leader || member === execer) continue;
          if (pick(2) === 0) {
            emit(member, '+++ exited with 0 +++');
            finish(member, 'exit', { code: 0 });
          }
        }
        emit(leader, `+++ superseded by execve in pid ${String(execer.tid)} +++`);
        for (const member of group.members.filter(
          (member) => member !== leader && member !== execer,
        )) {
          finish(member, 'group-exit', {});
        }
        finish(leader, 'superseded', {});
        // `finish` recorded the leader's id as ended; the execer now carries it.
        ended.pop();
        live.delete(execer.tid);
        ended.push(execer.tid);
        execer.tid = group.leaderTid;
        live.set(execer.tid, execer);
        break;
      }
      case 9:
        revealOne();
        break;
      default:
        if (!whole) childFirst();
    }
  }
  // Every call left open is resumed, so that the censored tasks end the trace cleanly.
  while (resumeOne()) {
    /* until none */
  }

  function resumeOne(): boolean {
    const waiting = shown().filter((task) => task.pending !== null);
    if (waiting.length === 0) return false;
    const task = waiting[pick(waiting.length)] as ModelTask;
    const pending = task.pending as NonNullable<ModelTask['pending']>;
    task.pending = null;
    if (pending.child === null) {
      emit(task, `<... ${pending.name} resumed>) = 0`);
      ignored += 1;
    } else {
      emit(task, `<... ${pending.name} resumed>) = ${String(pending.child)}`);
      if (pending.early === null) announced -= 1;
      createChild(task, pending.child, pending.thread, pending.early);
    }
    return true;
  }

  function revealOne(): boolean {
    if (creating() > 0) return false;
    const hidden = [...live.values()].filter((task) => task.hidden);
    if (hidden.length === 0) return false;
    const task = hidden[pick(hidden.length)] as ModelTask;
    reveal(task);
    if (pick(2) === 0) {
      emit(task, 'getpid() = 9');
      ignored += 1;
    } else {
      // Seen only by its end.
      const code = pick(3);
      emit(task, `+++ exited with ${String(code)} +++`);
      for (const member of task.group.members.filter((member) => member !== task))
        finish(member, 'group-exit', {});
      finish(task, 'exit', { code });
    }
    return true;
  }

  function childFirst(): void {
    // A child's first line comes before its creator's clone returns: it starts there.
    const creators = shown().filter(
      (task) => task.pending?.child != null && task.pending.early === null,
    );
    if (creators.length === 0) return;
    const creator = creators[pick(creators.length)] as ModelTask;
    const pending = creator.pending as NonNullable<ModelTask['pending']>;
    const tid = pending.child as number;
    announced -= 1;
    const child = addTask({
      id: tid,
      tid,
      parent: null,
      kind: null,
      start: 0,
      startSeq: 0,
      end: null,
      endSeq: null,
      ending: null,
      group: newGroup(tid),
      pending: null,
      hidden: false,
      creator: null,
    });
    pending.early = child;
    child.awaiting = true;
    emit(child, 'getpid() = 11');
    child.start = time;
    child.startSeq = seq++;
    ignored += 1;
  }

  // The hidden tasks never shown stay unknown to the parser: not in the trace at all.
  const inTrace = all.filter((task) => !task.hidden || task.end !== null);
  const toTask = (task: ModelTask, id: (tid: number) => number): TraceTask => {
    const base = {
      id: id(task.id),
      parent: task.parent === null ? null : id(task.parent),
      kind: task.kind,
      start: task.start,
      end: task.end,
      startSeq: task.startSeq,
      endSeq: task.endSeq,
      ending: task.ending,
    };
    if (task.code !== undefined) return { ...base, code: task.code };
    if (task.signal !== undefined) return { ...base, signal: task.signal };
    return base;
  };
  const tasks = orderTasks(
    inTrace.filter((task) => !task.hidden).map((task) => toTask(task, (tid) => tid)),
  );

  // Renderings.
  const oLines = lines.map((line) => `${String(line.tid)}  ${epoch(line.time)} ${line.body}`);
  const oTimeOfDayLines = lines.map(
    (line) => `${String(line.tid)} ${timeOfDay(line.time)} ${line.body}`,
  );
  const stderrLines: string[] = [];
  const firstTask = attach ? undefined : all[0];
  let firstNamed = false;
  if (attach) {
    for (const task of all) {
      if (task.start === null) stderrLines.push(`strace: Process ${String(task.id)} attached`);
    }
  }
  for (const line of lines) {
    const prefix = line.traced > 1 ? `[pid ${String(line.tid).padStart(5)}] ` : '';
    if (prefix !== '' && line.task === firstTask) firstNamed = true;
    const text = `${prefix}${epoch(line.time)} ${line.body}`;
    if (line.announce === undefined) {
      stderrLines.push(text);
    } else if (line.cutAt === 0) {
      stderrLines.push(`strace: Process ${String(line.announce)} attached`, text);
    } else {
      const cut = text.length - line.body.length + (line.cutAt as number);
      stderrLines.push(
        `${text.slice(0, cut)}strace: Process ${String(line.announce)} attached`,
        text.slice(cut),
      );
    }
  }
  // The stderr form shows the first task's id only in a `[pid N]` prefix: never there, it is 0.
  // (Its id also returns in later tasks that reuse it; those are named by their creations.)
  // The stderr form shows the first task's id only in a `[pid N]` prefix: never there, it is 0.
  // It also shows every attached task (`Process N attached`), printing or not.
  const unnamed = firstTask !== undefined && !firstNamed;
  const stderrTasks = orderTasks(
    (attach ? all : inTrace).map((task) => {
      const record = toTask(task, (tid) => tid);
      if (!unnamed) return record;
      return {
        ...record,
        id: task === firstTask ? 0 : record.id,
        parent: task.creator === firstTask ? 0 : record.parent,
      };
    }),
  );
  const byTid = new Map<number, string[]>();
  for (const line of lines) {
    const part = byTid.get(line.tid) ?? [];
    part.push(`${epoch(line.time)} ${line.body}`);
    byTid.set(line.tid, part);
  }
  const parts = [...byTid].map(([id, partLines]) => ({ id, lines: partLines }));
  return { tasks, stderrTasks, oLines, oTimeOfDayLines, stderrLines, ignored, parts };
}

function epoch(time: number): string {
  const micros = time % 1_000_000;
  return `${String(EPOCH_BASE + Math.floor(time / 1_000_000))}.${String(micros).padStart(6, '0')}`;
}

function timeOfDay(time: number): string {
  const ofDay = (BEFORE_MIDNIGHT + time) % 86_400_000_000;
  const seconds = Math.floor(ofDay / 1_000_000);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}.${String(ofDay % 1_000_000).padStart(6, '0')}`;
}
