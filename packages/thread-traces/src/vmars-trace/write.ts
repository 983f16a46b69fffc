import {
  TRACE_FORMAT_NAME,
  TRACE_FORMAT_VERSION,
  type Trace,
  type TraceHeader,
  type TraceTask,
} from '../trace-task.js';

/** One line: the header, without its line break. */
export function formatTraceHeader(header: TraceHeader): string {
  const out: Record<string, unknown> = {
    format: TRACE_FORMAT_NAME,
    version: TRACE_FORMAT_VERSION,
    source: header.source,
    command: header.command,
    date: header.date,
    origin: header.origin,
    kindsKnown: header.kindsKnown,
  };
  if (header.notes !== undefined) out.notes = header.notes;
  return JSON.stringify(out);
}

/** One line: a task's record, without its line break. */
export function formatTraceRecord(task: TraceTask): string {
  // Built by hand: the fields are numbers, null or known words, and this is the writer's hot loop.
  let text = `{"id":${String(task.id)},"parent":${task.parent === null ? 'null' : String(task.parent)},"kind":${task.kind === null ? 'null' : `"${task.kind}"`},"start":${task.start === null ? 'null' : String(task.start)},"end":${task.end === null ? 'null' : String(task.end)},"seq":[${task.startSeq === null ? 'null' : String(task.startSeq)},${task.endSeq === null ? 'null' : String(task.endSeq)}],"ending":${task.ending === null ? 'null' : `"${task.ending}"`}`;
  if (task.code !== undefined) text += `,"code":${String(task.code)}`;
  if (task.signal !== undefined) text += `,"signal":${JSON.stringify(task.signal)}`;
  return `${text}}`;
}

/**
 * The whole trace as lines (each with its `\n`): the header, then the tasks in the order they
 * ended, then the censored ones in the trace's order. Reading it back gives `trace` again when
 * `trace.tasks` is in the order `readTrace` gives (the tasks alive before the trace in the order
 * they ended, the censored last; then the others by `startSeq`).
 */
export function* writeTrace(trace: Trace): Generator<string> {
  yield `${formatTraceHeader(trace.header)}\n`;
  const ended: TraceTask[] = [];
  const censored: TraceTask[] = [];
  for (const task of trace.tasks) (task.endSeq === null ? censored : ended).push(task);
  ended.sort((left, right) => (left.endSeq as number) - (right.endSeq as number));
  for (const task of ended) yield `${formatTraceRecord(task)}\n`;
  for (const task of censored) yield `${formatTraceRecord(task)}\n`;
}
