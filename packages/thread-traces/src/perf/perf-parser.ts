import type { LineParser, TaskSink } from '../line-parser.js';
import { TraceError } from '../trace-error.js';
import type { TaskKind, TraceHeader } from '../trace-task.js';
import { PerfFields, type PerfLine, perfMicros, splitPerfLine } from './perf-line.js';

/**
 * A reader of `perf script` text for the events
 *   sched:sched_process_fork   comm=sh pid=5213 child_comm=sh child_pid=5215
 *   sched:sched_process_exit   comm=ls pid=5215 prio=120 group_dead=true   (group_dead: newer kernels)
 *   task:task_newtask          pid=5215 comm=sh clone_flags=4100 oom_score_adj=0   (optional)
 * each on a line `COMM TID [CPU] SECONDS.FRACTION: EVENT: FIELDS` (COMM may hold spaces; the CPU
 * and a `PID/TID` pair are accepted too).
 *
 * A task starts at its `sched_process_fork` and ends at its `sched_process_exit`. The task of the
 * first event, when no fork created it, is the traced command's first task: alive from the start
 * (start 0, seq 0). Any other task seen without its fork (a system-wide recording) was alive
 * before the trace began. `task_newtask`, written by the kernel just before the fork event, tells
 * threads (`CLONE_THREAD`, 0x10000, in `clone_flags`) from processes; a recording without it has
 * `kindsKnown: false` and every `kind` null. Whether it has it is decided by `--header`'s event
 * list, or else at the first fork (or the first exit, if one comes before any fork), since tasks
 * are handed on as they end.
 * `sched:sched_process_exec` (optional) follows a non-leader thread's execve: with `old_pid=N`
 * and `pid=L`, task N goes on under id L, keeping its own record id (the leader's own exit comes
 * just before, or it ends there, `superseded`); without it, such a trace is refused at the
 * leader's second exit. `perf script` sorts events by time; a line earlier than the one before
 * is refused. Other events, `#` comment lines and `-g` call chains are counted in
 * `ignoredLines`; `# cmdline :`, `# perf version :`, `# os release :` and `# captured on :` (from
 * `perf script --header`) fill in the header.
 */
export interface PerfParserOptions {
  /** Named in errors. */
  readonly file?: string;
}

const CLONE_THREAD = 0x10000;
const HEX = /^(?:0x)?[0-9a-fA-F]{1,16}$/;

interface LiveTask {
  readonly id: number;
  readonly parent: number | null;
  readonly kind: TaskKind | null;
  readonly start: number | null;
  readonly startSeq: number | null;
}

/**
 * A line parser for `perf script` output of the scheduler's fork, exit, new-task and exec
 * tracepoints: hands each task to `sink` as it ends, the censored ones at `end()`. The rules it
 * applies are in the package's README ("perf").
 */
export function createPerfParser(sink: TaskSink, options: PerfParserOptions = {}): LineParser {
  return new PerfParser(sink, options.file);
}

/** What `perf script --header` tells of the recording, and the clock's origin. */
class PerfHeaderLines {
  command: string | null = null;
  origin: string | null = null;
  readonly notes: Record<string, string> = {};
  /** Whether `--header`'s event list names task:task_newtask. */
  listsNewtask = false;

