import type { Trace, TraceHeader, TraceTask } from '@vmars/thread-traces';

/**
 * A build-like trace for the demo's tests, as a parser would hand it over, and the same trace in
 * the project's own format (vmars-trace JSON Lines) for the tests that read a file. Not part of
 * the CLI (tsup bundles only what `cli.ts` imports).
 */
export const FIXTURE_HEADER: TraceHeader = {
  format: 'vmars-trace',
  version: 1,
  source: 'strace',
  command: 'make -j4',
  date: '2026-12-07T01:00:00Z',
  origin: '1733534822.123456',
  kindsKnown: true,
};

/**
 * `workers` processes with two threads each over about 3 s, started and ended in a fixed
 * arithmetic pattern (no randomness needed); the make process itself stays alive to the end
 * (censored), and so does every seventh worker.
 */
export function fixtureTrace(workers: number): Trace {
  const specs: { id: number; kind: TraceTask['kind']; start: number; end: number | null }[] = [
    { id: 100, kind: 'process', start: 0, end: null },
  ];
  let id = 101;
  for (let worker = 0; worker < workers; worker += 1) {
    const start = 1_000 + ((worker * 20_011) % 2_500_000);
    const censored = worker % 7 === 3;
    const end = censored ? null : start + 20_000 + ((worker * 104_729) % 400_000);
    specs.push({ id: id++, kind: 'process', start, end });
    for (let thread = 0; thread < 2; thread += 1) {
      const threadStart = start + 10 + thread;
      specs.push({
        id: id++,
        kind: 'thread',
        start: threadStart,
        end: end === null ? null : threadStart + 500 + thread,
      });
    }
  }
  const points: { time: number; order: number; spec: number; end: boolean }[] = [];
  specs.forEach((spec, index) => {
    points.push({ time: spec.start, order: points.length, spec: index, end: false });
    if (spec.end !== null)
      points.push({ time: spec.end, order: points.length, spec: index, end: true });
  });
  points.sort((left, right) => left.time - right.time || left.order - right.order);
  const startSeq: number[] = [];
  const endSeq: (number | null)[] = specs.map(() => null);
  points.forEach((point, seq) => {
    if (point.end) endSeq[point.spec] = seq;
    else startSeq[point.spec] = seq;
  });
  const tasks = specs.map(
    (spec, index): TraceTask => ({
      id: spec.id,
      parent: index === 0 ? null : 100,
      kind: spec.kind,
      start: spec.start,
      end: spec.end,
      startSeq: startSeq[index] as number,
      endSeq: endSeq[index] ?? null,
      ending: spec.end === null ? null : 'exit',
      ...(spec.end === null ? {} : { code: 0 }),
    }),
  );
  tasks.sort((left, right) => (left.startSeq ?? -1) - (right.startSeq ?? -1));
  return { header: FIXTURE_HEADER, tasks, ignoredLines: 0 };
}

/** The trace in the project's format: the header, then one record per task in end order. */
export function fixtureTraceText(trace: Trace): string {
  const byEnd = [...trace.tasks].sort(
    (left, right) =>
      (left.endSeq ?? Number.POSITIVE_INFINITY) - (right.endSeq ?? Number.POSITIVE_INFINITY),
  );
  const lines = [
    JSON.stringify(trace.header),
    ...byEnd.map((task) =>
      JSON.stringify({
        id: task.id,
        parent: task.parent,
        kind: task.kind,
        start: task.start,
        end: task.end,
        seq: [task.startSeq, task.endSeq],
        ending: task.ending,
        ...(task.code === undefined ? {} : { code: task.code }),
      }),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
