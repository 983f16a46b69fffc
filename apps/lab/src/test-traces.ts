import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** A task of a test trace: microseconds from the origin; `end: null` is alive at the end. */
export interface TestTask {
  readonly start: number;
  readonly end: number | null;
  readonly kind?: 'thread' | 'process';
}

/**
 * The lines of a trace in the project's format (vmars-trace, version 1) holding `tasks`, the
 * first of which is the traced command's own task (started at 0, parent null): a header, then a
 * record per task in the order the tasks ended, censored ones last. Times must be distinct.
 */
export function vmarsTraceText(tasks: readonly TestTask[], command = 'test-program'): string {
  const points: { time: number; task: number; start: boolean }[] = [];
  tasks.forEach((task, index) => {
    points.push({ time: task.start, task: index, start: true });
    if (task.end !== null) points.push({ time: task.end, task: index, start: false });
  });
  points.sort((left, right) => left.time - right.time || Number(right.start) - Number(left.start));
  const seq = tasks.map(() => ({ start: -1, end: -1 }));
  points.forEach((point, index) => {
    const entry = seq[point.task] as { start: number; end: number };
    if (point.start) entry.start = index;
    else entry.end = index;
  });
  const header = {
    format: 'vmars-trace',
    version: 1,
    source: 'strace',
    command,
    date: '2026-12-07T01:00:00Z',
    origin: '1733534822.000000',
    kindsKnown: true,
  };
  const order = tasks
    .map((_, index) => index)
    .sort((left, right) => {
      const a = seq[left]?.end ?? -1;
      const b = seq[right]?.end ?? -1;
      if (a < 0 || b < 0) return a < 0 && b < 0 ? left - right : a < 0 ? 1 : -1;
      return a - b;
    });
  const records = order.map((index) => {
    const task = tasks[index] as TestTask;
    const { start, end } = seq[index] as { start: number; end: number };
    return JSON.stringify({
      id: 1000 + index,
      parent: index === 0 ? null : 1000,
      kind: task.kind ?? (index === 0 ? 'process' : 'thread'),
      start: task.start,
      end: task.end,
      seq: [start, task.end === null ? null : end],
      ending: task.end === null ? null : 'exit',
      ...(task.end !== null && { code: 0 }),
    });
  });
  return `${[JSON.stringify(header), ...records].join('\n')}\n`;
}

/**
 * A program whose first task lives throughout and starts `count` threads in waves of `wave`
 * (below 25), each living about `life` microseconds, so that `wave` (plus the first) are alive
 * at the peak. Every time is distinct.
 */
export function wavesOfThreads(count: number, wave: number, life = 500): TestTask[] {
  const tasks: TestTask[] = [{ start: 0, end: null, kind: 'process' }];
  for (let index = 0; index < count; index += 1) {
    const start = 10 + Math.floor(index / wave) * (life + 100) + (index % wave);
    tasks.push({ start, end: start + life + 3 * (index % wave), kind: 'thread' });
  }
  return tasks;
}

/** Writes the trace of `tasks` to `path`, gzipped when the name ends in `.gz`. */
export function writeTestTrace(path: string, tasks: readonly TestTask[], command?: string): void {
  const text = vmarsTraceText(tasks, command);
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(text) : text);
}
