// @ts-check
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedRegionBackend } from '../bare-thread-loop.mjs';
import { expect } from '../bench-error.mjs';
import { BENCH_SEED } from '../fixtures.mjs';
import { readTraceFile, workloadFromTrace, writeTraceFile } from '../packages.mjs';
import { writeStraceTrace } from '../trace-generator.mjs';
import { PIPELINE_ALIVE, timeRunWorkload, WORKLOAD_THREADS } from './workload-cases.mjs';

/** @typedef {import('../measure-case.mjs').BenchCase} BenchCase */
/** @typedef {import('../measure-case.mjs').CaseResult} CaseResult */

const script = fileURLToPath(new URL('../trace-parse.mjs', import.meta.url));

/** The parsing cases' trace: the parsing targets are stated at a million tasks, 1,000 alive. */
export const PARSE_TASKS = 1_000_000;
export const PARSE_ALIVE = 1_000;

/**
 * Parsing speed and memory: generates a `strace -f -ttt` trace of `tasks` tasks with
 * at most `PARSE_ALIVE` alive (`trace-generator.mjs`, in a temporary folder, removed after),
 * converts it to the project's format, and parses each file `repetitions` times in fresh
 * processes (`trace-parse.mjs`), timed, and once more with the heap checked. Medians.
 * @param {number} tasks
 * @param {number} repetitions
 * @param {(message: string) => void} log
 * @returns {Promise<CaseResult[]>}
 */
export async function measureTraceParsing(tasks, repetitions, log) {
  const folder = mkdtempSync(join(tmpdir(), 'vmars-bench-trace-'));
  try {
    const stracePath = join(folder, 'generated.strace');
    const generated = writeStraceTrace(stracePath, { tasks, alive: PARSE_ALIVE, seed: BENCH_SEED });
    log(
      `  generated ${generated.tasks.toLocaleString('en-US')} tasks, ${(generated.bytes / 1e6).toFixed(0)} MB of strace text`,
    );
    const vmarsPath = join(folder, 'generated.jsonl');
    const trace = await readTraceFile(stracePath);
    expect(trace.tasks.length === generated.tasks, 'the strace trace did not give every task');
    await writeTraceFile(vmarsPath, trace);

    const count = tasks.toLocaleString('en-US');
    /** @type {CaseResult[]} */
    const results = [];
    for (const [format, path] of /** @type {const} */ ([
      ['strace', stracePath],
      ['vmars-trace', vmarsPath],
    ])) {
      /** @type {number[]} */
      const speeds = [];
      for (let repetition = 0; repetition < repetitions; repetition++) {
        const run = parseOnce(path, 'time');
        expect(run.tasks === generated.tasks, `a ${format} parse gave ${run.tasks} tasks`);
        speeds.push(run.bytes / 1e6 / (run.nanoseconds / 1e9));
      }
      results.push(
        summary(`trace-parse-${format}`, `parse ${format} text, ${count} tasks`, 'MB/s', speeds),
      );
      const heap = parseOnce(path, 'heap');
      results.push(
        summary(
          `trace-parse-heap-${format}`,
          `most heap while parsing ${format} text, ${count} tasks, ${PARSE_ALIVE.toLocaleString('en-US')} alive`,
          'bytes',
          [heap.heapBytes],
        ),
      );
    }
    return results;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * @param {string} path
 * @param {'time' | 'heap'} mode
 * @returns {{ bytes: number, tasks: number, nanoseconds: number, heapBytes: number }}
 */
function parseOnce(path, mode) {
  const output = execFileSync(process.execPath, ['--expose-gc', script, path, mode], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output);
}

/**
 * @param {string} id
 * @param {string} name
 * @param {string} unit
 * @param {number[]} values
 * @returns {CaseResult}
 */
function summary(id, name, unit, values) {
  const sorted = [...values].sort((left, right) => left - right);
  const median = /** @type {number} */ (sorted[Math.floor(sorted.length / 2)]);
  const deviations = sorted.map((value) => Math.abs(value - median)).sort((a, b) => a - b);
  const mad = /** @type {number} */ (deviations[Math.floor(deviations.length / 2)]);
  return {
    id,
    name,
    unit,
    medianNsPerOperation: null,
    median,
    samples: values.length,
    callsPerSample: 1,
    relativeMad: median === 0 ? 0 : mad / median,
  };
}

/**
 * Replay against generation: `runWorkload` with the compact policy on a workload
 * from a trace of `WORKLOAD_THREADS` tasks with at most `PIPELINE_ALIVE` alive, the size of
 * `workload-compact` (whole workloads), so that the two compare per lifecycle. The trace is
 * generated and parsed once, before timing; each call replays it on a fresh backend.
 * @returns {Promise<BenchCase[]>}
 */
export async function traceReplayCases() {
  const folder = mkdtempSync(join(tmpdir(), 'vmars-bench-replay-'));
  let trace;
  try {
    const path = join(folder, 'replay.strace');
    writeStraceTrace(path, { tasks: WORKLOAD_THREADS, alive: PIPELINE_ALIVE, seed: BENCH_SEED });
    trace = await readTraceFile(path);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const workload = workloadFromTrace(trace, { name: 'generated' });
  const lifecycles = trace.tasks.length;
  return [
    {
      id: 'workload-trace-compact',
      name: `runWorkload on a trace, compact policy, ${PIPELINE_ALIVE.toLocaleString('en-US')} alive (${lifecycles.toLocaleString('en-US')} lifecycles)`,
      unit: 'ns/lifecycle',
      operationsPerCall: lifecycles,
      maximumBatch: 1,
      measure(count) {
        const options = {
          backend: () => sharedRegionBackend(BENCH_SEED),
          policies: /** @type {const} */ (['compact']),
          workload,
        };
        return timeRunWorkload(count, options, lifecycles, 'a trace replay');
      },
    },
  ];
}
