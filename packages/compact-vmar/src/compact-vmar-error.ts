const marker = Symbol.for('vmars.error.CompactVmarError');

/**
 * Why a compact-VMAR operation refused:
 * - `INVALID_ARGUMENT`: an option or argument is not a value the call can take; nothing was done.
 * - `IN_USE`: disposal found children or mappings still inside (Rust's `Drop` panics here);
 *   nothing was destroyed.
 * - `INFO_FAILED`: disposal could not read `ZX_INFO_VMAR_MAPS` (Rust panics here too); nothing
 *   was destroyed.
 * - `DISPOSED`: the object was already disposed.
 */
export type CompactVmarErrorCode = 'INVALID_ARGUMENT' | 'IN_USE' | 'INFO_FAILED' | 'DISPOSED';

/** The typed error of the policy layer (`@vmars/compact-vmar` and `@vmars/growable-vmars`). */
export class CompactVmarError extends Error {
  readonly [marker] = true;
  override readonly name = 'CompactVmarError';
  readonly code: CompactVmarErrorCode;

  constructor(code: CompactVmarErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  /** True for a `CompactVmarError` from any copy of this package. */
  static isInstance(error: unknown): error is CompactVmarError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
