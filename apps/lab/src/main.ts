import { existsSync, readFileSync } from 'node:fs';
import {
  type CliIo,
  describeError,
  EXIT_FAILURE,
  EXIT_OK,
  formatDuration,
  ProgressBar,
  reportError,
} from '@vmars/cli-support';
import {
  type FindingsOptions,
  helpText,
  type LabOptions,
  type MergeOptions,
  parseLabOptions,
  type RunOptions,
} from './cli-options.js';
import { checkFindings, findingsSourcesOf, renderFindings } from './findings.js';
import { renderLabHtml } from './render-html.js';
import {
  buildResults,
  mergeResults,
  type ResultsFile,
  readResults,
  resultsCsv,
  resultsJson,
  writeAtomically,
} from './results-file.js';
import type { RunRecord } from './run-one.js';
import { inProcessRunner, poolRunner, type Runner } from './runner.js';
import { shardRuns } from './shard.js';
import {
  expandSweep,
  parseSweepSpec,
  type RunSpec,
  type SweepSpec,
  sweepHash,
  traceWorkloadsOf,
} from './sweep-spec.js';
import { type LoadedTrace, resolveSweepTraces, userTraces } from './trace-workloads.js';
import { UsageError } from './usage-error.js';
import { describeWorkloads, SEEDS_VARY } from './workload-info.js';

/** What `main` does to the world, replaceable in tests. */
export interface LabDependencies {
  /** Makes the runner for `workers` (default: tinypool, or this thread for 0). */
  readonly makeRunner?: (workers: number) => Runner;
  /** Registers a Ctrl-C handler; returns its removal (default: `process.once('SIGINT')`). */
  readonly onInterrupt?: (handler: () => void) => () => void;
  readonly now?: () => number;
  /** How often the results files are rewritten while a sweep runs (default 1,000 ms). */
  readonly flushMilliseconds?: number;
  /** Where `trace:NAME` finds `NAME.jsonl.gz` (default: the repository's `corpus`). */
  readonly corpusDirectory?: string;
}

/** Ctrl-C: the results file holds the runs that finished (the shared statuses are cli-support's). */
export const EXIT_INTERRUPTED = 130;

/**
 * The CLI: parses `argv` (without `node` and the script), does the command, and resolves to the
 * exit status. Never rejects: a bad command line or spec is one line on stderr and status 2, any
 * other error one line and status 1.
 */
export async function main(
  argv: readonly string[],
  io: CliIo,
  dependencies: LabDependencies = {},
): Promise<number> {
  try {
    const options: LabOptions = parseLabOptions(argv);
    switch (options.command) {
      case 'help':
        io.stdout.write(helpText());
        return EXIT_OK;
      case 'run':
        return await runSweep(options, io, dependencies);
      case 'merge':
        return merge(options, io);
      case 'report': {
        const results = readResults(options.input);
        writeAtomically(options.html, renderLabHtml(results));
        io.stdout.write(`HTML report written to ${options.html}\n`);
        return EXIT_OK;
      }
      case 'findings':
        return findings(options, io);
    }
  } catch (error) {
    return reportError(io, error, { program: 'vmars-lab', isUsage: UsageError.isInstance });
  }
}

function merge(options: MergeOptions, io: CliIo): number {
  const merged = mergeResults(options.inputs.map((path) => ({ path, results: readResults(path) })));
  writeResults(merged, options.out, options.csv, options.html);
  const runs = `${String(merged.runs.length)} of ${String(merged.sweep.runs)} runs`;
  const complete = merged.complete ? 'complete' : 'incomplete';
  io.stdout.write(
    `merged ${String(options.inputs.length)} files: ${runs} (${complete}), ${String(merged.failed)} failed\n` +
      `results written to ${options.out} and ${options.csv}\n`,
  );
  return EXIT_OK;
}

function writeResults(
  results: ResultsFile,
  out: string,
  csv: string,
  html: string | undefined,
): void {
  writeAtomically(out, resultsJson(results));
  writeAtomically(csv, resultsCsv(results));
  if (html !== undefined) writeAtomically(html, renderLabHtml(results));
}

/**
 * The checked sweep, its traces found and read (a name found nowhere, or a file that is not a
 * trace, is a `UsageError` here, before any run starts).
 */
async function loadSpec(
  options: RunOptions,
  corpusDirectory: string | undefined,
): Promise<{ readonly spec: SweepSpec; readonly loaded: ReadonlyMap<string, LoadedTrace> }> {
  const user = userTraces(options.traceFiles);
  const spec = readSpec(options);
  const named = new Set(traceWorkloadsOf(spec));
  for (const [name, file] of user) {
    if (!named.has(`trace:${name}`)) {
      throw new UsageError(undefined, `--trace ${file}: the spec names no workload trace:${name}`);
    }
  }
  return resolveSweepTraces(spec, user, corpusDirectory);
}

