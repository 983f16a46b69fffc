const marker = Symbol.for('vmars.error.FuchsiaUnavailableError');

/**
 * What was missing: the FFI module itself (`koffi` failed to load, for example no prebuilt binary
 * for this platform), a shared library, or a symbol inside one.
 */
export type FuchsiaUnavailableReason =
  | 'FFI_UNAVAILABLE'
  | 'LIBRARY_NOT_LOADED'
  | 'SYMBOL_NOT_FOUND';

/** What a `FuchsiaUnavailableError` says: why, and what was looked for. */
export interface FuchsiaUnavailableErrorOptions extends ErrorOptions {
  readonly reason: FuchsiaUnavailableReason;
  /** The library name or path that was looked for, when the failure concerns one. */
  readonly library?: string;
  /** The symbol that was looked for, when one was missing. */
  readonly symbol?: string;
  /** `process.platform` where the attempt was made. */
  readonly platform: string;
}

/**
 * `fuchsiaBackend()` could not reach the zx ABI: the one error it throws when its native parts
 * are missing. The message names what was looked for (libraries, symbols) and why it is absent;
 * the loader's own error is the `cause`.
 */
export class FuchsiaUnavailableError extends Error {
  readonly [marker] = true;
  override readonly name = 'FuchsiaUnavailableError';
  readonly reason: FuchsiaUnavailableReason;
  readonly library: string | undefined;
  readonly symbol: string | undefined;
  readonly platform: string;

  constructor(message: string, options: FuchsiaUnavailableErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = options.reason;
    this.library = options.library;
    this.symbol = options.symbol;
    this.platform = options.platform;
  }

  /** True for a `FuchsiaUnavailableError` from any copy of this package (survives duplicate installs). */
  static isInstance(error: unknown): error is FuchsiaUnavailableError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
