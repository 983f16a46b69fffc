import { describe, expect, it } from 'vitest';
import {
  checkOptionsObject,
  checkPositiveSize,
  checkVmarHandle,
  describeValue,
  unknownOptionKey,
} from './index.js';

class TypedError extends Error {}
const invalid = (message: string) => new TypedError(message);

describe('option checks', () => {
  it('describeValue names a value by its kind, quoting strings', () => {
    expect(describeValue('4k')).toBe('"4k"');
    expect(describeValue(3n)).toBe('3n');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue([1])).toBe('an array');
    expect(describeValue(null)).toBe('null');
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(-0.5)).toBe('-0.5');
  });

  it('unknownOptionKey answers the first key not known, from a list or a set', () => {
    expect(unknownOptionKey({ a: 1, b: 2 }, ['a', 'b'])).toBeUndefined();
    expect(unknownOptionKey({ a: 1, c: 2, d: 3 }, ['a', 'b'])).toBe('c');
    expect(unknownOptionKey({ a: 1, c: 2 }, new Set(['a']))).toBe('c');
    expect(unknownOptionKey({}, new Set<string>())).toBeUndefined();
  });

  it('checkOptionsObject takes undefined or a plain object of known keys, and throws the typed error otherwise', () => {
    expect(checkOptionsObject(undefined, ['size'], 'X options', invalid)).toEqual({});
    const options = { size: 4096 };
    expect(checkOptionsObject(options, ['size'], 'X options', invalid)).toBe(options);
    expect(() => checkOptionsObject([], ['size'], 'X options', invalid)).toThrow(
      new TypedError('X options must be an object, got an array'),
    );
    expect(() => checkOptionsObject(null, ['size'], 'X options', invalid)).toThrow(TypedError);
    expect(() => checkOptionsObject({ szie: 1 }, ['size', 'align'], 'X options', invalid)).toThrow(
      'X options has an unknown option "szie" (known: size, align)',
    );
  });

  it('checkPositiveSize takes positive safe integers only', () => {
    expect(checkPositiveSize(4096, 'size', invalid)).toBe(4096);
    for (const bad of [0, -4096, 1.5, 2 ** 53, '4096', Number.NaN]) {
      expect(() => checkPositiveSize(bad, 'size', invalid)).toThrow(TypedError);
    }
    expect(() => checkPositiveSize('4k', 'size', invalid)).toThrow(
      'size must be a positive safe integer number of bytes, got "4k"',
    );
  });

  it('checkVmarHandle wants an object with allocate and maps', () => {
    expect(() =>
      checkVmarHandle({ allocate: () => 0, maps: () => 0 }, 'parent', invalid),
    ).not.toThrow();
    for (const bad of [undefined, null, {}, { allocate: () => 0 }, 'vmar']) {
      expect(() => checkVmarHandle(bad, 'parent', invalid)).toThrow(
        new TypedError('parent must be a Vmar handle'),
      );
    }
  });
});
