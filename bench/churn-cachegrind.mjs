// @ts-check
/**
 * Where the bare loop's growth under churn goes, counted instead of timed, so that the answer
 * does not move with this shared machine's load: per lifecycle of steady churn, at each number of
 * threads alive, the instructions executed and the reads and writes that miss a simulated L2 of
 * this machine's size (1 MiB, 8-way, 64-byte lines), per function.
 *
 *   node bench/churn-cachegrind.mjs [--alive 10,10000] [--lifecycles 10000,40000] [--top 15]
 *
 * Needs valgrind (`apt-get install valgrind`: `callgrind` and `callgrind_annotate`). For each
 * size, two processes of `churn-steady.mjs` (the ramp, the warm-up, then the first and then the
 * second number of lifecycles) run under callgrind with its cache simulation, side by side; their
 * difference, divided by the difference in lifecycles, is what one lifecycle costs, with the
 * start-up, the ramp and the warm-up taken out. V8 runs `--single-threaded`, so that the garbage
 * collector's and the compiler's work happens on the thread that callgrind counts, and
 * `--perf-basic-prof`, whose map of compiled code (`/tmp/perf-<pid>.map`) names the JavaScript
 * functions; a function's figures include what the compiler inlined into it. A miss of the
 * simulated L2 is a read or write that real hardware serves from L3 or memory, tens of
 * nanoseconds each. Counts vary by a few percent between runs (garbage collections and
 * compilations do not fall at the same points); compare sizes within one run.
 *
 * Prints a Markdown table, rows in order of the growth in L2 read misses, then the totals.
 * Takes about four minutes for the default sizes on this 2-core machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptOptions, usageError } from './script-options.mjs';

/** The simulated last-level cache: this machine's L2 (size, associativity, line size). */
const SIMULATED_L2 = '--LL=1048576,8,64';
const churnSteady = fileURLToPath(new URL('./churn-steady.mjs', import.meta.url));

/** @param {string} message */
const usage = (message) => usageError('churn-cachegrind', message);

const values = scriptOptions('churn-cachegrind', {
  alive: '10,10000',
  lifecycles: '10000,40000',
  top: '15',
});
const sizes = values.alive.split(',').map(Number);
const counts = values.lifecycles.split(',').map(Number);
const top = Number(values.top);
if (sizes.some((alive) => !Number.isSafeInteger(alive) || alive < 1)) {
  usage(`--alive takes whole numbers of at least 1, not ${values.alive}`);
}
const [fewer = 0, more = 0] = counts;
if (
  counts.length !== 2 ||
  counts.some((count) => !Number.isSafeInteger(count)) ||
  fewer < 1 ||
  more <= fewer
) {
  usage(
    `--lifecycles takes two whole numbers, the first at least 1 and below the second, not ${values.lifecycles}`,
  );
}
if (!Number.isSafeInteger(top) || top < 1)
  usage(`--top takes a whole number of at least 1, not ${values.top}`);
for (const tool of ['valgrind', 'callgrind_annotate']) {
  if (!installed(tool)) usage(`needs ${tool}, which is not installed (apt-get install valgrind)`);
}

/**
 * Whether `tool` can be run (its answer to `--version` does not matter: callgrind_annotate's
 * exit status is 255 even then).
 * @param {string} tool
 */
function installed(tool) {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT';
  }
}

/** @typedef {[number, number, number]} Costs instructions, L2 read misses, L2 write misses: callgrind's Ir, DLmr and DLmw */

/** The processes run under callgrind: V8 leaves a perf map in /tmp for each, removed at the end. */
/** @type {number[]} */
const pids = [];

/**
 * Runs `churn-steady.mjs alive lifecycles` under callgrind; resolves to its output file and its
 * process id (valgrind runs the program in its own process, so this is the pid that V8 names its
 * perf map after).
 * @param {string} directory
 * @param {number} alive
 * @param {number} lifecycles
 * @returns {Promise<{ output: string, pid: number }>}
 */
