import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random.js';

describe('SeededRandom', () => {
  it('repeats for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 8 }, () => random.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('stays in range and covers it roughly evenly', () => {
    const random = new SeededRandom(1);
    const buckets = new Array<number>(10).fill(0);
    for (let index = 0; index < 10_000; index += 1) {
      const value = random.nextInt(10);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(10);
      buckets[value] = (buckets[value] ?? 0) + 1;
    }
    for (const bucket of buckets) expect(bucket).toBeGreaterThan(850);
    expect(random.nextIntBetween(5, 5)).toBe(5);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new SeededRandom(1).nextInt(0)).toThrow(RangeError);
  });
});
