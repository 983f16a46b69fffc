import { TraceError } from './trace-error.js';
import type { TraceFormat } from './trace-task.js';

const VMARS_TRACE = /^\s*\{\s*"format"\s*:\s*"vmars-trace"/;
const PERF_EVENT = /\s(?:sched:sched_process_[a-z_]+|task:task_newtask|task:task_rename):\s/;
const PERF_HEADER = /^# (?:perf version|cmdline|captured on|event|os release) *:/;
/** A clock as strace prints it: -t, -tt, or -ttt. */
const CLOCK = String.raw`(?:\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?|\d{1,12}\.\d{1,9})`;
/** What follows a strace prefix: a call, its resumption, or a `+++`/`---` event. */
const STRACE_BODY = String.raw`(?:[a-z_][a-z0-9_]*\(|<\.\.\. [a-z_][a-z0-9_]* resumed>|\+\+\+ |--- )`;
const STRACE_LINES: readonly RegExp[] = [
  // -o FILE with -f: the tid first on every line, then the clock when asked for.
  new RegExp(String.raw`^\d{1,10} +(?:${CLOCK} +)?${STRACE_BODY}`),
  // stderr: "[pid  1234] " on lines of other tasks than the first.
  new RegExp(String.raw`^\[pid +\d{1,10}\] +(?:${CLOCK} +)?${STRACE_BODY}`),
  // stderr, the first task's lines: the clock, or the call itself.
  new RegExp(`^(?:${CLOCK} +)?${STRACE_BODY}`),
  /^strace: Process \d{1,10} attached/,
];

/** A perf script line of any tracepoint: `... SECONDS.FRACTION: SUBSYSTEM:EVENT: ...`, by tokens. */
function isPerfLine(line: string): boolean {
  const tokens = line.trim().split(/\s+/);
  for (let index = 1; index + 1 < tokens.length; index += 1) {
    if (/^\d{1,12}\.\d{1,9}:$/.test(tokens[index] as string)) {
      return /^[a-z0-9_]{1,64}:[a-z0-9_]{1,64}:$/.test(tokens[index + 1] as string);
    }
  }
  return false;
}

/** What each format's first lines look like, for the error that names none. */
const EXPECTED =
  'expected one of: the project\'s format (a first line starting {"format":"vmars-trace"); ' +
  'strace -f output (lines like `1234  1733534822.123456 clone(...` with -o, or ' +
  '`[pid  1234] 12:00:00 clone(...` and `12:00:00.123456 execve(...` on stderr); ' +
  'perf script output (lines holding `sched:sched_process_fork:`, `sched:sched_process_exit:` or `task:task_newtask:`)';

/**
 * Tells the formats apart from the content of the first lines (blank ones are skipped), never
 * from a file's name. Throws `TraceError` `UNKNOWN_FORMAT` naming what each format looks like.
 */
export function sniffTraceFormat(firstLines: readonly string[]): TraceFormat {
  const lines = firstLines.filter((line) => line.trim().length > 0);
  const first = lines[0];
  if (first === undefined) {
    throw new TraceError('UNKNOWN_FORMAT', `the trace is empty (${EXPECTED})`);
  }
  if (VMARS_TRACE.test(first)) return 'vmars-trace';
  // perf script may open with `--header`'s comment lines, and strace never writes a `#` line.
  if (lines.some((line) => PERF_EVENT.test(line) || PERF_HEADER.test(line) || isPerfLine(line))) {
    return 'perf';
  }
  const firstOfStrace = lines.find((line) => !line.startsWith('#'));
  if (firstOfStrace !== undefined && STRACE_LINES.some((pattern) => pattern.test(firstOfStrace))) {
    return 'strace';
  }
  const shown = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  throw new TraceError(
    'UNKNOWN_FORMAT',
    `the trace's first line ${JSON.stringify(shown)} is none of the formats (${EXPECTED})`,
  );
}