function callgrind(directory, alive, lifecycles) {
  const output = join(directory, `callgrind-${alive}-${lifecycles}.out`);
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--dump-instr=yes',
      '--cache-sim=yes',
      SIMULATED_L2,
      `--callgrind-out-file=${output}`,
      process.execPath,
      '--single-threaded',
      '--perf-basic-prof',
      churnSteady,
      String(alive),
      String(lifecycles),
    ],
    // In the scratch directory: V8 writes a log there (isolate-…-v8.log) with its perf map.
    { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const pid = /** @type {number} */ (child.pid);
  pids.push(pid);
  let errors = '';
  child.stderr.on('data', (chunk) => {
    errors = (errors + chunk).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ output, pid });
      else reject(new Error(`callgrind of ${alive} alive exited with ${code}:\n${errors}`));
    });
  });
}

/**
 * The compiled JavaScript functions of process `pid`, from V8's perf map, sorted by address.
 * @param {number} pid
 */
function compiledFunctions(pid) {
  return readFileSync(perfMap(pid), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [start = '0', size = '0', ...name] = line.split(' ');
      return {
        start: Number.parseInt(start, 16),
        size: Number.parseInt(size, 16),
        name: name.join(' '),
      };
    })
    .sort((a, b) => a.start - b.start);
}

/**
 * Where V8's `--perf-basic-prof` writes the map of process `pid`.
 * @param {number} pid
 */
function perfMap(pid) {
  return `/tmp/perf-${pid}.map`;
}

/**
 * A readable name for an entry of V8's perf map: `JS:*unmapRange file:///…/backend-memory/dist/index.js:1643:20`
 * becomes `unmapRange (backend-memory)`.
 * @param {string} entry
 */
function javascriptName(entry) {
  const match = /^(?:JS|LazyCompile|Function):[*~^+]?(\S*) (\S+)/.exec(entry);
  if (match === null) return 'V8 builtins: interpreter, inline caches and others';
  const where =
    /\/packages\/([^/]+)\//.exec(match[2] ?? '')?.[1] ?? /\/(bench)\//.exec(match[2] ?? '')?.[1];
  return `${match[1] || '(anonymous)'} (${where ?? 'node'})`;
}

/**
 * The group a native function belongs to.
 * @param {string} name
 */
function nativeGroup(name) {
  if (/RecordWrite/.test(name)) return 'V8: write barrier';
  if (/Scaveng|SlotCallback|Evacuat|SemiSpace|NewSpace|Promot/.test(name)) return 'V8: scavenger';
  if (/Mark|Sweep|Compact|Concurrent|Incremental/.test(name)) return 'V8: mark-compact';
  if (/^Builtins?_/.test(name)) {
    return /Allocat|FastNew|NewObject|Create|Clone/.test(name)
      ? 'V8 builtins: allocation'
      : 'V8 builtins: interpreter, inline caches and others';
  }
  return 'other native code';
}

/**
 * Each function's exclusive costs in one callgrind run, keyed by a readable name.
 * @param {{ output: string, pid: number }} run
 * @returns {Map<string, Costs>}
 */
function costsOf({ output, pid }) {
  const functions = compiledFunctions(pid);
  const annotated = execFileSync(
    'callgrind_annotate',
    ['--auto=no', '--show-percs=no', '--threshold=100', '--show=Ir,DLmr,DLmw', output],
    { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 },
  );
  /** @type {Map<string, Costs>} */
  const costs = new Map();
  for (const line of annotated.split('\n')) {
    const fields = line
      .replace(/\([^)]*%\)/g, ' ')
      .trim()
      .split(/\s+/);
    if (fields.length < 4 || !/^[\d,.]+$/.test(fields[0] ?? '') || !/^\S*:/.test(fields[3] ?? ''))
      continue;
    const numbers = fields
      .slice(0, 3)
      .map((field) => (field === '.' ? 0 : Number(field.replaceAll(',', ''))));
    const where = fields.slice(3).join(' ');
    const functionName = where.slice(where.indexOf(':') + 1).replace(/ \[[^\]]*\]$/, '');
    let name;
    if (/^0x[0-9a-f]+/.test(functionName)) {
      const address = Number.parseInt(functionName, 16);
      const compiled = findFunction(functions, address);
      name = compiled === undefined ? 'code V8 did not name' : javascriptName(compiled.name);
    } else {
      name = nativeGroup(functionName);
    }
    const [instructions = 0, readMisses = 0, writeMisses = 0] = numbers;
    const sum = costs.get(name) ?? [0, 0, 0];
    costs.set(name, [sum[0] + instructions, sum[1] + readMisses, sum[2] + writeMisses]);
  }
  return costs;
}

