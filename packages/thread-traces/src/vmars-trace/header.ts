import { TraceError } from '../trace-error.js';
import {
  TRACE_FORMAT_NAME,
  TRACE_FORMAT_VERSION,
  type TraceHeader,
  type TraceSource,
} from '../trace-task.js';
import { describe, isRecord, refuse } from './refuse.js';

const SOURCES: ReadonlySet<string> = new Set<TraceSource>([
  'strace',
  'perf',
  'bpftrace',
  'vmars-trace',
]);
const HEADER_KEYS: ReadonlySet<string> = new Set([
  'format',
  'version',
  'source',
  'command',
  'date',
  'origin',
  'kindsKnown',
  'notes',
]);

/** The header line's JSON value, every field checked; a newer version is refused as UNKNOWN_FORMAT. */
export function parseHeader(value: unknown, line: number, file: string | undefined): TraceHeader {
  const expected = `expected the header {"format":"vmars-trace","version":1,"source":…,"command":…,"date":…,"origin":…,"kindsKnown":…}`;
  if (!isRecord(value) || value.format !== TRACE_FORMAT_NAME) {
    return refuse('SYNTAX', `${expected} first, found ${describe(value)}`, line, file);
  }
  const version = value.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    return refuse(
      'SYNTAX',
      `"version" must be a whole number (1), found ${describe(version)}`,
      line,
      file,
    );
  }
  if (version > TRACE_FORMAT_VERSION) {
    throw new TraceError(
      'UNKNOWN_FORMAT',
      `vmars-trace version ${String(version)} is newer than this reader, which reads version ${String(TRACE_FORMAT_VERSION)}: update @vmars/thread-traces`,
      { line, file },
    );
  }
  for (const key of Object.keys(value)) {
    if (!HEADER_KEYS.has(key)) refuse('SYNTAX', `unknown header field "${key}"`, line, file);
  }
  if (typeof value.source !== 'string' || !SOURCES.has(value.source)) {
    refuse(
      'SYNTAX',
      `"source" must be one of ${[...SOURCES].join(', ')}, found ${describe(value.source)}`,
      line,
      file,
    );
  }
  for (const key of ['command', 'date', 'origin'] as const) {
    if (value[key] !== null && typeof value[key] !== 'string') {
      refuse(
        'SYNTAX',
        `"${key}" must be a string or null, found ${describe(value[key])}`,
        line,
        file,
      );
    }
  }
  if (typeof value.kindsKnown !== 'boolean') {
    refuse(
      'SYNTAX',
      `"kindsKnown" must be true or false, found ${describe(value.kindsKnown)}`,
      line,
      file,
    );
  }
  const result: {
    -readonly [K in keyof TraceHeader]: TraceHeader[K];
  } = {
    format: TRACE_FORMAT_NAME,
    version: TRACE_FORMAT_VERSION,
    source: value.source as TraceSource,
    command: value.command as string | null,
    date: value.date as string | null,
    origin: value.origin as string | null,
    kindsKnown: value.kindsKnown as boolean,
  };
  if (value.notes !== undefined) {
    const notes = value.notes;
    if (!isRecord(notes) || Object.values(notes).some((note) => typeof note !== 'string')) {
      refuse(
        'SYNTAX',
        `"notes" must be an object of strings, found ${describe(notes)}`,
        line,
        file,
      );
    }
    result.notes = { ...(notes as Record<string, string>) };
  }
  return result;
}
