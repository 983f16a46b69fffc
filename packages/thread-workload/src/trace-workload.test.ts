import { memoryBackend } from '@vmars/backend-memory';
import {
  type Trace,
  type TraceHeader,
  type TraceTask,
  taskEvents,
  traceStats,
} from '@vmars/thread-traces';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runWorkload } from './run-workload.js';
import type { RunWorkloadOptions } from './run-workload-options.js';
import { SeededRandom } from './seeded-random.js';
import { TRACE_REPLAY_NOTE, workloadFromTrace } from './trace-workload.js';
import { generateWorkload } from './workload.js';
import { WorkloadError } from './workload-error.js';
import type { TraceWorkloadSection } from './workload-report.js';

const header: TraceHeader = {
  format: 'vmars-trace',
  version: 1,
  source: 'strace',
  command: 'make -j8',
  date: '2026-12-07T01:00:00Z',
  origin: '1733534822.123456',
  kindsKnown: true,
};

interface TaskSpec {
  readonly id: number;
  readonly kind: TraceTask['kind'];
  readonly start: number | null;
  readonly end: number | null;
}

/**
 * A trace as a parser would hand it over: sequence numbers in time order (ties in the order the
 * specs list them), tasks alive before the trace first, then by their start.
 */
function buildTrace(specs: readonly TaskSpec[]): Trace {
  const points: { time: number; order: number; spec: number; end: boolean }[] = [];
  specs.forEach((spec, index) => {
    if (spec.start !== null)
      points.push({ time: spec.start, order: points.length, spec: index, end: false });
    if (spec.end !== null)
      points.push({ time: spec.end, order: points.length, spec: index, end: true });
  });
  points.sort((left, right) => left.time - right.time || left.order - right.order);
  const startSeq = new Map<number, number>();
  const endSeq = new Map<number, number>();
  points.forEach((point, seq) => {
    (point.end ? endSeq : startSeq).set(point.spec, seq);
  });
  const tasks = specs.map(
    (spec, index): TraceTask => ({
      id: spec.id,
      parent: spec.start === null ? null : 1,
      kind: spec.kind,
      start: spec.start,
      end: spec.end,
      startSeq: startSeq.get(index) ?? null,
      endSeq: endSeq.get(index) ?? null,
      ending: spec.end === null ? null : 'exit',
      ...(spec.end === null ? {} : { code: 0 }),
    }),
  );
  // Stable: the tasks alive before the trace keep their order.
  tasks.sort((left, right) => (left.startSeq ?? -1) - (right.startSeq ?? -1));
  return { header, tasks, ignoredLines: 0 };
}

/**
 * A build-like trace: one attached task, a make process alive to the end, and `count` workers
 * (processes, each with a few threads), some of them still running when the trace ends.
 */
function buildLikeTrace(count: number, seed: number): Trace {
  const random = new SeededRandom(seed);
  const specs: TaskSpec[] = [
    { id: 1, kind: null, start: null, end: 50_000 },
    { id: 2, kind: 'process', start: 0, end: null },
  ];
  let id = 3;
  for (let worker = 0; worker < count; worker += 1) {
    const start = random.nextInt(40_000);
    const censored = worker % 9 === 4;
    const end = censored ? null : start + 1 + random.nextInt(8_000);
    specs.push({ id: id++, kind: 'process', start, end });
    for (let thread = 0; thread < 3; thread += 1) {
      const threadStart = start + 1 + random.nextInt(50);
      const threadEnd = end === null ? null : threadStart + random.nextInt(end - threadStart);
      specs.push({ id: id++, kind: 'thread', start: threadStart, end: threadEnd });
    }
  }
  return buildTrace(specs);
}

const backend =
  (seed = 1) =>
  () =>
    memoryBackend({ region: 'shared', seed });

function traceSection(report: ReturnType<typeof runWorkload>): TraceWorkloadSection {
  const { workload } = report;
  if (workload.pattern !== 'trace') throw new Error('expected a trace replay');
  return workload;
}

