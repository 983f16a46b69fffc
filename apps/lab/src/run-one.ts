import { PAGE_SIZE } from '@vmars/address-space';
import { memoryBackend } from '@vmars/backend-memory';
import {
  namedPolicy,
  runWorkload,
  type ThreadVmarPolicyDefinition,
  threadLayout,
  WORKLOAD_DEFAULTS,
  type Workload,
  type WorkloadReport,
} from '@vmars/thread-workload';
import { type RunSpec, workloadOf } from './sweep-spec.js';
import { isTraceWorkload } from './trace-ref.js';

/** What one run measured. Every figure is the same for the same run on any machine. */
export interface RunMetrics {
  /** Page-table pages when the live thread count first reached its peak, in all and per level. */
  readonly pageTablesAtPeak: number;
  readonly pageTablesAtPeakLevels: readonly number[];
  /** The most page-table pages at any moment of the run, in all and per level (each its own max). */
  readonly pageTablesMax: number;
  readonly pageTablesMaxLevels: readonly number[];
  /** The same in bytes (4 KiB per table page). */
  readonly pageTableBytesAtPeak: number;
  readonly pageTableBytesMax: number;
  /** Address space reserved (VMARs in the root) at the peak of the run, at the end, on average. */
  readonly reservedPeak: number;
  readonly reservedFinal: number;
  readonly reservedMean: number;
  /** Compact VMARs at the end, in all and per list; the mean over the samples. */
  readonly compactVmars: number;
  readonly compactVmarsMachineStack: number;
  readonly compactVmarsSecurityStack: number;
  readonly compactVmarsThreadBlock: number;
  readonly compactVmarsShared: number;
  readonly compactVmarsMean: number;
  readonly probesPerCreation: number;
  readonly failedProbesPerCreation: number;
  readonly created: number;
  /** Failed creations: in all, libc's EAGAIN (its allocation failed), the policy's ENOMEM. */
  readonly failedCreations: number;
  readonly failedEagain: number;
  readonly failedEnomem: number;
}

/** The metrics, in the order of the CSV's columns and the summaries. */
export const METRIC_NAMES = [
  'pageTablesAtPeak',
  'pageTablesMax',
  'pageTableBytesAtPeak',
  'pageTableBytesMax',
  'reservedPeak',
  'reservedFinal',
  'reservedMean',
  'compactVmars',
  'compactVmarsMachineStack',
  'compactVmarsSecurityStack',
  'compactVmarsThreadBlock',
  'compactVmarsShared',
  'compactVmarsMean',
  'probesPerCreation',
  'failedProbesPerCreation',
  'created',
  'failedCreations',
  'failedEagain',
  'failedEnomem',
] as const satisfies readonly (keyof RunMetrics)[];
export type MetricName = (typeof METRIC_NAMES)[number];

/** Page tables and VMARs over a run (its samples), for the report's time series. */
export interface TimeSeries {
  readonly event: readonly number[];
  readonly liveThreads: readonly number[];
  readonly pageTables: readonly number[];
  readonly compactVmars: readonly number[];
}

/** One run's record in the results: its spec, and what it measured or why it failed. */
export type RunRecord = RunSpec & {
  /** Wall-clock time per thread lifecycle in microseconds: the one figure that varies. */
  readonly microsecondsPerLifecycle: number;
} & (
    | { readonly ok: true; readonly metrics: RunMetrics; readonly series?: TimeSeries }
    | { readonly ok: false; readonly error: string }
  );

/** Policies by name, for a test that runs its own (a policy that throws). */
export type PolicyOverrides = Readonly<Record<string, ThreadVmarPolicyDefinition>>;

/** What a run needs besides its spec. */
export interface RunContext {
  /** Replaces named policies (tests use it for a policy that throws). */
  readonly overrides?: PolicyOverrides;
  /** For a `trace:` run: its trace as the engine's workload (loaded once per thread). */
  readonly traceWorkload?: Workload;
}

/**
 * Runs one run on a fresh memory backend (the Starnix shared region of the run's architecture,
 * its ASLR seeded with the run's seed) and measures it. A suite workload is generated from the
 * run's seed too; a trace is one recorded realization, replayed as it is, so that for a `trace:`
 * run the seed moves only the backend's ASLR. Never throws: a run that fails is recorded with
 * its error, so that a sweep goes on.
 */