function readSpec(options: RunOptions): SweepSpec {
  if (options.specPath === undefined) return parseSweepSpec(options.rawSpec);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(options.specPath, 'utf8'));
  } catch (error) {
    throw new UsageError('--spec', `cannot read ${options.specPath} (${describeError(error)})`, {
      cause: error,
    });
  }
  return parseSweepSpec(raw);
}

/** A sweep's work: the checked spec, its traces, its runs, this shard's, and those left to do. */
interface SweepPlan {
  readonly spec: SweepSpec;
  readonly loaded: ReadonlyMap<string, LoadedTrace>;
  readonly workloads: ReturnType<typeof describeWorkloads>;
  readonly runs: number;
  /** Knob combinations left out (probe larger than VMAR). */
  readonly skipped: number;
  readonly mine: readonly RunSpec[];
  /** The records so far: those `--resume` found in `--out`, then each run's as it finishes. */
  readonly records: Map<string, RunRecord>;
  readonly todo: readonly RunSpec[];
}

async function planSweep(options: RunOptions, dependencies: LabDependencies): Promise<SweepPlan> {
  const { spec, loaded } = await loadSpec(options, dependencies.corpusDirectory);
  const workloads = describeWorkloads(spec, loaded);
  const { runs, skipped } = expandSweep(spec);
  const mine = shardRuns(runs, options.shard);
  if (mine.length === 0) {
    throw new UsageError(
      '--shard',
      `slice ${String(options.shard?.index)} of ${String(options.shard?.count)} has no runs (the sweep has ${String(runs.length)})`,
    );
  }
  const records = new Map<string, RunRecord>();
  if (options.resume && existsSync(options.out)) {
    const previous = readResults(options.out);
    if (previous.sweep.hash !== sweepHash(spec)) {
      throw new UsageError(
        '--resume',
        `${options.out} holds results of another sweep ("${previous.sweep.name}", ${previous.sweep.hash})`,
      );
    }
    if (JSON.stringify(previous.shard) !== JSON.stringify(options.shard)) {
      throw new UsageError('--resume', `${options.out} holds another shard's results`);
    }
    for (const record of previous.runs) records.set(record.key, record);
  }
  const todo = mine.filter((run) => !records.has(run.key));
  return { spec, loaded, workloads, runs: runs.length, skipped, mine, records, todo };
}

/** The line that says what the sweep will do, and its traces. */
function sweepStartText(plan: SweepPlan, options: RunOptions): string {
  const { shard, workers } = options;
  const skipped =
    plan.skipped > 0
      ? ` (${String(plan.skipped)} knob combinations left out: probe larger than VMAR)`
      : '';
  const sharded =
    shard === null
      ? ''
      : `, shard ${String(shard.index)}/${String(shard.count)}: ${String(plan.mine.length)}`;
  const done = plan.mine.length - plan.todo.length;
  const resumed = plan.records.size > 0 ? `, ${String(done)} already done` : '';
  const where =
    workers === 0 ? 'in this thread' : `${String(workers)} worker${workers === 1 ? '' : 's'}`;
  return (
    `vmars-lab: sweep "${plan.spec.name}": ${String(plan.runs)} runs${skipped}${sharded}${resumed}; ${where}\n` +
    traceNote(plan.loaded)
  );
}

async function runSweep(
  options: RunOptions,
  io: CliIo,
  dependencies: LabDependencies,
): Promise<number> {
  const plan = await planSweep(options, dependencies);
  const now = dependencies.now ?? (() => performance.now());
  const started = now();
  // CPU time of the whole process (every worker thread, and V8's helper threads): set beside the
  // wall time, how many cores the sweep kept busy.
  const cpuStarted = process.cpuUsage();
  const writer = new ResultsWriter(plan, options, now, dependencies.flushMilliseconds ?? 1_000);
  io.stderr.write(sweepStartText(plan, options));
  writer.flush();
  const { done, interrupted } = await executeRuns(plan, options, io, dependencies, writer);
  const results = writer.flush();
  if (options.html !== undefined) writeAtomically(options.html, renderLabHtml(results));
  const cpu = process.cpuUsage(cpuStarted);
  io.stdout.write(
    sweepEndText(results, plan, options, {
      done,
      interrupted,
      seconds: (now() - started) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    }),
  );
  return interrupted ? EXIT_INTERRUPTED : EXIT_OK;
}

/**
 * Writes the results files while a sweep runs. Rewriting them takes the main thread O(runs),
 * about a tenth of a second at 2,000 runs, and with a worker per core that time is taken from
 * the workers: waiting at least 100 times as long as the last rewrite took keeps it under 1 % of
 * a long sweep.
 */
class ResultsWriter {
  #lastFlush: number;
  #flushCost = 0;

  constructor(
    private readonly plan: SweepPlan,
    private readonly options: RunOptions,
    private readonly now: () => number,
    private readonly flushEvery: number,
  ) {
    this.#lastFlush = now();
  }

