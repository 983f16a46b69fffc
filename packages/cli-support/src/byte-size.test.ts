import { describe, expect, it } from 'vitest';
import { formatAddress, formatByteSize, parseByteSize } from './byte-size.js';

describe('parseByteSize', () => {
  it.each([
    ['4096', 4096],
    ['4KiB', 4096],
    ['32MiB', 32 * 2 ** 20],
    ['1GiB', 2 ** 30],
    ['2tib', 2 * 2 ** 40],
    ['12B', 12],
    [' 8 KiB ', 8192],
  ])('reads %j', (text, value) => {
    expect(parseByteSize(text)).toBe(value);
  });

  it.each(['', '-5', '1.5MiB', '4KB', '4k', 'MiB', '0x1000', '99999999999TiB'])(
    'rejects %j',
    (text) => {
      expect(parseByteSize(text)).toBeUndefined();
    },
  );
});

describe('formatByteSize', () => {
  it.each([
    [2 ** 21, '2MiB'],
    [2 ** 30, '1GiB'],
    [1.5 * 2 ** 30, '1.5GiB'],
    [0x201000, '2MiB'],
    [12, '12B'],
    [0x3fffffffe000, '64TiB'],
  ])('writes %d as %s', (value, text) => {
    expect(formatByteSize(value)).toBe(text);
  });
});

it('formatAddress writes 0x and lowercase hex', () => {
  expect(formatAddress(0x400000001000)).toBe('0x400000001000');
});