export function runOne(run: RunSpec, context: RunContext = {}): RunRecord {
  const started = performance.now();
  const { overrides = {}, traceWorkload } = context;
  try {
    const isTrace = isTraceWorkload(run.workload);
    if (isTrace && traceWorkload === undefined) {
      throw new Error(`${run.workload}: the trace was not loaded`);
    }
    const suite = isTrace ? undefined : workloadOf(run);
    const tlsSize = suite?.tlsSize ?? WORKLOAD_DEFAULTS.tlsSize;
    const layout = threadLayout({
      architecture: run.architecture,
      pageSize: PAGE_SIZE,
      stackSize: WORKLOAD_DEFAULTS.stackSize,
      tlsSize,
    });
    const knobs = {
      ...(run.align !== undefined && { align: run.align }),
      ...(run.keepSpare !== undefined && { keepSpare: run.keepSpare }),
    };
    const definition = overrides[run.policy] ?? namedPolicy(run.policy, layout, knobs);
    const vmarSize = run.vmarSize ?? WORKLOAD_DEFAULTS.vmarSize;
    const shape =
      suite === undefined
        ? // The engine reports the seed with the trace and hands it to nothing but the backend.
          { workload: traceWorkload as Workload, seed: run.seed }
        : {
            threads: suite.threads,
            peak: suite.peak,
            pattern: suite.pattern,
            seed: run.seed,
          };
    const lifecycles = suite?.threads ?? (traceWorkload as Workload).threads;
    const report = runWorkload({
      // The run's seed always reaches the backend's ASLR; for a trace, only there.
      backend: () => memoryBackend({ arch: run.architecture, region: 'shared', seed: run.seed }),
      policies: [definition],
      architecture: run.architecture,
      ...shape,
      tlsSize,
      vmarSize,
      probeSize: run.probeSize ?? Math.min(WORKLOAD_DEFAULTS.probeSize, vmarSize),
      samples: 48,
    });
    const elapsed = performance.now() - started;
    const microsecondsPerLifecycle = round((elapsed * 1000) / lifecycles);
    return {
      ...run,
      microsecondsPerLifecycle,
      ok: true,
      metrics: metricsOf(report),
      ...(run.timeSeries && { series: seriesOf(report) }),
    };
  } catch (error) {
    const elapsed = performance.now() - started;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      ...run,
      microsecondsPerLifecycle: round(elapsed * 1000),
      ok: false,
      error: message.split('\n')[0] ?? 'unknown error',
    };
  }
}

/** The record of a run that could not start (its trace could not be loaded, its worker died). */
export function failedRecord(run: RunSpec, error: string): RunRecord {
  return { ...run, microsecondsPerLifecycle: 0, ok: false, error: error.split('\n')[0] ?? error };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function metricsOf(report: WorkloadReport): RunMetrics {
  const policy = report.policies[0];
  if (policy === undefined) throw new Error('the report has no policy');
  const pageSize = report.pageSize;
  const samples = policy.samples;
  const mean = (pick: (sample: (typeof samples)[number]) => number): number =>
    samples.length === 0 ? 0 : round(samples.reduce((sum, s) => sum + pick(s), 0) / samples.length);
  const perList = (list: string) =>
    policy.compactVmarList.filter((compact) => compact.list === list).length;
  const attempted = policy.threads.attempted;
  return {
    pageTablesAtPeak: policy.pageTables.atPeak.total,
    pageTablesAtPeakLevels: policy.pageTables.atPeak.levels.map((level) => level.pages),
    pageTablesMax: policy.pageTables.max.total,
    pageTablesMaxLevels: policy.pageTables.max.levels.map((level) => level.pages),
    pageTableBytesAtPeak: policy.pageTables.atPeak.total * pageSize,
    pageTableBytesMax: policy.pageTables.max.total * pageSize,
    reservedPeak: policy.reserved.peak,
    reservedFinal: policy.reserved.final,
    reservedMean: mean((sample) => sample.reserved),
    compactVmars: policy.compactVmars.total,
    compactVmarsMachineStack: perList('machine-stack'),
    compactVmarsSecurityStack: perList('security-stack'),
    compactVmarsThreadBlock: perList('thread-block'),
    compactVmarsShared: perList('shared'),
    compactVmarsMean: mean((sample) => sample.compactVmars),
    probesPerCreation: attempted === 0 ? 0 : round(policy.probes.total / attempted),
    failedProbesPerCreation: attempted === 0 ? 0 : round(policy.probes.failed / attempted),
    created: policy.threads.created,
    failedCreations: policy.threads.failed,
    failedEagain: policy.threads.failedStorage,
    failedEnomem: policy.threads.failedProbe,
  };
}

function seriesOf(report: WorkloadReport): TimeSeries {
  const samples = report.policies[0]?.samples ?? [];
  return {
    event: samples.map((sample) => sample.event),
    liveThreads: samples.map((sample) => sample.liveThreads),
    pageTables: samples.map((sample) => sample.pageTableTotal),
    compactVmars: samples.map((sample) => sample.compactVmars),
  };
}