  /** A `#` line: fills in what it tells. */
  comment(text: string): void {
    const cmdline = /^# cmdline : (.*)$/.exec(text);
    if (cmdline !== null) {
      const full = (cmdline[1] as string).trim();
      const dashes = full.indexOf(' -- ');
      this.command = dashes >= 0 ? full.slice(dashes + 4) : null;
    }
    const version = /^# perf version : (\S+)/.exec(text);
    if (version !== null) this.notes.perfVersion = version[1] as string;
    const release = /^# os release : (\S+)/.exec(text);
    if (release !== null) this.notes.osRelease = release[1] as string;
    // The recording machine's local time, with no zone: kept as printed, not as `date`.
    const captured = /^# captured on\s*: (.{1,64})$/.exec(text);
    if (captured !== null) this.notes.capturedOn = (captured[1] as string).trim();
    if (/^# event : name = task:task_newtask,/.test(text)) this.listsNewtask = true;
  }

  header(kindsKnown: boolean): TraceHeader {
    return {
      format: 'vmars-trace',
      version: 1,
      source: 'perf',
      command: this.command,
      date: null,
      origin: this.origin,
      kindsKnown,
      ...(Object.keys(this.notes).length > 0 ? { notes: { ...this.notes } } : {}),
    };
  }
}

class PerfParser implements LineParser {
  private readonly live = new Map<number, LiveTask>();
  /** Ids whose task ended and that no fork has reused since. */
  private readonly ended = new Set<number>();
  /** `task_newtask` seen, its fork not yet: child id → kind. */
  private readonly pendingKinds = new Map<number, TaskKind>();
  private readonly about = new PerfHeaderLines();
  private kindsKnown: boolean | undefined;
  private sawNewtask = false;
  private ignored = 0;
  private seq = 0;
  private originMicros: number | undefined;
  private lastMicros = 0;
  private sawEvent = false;

  constructor(
    private readonly sink: TaskSink,
    private readonly file: string | undefined,
  ) {}

  line(text: string, number: number): void {
    if (text.trim().length === 0) {
      this.ignored += 1;
      return;
    }
    if (text.startsWith('#')) {
      this.about.comment(text);
      // `--header` lists the recorded events: with task_newtask among them, kinds are known.
      if (this.about.listsNewtask) this.kindsKnown ??= true;
      this.ignored += 1;
      return;
    }
    const event = splitPerfLine(text, number, this.file);
    if (event === undefined || event.name === null) {
      this.ignored += 1;
      return;
    }
    const now = this.time(event.timeText, number);
    const isFirst = !this.sawEvent;
    this.sawEvent = true;
    const fields = new PerfFields(event.name, event.fields, number, this.file);
    switch (event.name) {
      case 'task:task_newtask':
        this.newtask(event, fields, number, isFirst);
        return;
      case 'sched:sched_process_exec':
        this.exec(fields, number, isFirst, now);
        return;
      case 'sched:sched_process_fork':
        this.fork(fields, number, isFirst, now);
        return;
      case 'sched:sched_process_exit':
        this.exit(fields, number, isFirst, now);
        return;
    }
  }

  /** Microseconds since the first event; a line earlier than the one before is refused. */
  private time(timeText: string, number: number): number {
    const micros = perfMicros(timeText);
    if (this.originMicros === undefined) {
      this.originMicros = micros;
      this.about.origin = timeText.slice(0, -1);
    }
    if (micros < this.lastMicros) {
      throw this.contradiction(
        number,
        `the time ${String(micros - this.originMicros)} µs comes before the previous line's (${String(this.lastMicros - this.originMicros)} µs): expected perf script's time order`,
      );
    }
    this.lastMicros = micros;
    return micros - this.originMicros;
  }

  private newtask(event: PerfLine, fields: PerfFields, number: number, isFirst: boolean): void {
    this.sawNewtask = true;
    const child = fields.whole('pid', 'comm');
    const flags = fields.text('clone_flags', 'oom_score_adj');
    if (!HEX.test(flags)) fields.bad();
    const low = Number.parseInt(flags.slice(-8), 16);
    this.pendingKinds.set(child, (low & CLONE_THREAD) !== 0 ? 'thread' : 'process');
    // The creator acts on this line: the command's first task may show up here first.
    if (isFirst) this.known(event.tid, number, true);
  }

