import { formatByteSize } from '@vmars/cli-support';
import { describe, expect, it } from 'vitest';
import { attribute, bytes, hex, seconds } from './format.js';

describe("the page's formatters", () => {
  it('writes addresses in hexadecimal', () => {
    expect(hex(0x7f00_0000_1000)).toBe('0x7f0000001000');
    expect(hex(0)).toBe('0x0');
  });

  it('writes trace times in seconds with the trace’s decimals', () => {
    expect(seconds(1_234_567, 3)).toBe('1.235 s');
    expect(seconds(0, 6)).toBe('0.000000 s');
  });

  it('writes byte counts as the markup does (formatByteSize)', () => {
    for (const value of [
      0,
      12,
      1023,
      1024,
      4096,
      2 ** 21,
      2 ** 21 + 10_000,
      1.5 * 2 ** 30,
      2 ** 41,
    ]) {
      expect(bytes(value), String(value)).toBe(formatByteSize(value));
    }
  });

  it('escapes what would end or break an attribute', () => {
    expect(attribute('a&b "c" <d>')).toBe('a&amp;b &quot;c&quot; &lt;d>');
  });
});
