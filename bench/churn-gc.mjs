// @ts-check
/**
 * Where the bare loop's growth under churn goes to the garbage collector: for steady churn at each
 * number of threads alive (`churnAt` of bare-thread-loop.mjs, the bench's seed), after a warm-up,
 *
 * - a timed pass: nanoseconds per lifecycle, and the collections that ran in it (Node's `gc`
 *   performance entries: scavenges, and mark-compacts or other), with their pause per lifecycle;
 * - a profiled pass: bytes allocated per lifecycle, from V8's sampling heap profiler with the
 *   objects that young and full collections freed included (so it counts garbage too).
 *
 *   node bench/churn-gc.mjs [--lifecycles N] [--alive 10,10000]
 *
 * Prints one line per size (the timed passes all run before the profiled ones). Figures move with
 * the machine's load; compare sizes within one run.
 */
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { churnAt } from './bare-thread-loop.mjs';
import { BENCH_SEED } from './fixtures.mjs';
import { scriptOptions, usageError } from './script-options.mjs';

/** @param {string} message */
const usage = (message) => usageError('churn-gc', message);

const values = scriptOptions('churn-gc', { lifecycles: '200000', alive: '10,10000' });
const lifecycles = Number(values.lifecycles);
const sizes = values.alive.split(',').map(Number);
if (!Number.isSafeInteger(lifecycles) || lifecycles < 1000) {
  usage(`--lifecycles takes a whole number of at least 1000, not ${values.lifecycles}`);
}
if (sizes.some((alive) => !Number.isSafeInteger(alive) || alive < 1)) {
  usage(`--alive takes whole numbers of at least 1, not ${values.alive}`);
}

/** Collections seen while `observing`; the kind is Node's `NODE_PERFORMANCE_GC_*` (1: minor). */
const collections = { minor: 0, other: 0, pauseMs: 0 };
let observing = false;
const observer = new PerformanceObserver((list) => {
  if (!observing) return;
  for (const entry of list.getEntries()) {
    const kind = /** @type {{ detail?: { kind?: number } }} */ (entry).detail?.kind;
    if (kind === 1) collections.minor++;
    else collections.other++;
    collections.pauseMs += entry.duration;
  }
});
observer.observe({ entryTypes: ['gc'] });

/** @type {string[]} */
const timed = [];
for (const alive of sizes) {
  const churn = churnAt(alive, BENCH_SEED);
  churn.measure(Math.min(lifecycles, 50_000));
  collections.minor = 0;
  collections.other = 0;
  collections.pauseMs = 0;
  observing = true;
  const nanoseconds = churn.measure(lifecycles);
  // Entries are delivered asynchronously: let the last ones in before reading the counts.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observing = false;
  const { minor, other, pauseMs } = collections;
  timed.push(
    `${alive.toLocaleString('en-US')} alive: ${(nanoseconds / lifecycles).toFixed(0)} ns per lifecycle; ` +
      `${minor} scavenges and ${other} other collections, ${((pauseMs * 1e6) / lifecycles).toFixed(0)} ns of pause per lifecycle`,
  );
}
observer.disconnect();

// The profiler slows allocation: its passes come after every timed one.
const session = new Session();
session.connect();
for (const [index, alive] of sizes.entries()) {
  const churn = churnAt(alive, BENCH_SEED);
  churn.measure(Math.min(lifecycles, 50_000));
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const profiled = Math.min(lifecycles, 50_000);
  churn.measure(profiled);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  let bytes = 0;
  /** @param {{ selfSize: number, children: unknown[] }} node */
  const walk = (node) => {
    bytes += node.selfSize;
    for (const child of node.children) walk(/** @type {typeof node} */ (child));
  };
  walk(/** @type {any} */ (profile.head));
  console.log(`${timed[index]}; ${(bytes / profiled).toFixed(0)} bytes allocated per lifecycle`);
}
session.disconnect();