  private exec(fields: PerfFields, number: number, isFirst: boolean, now: number): void {
    const leader = fields.whole('pid', 'old_pid');
    const old = fields.whole('old_pid', null);
    if (old === leader) {
      if (isFirst) this.known(leader, number, true);
      this.ignored += 1;
      return;
    }
    // A non-leader's execve: the kernel ends the leader (its sched_process_exit came already,
    // or it ends here, superseded), and the thread goes on under the leader's id, keeping its
    // own record id, until that id's next exit.
    const thread = this.live.get(old);
    if (thread === undefined) {
      throw this.contradiction(
        number,
        `task ${String(old)} calls execve but is not alive (expected its sched_process_fork first)`,
      );
    }
    const former = this.live.get(leader);
    if (former !== undefined) {
      this.live.delete(leader);
      this.emit(former, now, this.seq++, 'superseded');
    }
    this.live.delete(old);
    this.ended.add(old);
    this.ended.delete(leader);
    this.live.set(leader, thread);
  }

  private fork(fields: PerfFields, number: number, isFirst: boolean, now: number): void {
    const parent = fields.whole('pid', 'child_comm');
    const child = fields.whole('child_pid', null);
    this.known(parent, number, isFirst);
    if (this.kindsKnown === undefined) this.kindsKnown = this.pendingKinds.has(child);
    let kind: TaskKind | null = null;
    if (this.kindsKnown) {
      const pending = this.pendingKinds.get(child);
      if (pending === undefined) {
        throw this.contradiction(
          number,
          `the fork of task ${String(child)} has no task:task_newtask line before it, as every fork before had (expected one for each fork)`,
        );
      }
      kind = pending;
    }
    this.pendingKinds.delete(child);
    if (this.live.has(child)) {
      throw this.contradiction(
        number,
        `task ${String(child)} is created while a task with that id is alive (expected its sched_process_exit first)`,
      );
    }
    this.ended.delete(child);
    this.live.set(child, { id: child, parent, kind, start: now, startSeq: this.seq++ });
  }

  private exit(fields: PerfFields, number: number, isFirst: boolean, now: number): void {
    const id = fields.whole('pid', 'prio');
    const groupDead = fields.has('group_dead');
    const prio = fields.text('prio', groupDead ? 'group_dead' : null);
    if (!/^-?\d+$/.test(prio)) fields.bad();
    if (groupDead) {
      const dead = fields.text('group_dead', null);
      if (dead !== 'true' && dead !== 'false' && dead !== '1' && dead !== '0') fields.bad();
    }
    const task = this.known(id, number, isFirst);
    this.live.delete(id);
    this.ended.add(id);
    this.emit(task, now, this.seq++);
  }

  /** A task that shows up without its fork: the command's first task, or alive before. */
  private known(id: number, number: number, isFirst: boolean): LiveTask {
    const task = this.live.get(id);
    if (task !== undefined) return task;
    if (this.ended.has(id)) {
      throw this.contradiction(
        number,
        `task ${String(id)} acts after it exited (expected a sched_process_fork reusing its id first; a thread's execve looks like this unless sched:sched_process_exec is recorded too)`,
      );
    }
    const fresh: LiveTask = isFirst
      ? { id, parent: null, kind: 'process', start: 0, startSeq: this.seq++ }
      : { id, parent: null, kind: null, start: null, startSeq: null };
    this.live.set(id, fresh);
    return fresh;
  }

  /** Hands a task on; until a fork decides whether kinds are known, no newtask means no. */
  private emit(
    task: LiveTask,
    end: number | null,
    endSeq: number | null,
    ending: 'exit' | 'superseded' = 'exit',
  ): void {
    if (this.kindsKnown === undefined) this.kindsKnown = this.sawNewtask;
    this.sink({
      id: task.id,
      parent: task.parent,
      kind: this.kindsKnown ? task.kind : null,
      start: task.start,
      end,
      startSeq: task.startSeq,
      endSeq,
      ending: end === null ? null : ending,
    });
  }

  private contradiction(line: number, message: string): TraceError {
    return new TraceError('CONTRADICTION', message, { line, file: this.file });
  }

  end(): void {
    for (const task of this.live.values()) this.emit(task, null, null);
    this.live.clear();
  }

  header(): TraceHeader {
    return this.about.header(this.kindsKnown ?? this.sawNewtask);
  }

  get ignoredLines(): number {
    return this.ignored;
  }
}
