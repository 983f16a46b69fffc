import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, estimate, median, medianRanks, pairedRatios } from './statistics.js';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('binomialHalfCdf', () => {
  it('matches the exact tables', () => {
    // P(B(20, 1/2) <= 5) = 21700 / 2^20; P(B(10, 1/2) <= 1) = 11 / 1024.
    expect(binomialHalfCdf(20, 5)).toBeCloseTo(21_700 / 2 ** 20, 12);
    expect(binomialHalfCdf(10, 1)).toBeCloseTo(11 / 1024, 12);
    expect(binomialHalfCdf(7, 7)).toBe(1);
    expect(binomialHalfCdf(7, -1)).toBe(0);
  });
});

describe('medianRanks: the order statistics of a 95 % interval for the median', () => {
  it.each([
    // n, lower, upper, coverage (Conover, Table A3; 1 - 2 P(B <= lower - 1))
    [6, 1, 6, 1 - 2 / 64],
    [10, 2, 9, 1 - 22 / 1024],
    [20, 6, 15, 1 - (2 * 21_700) / 2 ** 20],
    [30, 10, 21, 1 - (2 * 22_964_087) / 2 ** 30],
    [100, 40, 61, 0.9647998],
  ])('n = %i: ranks %i and %i', (n, lower, upper, coverage) => {
    const ranks = medianRanks(n);
    expect(ranks.lower).toBe(lower);
    expect(ranks.upper).toBe(upper);
    expect(ranks.coverage).toBeCloseTo(coverage, 6);
    expect(ranks.coverage).toBeGreaterThanOrEqual(0.95);
  });

  it('below n = 6 takes the whole range and says its coverage is under 95 %', () => {
    const ranks = medianRanks(5);
    expect([ranks.lower, ranks.upper]).toEqual([1, 5]);
    expect(ranks.coverage).toBeCloseTo(1 - 2 / 32, 12);
  });
});

describe('estimate', () => {
  it('gives the median and the 6th and 15th of 20 sorted values', () => {
    const values = Array.from({ length: 20 }, (_, index) => 20 - index); // 20 … 1
    expect(estimate(values)).toEqual({
      median: 10.5,
      low: 6,
      high: 15,
      n: 20,
      coverage: 1 - (2 * 21_700) / 2 ** 20,
    });
  });

  it('is NaN for no values', () => {
    expect(estimate([]).median).toBeNaN();
  });
});

describe('pairedRatios', () => {
  it('divides, counts 0/0 as 1 and leaves out x/0', () => {
    expect(
      pairedRatios([
        [2, 4],
        [0, 0],
        [3, 0],
        [9, 3],
      ]),
    ).toEqual([0.5, 1, 3]);
  });
});
