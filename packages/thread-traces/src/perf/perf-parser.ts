import type { LineParser, TaskSink } from '../line-parser.js';
import { TraceError } from '../trace-error.js';
import type { TaskKind, TraceHeader } from '../trace-task.js';

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

interface LiveTask {
  readonly id: number;
  readonly parent: number | null;
  readonly kind: TaskKind | null;
  readonly start: number | null;
  readonly startSeq: number | null;
}

/** `perf script` fields after the event name: `key=value` with values that may hold spaces. */
function field(fields: string, key: string, before: string | null, line: () => never): string {
  // The value runs from `key=` to the next known key (or the end): comm values may hold spaces
  // and even `=`, but never the next key with its leading space, which the kernel prints.
  const keyAt = fields.startsWith(`${key}=`) ? 0 : fields.indexOf(` ${key}=`);
  if (keyAt < 0) return line();
  const from = keyAt === 0 ? key.length + 1 : keyAt + key.length + 2;
  if (before === null) return fields.slice(from).trimEnd();
  const to = fields.indexOf(` ${before}=`, from);
  if (to < 0) return line();
  return fields.slice(from, to);
}

const WHOLE = /^\d{1,15}$/;
const HEX = /^(?:0x)?[0-9a-fA-F]{1,16}$/;
const TIME = /^(\d{1,12})\.(\d{1,9}):$/;
/** `perf script` after `perf record -g`: one frame a line, `\t  ffffffff81001234 func+0x1 (dso)`. */
const CALLCHAIN = /^\s+[0-9a-f]{4,16} \S/;
const FIELDS: Readonly<Record<string, string>> = {
  'sched:sched_process_fork': 'comm= pid= child_comm= child_pid=',
  'sched:sched_process_exit': 'comm= pid= prio= [group_dead=]',
  'task:task_newtask': 'pid= comm= clone_flags= oom_score_adj=',
  'sched:sched_process_exec': 'filename= pid= old_pid=',
};

/**
 * A line parser for `perf script` output of the scheduler's fork, exit, new-task and exec
 * tracepoints: hands each task to `sink` as it ends, the censored ones at `end()`. The rules it
 * applies are in the package's README ("perf").
 */
