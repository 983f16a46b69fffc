import { describe, expect, it } from 'vitest';
import { TraceError } from './trace-error.js';
import { traceStats } from './trace-stats.js';
import type { Trace, TraceHeader, TraceTask } from './trace-task.js';

const header: TraceHeader = {
  format: 'vmars-trace',
  version: 1,
  source: 'strace',
  command: 'make -j2',
  date: null,
  origin: null,
  kindsKnown: true,
};

function task(
  id: number,
  kind: TraceTask['kind'],
  start: number | null,
  end: number | null,
  startSeq: number | null,
  endSeq: number | null,
): TraceTask {
  return {
    id,
    parent: start === null ? null : 1,
    kind,
    start,
    end,
    startSeq,
    endSeq,
    ending: end === null ? null : 'exit',
    ...(end === null ? {} : { code: 0 }),
  };
}

describe('traceStats', () => {
  it('counts kinds, censored and attached tasks, the most alive and the duration', () => {
    // Sequence: 0 start 1, 1 start 2, 2 start 3, 3 end 2, 4 start 4, 5 end 3, 6 end 4, 7 end 0.
    // Task 0 was attached (alive before), task 1 is still alive at the end.
    const trace: Trace = {
      header,
      ignoredLines: 3,
      tasks: [
        task(10, null, null, 900, null, 7),
        task(11, 'process', 100, null, 0, null),
        task(12, 'thread', 120, 300, 1, 3),
        task(13, 'thread', 150, 500, 2, 5),
        task(14, 'process', 400, 600, 4, 6),
      ],
    };
    const stats = traceStats(trace);
    expect(stats).toEqual({
      tasks: 5,
      threads: 2,
      processes: 2,
      unknownKind: 1,
      // After seq 2: tasks 10, 11, 12 and 13.
      mostAlive: 4,
      censored: 1,
      startedBefore: 1,
      durationUs: 800,
      // Lifetimes 180, 350, 200, sorted 180, 200, 350.
      lifetimeUs: { p50: 200, p90: 350, p99: 350, max: 350 },
    });
  });

  it('takes nearest-rank quantiles over 100 lifetimes', () => {
    const tasks: TraceTask[] = [];
    // Task i lives i + 1 µs, all started at 0 in order and ended in order after them.
    for (let index = 0; index < 100; index += 1) {
      tasks.push(task(index + 1, 'thread', 0, index + 1, index, 100 + index));
    }
    const stats = traceStats({ header, ignoredLines: 0, tasks });
    expect(stats.lifetimeUs).toEqual({ p50: 50, p90: 90, p99: 99, max: 100 });
    expect(stats.mostAlive).toBe(100);
    expect(stats.durationUs).toBe(100);
  });

  it('has no lifetimes when no task both starts and ends in the trace', () => {
    const stats = traceStats({
      header,
      ignoredLines: 0,
      tasks: [task(2, null, null, 50, null, 1), task(1, 'process', 0, null, 0, null)],
    });
    expect(stats.lifetimeUs).toBeNull();
    expect(stats.mostAlive).toBe(2);
    expect(stats).toMatchObject({ tasks: 2, censored: 1, startedBefore: 1, durationUs: 50 });
  });

  it('counts an empty trace as nothing', () => {
    expect(traceStats({ header, ignoredLines: 0, tasks: [] })).toEqual({
      tasks: 0,
      threads: 0,
      processes: 0,
      unknownKind: 0,
      mostAlive: 0,
      censored: 0,
      startedBefore: 0,
      durationUs: 0,
      lifetimeUs: null,
    });
  });

  it('refuses tasks whose sequence numbers are not one sequence', () => {
    const trace: Trace = {
      header,
      ignoredLines: 0,
      tasks: [task(1, 'thread', 0, 10, 0, 1), task(2, 'thread', 5, 20, 1, 2)],
    };
    expect(() => traceStats(trace)).toThrow(TraceError);
  });
});