describe('workloadFromTrace', () => {
  it('replays the tasks in taskEvents order; the peak is the most alive', () => {
    const trace = buildLikeTrace(40, 3);
    const workload = workloadFromTrace(trace);
    const ordered = taskEvents(trace.tasks);
    expect(workload.pattern).toBe('trace');
    expect(workload.threads).toBe(trace.tasks.length);
    expect([...workload.events]).toEqual([...ordered.events]);
    expect([...workload.times]).toEqual([...ordered.times]);
    expect(workload.peak).toBe(ordered.mostAlive);
    expect(workload.peakEvent).toBe(ordered.mostAliveEvent);
    expect(workload.trace).toMatchObject({
      name: 'make -j8',
      command: 'make -j8',
      source: 'strace',
      date: '2026-12-07T01:00:00Z',
      ...traceStats(trace),
      endedAtReplayEnd: ordered.censored,
      peakTimeUs: ordered.times[ordered.mostAliveEvent],
    });
    expect(workloadFromTrace(trace, { name: 'build' }).trace.name).toBe('build');
  });

  it('ends the censored tasks when the replay ends, at the trace’s last time', () => {
    const trace = buildTrace([
      { id: 10, kind: 'process', start: 0, end: null },
      { id: 11, kind: 'thread', start: 5, end: 20 },
      { id: 12, kind: 'thread', start: 7, end: null },
    ]);
    const workload = workloadFromTrace(trace);
    // Start 0, start 1, start 2, end 1; then the censored ones, in task order.
    expect([...workload.events]).toEqual([0, 1, 2, ~1, ~0, ~2]);
    expect([...workload.times]).toEqual([0, 5, 7, 20, 20, 20]);
    expect(workload.trace.censored).toBe(2);
    expect(workload.trace.endedAtReplayEnd).toBe(2);
  });

  it('refuses an empty trace and an empty name', () => {
    expect(() => workloadFromTrace({ header, tasks: [], ignoredLines: 0 })).toThrow(RangeError);
    expect(() => workloadFromTrace(buildLikeTrace(2, 1), { name: ' ' })).toThrow(RangeError);
  });
});

describe('runWorkload with a trace', () => {
  it('replays a trace through both policies, checked against maps() at every sample', () => {
    const trace = buildLikeTrace(150, 7);
    const stats = traceStats(trace);
    const report = runWorkload({
      backend: backend(),
      workload: workloadFromTrace(trace),
      samples: 30,
      verify: true,
    });
    const section = traceSection(report);
    expect(section).toMatchObject({
      threads: stats.tasks,
      peak: stats.mostAlive,
      pattern: 'trace',
      seed: 1,
      events: stats.tasks * 2,
      note: TRACE_REPLAY_NOTE,
    });
    // Every count traceStats gives, as it gives them.
    for (const [key, value] of Object.entries(stats)) {
      expect(section.trace[key as keyof typeof stats], key).toEqual(value);
    }
    expect(section.trace.endedAtReplayEnd).toBe(stats.censored);
    const { times } = workloadFromTrace(trace);
    for (const policy of report.policies) {
      expect(policy.threads).toMatchObject({
        attempted: stats.tasks,
        created: stats.tasks,
        ended: stats.tasks,
        failed: 0,
      });
      expect(policy.end).toMatchObject({ liveThreads: 0, disposed: true, otherRootEntries: 0 });
      expect(policy.peakSnapshot.liveThreads).toBe(stats.mostAlive);
      expect(policy.peakSnapshot.event).toBe(section.peakEvent);
      expect(policy.peakSnapshot.time).toBe(section.trace.peakTimeUs);
      expect(Math.max(...policy.samples.map((sample) => sample.liveThreads))).toBe(stats.mostAlive);
      // Each sample carries the trace's time of its last event, so time never runs backwards.
      for (const sample of policy.samples) {
        expect(sample.time).toBe(times[sample.event - 1]);
      }
      expect(policy.samples.at(-1)?.time).toBe(Math.max(...times));
      // Spread over the trace's time, not its events: at each 30th of it, a sample after every
      // event up to then.
      const last = Math.max(...times);
      const sampled = new Set(policy.samples.map((sample) => sample.event));
      for (let step = 1; step <= 30; step += 1) {
        const until = (last * step) / 30;
        const done = times.filter((time) => time <= until).length;
        expect(sampled.has(done), `a sample after event ${String(done)}`).toBe(true);
      }
      expect(sampled.size).toBeLessThanOrEqual(32);
    }
  });

  it('varies only the backend with the seed: a trace is one realization', () => {
    const workload = workloadFromTrace(buildLikeTrace(30, 2));
    const one = runWorkload({ backend: backend(5), workload, seed: 1 });
    const two = runWorkload({ backend: backend(5), workload, seed: 2 });
    expect(traceSection(two).seed).toBe(2);
    expect({ ...two, workload: { ...two.workload, seed: 1 } }).toEqual(one);
    const otherBackend = runWorkload({ backend: backend(6), workload, seed: 1 });
    const root = (report: typeof one) => report.policies.find((p) => p.policy === 'root');
    expect(root(otherBackend)?.peakSnapshot.blocks).not.toEqual(root(one)?.peakSnapshot.blocks);
  });

  it('gives a generated workload passed in the same report as the options that make it', () => {
    const options = { threads: 800, peak: 120, pattern: 'bursty', seed: 4 } as const;
    const prepared = runWorkload({ backend: backend(), workload: generateWorkload(options) });
    const generated = runWorkload({ backend: backend(), ...options });
    expect(JSON.stringify(prepared)).toBe(JSON.stringify(generated));
    expect(prepared.policies[0]?.samples[0]).not.toHaveProperty('time');
  });
});

