import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import { failedRecord, type PolicyOverrides, type RunRecord } from './run-one.js';
import { runTask, runTasks } from './run-task.js';
import type { RunSpec } from './sweep-spec.js';
import type { TraceRef } from './trace-ref.js';

/** Does runs and tells of each record as it comes, in any order. */
export interface Runner {
  /**
   * Resolves when every run is done, or soon after `signal` aborts (the rest are not done).
   * `traces` are the sweep's (`SweepSpec.traces`): the files its `trace:` runs replay.
   */
  run(
    runs: readonly RunSpec[],
    onRecord: (record: RunRecord) => void,
    signal: AbortSignal,
    traces?: readonly TraceRef[],
  ): Promise<void>;
}

/**
 * Runs in this thread, one after another, yielding to the event loop between runs so that Ctrl-C
 * is heard. `overrides` replaces named policies (tests use it for a policy that throws).
 */
export function inProcessRunner(overrides: PolicyOverrides = {}): Runner {
  return {
    async run(runs, onRecord, signal, traces = []) {
      for (const task of runTasks(runs, traces)) {
        if (signal.aborted) return;
        onRecord(await runTask(task, overrides));
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

/**
 * The worker file: `run-worker.js` beside this module once built (tsup bundles `cli.js` and
 * `run-worker.js` side by side); from the sources (tests), the built one in `dist`.
 */
export function workerFile(): string {
  const beside = fileURLToPath(new URL('./run-worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL('../dist/run-worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`the worker file is missing (looked for ${beside} and ${built}): build the lab`);
}

/**
 * Runs over `workers` worker threads through tinypool. Each run is one task; a run's result
 * depends only on the run (its cell and seed), so the records are the same whatever the number
 * of workers, and only their order of arrival differs. Aborting cancels the queued tasks and
 * terminates the workers.
 */
export function poolRunner(workers: number): Runner {
  return {
    async run(runs, onRecord, signal, traces = []) {
      if (runs.length === 0) return;
      const pool = new Tinypool({
        filename: workerFile(),
        minThreads: workers,
        maxThreads: workers,
        // Workers keep their JIT-warmed code, and the traces they have read, between runs; runs
        // share no other state (each makes its own backend and policy).
        isolateWorkers: false,
        // Two tasks in flight per worker: the next run is already queued in the worker while the
        // main thread handles a result (or rewrites the results file), so no worker waits on it.
        // Tasks are synchronous, so a worker still does one run at a time.
        concurrentTasksPerWorker: 2,
      });
      let aborted = false;
      const abort = (): void => {
        aborted = true;
        pool.cancelPendingTasks();
        void pool.destroy();
      };
      signal.addEventListener('abort', abort, { once: true });
      try {
        await Promise.all(
          runTasks(runs, traces).map(async (task) => {
            try {
              const record = (await pool.run(task)) as RunRecord;
              if (!aborted) onRecord(record);
            } catch (error) {
              if (aborted) return;
              // The worker itself failed (runTask never rejects): record it and go on.
              onRecord(
                failedRecord(
                  task.run,
                  `worker: ${error instanceof Error ? error.message : String(error)}`,
                ),
              );
            }
          }),
        );
      } finally {
        signal.removeEventListener('abort', abort);
        if (!aborted) await pool.destroy();
      }
    },
  };
}
