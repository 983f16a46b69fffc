import { CompactVmarError } from './compact-vmar-error.js';

/**
 * Checks that `value` is a positive safe integer (a size the layers below can take exactly) and
 * returns it; throws `INVALID_ARGUMENT` otherwise. Whether the size suits the VMAR (page-aligned,
 * not too large) is the backend's answer, as in Zircon.
 */
export function positiveSize(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new CompactVmarError(
      'INVALID_ARGUMENT',
      `${what} must be a positive safe integer number of bytes, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** Checks that `options` is undefined or a plain object, and names its unknown keys. */
export function optionsObject<K extends string>(
  options: unknown,
  known: readonly K[],
  what: string,
): Partial<Record<K, unknown>> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new CompactVmarError(
      'INVALID_ARGUMENT',
      `${what} must be an object, got ${describeValue(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!(known as readonly string[]).includes(key)) {
      throw new CompactVmarError(
        'INVALID_ARGUMENT',
        `${what} has an unknown option "${key}" (known: ${known.join(', ')})`,
      );
    }
  }
  return options as Partial<Record<K, unknown>>;
}

/** A short rendering of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null)
    return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}
