// @ts-check
/**
 * The vmars benchmark suite. `pnpm bench` builds the packages and runs this file:
 *
 *   node --expose-gc bench/run-benchmarks.mjs [--quick] [--only <text>]
 *
 * `--quick` runs every case briefly (a smoke check, under a minute; the figures are rough, the
 * retained heap is measured at 100,000 children instead of 1,000,000 and trace parsing at 100,000
 * tasks instead of 1,000,000). `--only <text>` runs
 * the cases whose id contains `<text>` (for profiling); targets needing other cases then read
 * NOT RUN. Prints a table of the cases and one of the targets, and writes bench-results.json at
 * the repository root.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { allocateDestroyCases } from './cases/allocate-destroy-cases.mjs';
import { growableVmarsCases } from './cases/growable-vmars-cases.mjs';
import { linuxMmapCases } from './cases/linux-mmap-cases.mjs';
import { probePairCases } from './cases/probe-pair-cases.mjs';
import { randomPlacementCases } from './cases/random-placement-cases.mjs';
import { measureRetainedHeap } from './cases/retained-heap-cases.mjs';
import { threadLifecycleCases } from './cases/thread-lifecycle-cases.mjs';
import { measureTraceParsing, PARSE_TASKS, traceReplayCases } from './cases/trace-cases.mjs';
import { workloadCases } from './cases/workload-cases.mjs';
import { measureGroup } from './measure-case.mjs';
import { casesTable, describeRun, formatNumber, targetsTable } from './report.mjs';
import { checkTargets, TARGETS } from './targets.mjs';

/** @typedef {import('./measure-case.mjs').BenchCase} BenchCase */
/** @typedef {import('./measure-case.mjs').CaseResult} CaseResult */
/** @typedef {import('./measure-case.mjs').MeasureSettings} MeasureSettings */

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
  strict: true,
});
const quick = values.quick ?? false;
const only = values.only;

/** @type {MeasureSettings} */
const settings = quick
  ? {
      rounds: 1,
      timeMs: 150,
      warmupMs: 40,
      minimumSamples: 16,
      sampleNs: 100_000,
      calibrationMs: 40,
    }
  : {
      rounds: 5,
      timeMs: 500,
      warmupMs: 100,
      minimumSamples: 32,
      sampleNs: 200_000,
      calibrationMs: 400,
    };
const heapChildren = quick ? 100_000 : 1_000_000;
const heapRepetitions = quick ? 1 : 3;
const traceRepetitions = quick ? 1 : 3;

/**
 * Settings for cases whose one call is a whole workload (about a second): a few calls per round,
 * no calibration batches.
 * @type {MeasureSettings}
 */
const wholeRunSettings = quick
  ? { ...settings, rounds: 1, minimumSamples: 1, warmupIterations: 0, timeMs: 1, warmupMs: 1 }
  : { ...settings, rounds: 3, minimumSamples: 3, warmupIterations: 0, timeMs: 1, warmupMs: 1 };

/**
 * The groups of cases, in the order they run. Each builds its fixtures when called, so only one
 * group's fixtures are alive at a time; cases that are compared with each other share a process.
 * @type {{ name: string, build: () => BenchCase[] | Promise<BenchCase[]>, settings?: MeasureSettings }[]}
 */
const groups = [
  { name: 'probe pair', build: probePairCases },
  { name: 'GrowableVmars', build: growableVmarsCases },
  { name: 'thread lifecycle', build: threadLifecycleCases },
  { name: 'allocate + destroy', build: allocateDestroyCases },
  { name: 'random placement', build: randomPlacementCases },
  { name: 'Linux mmap', build: linuxMmapCases },
  {
    name: 'whole workloads',
    // A trace's replay shares the group with the generated workloads it is compared with.
    build: async () => [...workloadCases(), ...(await traceReplayCases())],
    settings: wholeRunSettings,
  },
];

const collect = /** @type {(() => void) | undefined} */ (globalThis.gc);
const log = (/** @type {string} */ message) => process.stderr.write(`${message}\n`);

/** @type {CaseResult[]} */
const results = [];
const started = performance.now();
for (const group of groups) {
  collect?.();
  const setupStart = performance.now();
  let cases = await group.build();
  if (only !== undefined) cases = cases.filter((each) => each.id.includes(only));
  if (cases.length === 0) continue;
  log(`${group.name}: fixtures ready in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);
  const measured = await measureGroup(cases, group.settings ?? settings, (result) =>
    log(
      `  ${result.name}: ${formatNumber(result.median)} ${result.unit} (${result.samples} samples)`,
    ),
  );
  results.push(...measured);
}
if (only === undefined || 'retained-heap'.includes(only) || only.startsWith('retained-heap')) {
  log(
    `retained heap: ${heapChildren.toLocaleString('en-US')} children, ${heapRepetitions} processes per mode`,
  );
  for (const result of measureRetainedHeap(heapChildren, heapRepetitions)) {
    results.push(result);
    log(`  ${result.name}: ${formatNumber(result.median)} ${result.unit}`);
  }
}

if (only === undefined || 'trace-parse'.includes(only) || only.startsWith('trace-parse')) {
  const tasks = quick ? PARSE_TASKS / 10 : PARSE_TASKS;
  log(
    `trace parsing: ${tasks.toLocaleString('en-US')} tasks, ${traceRepetitions} processes per format`,
  );
  for (const result of await measureTraceParsing(tasks, traceRepetitions, log)) {
    results.push(result);
    log(`  ${result.name}: ${formatNumber(result.median)} ${result.unit}`);
  }
}

const medians = new Map(results.map((each) => [each.id, each.median]));
const targets = checkTargets(medians);
const run = describeRun(repositoryRoot);
const seconds = (performance.now() - started) / 1000;

const header = [
  `vmars benchmarks (${quick ? 'quick: rough figures, smoke check only' : 'full'}), ${run.date}`,
  `commit ${run.commit}${run.uncommittedPackageChanges.length > 0 ? ` + uncommitted changes in ${run.uncommittedPackageChanges.join(', ')}` : ''}`,
  `Node ${run.node} (V8 ${run.v8}), ${run.cpu}, nproc ${run.nproc}, ${run.platform}`,
  `${seconds.toFixed(1)} s; load average at the end ${run.loadAverageAtEnd.join(' ')}`,
];
process.stdout.write(
  `\n${header.join('\n')}\n\n${casesTable(results)}\n\n${targetsTable(targets)}\n`,
);

const output = `${repositoryRoot}bench-results.json`;
writeFileSync(
  output,
  `${JSON.stringify(
    {
      mode: quick ? 'quick' : 'full',
      ...run,
      seconds,
      settings: { ...settings, heapChildren, heapRepetitions, traceRepetitions },
      cases: results,
      targets,
      targetsDefined: TARGETS.length,
    },
    null,
    2,
  )}\n`,
);
log(`\nwrote ${output}`);
