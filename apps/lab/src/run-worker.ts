import type { RunRecord } from './run-one.js';
import { type RunTask, runTask } from './run-task.js';
import { traceFileReads } from './trace-workloads.js';

/** The worker thread's task (tinypool calls the default export): one run, never rejecting. */
export default function runWorkerTask(task: RunTask): Promise<RunRecord> {
  return runTask(task);
}

/** How many trace files this worker has read (tinypool's `name: 'traceReads'`; for tests). */
export function traceReads(): number {
  return traceFileReads();
}
