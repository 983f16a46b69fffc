import { describe, expect, it } from 'vitest';
import { attribute, seconds } from './format.js';

describe("the page's formatters", () => {
  it('writes trace times in seconds with the trace’s decimals', () => {
    expect(seconds(1_234_567, 3)).toBe('1.235 s');
    expect(seconds(0, 6)).toBe('0.000000 s');
  });

  it('escapes what would end or break an attribute', () => {
    expect(attribute('a&b "c" <d>')).toBe('a&amp;b &quot;c&quot; &lt;d>');
  });
});
