const marker = Symbol.for('vmars.error.TraceError');

/**
 * Why a trace was refused:
 * - `UNKNOWN_FORMAT`: the content is none of the formats (`sniffTraceFormat`);
 * - `SYNTAX`: a line is not what its format allows at that place (a truncated line among them);
 * - `CONTRADICTION`: a line contradicts the ones before it (an end before its start, a task alive
 *   twice, an unfinished call resumed by nobody);
 * - `TOO_LONG`: a line longer than `MAX_LINE_LENGTH`;
 * - `READ_FAILED`: the Node entry point could not read the file (`cause` says why).
 */
export type TraceErrorCode =
  | 'UNKNOWN_FORMAT'
  | 'SYNTAX'
  | 'CONTRADICTION'
  | 'TOO_LONG'
  | 'READ_FAILED';

/** A line longer than this is refused: no trace format here needs more. */
export const MAX_LINE_LENGTH = 1 << 20;

/** The typed error of `@vmars/thread-traces`: says which line and what was expected there. */
export class TraceError extends Error {
  readonly [marker] = true;
  override readonly name = 'TraceError';
  readonly code: TraceErrorCode;
  /** The 1-based line at fault, where there is one. */
  readonly line: number | undefined;
  /** The file (or `-ff` part) at fault, where the caller named one. */
  readonly file: string | undefined;

  constructor(
    code: TraceErrorCode,
    message: string,
    options?: ErrorOptions & {
      readonly line?: number | undefined;
      readonly file?: string | undefined;
    },
  ) {
    const where =
      options?.line === undefined
        ? (options?.file ?? '')
        : `${options.file === undefined ? '' : `${options.file}:`}line ${String(options.line)}`;
    super(where === '' ? message : `${where}: ${message}`, options);
    this.code = code;
    this.line = options?.line;
    this.file = options?.file;
  }

  /** True for a `TraceError` from any copy of this package. */
  static isInstance(error: unknown): error is TraceError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
