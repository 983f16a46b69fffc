import type { Vmar } from '@vmars/address-space';
import { CompactVmarError } from '@vmars/compact-vmar';

// The option checks of this layer, worded and typed as @vmars/compact-vmar's own (one error
// class, `CompactVmarError` with `INVALID_ARGUMENT`), so that both layers refuse bad options
// alike. They are this package's private helpers: neither package exports them.

/** A short rendering of a bad value for an error message. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null)
    return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/**
 * Checks that `value` is a positive safe integer (a size the layers below can take exactly) and
 * returns it; throws `INVALID_ARGUMENT` otherwise. Whether the size suits the VMAR is the
 * backend's answer, as in Zircon.
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

/** Throws `INVALID_ARGUMENT` unless `value` looks like a VMAR handle of some backend. */
export function assertVmar(value: unknown, what: string): asserts value is Vmar {
  const candidate = value as Partial<Vmar> | null | undefined;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.allocate !== 'function' ||
    typeof candidate.maps !== 'function'
  ) {
    throw new CompactVmarError('INVALID_ARGUMENT', `${what} must be a Vmar handle`);
  }
}
