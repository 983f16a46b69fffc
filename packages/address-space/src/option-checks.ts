import type { Vmar } from './backend.js';

/*
 * Checks of an options object that every package's entry point makes the same way. Each package
 * keeps its own typed error: the checks take a function that makes it from the message.
 */

/** Makes a package's own typed error for a refused option from the message. */
export type InvalidOptionError = (message: string) => Error;

/**
 * A short rendering of a value for an error message: strings quoted, bigints with `n`, and
 * objects, arrays and functions by their kind rather than their contents.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * The first own enumerable key of `options` that `known` does not hold, or `undefined` when every
 * key is known: the option an entry point names when it refuses an unknown one.
 */
export function unknownOptionKey(
  options: object,
  known: ReadonlySet<string> | readonly string[],
): string | undefined {
  const has = Array.isArray(known)
    ? (key: string) => known.includes(key)
    : (key: string) => (known as ReadonlySet<string>).has(key);
  for (const key of Object.keys(options)) {
    if (!has(key)) return key;
  }
  return undefined;
}

/**
 * Checks that `options` is undefined (no options) or a plain object (not null, not an array)
 * whose keys are all in `known`, and returns it; otherwise throws `invalid(message)`, the message
 * starting with `what`.
 */
export function checkOptionsObject<K extends string>(
  options: unknown,
  known: readonly K[],
  what: string,
  invalid: InvalidOptionError,
): Partial<Record<K, unknown>> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`${what} must be an object, got ${describeValue(options)}`);
  }
  const unknown = unknownOptionKey(options, known);
  if (unknown !== undefined) {
    throw invalid(`${what} has an unknown option "${unknown}" (known: ${known.join(', ')})`);
  }
  return options as Partial<Record<K, unknown>>;
}

/**
 * Checks that `value` is a positive safe integer (a size every layer below can take exactly) and
 * returns it; otherwise throws `invalid(message)`. Whether the size suits a VMAR (page-aligned,
 * not too large) is the backend's answer, as in Zircon.
 */
export function checkPositiveSize(
  value: unknown,
  what: string,
  invalid: InvalidOptionError,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(
      `${what} must be a positive safe integer number of bytes, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * Throws `invalid(message)` unless `value` looks like a VMAR handle of some backend (an object
 * with `allocate` and `maps` methods).
 */
export function checkVmarHandle(
  value: unknown,
  what: string,
  invalid: InvalidOptionError,
): asserts value is Vmar {
  const candidate = value as Partial<Vmar> | null | undefined;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.allocate !== 'function' ||
    typeof candidate.maps !== 'function'
  ) {
    throw invalid(`${what} must be a Vmar handle`);
  }
}
