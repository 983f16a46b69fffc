const marker = Symbol.for('vmars.error.Errno');

/** Linux `ENOMEM` (asm-generic/errno-base.h): what Starnix's `errno!(ENOMEM)` carries. */
export const ENOMEM = 12;

const errnoNames: Readonly<Record<number, string>> = { 12: 'ENOMEM' };

/**
 * A Linux errno raised by the policy layer, as Starnix returns `Errno` (for example
 * `GrowableVmars.probe()` throws `ENOMEM` when no compact VMAR can be allocated).
 */
export class Errno extends Error {
  readonly [marker] = true;
  override readonly name = 'Errno';
  /** The errno value, e.g. `ENOMEM` (12). */
  readonly code: number;

  constructor(code: number, message?: string, options?: ErrorOptions) {
    const label = errnoNames[code] ?? `errno ${String(code)}`;
    super(message === undefined ? label : `${label}: ${message}`, options);
    this.code = code;
  }

  /** The symbolic name of the code (`"ENOMEM"`), or `"errno <n>"` for one this package does not name. */
  get codeName(): string {
    return errnoNames[this.code] ?? `errno ${String(this.code)}`;
  }

  /** True for an `Errno` from any copy of this package (the check survives duplicate installs). */
  static isInstance(error: unknown): error is Errno {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
