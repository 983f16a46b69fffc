import type { TaskEnding, TaskKind, TraceTask } from '../trace-task.js';
import type { MutableTask } from './canonical-record.js';
import { describe, isRecord, refuse } from './refuse.js';

const KINDS: ReadonlySet<string> = new Set<TaskKind>(['thread', 'process']);
const ENDINGS: ReadonlySet<string> = new Set<TaskEnding>([
  'exit',
  'signal',
  'group-exit',
  'superseded',
]);
const RECORD_KEYS: ReadonlySet<string> = new Set([
  'id',
  'parent',
  'kind',
  'start',
  'end',
  'seq',
  'ending',
  'code',
  'signal',
]);

export const RECORD_EXAMPLE =
  '{"id":1235,"parent":1234,"kind":"thread","start":120,"end":5400,"seq":[3,9],"ending":"exit","code":0}';

function wholeOrNull(
  value: unknown,
  name: string,
  line: number,
  file: string | undefined,
): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return refuse(
      'SYNTAX',
      `"${name}" must be a whole number ≥ 0 or null, found ${describe(value)}`,
      line,
      file,
    );
  }
  return value;
}

/** A record's optional `code` and `signal`, their types checked, added to `task`. */
function addEndingDetail(
  task: MutableTask,
  value: Record<string, unknown>,
  line: number,
  file: string | undefined,
): void {
  if (value.code !== undefined) {
    if (typeof value.code !== 'number' || !Number.isSafeInteger(value.code)) {
      refuse('SYNTAX', `"code" must be a whole number, found ${describe(value.code)}`, line, file);
    }
    task.code = value.code as number;
  }
  if (value.signal !== undefined) {
    if (typeof value.signal !== 'string' || !/^SIG[A-Z0-9+-]{1,16}$/.test(value.signal)) {
      refuse(
        'SYNTAX',
        `"signal" must be a signal's name like "SIGKILL", found ${describe(value.signal)}`,
        line,
        file,
      );
    }
    task.signal = value.signal as string;
  }
}

/** A record in any JSON layout, each field's type checked (not how the fields fit together). */
export function parseRecord(value: unknown, line: number, file: string | undefined): MutableTask {
  if (!isRecord(value))
    return refuse(
      'SYNTAX',
      `expected a task record like ${RECORD_EXAMPLE}, found ${describe(value)}`,
      line,
      file,
    );
  for (const key in value) {
    if (!RECORD_KEYS.has(key))
      refuse(
        'SYNTAX',
        `unknown record field "${key}" (expected a task record like ${RECORD_EXAMPLE})`,
        line,
        file,
      );
  }
  const id = value.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return refuse('SYNTAX', `"id" must be a whole number ≥ 0, found ${describe(id)}`, line, file);
  }
  const parent = wholeOrNull(value.parent, 'parent', line, file);
  const kind = value.kind;
  if (kind !== null && (typeof kind !== 'string' || !KINDS.has(kind))) {
    return refuse(
      'SYNTAX',
      `"kind" must be "thread", "process" or null, found ${describe(kind)}`,
      line,
      file,
    );
  }
  const start = wholeOrNull(value.start, 'start', line, file);
  const end = wholeOrNull(value.end, 'end', line, file);
  const seq = value.seq;
  if (!Array.isArray(seq) || seq.length !== 2) {
    return refuse(
      'SYNTAX',
      `"seq" must be [start, end] (numbers or null), found ${describe(seq)}`,
      line,
      file,
    );
  }
  const startSeq = wholeOrNull(seq[0], 'seq[0]', line, file);
  const endSeq = wholeOrNull(seq[1], 'seq[1]', line, file);
  const ending = value.ending;
  if (ending !== null && (typeof ending !== 'string' || !ENDINGS.has(ending))) {
    return refuse(
      'SYNTAX',
      `"ending" must be one of ${[...ENDINGS].join(', ')} or null, found ${describe(ending)}`,
      line,
      file,
    );
  }
  const task: MutableTask = {
    id,
    parent,
    kind: kind as TaskKind | null,
    start,
    end,
    startSeq,
    endSeq,
    ending: ending as TaskEnding | null,
  };
  addEndingDetail(task, value, line, file);
  return task;
}

/** How the fields of a task fit together, whichever way it was read. */
export function checkTask(
  task: TraceTask,
  kindsKnown: boolean,
  line: number,
  file: string | undefined,
): void {
  const { kind, start, end, startSeq, endSeq, ending } = task;
  if (!kindsKnown && kind !== null) {
    refuse(
      'CONTRADICTION',
      `"kind" is ${describe(kind)} but the header says kindsKnown:false (expected null)`,
      line,
      file,
    );
  }
  if ((start === null) !== (startSeq === null)) {
    refuse(
      'CONTRADICTION',
      `"start" is ${describe(start)} and "seq"[0] is ${describe(startSeq)} (expected both null or neither)`,
      line,
      file,
    );
  }
  if ((end === null) !== (endSeq === null) || (end === null) !== (ending === null)) {
    refuse(
      'CONTRADICTION',
      `"end" is ${describe(end)}, "seq"[1] ${describe(endSeq)} and "ending" ${describe(ending)} (expected all three null or none)`,
      line,
      file,
    );
  }
  if (start !== null && end !== null && end < start) {
    refuse(
      'CONTRADICTION',
      `the task ends (${String(end)} µs) before it starts (${String(start)} µs)`,
      line,
      file,
    );
  }
  if (startSeq !== null && endSeq !== null && endSeq <= startSeq) {
    refuse(
      'CONTRADICTION',
      `the task's end (seq ${String(endSeq)}) comes before its start (seq ${String(startSeq)})`,
      line,
      file,
    );
  }
  if (task.code !== undefined && ending !== 'exit') {
    refuse(
      'CONTRADICTION',
      `"code" goes only with "ending":"exit", found "ending":${describe(ending)}`,
      line,
      file,
    );
  }
  if (task.signal !== undefined && ending !== 'signal') {
    refuse(
      'CONTRADICTION',
      `"signal" goes only with "ending":"signal", found "ending":${describe(ending)}`,
      line,
      file,
    );
  }
  if (task.signal === undefined && ending === 'signal') {
    refuse('SYNTAX', `"ending":"signal" needs "signal" naming it (like "SIGKILL")`, line, file);
  }
}
