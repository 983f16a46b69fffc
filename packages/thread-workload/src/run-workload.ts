import { unwrap } from '@vmars/address-space';
import { PAGING_LEVELS } from './architecture.js';
import { namedPolicy } from './policies/named-policies.js';
import { runPolicy } from './run-policy.js';
import {
  type ResolvedOptions,
  type RunWorkloadOptions,
  resolveOptions,
} from './run-workload-options.js';
import { THREAD_STRUCT_SIZE, type ThreadLayout, threadLayout } from './thread-layout.js';
import { STACK_TOP_TOUCHED_PAGES } from './touched-ranges.js';
import { TRACE_REPLAY_NOTE } from './trace-workload.js';
import { generateWorkload, type Workload } from './workload.js';
import type { PolicyReport, WorkloadReport } from './workload-report.js';

/**
 * Runs a Starnix-like thread workload once per policy, each on a fresh backend, and reports what
 * each did to the address space (`WorkloadReport`). The options are checked first: a bad one
 * throws `WorkloadError` `INVALID_OPTION`, naming it, before any backend is made.
 *
 * @example
 * const report = runWorkload({
 *   backend: () => memoryBackend({ region: 'shared', seed: 1 }),
 *   policies: ['compact', 'root'],
 *   threads: 10_000,
 *   peak: 1_000,
 * });
 * report.policies[0].pageTables.atPeak.total;
 */
export function runWorkload(options: RunWorkloadOptions): WorkloadReport {
  const resolved = resolveOptions(options);
  const workload = resolved.workload ?? generateWorkload(resolved);
  const times = workload.pattern === 'trace' ? workload.times : undefined;
  const eventCount = workload.events.length;
  const points =
    times === undefined
      ? samplePoints(eventCount, workload.peakEvent, resolved.samples)
      : traceSamplePoints(times, workload.peakEvent, resolved.samples);
  const runs = resolved.policies.map((policy, index) =>
    runOnePolicy(resolved, workload, points, policy, index),
  );
  // The backends are alike; the report describes the last one.
  const last = runs[runs.length - 1];
  return {
    backend: last?.backendName ?? '',
    architecture: resolved.architecture,
    pageSize: last?.pageSize ?? 0,
    region: last?.region ?? { base: 0, size: 0 },
    touched: resolved.touched,
    stackTopTouchedPages: resolved.touched === 'stack-top' ? STACK_TOP_TOUCHED_PAGES : null,
    vmarSize: resolved.vmarSize,
    probeSize: resolved.probeSize,
    workload: workloadSummary(workload, resolved.seed),
    threadLayout: {
      stackSize: resolved.stackSize,
      tlsSize: resolved.tlsSize,
      threadStructSize: THREAD_STRUCT_SIZE,
      blocks: (last?.layout.blocks ?? []).map(({ kind, size, guardBelow, guardAbove }) => ({
        kind,
        size,
        guardBelow,
        guardAbove,
      })),
    },
    pagingLevels: PAGING_LEVELS[resolved.architecture].map(({ name, coverage }) => ({
      name,
      coverage,
    })),
    policies: runs.map((run) => run.report),
  };
}

/** One policy's run, and what the report says of the backend it ran on. */
interface PolicyRunResult {
  readonly report: PolicyReport;
  readonly backendName: string;
  readonly pageSize: number;
  readonly region: { readonly base: number; readonly size: number };
  readonly layout: ThreadLayout;
}

/** Runs `policy`, the `index`th of the run, on a fresh backend; progress counts over all policies. */
function runOnePolicy(
  resolved: ResolvedOptions,
  workload: Workload,
  points: readonly number[],
  policy: ResolvedOptions['policies'][number],
  index: number,
): PolicyRunResult {
  const backend = resolved.backend();
  const pageSize = backend.pageSize;
  const info = unwrap(backend.rootVmar().info(), 'zx_object_get_info(ZX_INFO_VMAR)');
  const layout = threadLayout({
    architecture: resolved.architecture,
    pageSize,
    stackSize: resolved.stackSize,
    tlsSize: resolved.tlsSize,
  });
  const eventCount = workload.events.length;
  const total = eventCount * resolved.policies.length;
  const before = index * eventCount;
  const { onProgress } = resolved;
  const report = runPolicy({
    backend,
    policy: typeof policy === 'string' ? namedPolicy(policy, layout) : policy,
    workload,
    times: workload.pattern === 'trace' ? workload.times : undefined,
    layout,
    architecture: resolved.architecture,
    touched: resolved.touched,
    vmarSize: resolved.vmarSize,
    probeSize: resolved.probeSize,
    samplePoints: points,
    verify: resolved.verify,
    onSample: resolved.onSample,
    onProgress: onProgress && ((done: number) => onProgress(before + done, total)),
  });
  onProgress?.(before + eventCount, total);
  const region = { base: info.base, size: info.len };
  return { report, backendName: backend.name, pageSize, region, layout };
}

/** The report's account of the workload: a trace's replay also names the trace. */
function workloadSummary(workload: Workload, seed: number): WorkloadReport['workload'] {
  const eventCount = workload.events.length;
  return workload.pattern === 'trace'
    ? {
        threads: workload.threads,
        peak: workload.peak,
        pattern: workload.pattern,
        seed,
        events: eventCount,
        peakEvent: workload.peakEvent + 1,
        trace: workload.trace,
        note: TRACE_REPLAY_NOTE,
      }
    : {
        threads: workload.threads,
        peak: workload.peak,
        pattern: workload.pattern,
        seed: workload.seed,
        events: eventCount,
        peakEvent: workload.peakEvent + 1,
      };
}

/**
 * `count` event counts spread evenly over the run, plus the peak's and the last: where samples
 * are taken. Ascending, without repeats.
 */
export function samplePoints(eventCount: number, peakEvent: number, count: number): number[] {
  const points = new Set<number>([peakEvent + 1, eventCount]);
  for (let step = 1; step <= count; step += 1) {
    points.add(Math.max(1, Math.round((step * eventCount) / count)));
  }
  return [...points].sort((left, right) => left - right);
}

/**
 * A trace's sample points: `count` spread evenly over the trace's own time (each after every event
 * of its moment, so that a sample never splits events of one time), plus the peak's and the last;
 * by events, as `samplePoints`, when the whole trace happens at one time. `times` never decrease.
 */
export function traceSamplePoints(times: Float64Array, peakEvent: number, count: number): number[] {
  const eventCount = times.length;
  const first = times[0] ?? 0;
  const last = times[eventCount - 1] ?? 0;
  if (!(last > first)) return samplePoints(eventCount, peakEvent, count);
  const points = new Set<number>([peakEvent + 1, eventCount]);
  let done = 0;
  for (let step = 1; step <= count; step += 1) {
    const until = first + ((last - first) * step) / count;
    while (done < eventCount && (times[done] as number) <= until) done += 1;
    points.add(Math.max(1, done));
  }
  return [...points].sort((left, right) => left - right);
}
