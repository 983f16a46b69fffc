/**
 * A bad command line: an unknown option or an option value that cannot be used. A CLI prints
 * `<program>: <message>` on one line and exits with status 2 (the usual "usage" status).
 */
export interface UsageError extends Error {
  readonly name: 'UsageError';
  /** The option at fault, spelled as on the command line (`"--threads"`), if one is. */
  readonly option: string | undefined;
}

/** The class `defineUsageError` returns: one per program. */
export interface UsageErrorClass {
  /** The message is `<option>: <detail>`, or the detail alone when no one option is at fault. */
  new (option: string | undefined, detail: string, options?: ErrorOptions): UsageError;
  /** True for a `UsageError` of this program, from any copy of the module that defined it. */
  isInstance(error: unknown): error is UsageError;
}

/**
 * The `UsageError` class of one program (`"demo"`, `"lab"`). Its errors carry the marker
 * `Symbol.for('vmars.<program>.UsageError')`, so that `isInstance` holds across duplicate copies
 * of the program's modules (two bundles, two installs), where `instanceof` would not, and says no
 * to another program's usage errors.
 */
export function defineUsageError(program: string): UsageErrorClass {
  const marker = Symbol.for(`vmars.${program}.UsageError`);
  return class UsageError extends Error {
    override readonly name = 'UsageError';
    readonly option: string | undefined;

    constructor(option: string | undefined, detail: string, options?: ErrorOptions) {
      super(option === undefined ? detail : `${option}: ${detail}`, options);
      this.option = option;
      // A computed class field needs a `unique symbol` type, which a marker built from
      // `program` does not have.
      Object.defineProperty(this, marker, { value: true, enumerable: true });
    }

    static isInstance(error: unknown): error is UsageError {
      return typeof error === 'object' && error !== null && marker in error;
    }
  };
}
