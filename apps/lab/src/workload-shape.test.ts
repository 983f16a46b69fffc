import { generateWorkload } from '@vmars/thread-workload';
import { describe, expect, it } from 'vitest';
import { quantiles, workloadShape } from './workload-shape.js';

describe('workloadShape', () => {
  it('counts tasks, the most alive, the mean, bursts and lives in events', () => {
    // 0 starts, 1 starts, 0 ends, 2 starts, 3 starts, 4 starts, 1 ends, 2, 3, 4 end.
    const events = Int32Array.from([0, 1, ~0, 2, 3, 4, ~1, ~2, ~3, ~4]);
    const shape = workloadShape(events);
    expect(shape.tasks).toBe(5);
    expect(shape.mostAlive).toBe(4);
    // Alive after each event: 1 2 1 2 3 4 3 2 1 0.
    expect(shape.meanAlive).toBe(1.9);
    expect(shape.longestBurst).toBe(3);
    // Lives in events, both ends counted: 3, 6, 5, 5, 5 of 10; nearest rank.
    expect(shape.lifetimeShare).toEqual({ p50: 50, p90: 60, max: 60 });
  });

  it('refuses an end with no start', () => {
    expect(() => workloadShape(Int32Array.from([~0, 0]))).toThrow(/never started/);
  });

  it('sees a generated workload’s peak', () => {
    const workload = generateWorkload({ threads: 300, peak: 100, pattern: 'steady', seed: 3 });
    const shape = workloadShape(workload.events);
    expect(shape.tasks).toBe(300);
    expect(shape.mostAlive).toBe(100);
    // The ramp is one burst up to the peak.
    expect(shape.longestBurst).toBeGreaterThanOrEqual(100);
  });
});

describe('quantiles', () => {
  it('are nearest-rank', () => {
    expect(quantiles([5, 1, 4, 2, 3])).toEqual({ p50: 3, p90: 5, max: 5 });
    expect(quantiles(Array.from({ length: 10 }, (_, index) => index + 1))).toEqual({
      p50: 5,
      p90: 9,
      max: 10,
    });
    expect(quantiles([])).toBeNull();
  });
});
