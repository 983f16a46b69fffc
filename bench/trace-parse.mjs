// @ts-check
/**
 * One parse of a trace file, in a process of its own (run by `cases/trace-cases.mjs`):
 *
 *   node --expose-gc bench/trace-parse.mjs FILE time|heap
 *
 * Streams FILE through `openTraceFile` and `parseTrace` of `@vmars/thread-traces`, counting the
 * tasks, and prints one JSON line: `bytes`, `tasks`, and with `time` the nanoseconds the parse
 * took, with `heap` the most heap in use at any of the checks (a full garbage collection, then
 * `heapUsed`, every `HEAP_CHECK_EVERY` tasks and at the end), so that what is counted is what the
 * parser keeps, not garbage waiting for a collection. The two modes are separate runs because
 * the collections would spoil the time.
 */
import { statSync } from 'node:fs';
import { parseTrace } from '../packages/thread-traces/dist/index.js';
import { openTraceFile } from '../packages/thread-traces/dist/node.js';

const HEAP_CHECK_EVERY = 50_000;

const [path, mode] = process.argv.slice(2);
if (path === undefined || (mode !== 'time' && mode !== 'heap')) {
  process.stderr.write('usage: node --expose-gc bench/trace-parse.mjs FILE time|heap\n');
  process.exit(2);
}
const collect = /** @type {(() => void) | undefined} */ (globalThis.gc);
if (mode === 'heap' && collect === undefined) {
  process.stderr.write('trace-parse.mjs: heap mode needs node --expose-gc\n');
  process.exit(2);
}

let tasks = 0;
let mostHeap = 0;
const check = () => {
  collect?.();
  mostHeap = Math.max(mostHeap, process.memoryUsage().heapUsed);
};
const start = process.hrtime.bigint();
if (mode === 'heap') {
  for await (const _task of parseTrace(openTraceFile(path))) {
    tasks += 1;
    if (tasks % HEAP_CHECK_EVERY === 0) check();
  }
  check();
} else {
  for await (const _task of parseTrace(openTraceFile(path))) tasks += 1;
}
const nanoseconds = Number(process.hrtime.bigint() - start);
process.stdout.write(
  `${JSON.stringify({ bytes: statSync(path).size, tasks, nanoseconds, heapBytes: mostHeap })}\n`,
);
