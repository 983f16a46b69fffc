import { existsSync, readFileSync } from 'node:fs';
import { formatDuration, ProgressBar } from '@vmars/cli-support';
import { checkFindings, findingsSourcesOf, renderFindings } from './findings.js';
import {
  type FindingsOptions,
  helpText,
  type LabOptions,
  parseLabOptions,
  type RunOptions,
} from './lab-options.js';
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
import {
  expandSweep,
  parseSweepSpec,
  type SweepSpec,
  shardRuns,
  sweepHash,
  traceWorkloadsOf,
} from './sweep-spec.js';
import { type LoadedTrace, resolveSweepTraces, userTraces } from './trace-workloads.js';
import { UsageError } from './usage-error.js';
import { describeWorkloads, SEEDS_VARY } from './workload-info.js';

/** The streams the CLI writes to; `process.stdout` / `process.stderr`, or captures in tests. */
export interface LabIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: {
    write(text: string): unknown;
    readonly isTTY?: boolean;
    readonly columns?: number;
  };
}

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

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** The CLI: parses `argv`, does the command, returns the exit status. Never throws. */
export async function main(
  argv: readonly string[],
  io: LabIo,
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
      case 'merge': {
        const merged = mergeResults(
          options.inputs.map((path) => ({ path, results: readResults(path) })),
        );
        writeResults(merged, options.out, options.csv, options.html);
        io.stdout.write(
          `merged ${String(options.inputs.length)} files: ${String(merged.runs.length)} of ${String(merged.sweep.runs)} runs (${merged.complete ? 'complete' : 'incomplete'}), ${String(merged.failed)} failed\nresults written to ${options.out} and ${options.csv}\n`,
        );
        return EXIT_OK;
      }
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
    if (UsageError.isInstance(error)) {
      io.stderr.write(`vmars-lab: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`vmars-lab: ${message.split('\n')[0] ?? 'unknown error'}\n`);
    return EXIT_FAILURE;
  }
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
    throw new UsageError(
      undefined,
      `--spec: cannot read ${options.specPath} (${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''})`,
    );
  }
  return parseSweepSpec(raw);
}

async function runSweep(
  options: RunOptions,
  io: LabIo,
  dependencies: LabDependencies,
): Promise<number> {
  const { spec, loaded } = await loadSpec(options, dependencies.corpusDirectory);
  const workloads = describeWorkloads(spec, loaded);
  const { runs, skipped } = expandSweep(spec);
  const mine = shardRuns(runs, options.shard);
  if (mine.length === 0)
    throw new UsageError(
      undefined,
      `--shard: slice ${String(options.shard?.index)} of ${String(options.shard?.count)} has no runs (the sweep has ${String(runs.length)})`,
    );
  const records = new Map<string, RunRecord>();
  if (options.resume && existsSync(options.out)) {
    const previous = readResults(options.out);
    if (previous.sweep.hash !== sweepHash(spec)) {
      throw new UsageError(
        undefined,
        `--resume: ${options.out} holds results of another sweep ("${previous.sweep.name}", ${previous.sweep.hash})`,
      );
    }
    if (JSON.stringify(previous.shard) !== JSON.stringify(options.shard)) {
      throw new UsageError(undefined, `--resume: ${options.out} holds another shard's results`);
    }
    for (const record of previous.runs) records.set(record.key, record);
  }
  const todo = mine.filter((run) => !records.has(run.key));
  const now = dependencies.now ?? (() => performance.now());
  const started = now();
  // CPU time of the whole process (every worker thread, and V8's helper threads): set beside the
  // wall time, how many cores the sweep kept busy.
  const cpuStarted = process.cpuUsage();
  const flushEvery = dependencies.flushMilliseconds ?? 1_000;
  let lastFlush = now();
  // Rewriting the files takes the main thread O(runs), about a tenth of a second at 2,000 runs,
  // and with a worker per core that time is taken from the workers: waiting at least 100 times
  // as long as the last rewrite took keeps it under 1 % of a long sweep.
  let flushCost = 0;
  const flush = (): ResultsFile => {
    const flushStarted = now();
    const results = buildResults(spec, options.shard, records, workloads);
    writeAtomically(options.out, resultsJson(results));
    writeAtomically(options.csv, resultsCsv(results));
    lastFlush = now();
    flushCost = lastFlush - flushStarted;
    return results;
  };
  const workers = options.workers;
  io.stderr.write(
    `vmars-lab: sweep "${spec.name}": ${String(runs.length)} runs${skipped > 0 ? ` (${String(skipped)} knob combinations left out: probe larger than VMAR)` : ''}${options.shard === null ? '' : `, shard ${String(options.shard.index)}/${String(options.shard.count)}: ${String(mine.length)}`}${records.size > 0 ? `, ${String(mine.length - todo.length)} already done` : ''}; ${workers === 0 ? 'in this thread' : `${String(workers)} worker${workers === 1 ? '' : 's'}`}\n${traceNote(loaded)}`,
  );
  flush();
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
  const removeHandler = (
    dependencies.onInterrupt ??
    ((handler) => {
      process.once('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    })
  )(() => {
    interrupted = true;
    controller.abort();
  });
  let done = 0;
  const runner =
    dependencies.makeRunner?.(workers) ?? (workers === 0 ? inProcessRunner() : poolRunner(workers));
  try {
    await runner.run(
      todo,
      (record) => {
        records.set(record.key, record);
        done += 1;
        progress?.update(done, todo.length);
        if (now() - lastFlush >= Math.max(flushEvery, 100 * flushCost)) flush();
      },
      controller.signal,
      spec.traces,
    );
  } finally {
    removeHandler();
    progress?.finish();
  }
  const results = flush();
  if (options.html !== undefined) writeAtomically(options.html, renderLabHtml(results));
  const seconds = (now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  io.stdout.write(
    `${interrupted ? 'interrupted: ' : ''}${String(done)} runs done in ${formatDuration(seconds)} (${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} s of CPU), ${String(results.failed)} failed; ${String(results.runs.length)} of ${String(results.expectedRuns)} in the results${results.complete ? '' : ' (incomplete: rerun with --resume)'}\n${loaded.size === 0 ? '' : `${String(loaded.size)} trace workload${loaded.size === 1 ? '' : 's'}, each one recorded run: their seeds vary ${SEEDS_VARY.trace}\n`}results written to ${options.out} and ${options.csv}${options.html === undefined ? '' : ` and ${options.html}`}\n`,
  );
  return interrupted ? EXIT_INTERRUPTED : EXIT_OK;
}

/** The sweep's traces, one line each, and what their seeds vary; nothing without traces. */
function traceNote(loaded: ReadonlyMap<string, LoadedTrace>): string {
  if (loaded.size === 0) return '';
  const lines = [...loaded].map(
    ([workload, trace]) =>
      `  ${workload}: ${trace.ref.file}, ${String(trace.shape.tasks)} tasks, at most ${String(trace.shape.mostAlive)} alive${trace.trace.header.command === null ? '' : ` (${trace.trace.header.command})`}\n`,
  );
  return `vmars-lab: a trace is one recorded realization: its seeds vary ${SEEDS_VARY.trace}\n${lines.join('')}`;
}

function findings(options: FindingsOptions, io: LabIo): number {
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
