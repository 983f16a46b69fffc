import { statusName } from './status.js';

const marker = Symbol.for('vmars.error.ZxError');

/**
 * A Zircon status raised as an exception, where an exception is the right tool (the layers above
 * the contract). `status` is the `zx_status_t`; the message names the operation and the status.
 */
export class ZxError extends Error {
  readonly [marker] = true;
  override readonly name = 'ZxError';
  readonly status: number;
  readonly operation: string;

  /**
   * @param status - the `zx_status_t` (a `Status` value)
   * @param operation - what failed, as the message names it (`zx_vmar_allocate`)
   * @param options - `cause`, and `detail`: an optional sentence appended to the message, saying
   * what was wrong
   */
  constructor(status: number, operation: string, options?: ErrorOptions & { detail?: string }) {
    const base = `${operation} failed: ${statusName(status)} (${String(status)})`;
    super(options?.detail === undefined ? base : `${base}: ${options.detail}`, options);
    this.status = status;
    this.operation = operation;
  }

  /** True for a `ZxError` from any copy of this package (the check survives duplicate installs). */
  static isInstance(error: unknown): error is ZxError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
