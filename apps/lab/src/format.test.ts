import { describe, expect, it } from 'vitest';
import { formatEstimate, formatNumber } from './render-html.js';

describe('formatNumber', () => {
  it('never rounds a large median outside its interval', () => {
    expect(formatNumber(20_659.5)).toBe('20,659.5');
    expect(formatNumber(20_657)).toBe('20,657');
    expect(formatNumber(0.99712)).toBe('0.997');
    expect(formatNumber(3.5)).toBe('3.5');
    expect(
      formatEstimate({ median: 2_024.5, low: 2_023, high: 2_025, n: 20, coverage: 0.96 }),
    ).toBe('2,024.5 [2,023, 2,025]');
  });
});
