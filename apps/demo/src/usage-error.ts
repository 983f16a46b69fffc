const marker = Symbol.for('vmars.demo.UsageError');

/**
 * A bad command line: an unknown option or an option value that cannot be used. The CLI prints
 * `vmars-demo: <message>` on one line and exits with status 2 (the usual "usage" status).
 */
export class UsageError extends Error {
  readonly [marker] = true;
  override readonly name = 'UsageError';
  /** The option at fault, spelled as on the command line (`"--threads"`), if one is. */
  readonly option: string | undefined;

  constructor(option: string | undefined, detail: string, options?: ErrorOptions) {
    super(option === undefined ? detail : `${option}: ${detail}`, options);
    this.option = option;
  }

  /** True for a `UsageError` from any copy of this module. */
  static isInstance(error: unknown): error is UsageError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
