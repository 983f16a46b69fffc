import { failedRecord, type PolicyOverrides, type RunRecord, runOne } from './run-one.js';
import type { RunSpec } from './sweep-spec.js';
import type { TraceRef } from './trace-ref.js';
import { loadTrace } from './trace-workloads.js';

/** What a worker is sent for one run: the run, and for a `trace:` run the trace's file. */
export interface RunTask {
  readonly run: RunSpec;
  readonly trace: TraceRef | null;
}

/** The tasks of `runs`, each `trace:` run with its trace from `traces` (the sweep's). */
export function runTasks(runs: readonly RunSpec[], traces: readonly TraceRef[] = []): RunTask[] {
  const byWorkload = new Map(traces.map((ref) => [`trace:${ref.name}`, ref]));
  return runs.map((run) => ({ run, trace: byWorkload.get(run.workload) ?? null }));
}

/**
 * Does one task: loads its trace (once per thread, through `loadTrace`'s cache) and runs it.
 * Never rejects: a trace that cannot be loaded is the run's recorded error.
 */
export async function runTask(task: RunTask, overrides: PolicyOverrides = {}): Promise<RunRecord> {
  if (task.trace === null) return runOne(task.run, { overrides });
  try {
    const { workload } = await loadTrace(task.trace);
    return runOne(task.run, { overrides, traceWorkload: workload });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return failedRecord(task.run, message);
  }
}
