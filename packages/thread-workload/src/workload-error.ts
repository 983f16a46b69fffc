const marker = Symbol.for('vmars.error.WorkloadError');

/**
 * Why `runWorkload` refused or stopped:
 * - `INVALID_OPTION`: an option is missing or not a value the engine can take (`option` names
 *   it); checked before anything runs, so no backend was made and nothing was allocated.
 * - `VERIFICATION_FAILED`: with `verify: true`, a figure the engine keeps differed from a
 *   `maps()` read of the same moment (a bug in the engine or the backend).
 */
export type WorkloadErrorCode = 'INVALID_OPTION' | 'VERIFICATION_FAILED';

/** The typed error of the engine layer (`@vmars/thread-workload`). */
export class WorkloadError extends Error {
  readonly [marker] = true;
  override readonly name = 'WorkloadError';
  readonly code: WorkloadErrorCode;
  /** With `INVALID_OPTION`: the option at fault, as spelled in `RunWorkloadOptions`. */
  readonly option: string | undefined;

  constructor(
    code: WorkloadErrorCode,
    message: string,
    options?: ErrorOptions & { readonly option?: string },
  ) {
    super(message, options);
    this.code = code;
    this.option = options?.option;
  }

  /** True for a `WorkloadError` from any copy of this package. */
  static isInstance(error: unknown): error is WorkloadError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
