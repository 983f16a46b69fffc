import { CompactVmarError } from '@vmars/compact-vmar';
import { expect } from 'vitest';

/** Runs `action`, expects it to throw a `CompactVmarError` with `code`, and returns the error. */
export function expectCode(
  action: () => unknown,
  code: CompactVmarError['code'],
): CompactVmarError {
  try {
    action();
  } catch (error) {
    expect(CompactVmarError.isInstance(error)).toBe(true);
    expect((error as CompactVmarError).code).toBe(code);
    return error as CompactVmarError;
  }
  throw new Error(`expected a CompactVmarError ${code}`);
}