describe('any trace replays cleanly', () => {
  // A task: attached or not, censored or not, with times on a coarse grid so that ties (as at
  // strace -t's one second) are common.
  const taskSpec = fc.record({
    kind: fc.constantFrom('thread', 'process', null),
    start: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
    length: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
  });

  it('with the peak, counts and times traceStats and taskEvents give', () => {
    fc.assert(
      fc.property(fc.array(taskSpec, { minLength: 1, maxLength: 40 }), (specs) => {
        const trace = buildTrace(
          specs.map((spec, index) => ({
            id: index + 1,
            kind: spec.kind as TraceTask['kind'],
            start: spec.start,
            end:
              spec.length === null
                ? null
                : (spec.start ?? 0) + spec.length + (spec.start === null ? 1 : 0),
          })),
        );
        const stats = traceStats(trace);
        const workload = workloadFromTrace(trace);
        const report = runWorkload({
          backend: backend(),
          policies: ['compact'],
          workload,
          samples: 6,
          verify: true,
        });
        const [compact] = report.policies;
        expect(compact?.threads).toMatchObject({ created: stats.tasks, ended: stats.tasks });
        expect(compact?.peakSnapshot.liveThreads).toBe(stats.mostAlive);
        expect(compact?.end.disposed).toBe(true);
        expect(traceSection(report).trace).toMatchObject(stats);
        for (const sample of compact?.samples ?? []) {
          expect(sample.time).toBe(workload.times[sample.event - 1]);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('runWorkload refuses a bad workload option', () => {
  const trace = buildLikeTrace(10, 1);
  const invalid = (options: Partial<RunWorkloadOptions>, pattern: RegExp): void => {
    let thrown: unknown;
    try {
      runWorkload({ backend: backend(), ...options });
    } catch (error) {
      thrown = error;
    }
    expect(WorkloadError.isInstance(thrown), String(thrown)).toBe(true);
    expect((thrown as WorkloadError).code).toBe('INVALID_OPTION');
    expect((thrown as WorkloadError).option).toBe('workload');
    expect((thrown as WorkloadError).message).toMatch(pattern);
  };

  it('with threads, peak or pattern, and a generated one with seed', () => {
    const workload = workloadFromTrace(trace);
    invalid({ workload, threads: 10 }, /cannot be given with "threads"/);
    invalid({ workload, peak: 10 }, /cannot be given with "peak"/);
    invalid({ workload, pattern: 'steady' }, /cannot be given with "pattern"/);
    const generated = generateWorkload({ threads: 10, peak: 5, pattern: 'steady', seed: 1 });
    invalid({ workload: generated, seed: 3 }, /carries its own seed/);
  });

  it('that is not a workload, or whose events contradict themselves', () => {
    const workload = workloadFromTrace(trace);
    invalid({ workload: 'trace' as never }, /expected a workload/);
    invalid({ workload: { ...workload, pattern: 'random' } as never }, /pattern/);
    invalid({ workload: { ...workload, threads: 0 } }, /threads/);
    invalid({ workload: { ...workload, events: workload.events.slice(1) } }, /Int32Array/);
    const twice = workload.events.slice();
    twice[1] = twice[0] as number;
    invalid(
      { workload: { ...workload, events: twice } },
      /event 1 starts thread \d+, which is alive/,
    );
    const endFirst = workload.events.slice();
    endFirst[0] = ~(endFirst[0] as number);
    invalid(
      { workload: { ...workload, events: endFirst } },
      /event 0 ends thread \d+, which is not started/,
    );
    invalid({ workload: { ...workload, peak: workload.peak + 1 } }, /expected peak/);
    invalid({ workload: { ...workload, peakEvent: workload.peakEvent + 1 } }, /expected peak/);
    invalid({ workload: { ...workload, times: workload.times.slice(1) } }, /times/);
    const notFinite = workload.times.slice();
    notFinite[3] = Number.NaN;
    invalid({ workload: { ...workload, times: notFinite } }, /event 3's time/);
    const backwards = workload.times.slice();
    backwards[5] = (backwards[4] as number) - 1;
    invalid({ workload: { ...workload, times: backwards } }, /never decreasing; event 5/);
  });
});
