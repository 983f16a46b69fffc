const marker = Symbol.for('vmars.error.LinuxCheckError');

/**
 * Why `checkLinux` refused or stopped:
 * - `UNSUPPORTED_HOST`: not Linux, not x86-64 or arm64, not 4 KiB pages, or no `VmPTE` in
 *   /proc/self/status: this machine cannot answer.
 * - `INVALID_REPORT`: the report cannot be replayed here: another architecture than the host's, no
 *   blocks at the peak, or fields that do not hold together (its peak blocks do not give its own
 *   page-table count at the peak).
 * - `INSUFFICIENT_MEMORY`: the pages to touch do not fit comfortably (at most half) in the memory
 *   available; the message says how much the check needs.
 * - `TOO_MANY_MAPPINGS`: the peak's blocks, one mapping each, would pass `vm.max_map_count`.
 * - `CHILD_FAILED`: the child process refused, crashed or timed out (it is ended either way).
 *
 * All but `CHILD_FAILED` are found before any process is started.
 */
export type LinuxCheckErrorCode =
  | 'UNSUPPORTED_HOST'
  | 'INVALID_REPORT'
  | 'INSUFFICIENT_MEMORY'
  | 'TOO_MANY_MAPPINGS'
  | 'CHILD_FAILED';

/** The typed error of `@vmars/linux-page-tables`; its message is one line. */
export class LinuxCheckError extends Error {
  readonly [marker] = true;
  override readonly name = 'LinuxCheckError';
  readonly code: LinuxCheckErrorCode;

  constructor(code: LinuxCheckErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  /** True for a `LinuxCheckError` from any copy of this package. */
  static isInstance(error: unknown): error is LinuxCheckError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