  flush(): ResultsFile {
    const started = this.now();
    const { spec, records, workloads } = this.plan;
    const results = buildResults(spec, this.options.shard, records, workloads);
    writeAtomically(this.options.out, resultsJson(results));
    writeAtomically(this.options.csv, resultsCsv(results));
    this.#lastFlush = this.now();
    this.#flushCost = this.#lastFlush - started;
    return results;
  }

  /** Flushes when enough time has passed since the last flush. */
  flushIfDue(): void {
    if (this.now() - this.#lastFlush >= Math.max(this.flushEvery, 100 * this.#flushCost)) {
      this.flush();
    }
  }
}

/** Runs the plan's `todo` on the runner, with a progress bar and Ctrl-C stopping it. */
async function executeRuns(
  plan: SweepPlan,
  options: RunOptions,
  io: CliIo,
  dependencies: LabDependencies,
  writer: ResultsWriter,
): Promise<{ done: number; interrupted: boolean }> {
  const now = dependencies.now ?? (() => performance.now());
  // A sweep is long: the bar shows up sooner than the demo's, with the runs done and an ETA.
  const progress =
    io.stderr.isTTY === true
      ? new ProgressBar(io.stderr, 'vmars-lab', {
          now,
          unit: 'runs',
          delayMilliseconds: 500,
          intervalMilliseconds: 200,
        })
      : undefined;
  const controller = new AbortController();
  let interrupted = false;
  const removeHandler = (dependencies.onInterrupt ?? onSigint)(() => {
    interrupted = true;
    controller.abort();
  });
  let done = 0;
  const { workers } = options;
  const runner =
    dependencies.makeRunner?.(workers) ?? (workers === 0 ? inProcessRunner() : poolRunner(workers));
  try {
    await runner.run(
      plan.todo,
      (record) => {
        plan.records.set(record.key, record);
        done += 1;
        progress?.update(done, plan.todo.length);
        writer.flushIfDue();
      },
      controller.signal,
      plan.spec.traces,
    );
  } finally {
    removeHandler();
    progress?.finish();
  }
  return { done, interrupted };
}

function onSigint(handler: () => void): () => void {
  process.once('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

/** What the sweep did, its time and CPU time, and where the results went. */
function sweepEndText(
  results: ResultsFile,
  plan: SweepPlan,
  options: RunOptions,
  run: { done: number; interrupted: boolean; seconds: number; cpuSeconds: number },
): string {
  const { seconds, cpuSeconds } = run;
  const time = `${formatDuration(seconds)} (${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} s of CPU)`;
  const incomplete = results.complete ? '' : ' (incomplete: rerun with --resume)';
  const traces = plan.loaded.size;
  const traceLine =
    traces === 0
      ? ''
      : `${String(traces)} trace workload${traces === 1 ? '' : 's'}, each one recorded run: their seeds vary ${SEEDS_VARY.trace}\n`;
  const html = options.html === undefined ? '' : ` and ${options.html}`;
  return (
    `${run.interrupted ? 'interrupted: ' : ''}${String(run.done)} runs done in ${time}, ${String(results.failed)} failed; ` +
    `${String(results.runs.length)} of ${String(results.expectedRuns)} in the results${incomplete}\n` +
    traceLine +
    `results written to ${options.out} and ${options.csv}${html}\n`
  );
}

/** The sweep's traces, one line each, and what their seeds vary; nothing without traces. */
function traceNote(loaded: ReadonlyMap<string, LoadedTrace>): string {
  if (loaded.size === 0) return '';
  const lines = [...loaded].map(([workload, trace]) => {
    const { command } = trace.trace.header;
    const shape = `${String(trace.shape.tasks)} tasks, at most ${String(trace.shape.mostAlive)} alive`;
    return `  ${workload}: ${trace.ref.file}, ${shape}${command === null ? '' : ` (${command})`}\n`;
  });
  return `vmars-lab: a trace is one recorded realization: its seeds vary ${SEEDS_VARY.trace}\n${lines.join('')}`;
}

function findings(options: FindingsOptions, io: CliIo): number {
  const doc = readFileSync(options.doc, 'utf8');
  const sources = findingsSourcesOf(doc);
  // The corpus sweep's results are read only when the doc has tables made from them.
  const results = {
    default: readResults(options.results),
    ...(sources.has('corpus') && { corpus: readResults(options.corpusResults) }),
  };
  const from = sources.has('corpus')
    ? `${options.results} and ${options.corpusResults}`
    : options.results;
  if (options.check) {
    const problems = checkFindings(doc, results);
    if (problems.length > 0) {
      io.stderr.write(
        `vmars-lab: ${options.doc} does not agree with ${from}: ${problems.join('; ')}\n`,
      );
      return EXIT_FAILURE;
    }
    io.stdout.write(`${options.doc} agrees with ${from}\n`);
    return EXIT_OK;
  }
  writeAtomically(options.doc, renderFindings(doc, results));
  io.stdout.write(`tables of ${options.doc} regenerated from ${from}\n`);
  return EXIT_OK;
}