export function createPerfParser(sink: TaskSink, options: PerfParserOptions = {}): LineParser {
  const file = options.file;
  const live = new Map<number, LiveTask>();
  /** Ids whose task ended and that no fork has reused since. */
  const ended = new Set<number>();
  /** `task_newtask` seen, its fork not yet: child id → kind. */
  const pendingKinds = new Map<number, TaskKind>();
  let kindsKnown: boolean | undefined;
  let sawNewtask = false;
  let ignoredLines = 0;
  let seq = 0;
  let originMicros: number | undefined;
  let origin: string | null = null;
  let lastMicros = 0;
  let command: string | null = null;
  const notes: Record<string, string> = {};
  let sawEvent = false;

  const where = (line: number): { line: number; file?: string } =>
    file === undefined ? { line } : { line, file };
  const syntax = (line: number, message: string): TraceError =>
    new TraceError('SYNTAX', message, where(line));
  const contradiction = (line: number, message: string): TraceError =>
    new TraceError('CONTRADICTION', message, where(line));

  /** A task that shows up without its fork: the command's first task, or alive before. */
  const known = (id: number, line: number, isFirst: boolean): LiveTask => {
    const task = live.get(id);
    if (task !== undefined) return task;
    if (ended.has(id)) {
      throw contradiction(
        line,
        `task ${String(id)} acts after it exited (expected a sched_process_fork reusing its id first; a thread's execve looks like this unless sched:sched_process_exec is recorded too)`,
      );
    }
    const fresh: LiveTask = isFirst
      ? { id, parent: null, kind: 'process', start: 0, startSeq: seq++ }
      : { id, parent: null, kind: null, start: null, startSeq: null };
    live.set(id, fresh);
    return fresh;
  };

  /** Hands a task on; until a fork decides whether kinds are known, no newtask means no. */
  const emit = (
    task: LiveTask,
    end: number | null,
    endSeq: number | null,
    ending: 'exit' | 'superseded' = 'exit',
  ): void => {
    if (kindsKnown === undefined) kindsKnown = sawNewtask;
    sink({
      id: task.id,
      parent: task.parent,
      kind: kindsKnown ? task.kind : null,
      start: task.start,
      end,
      startSeq: task.startSeq,
      endSeq,
      ending: end === null ? null : ending,
    });
  };

  const header = (): TraceHeader => ({
    format: 'vmars-trace',
    version: 1,
    source: 'perf',
    command,
    date: null,
    origin,
    kindsKnown: kindsKnown ?? sawNewtask,
    ...(Object.keys(notes).length > 0 ? { notes: { ...notes } } : {}),
  });

  return {
    line(text: string, number: number): void {
      if (text.trim().length === 0) {
        ignoredLines += 1;
        return;
      }
      if (text.startsWith('#')) {
        const cmdline = /^# cmdline : (.*)$/.exec(text);
        if (cmdline !== null) {
          const full = (cmdline[1] as string).trim();
          const dashes = full.indexOf(' -- ');
          command = dashes >= 0 ? full.slice(dashes + 4) : null;
        }
        const version = /^# perf version : (\S+)/.exec(text);
        if (version !== null) notes.perfVersion = version[1] as string;
        const release = /^# os release : (\S+)/.exec(text);
        if (release !== null) notes.osRelease = release[1] as string;
        // The recording machine's local time, with no zone: kept as printed, not as `date`.
        const captured = /^# captured on\s*: (.{1,64})$/.exec(text);
        if (captured !== null) notes.capturedOn = (captured[1] as string).trim();
        // `--header` lists the recorded events: with task_newtask among them, kinds are known.
        if (/^# event : name = task:task_newtask,/.test(text)) kindsKnown ??= true;
        ignoredLines += 1;
        return;
      }
      const expected = 'expected a perf script line "COMM TID [CPU] SECONDS.MICROS: EVENT: FIELDS"';
      // COMM may hold spaces: find the timestamp token ("190.342260:"); the tid is the token
      // before it (or before the "[CPU]" token), the event the token after it.
      const tokens = text.trim().split(/\s+/);
      let timeToken = -1;
      for (let index = 1; index < tokens.length; index += 1) {
        if (TIME.test(tokens[index] as string)) {
          timeToken = index;
          break;
        }
      }
      if (timeToken < 0) {
        if (CALLCHAIN.test(text)) {
          ignoredLines += 1;
          return;
        }
        throw syntax(number, `${expected}, found ${JSON.stringify(text.slice(0, 80))}`);
      }
      const tidToken =
        tokens[/^\[\d+\]$/.test(tokens[timeToken - 1] as string) ? timeToken - 2 : timeToken - 1];
      const tid = tidToken === undefined ? undefined : /^(?:\d+\/)?(\d{1,15})$/.exec(tidToken)?.[1];
      if (tid === undefined) throw syntax(number, `${expected}: no TID before the time`);
      const event = tokens[timeToken + 1];
      if (event === undefined || !event.endsWith(':')) {
        throw syntax(number, `${expected}: no "EVENT:" after the time`);
      }
      const name = event.slice(0, -1);
      if (
        name !== 'sched:sched_process_fork' &&
        name !== 'sched:sched_process_exit' &&
        name !== 'task:task_newtask' &&
        name !== 'sched:sched_process_exec'
      ) {
        ignoredLines += 1;
        return;
      }
      const timeText = tokens[timeToken] as string;
      const time = TIME.exec(timeText) as RegExpExecArray;
      const micros =
        Number(time[1]) * 1_000_000 + Math.floor(Number((time[2] as string).padEnd(9, '0')) / 1000);
      if (originMicros === undefined) {
        originMicros = micros;
        origin = timeText.slice(0, -1);
      }
      if (micros < lastMicros) {
        throw contradiction(
          number,
          `the time ${String(micros - originMicros)} µs comes before the previous line's (${String(lastMicros - originMicros)} µs): expected perf script's time order`,
        );
      }
      lastMicros = micros;
      const now = micros - originMicros;
      const eventAt = text.indexOf(event, text.indexOf(timeText));
      const fields = text.slice(eventAt + event.length).trim();
      const isFirst = !sawEvent;
      sawEvent = true;
      const bad = (): never => {
        throw syntax(
          number,
          `expected the fields of ${name} (${FIELDS[name]}), found ${JSON.stringify(fields.slice(0, 80))}`,
        );
      };
      const whole = (value: string): number => (WHOLE.test(value) ? Number(value) : bad());

      if (name === 'task:task_newtask') {
        sawNewtask = true;
        const child = whole(field(fields, 'pid', 'comm', bad));
        const flags = field(fields, 'clone_flags', 'oom_score_adj', bad);
        if (!HEX.test(flags)) bad();
        const low = Number.parseInt(flags.slice(-8), 16);
        pendingKinds.set(child, (low & CLONE_THREAD) !== 0 ? 'thread' : 'process');
        // The creator acts on this line: the command's first task may show up here first.
        if (isFirst) known(Number(tid), number, true);
        return;
      }

      if (name === 'sched:sched_process_exec') {
        const leader = whole(field(fields, 'pid', 'old_pid', bad));
        const old = whole(field(fields, 'old_pid', null, bad));
        if (old === leader) {
          if (isFirst) known(leader, number, true);
          ignoredLines += 1;
          return;
        }
        // A non-leader's execve: the kernel ends the leader (its sched_process_exit came
        // already, or it ends here, superseded), and the thread goes on under the leader's id,
        // keeping its own record id, until that id's next exit.
        const thread = live.get(old);
        if (thread === undefined) {
          throw contradiction(
            number,
            `task ${String(old)} calls execve but is not alive (expected its sched_process_fork first)`,
          );
        }
        const former = live.get(leader);
        if (former !== undefined) {
          live.delete(leader);
          emit(former, now, seq++, 'superseded');
        }
        live.delete(old);
        ended.add(old);
        ended.delete(leader);
        live.set(leader, thread);
        return;
      }

      if (name === 'sched:sched_process_fork') {
        const parent = whole(field(fields, 'pid', 'child_comm', bad));
        const child = whole(field(fields, 'child_pid', null, bad));
        known(parent, number, isFirst);
        if (kindsKnown === undefined) kindsKnown = pendingKinds.has(child);
        let kind: TaskKind | null = null;
        if (kindsKnown) {
          const pending = pendingKinds.get(child);
          if (pending === undefined) {
            throw contradiction(
              number,
              `the fork of task ${String(child)} has no task:task_newtask line before it, as every fork before had (expected one for each fork)`,
            );
          }
          kind = pending;
        }
        pendingKinds.delete(child);
        if (live.has(child)) {
          throw contradiction(
            number,
            `task ${String(child)} is created while a task with that id is alive (expected its sched_process_exit first)`,
          );
        }
        ended.delete(child);
        live.set(child, { id: child, parent, kind, start: now, startSeq: seq++ });
        return;
      }

      // sched:sched_process_exit
      const id = whole(field(fields, 'pid', 'prio', bad));
      const prio = field(
        fields,
        'prio',
        fields.includes(' group_dead=') ? 'group_dead' : null,
        bad,
      );
      if (!/^-?\d+$/.test(prio)) bad();
      if (fields.includes(' group_dead=')) {
        const dead = field(fields, 'group_dead', null, bad);
        if (dead !== 'true' && dead !== 'false' && dead !== '1' && dead !== '0') bad();
      }
      const task = known(id, number, isFirst);
      live.delete(id);
      ended.add(id);
      emit(task, now, seq++);
    },

    end(): void {
      for (const task of live.values()) emit(task, null, null);
      live.clear();
    },

    header,

    get ignoredLines(): number {
      return ignoredLines;
    },
  };
}
