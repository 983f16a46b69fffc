// @ts-check
/**
 * Compares this checkout's build with another checkout's, in one process, on the cases whose
 * growth the targets bound: the bare thread loop (`bare-loop-10`, `bare-loop-10000`: 100,000
 * lifecycles of steady churn at 10 and at 10,000 threads alive) and random placement
 * (`random-placement-10`, `random-placement-100000`). Rounds alternate the two builds, and their
 * order, so that a noisy neighbour on this shared machine slows both alike, which separate
 * `pnpm bench` runs cannot promise:
 *
 *   node --expose-gc bench/compare-builds.mjs <other checkout> [--rounds N]
 *
 * `<other checkout>` is the root of another clone or worktree of this repository, built
 * (`pnpm turbo run build --filter=@vmars/thread-workload... --filter=@vmars/backend-memory...`
 * there). Each side runs its own bench code on its own packages (each loaded as separate
 * modules, so neither shares JIT feedback with the other). Prints a Markdown table of medians
 * (the first round is warm-up and not counted), each build's growth ratios, and after / before.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchError } from './bench-error.mjs';
import { TARGETS } from './targets.mjs';

const { values, positionals } = parseArgs({
  options: { rounds: { type: 'string', default: '7' } },
  allowPositionals: true,
  strict: true,
});
const rounds = Number(values.rounds);
if (positionals.length !== 1 || !Number.isSafeInteger(rounds) || rounds < 2) {
  throw new BenchError(
    'usage: node --expose-gc bench/compare-builds.mjs <other checkout> [--rounds N >= 2]',
  );
}
const beforeRoot = resolve(/** @type {string} */ (positionals[0]));
const afterRoot = resolve(new URL('..', import.meta.url).pathname);

const SEED = 42;
const LIFECYCLES = 100_000;

/**
 * The cases of the checkout at `root`, measured by its own bench modules.
 * @param {string} root
 * @returns {Promise<Map<string, () => number>>} case id → one measurement in ns per operation
 */
async function casesOf(root) {
  const load = (/** @type {string} */ path) => import(pathToFileURL(resolve(root, path)).href);
  const loop = await load('bench/bare-thread-loop.mjs');
  const placement = await load('bench/cases/random-placement-cases.mjs');
  /** @type {Map<string, () => number>} */
  const cases = new Map();
  for (const alive of [10, 10_000]) {
    const workload = loop.generateWorkload({
      threads: LIFECYCLES,
      peak: alive,
      pattern: 'steady',
      seed: SEED,
    });
    cases.set(`bare-loop-${alive}`, () => loop.runBareWorkload(workload, SEED) / LIFECYCLES);
  }
  for (const benchCase of placement.randomPlacementCases()) {
    const operations = benchCase.id.endsWith('-10') ? 200_000 : 20_000;
    cases.set(benchCase.id, () => benchCase.measure(operations) / operations);
  }
  return cases;
}

const builds = { before: await casesOf(beforeRoot), after: await casesOf(afterRoot) };
/** @typedef {{ before: number, after: number }} Pair */
/** @type {Map<string, Pair>} */
const medians = new Map();

/** @param {number[]} samples */
function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const upper = sorted[sorted.length >> 1] ?? Number.NaN;
  const lower = sorted[(sorted.length - 1) >> 1] ?? Number.NaN;
  return (lower + upper) / 2;
}

for (const id of builds.after.keys()) {
  const measureBefore = builds.before.get(id);
  const measureAfter = builds.after.get(id);
  if (measureBefore === undefined || measureAfter === undefined) {
    throw new BenchError(`the other checkout has no case ${id}`);
  }
  /** @type {Record<keyof Pair, number[]>} */
  const samples = { before: [], after: [] };
  for (let round = 0; round < rounds; round++) {
    /** @type {(keyof Pair)[]} */
    const order = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
    for (const build of order) {
      const figure = build === 'before' ? measureBefore() : measureAfter();
      if (round > 0) samples[build].push(figure);
    }
  }
  medians.set(id, { before: median(samples.before), after: median(samples.after) });
  process.stderr.write(`compare-builds: ${id} done\n`);
}

/** @param {string} id */
function mediansOf(id) {
  const pair = medians.get(id);
  if (pair === undefined) throw new BenchError(`no figures for ${id}`);
  return pair;
}
const format = (/** @type {number} */ value) => Math.round(value).toLocaleString('en-US');
const lines = [
  `Before: ${beforeRoot}; after: ${afterRoot}; medians of ${rounds - 1} rounds, ns per lifecycle or operation.`,
  '',
  '| case | before | after | after / before |',
  '|:--|--:|--:|--:|',
];
for (const [id, pair] of medians) {
  lines.push(
    `| ${id} | ${format(pair.before)} | ${format(pair.after)} | ${(pair.after / pair.before).toFixed(2)} |`,
  );
}
/** The limit of target `id` in targets.mjs, as the table shows it. @param {string} id */
function limitOf(id) {
  const target = TARGETS.find((candidate) => candidate.id === id);
  if (target === undefined) throw new BenchError(`targets.mjs has no target ${id}`);
  return `${target.comparison === 'at-most' ? '≤' : '≥'} ${target.limit}${target.unit}`;
}
/** @type {[string, string, string][]} */
const growths = [
  ['bare-loop-10000', 'bare-loop-10', limitOf('lifecycle-under-churn')],
  ['random-placement-100000', 'random-placement-10', limitOf('random-placement-growth')],
];
for (const [large, small, target] of growths) {
  const big = mediansOf(large);
  const little = mediansOf(small);
  lines.push(
    `| ${large} / ${small} (target ${target}) | ${(big.before / little.before).toFixed(2)}× | ${(big.after / little.after).toFixed(2)}× | |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
