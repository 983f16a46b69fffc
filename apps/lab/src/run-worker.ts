import { type RunRecord, runOne } from './run-one.js';
import type { RunSpec } from './sweep-spec.js';

/** The worker thread's task (tinypool calls the default export): one run, never throwing. */
export default function runTask(run: RunSpec): RunRecord {
  return runOne(run);
}
