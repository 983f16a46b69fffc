import { memoryBackend } from '@vmars/backend-memory';
import { describe, expect, it } from 'vitest';
import { runWorkload } from './run-workload.js';
import { decodeEvent, generateWorkload, LONG_LIVED_ONE_IN } from './workload.js';
import {
  SUITE_ARCHITECTURES,
  scaleSuiteWorkload,
  suiteWorkload,
  WORKLOAD_SUITE,
} from './workload-suite.js';

describe('the workload suite', () => {
  it('names each workload once and covers the sizes, patterns and TLS the lab needs', () => {
    const names = WORKLOAD_SUITE.map((workload) => workload.name);
    expect(new Set(names).size).toBe(names.length);
    const peaks = new Set(
      WORKLOAD_SUITE.filter((workload) => workload.pattern === 'steady').map((w) => w.peak),
    );
    expect(peaks).toEqual(new Set([100, 1_000, 10_000]));
    expect(new Set(WORKLOAD_SUITE.map((workload) => workload.pattern))).toEqual(
      new Set(['steady', 'bursty', 'all-at-once', 'mixed-lifetimes']),
    );
    expect(Math.min(...WORKLOAD_SUITE.map((workload) => workload.tlsSize))).toBe(0);
    expect(Math.max(...WORKLOAD_SUITE.map((workload) => workload.tlsSize))).toBe(64 * 1024);
    expect(SUITE_ARCHITECTURES).toEqual(['x86_64', 'arm64', 'riscv64']);
    expect(suiteWorkload('waves')?.pattern).toBe('all-at-once');
    expect(suiteWorkload('nope')).toBeUndefined();
  });

  it('every workload runs, scaled down, on every architecture, the accounting agreeing', () => {
    for (const workload of WORKLOAD_SUITE) {
      if (workload.name === 'fill-26k') continue;
      for (const architecture of SUITE_ARCHITECTURES) {
        const small = scaleSuiteWorkload({ ...workload, peak: Math.min(workload.peak, 150) }, 0.1);
        const report = runWorkload({
          backend: () => memoryBackend({ arch: architecture, region: 'shared', seed: 2 }),
          architecture,
          threads: small.threads,
          peak: small.peak,
          pattern: small.pattern,
          tlsSize: small.tlsSize,
          samples: 8,
          verify: true,
        });
        for (const policy of report.policies) {
          expect(policy.threads.failed).toBe(0);
          expect(policy.end.disposed).toBe(true);
        }
      }
    }
  });

  it('scaleSuiteWorkload keeps the peak and rejects a bad factor', () => {
    const steady = suiteWorkload('steady-1k');
    if (steady === undefined) throw new Error('setup');
    expect(scaleSuiteWorkload(steady, 2)).toMatchObject({ threads: 6_000, peak: 1_000 });
    expect(scaleSuiteWorkload(steady, 0.01).threads).toBe(1_000);
    expect(() => scaleSuiteWorkload(steady, 0)).toThrow(RangeError);
  });
});

describe('mixed-lifetimes', () => {
  const workload = generateWorkload({
    threads: 4_000,
    peak: 400,
    pattern: 'mixed-lifetimes',
    seed: 9,
  });

  it('creates and ends every thread once, reaches the peak exactly and never exceeds it', () => {
    expect(workload.events.length).toBe(8_000);
    let live = 0;
    let max = 0;
    const ended = new Set<number>();
    workload.events.forEach((event, index) => {
      const { create, thread } = decodeEvent(event);
      live += create ? 1 : -1;
      if (!create) ended.add(thread);
      if (live > max) {
        max = live;
        if (live === 400) expect(index).toBe(workload.peakEvent);
      }
    });
    expect(max).toBe(400);
    expect(ended.size).toBe(4_000);
  });

  it('keeps some threads alive from near their start to the end, about one in eight', () => {
    // The threads still alive when the last creation happens are the long-lived ones, and the
    // short-lived ones of the last steady stretch.
    const createdAt = new Map<number, number>();
    const endedAt = new Map<number, number>();
    workload.events.forEach((event, index) => {
      const { create, thread } = decodeEvent(event);
      (create ? createdAt : endedAt).set(thread, index);
    });
    const lastCreation = Math.max(...createdAt.values());
    const longLived = [...createdAt].filter(
      ([thread, index]) => index < 2_000 && (endedAt.get(thread) ?? 0) > lastCreation,
    ).length;
    expect(longLived).toBeGreaterThan(400 / LONG_LIVED_ONE_IN / 2);
    expect(longLived).toBeLessThanOrEqual(100);
  });
});