/**
 * The perf-map function containing `address`.
 * @param {{ start: number, size: number, name: string }[]} functions sorted by start
 * @param {number} address
 */
function findFunction(functions, address) {
  let low = 0;
  let high = functions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (/** @type {{ start: number }} */ (functions[middle]).start <= address) low = middle + 1;
    else high = middle;
  }
  const candidate = functions[low - 1];
  return candidate !== undefined && address < candidate.start + candidate.size
    ? candidate
    : undefined;
}

const directory = mkdtempSync(join(tmpdir(), 'churn-cachegrind-'));
/** @type {Map<string, Costs>[]} per size: name → costs per lifecycle */
const perLifecycle = [];
try {
  for (const alive of sizes) {
    console.error(`churn-cachegrind: ${alive.toLocaleString('en-US')} alive…`);
    const [first, second] = await Promise.all([
      callgrind(directory, alive, fewer),
      callgrind(directory, alive, more),
    ]);
    const before = costsOf(first);
    const after = costsOf(second);
    /** @type {Map<string, Costs>} */
    const difference = new Map();
    for (const name of new Set([...before.keys(), ...after.keys()])) {
      const a = before.get(name) ?? [0, 0, 0];
      const b = after.get(name) ?? [0, 0, 0];
      const lifecycles = more - fewer;
      difference.set(name, [
        (b[0] - a[0]) / lifecycles,
        (b[1] - a[1]) / lifecycles,
        (b[2] - a[2]) / lifecycles,
      ]);
    }
    perLifecycle.push(difference);
  }
} catch (error) {
  console.error(`churn-cachegrind: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(directory, { recursive: true, force: true });
  for (const pid of pids) rmSync(perfMap(pid), { force: true });
}

if (perLifecycle.length === sizes.length) {
  const names = [...new Set(perLifecycle.flatMap((costs) => [...costs.keys()]))];
  const cost = (
    /** @type {number} */ size,
    /** @type {string} */ name,
    /** @type {number} */ index,
  ) => /** @type {number} */ ((perLifecycle[size]?.get(name) ?? [0, 0, 0])[index]);
  const last = sizes.length - 1;
  // By the growth in L2 read misses from the first size to the last; with one size, by its misses.
  const growth = (/** @type {string} */ name) =>
    cost(last, name, 1) - (last > 0 ? cost(0, name, 1) : 0);
  names.sort((a, b) => growth(b) - growth(a));
  const shown = names.slice(0, top);
  const rest = names.slice(top);
  const header = sizes.flatMap((alive) => {
    const at = alive.toLocaleString('en-US');
    return [`instructions, ${at}`, `L2 read misses, ${at}`, `L2 write misses, ${at}`];
  });
  const row = (
    /** @type {string} */ label,
    /** @type {(size: number, index: number) => number} */ value,
  ) =>
    `| ${label} | ${sizes.flatMap((_, size) => [0, 1, 2].map((index) => format(value(size, index), index))).join(' | ')} |`;
  console.log(
    `Per lifecycle of steady churn (${more.toLocaleString('en-US')} − ${fewer.toLocaleString('en-US')} lifecycles), by function:\n`,
  );
  console.log(`| function | ${header.join(' | ')} |`);
  console.log(`|:--|${header.map(() => '--:').join('|')}|`);
  for (const name of shown) console.log(row(name, (size, index) => cost(size, name, index)));
  if (rest.length > 0) {
    console.log(
      row(`${rest.length} more`, (size, index) =>
        rest.reduce((sum, name) => sum + cost(size, name, index), 0),
      ),
    );
  }
  console.log(
    row('**total**', (size, index) =>
      names.reduce((sum, name) => sum + cost(size, name, index), 0),
    ),
  );
}

/**
 * @param {number} value
 * @param {number} index 0: instructions (whole numbers), else misses (one decimal)
 */
function format(value, index) {
  return value.toLocaleString('en-US', {
    maximumFractionDigits: index === 0 ? 0 : 1,
    minimumFractionDigits: index === 0 ? 0 : 1,
  });
}
