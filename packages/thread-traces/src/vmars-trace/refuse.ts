import { TraceError } from '../trace-error.js';

/** Throws the reader's `TraceError` for `line` (of `file`, when named). */
export function refuse(
  code: 'SYNTAX' | 'CONTRADICTION',
  message: string,
  line: number,
  file: string | undefined,
): never {
  throw new TraceError(code, message, { line, file });
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as JSON, cut at 40 characters, for messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
