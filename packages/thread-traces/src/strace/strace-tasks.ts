import type { TraceHeader } from '../trace-task.js';
import { CREATING_CALLS, type Live, StraceTaskTable, UNNAMED } from './strace-task-table.js';
import { commandOf, IntegerReader, isName, quote } from './strace-text.js';

const SUPERSEDED = '+++ superseded by execve in pid ';

/**
 * The state machine every strace form feeds (`-o FILE` with the tid first, stderr with `[pid N]`,
 * and `-ff` parts merged by time): one call of `event` per timestamped line, with the line's task
 * already told. It keeps only what is alive: the live tasks by their current tid, their thread
 * groups, ended tasks waiting for the clone result that names their creator, and a bitset of the
 * ids seen (512 KiB at most: tids are at most `PID_MAX_LIMIT`).
 *
 * The rules it applies are in `README.md` beside this file.
 */

export class StraceTasks extends StraceTaskTable {
  private readonly integers = new IntegerReader();
  private origin = -1;
  private originText: string | null = null;
  private lastTime = 0;
  /** The stream announces new children (no `-q`): an unannounced unknown tid is no new child. */
  private announcing = false;
  private command: string | null = null;

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
      const successor = this.live.get(this.integers.read(rest, at + SUPERSEDED.length) ?? 0);
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
      const code = this.integers.read(rest, at + 16);
      if (code === null || this.integers.end !== rest.length - 4) {
        throw this.error('SYNTAX', `expected "+++ exited with N +++", found ${quote(rest, at)}`);
      }
      this.endTask(task, 'exit', code, undefined, now);
    } else if (rest.startsWith('+++ killed by SIG', at)) {
      let end = at + 14;
      while (end < rest.length && rest.charCodeAt(end) !== 32) end += 1;
      this.endTask(task, 'signal', undefined, rest.slice(at + 14, end), now);
    } else if (rest.startsWith(SUPERSEDED, at)) {
      const successor = this.integers.read(rest, at + SUPERSEDED.length);
      if (successor === null || this.integers.end !== rest.length - 4) {
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
    const child = this.integers.read(rest, equals + 3);
    if (child === null || child <= 0) {
      throw this.error(
        'SYNTAX',
        `expected the ${name} call's result, a task id, found ${quote(rest, equals + 3)}`,
      );
    }
    this.checkTid(child);
    this.create(task, child, name === 'fork' || name === 'vfork' ? false : thread, now);
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
