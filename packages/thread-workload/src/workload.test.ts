import { describe, expect, it } from 'vitest';
import { CHURN_PATTERNS, decodeEvent, generateWorkload, type Workload } from './workload.js';

function liveCounts(workload: Workload): number[] {
  let live = 0;
  return Array.from(workload.events, (event) => {
    live += decodeEvent(event).create ? 1 : -1;
    return live;
  });
}

describe('generateWorkload', () => {
  describe.each(CHURN_PATTERNS)('%s', (pattern) => {
    const workload = generateWorkload({ threads: 2_000, peak: 300, pattern, seed: 7 });

    it('creates every thread once, in order, and ends each once after its creation', () => {
      expect(workload.events.length).toBe(4_000);
      const createdAt = new Map<number, number>();
      const endedAt = new Map<number, number>();
      let nextThread = 0;
      workload.events.forEach((event, index) => {
        const { create, thread } = decodeEvent(event);
        if (create) {
          expect(thread).toBe(nextThread);
          nextThread += 1;
          createdAt.set(thread, index);
        } else {
          expect(endedAt.has(thread)).toBe(false);
          endedAt.set(thread, index);
        }
      });
      expect(createdAt.size).toBe(2_000);
      expect(endedAt.size).toBe(2_000);
      for (const [thread, index] of endedAt)
        expect(index).toBeGreaterThan(createdAt.get(thread) ?? Infinity);
    });

    it('reaches the peak, never exceeds it, and says when it first reached it', () => {
      const live = liveCounts(workload);
      expect(Math.max(...live)).toBe(300);
      expect(live.indexOf(300)).toBe(workload.peakEvent);
      expect(live.at(-1)).toBe(0);
    });

    it('is the same for the same seed and differs for another', () => {
      const again = generateWorkload({ threads: 2_000, peak: 300, pattern, seed: 7 });
      expect(again.events).toEqual(workload.events);
      const other = generateWorkload({ threads: 2_000, peak: 300, pattern, seed: 8 });
      expect(other.events).not.toEqual(workload.events);
    });
  });

  it('keeps a steady load between 90% and 100% of the peak once ramped up', () => {
    const workload = generateWorkload({ threads: 5_000, peak: 500, pattern: 'steady', seed: 1 });
    const live = liveCounts(workload);
    const lastCreation = workload.events.findLastIndex((event) => event >= 0);
    const plateau = live.slice(workload.peakEvent, lastCreation + 1);
    expect(Math.min(...plateau)).toBeGreaterThanOrEqual(449);
  });

  it('handles a peak equal to the thread count and a single thread', () => {
    const all = generateWorkload({ threads: 10, peak: 10, pattern: 'bursty', seed: 3 });
    expect(Math.max(...liveCounts(all))).toBe(10);
    const one = generateWorkload({ threads: 1, peak: 1, pattern: 'steady', seed: 3 });
    expect(Array.from(one.events)).toEqual([0, ~0]);
  });

  it('refuses a peak above the thread count', () => {
    expect(() => generateWorkload({ threads: 5, peak: 6, pattern: 'steady', seed: 1 })).toThrow(
      RangeError,
    );
  });
});
