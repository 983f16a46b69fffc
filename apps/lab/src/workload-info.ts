import type { TraceStats } from '@vmars/thread-traces';
import { generateWorkload, suiteWorkload } from '@vmars/thread-workload';
import type { SweepSpec } from './sweep-spec.js';
import { isTraceWorkload } from './trace-ref.js';
import type { LoadedTrace } from './trace-workloads.js';
import { type WorkloadShape, workloadShape } from './workload-shape.js';

/** What the seeds of a workload's runs vary. */
export const SEEDS_VARY = {
  /** A suite workload: each seed generates its own order of creations and exits. */
  suite: 'the workload and the backend’s ASLR',
  /** A trace is one recorded realization, replayed as it is. */
  trace: 'the backend’s ASLR only',
} as const;

/** A workload of a sweep, as the results describe it. */
export type WorkloadInfo =
  | {
      readonly name: string;
      readonly kind: 'suite';
      readonly description: string;
      readonly seedsVary: (typeof SEEDS_VARY)['suite'];
      /** The seed `shape` was generated with: the first the sweep runs it at. */
      readonly shapeSeed: number;
      readonly shape: WorkloadShape;
    }
  | {
      readonly name: string;
      readonly kind: 'trace';
      /** The traced command, as the trace's header gives it. */
      readonly description: string;
      readonly seedsVary: (typeof SEEDS_VARY)['trace'];
      /** As in `SweepSpec.traces`. */
      readonly file: string;
      readonly sha256: string;
      /** The tool that recorded it, and the trace's own facts. */
      readonly source: string;
      readonly date: string | null;
      /** `traceStats`: kinds, most alive, duration and lifetimes in microseconds. */
      readonly stats: TraceStats;
      readonly shape: WorkloadShape;
    };

/** Every workload of `spec`, in the order the groups first name them. */
export function describeWorkloads(
  spec: SweepSpec,
  loaded: ReadonlyMap<string, LoadedTrace>,
): WorkloadInfo[] {
  const firstSeed = new Map<string, number>();
  for (const group of spec.groups) {
    for (const workload of group.workloads) {
      if (!firstSeed.has(workload)) firstSeed.set(workload, group.seeds[0] ?? 1);
    }
  }
  const infos: WorkloadInfo[] = [];
  for (const [name, seed] of firstSeed) {
    if (isTraceWorkload(name)) {
      const trace = loaded.get(name);
      if (trace === undefined) throw new Error(`${name}: the trace was not loaded`);
      infos.push({
        name,
        kind: 'trace',
        description: trace.trace.header.command ?? '',
        seedsVary: SEEDS_VARY.trace,
        file: trace.ref.file,
        sha256: trace.ref.sha256,
        source: trace.trace.header.source,
        date: trace.trace.header.date,
        stats: trace.stats,
        shape: trace.shape,
      });
      continue;
    }
    const suite = suiteWorkload(name);
    if (suite === undefined) throw new Error(`unknown workload "${name}"`);
    const { events } = generateWorkload({
      threads: suite.threads,
      peak: suite.peak,
      pattern: suite.pattern,
      seed,
    });
    infos.push({
      name,
      kind: 'suite',
      description: suite.description,
      seedsVary: SEEDS_VARY.suite,
      shapeSeed: seed,
      shape: workloadShape(events),
    });
  }
  return infos;
}
