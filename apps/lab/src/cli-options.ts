import { availableParallelism } from 'node:os';
import { parseCommandLine } from '@vmars/cli-support';
import { ARCHITECTURES, NAMED_POLICY_NAMES, WORKLOAD_SUITE } from '@vmars/thread-workload';
import { parseShard, type Shard } from './shard.js';
import { SWEEP_DEFAULTS } from './sweep-spec.js';
import { corpusTraceNames, TRACE_WORKLOAD_PREFIX, traceNameOfFile } from './trace-ref.js';
import { UsageError } from './usage-error.js';

/** `vmars-lab [run]`: a sweep. */
export interface RunOptions {
  readonly command: 'run';
  /** `--spec`: a JSON spec file, or the raw spec the sweep options make. */
  readonly specPath: string | undefined;
  readonly rawSpec: Record<string, unknown>;
  /** `--trace`: users' trace files, each the workload `trace:` and its base name. */
  readonly traceFiles: readonly string[];
  readonly workers: number;
  readonly shard: Shard | null;
  readonly out: string;
  readonly csv: string;
  readonly html: string | undefined;
  readonly resume: boolean;
}

export interface MergeOptions {
  readonly command: 'merge';
  readonly inputs: readonly string[];
  readonly out: string;
  readonly csv: string;
  readonly html: string | undefined;
}

export interface ReportOptions {
  readonly command: 'report';
  readonly input: string;
  readonly html: string;
}

export interface FindingsOptions {
  readonly command: 'findings';
  readonly results: string;
  /** The corpus sweep's results, for the doc's `corpus-` tables. */
  readonly corpusResults: string;
  readonly doc: string;
  readonly check: boolean;
}

export type LabOptions =
  | RunOptions
  | MergeOptions
  | ReportOptions
  | FindingsOptions
  | { readonly command: 'help' };

export const DEFAULT_OUT = 'lab-results.json';
export const DEFAULT_DOC = 'docs/lab-findings.md';
export const DEFAULT_RESULTS = 'apps/lab/results/default.json';
export const DEFAULT_CORPUS_RESULTS = 'apps/lab/results/corpus.json';

/** Worker threads by default: one per core the process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** The corpus's trace names for `--help`, wrapped under the option's text. */
function corpusLine(): string {
  const names = corpusTraceNames();
  if (names.length === 0) return ' (no corpus here)';
  const indent = ' '.repeat(23);
  const lines: string[] = [];
  let line = `${indent}(corpus:`;
  for (const [index, name] of names.entries()) {
    const word = `${name}${index === names.length - 1 ? ')' : ','}`;
    if (line.length + 1 + word.length > 100) {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line += ` ${word}`;
    }
  }
  lines.push(line);
  return `\n${lines.join('\n')}`;
}

/** `--help`: every option, with its default. */
export function helpText(): string {
  return `vmars-lab: sweep thread-VMAR policies, their knobs, workloads, architectures and seeds

Usage:
  vmars-lab [run] [options]                 run a sweep (given by options or --spec)
  vmars-lab merge --out FILE FILE...        join the results of the shards of one sweep
  vmars-lab report RESULTS --html FILE      write the HTML report of a results file
  vmars-lab findings [--results FILE] [--corpus-results FILE] [--doc FILE] [--check]
                                            regenerate (or check) the findings doc's tables
                                            (default: ${DEFAULT_RESULTS},
                                            ${DEFAULT_CORPUS_RESULTS}, ${DEFAULT_DOC})

The sweep (each a comma-separated list; every combination runs at every seed):
  --spec FILE          a JSON sweep spec (groups of the lists below); excludes the options below
  --name NAME          the sweep's name (default: ${SWEEP_DEFAULTS.name})
  --policies LIST      ${NAMED_POLICY_NAMES.join(',')} (default: all)
  --workloads LIST     ${WORKLOAD_SUITE.map((workload) => workload.name).join(',')}
                       (default: ${SWEEP_DEFAULTS.workloads.join(',')})
                       or trace:NAME, the repository's corpus/NAME.jsonl.gz${corpusLine()}
  --trace FILE         a trace of your own (strace, perf or vmars-trace, plain or gzip), the
                       workload trace:NAME with NAME its base name without extensions; repeat it
                       or give a comma list. Added to --workloads (without it, the workloads are
                       the traces); with --spec, the spec must name it. A trace is one recorded
                       run: its seeds vary only the backend's ASLR
  --arch LIST          ${ARCHITECTURES.join(',')} (default: ${SWEEP_DEFAULTS.architectures.join(',')})
  --vmar-size LIST     compact VMAR sizes, e.g. 256MiB,1GiB,4GiB (default: ${SWEEP_DEFAULTS.vmarSize.join(',')})
  --probe-size LIST    probe sizes, e.g. 4MiB,32MiB (default: ${SWEEP_DEFAULTS.probeSize.join(',')})
  --align LIST         alignments of each compact VMAR, e.g. none,2MiB,1GiB, replacing each
                       policy's own (default: each policy's: 1GiB for aligned, none for the others)
  --keep-spare LIST    empty VMARs kept when releasing, e.g. never,0,1,4, replacing each policy's
                       own (default: each policy's: 1 for shrinking, never for the others)
  --seeds N            seeds per cell (default: ${String(SWEEP_DEFAULTS.seeds)}; headline comparisons want 20 or more)
  --first-seed N       the first seed (default: ${String(SWEEP_DEFAULTS.firstSeed)})
  --time-series LIST   workload:arch cells whose first seed keeps its samples (default: none)

Running it:
  --workers N          worker threads (default: ${String(defaultWorkers())}, the cores available); 0 runs in this thread
  --shard k/n          run only the k-th of n slices (default: the whole sweep); auto/n takes
                       k from JOB_COMPLETION_INDEX + 1 (a Kubernetes Indexed Job sets it)
  --out FILE           results JSON, rewritten as runs finish (default: ${DEFAULT_OUT})
  --csv FILE           results CSV, one row per run (default: the --out path with .csv)
  --html FILE          also write the HTML report (default: none)
  --resume             skip the runs already in --out (same sweep and shard)
  -h, --help           this text

Exit status: 0 done (failed runs are counted in the results), 1 an error, 2 a bad command line,
130 interrupted (the results file holds the runs that finished).
`;
}

/** A whole number of at least `minimum` (`--workers`, `--seeds`), or `fallback` when not given. */
function count(
  option: string,
  text: string | undefined,
  fallback: number,
  minimum: number,
): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < minimum || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(
      option,
      `expected a whole number of at least ${String(minimum)}, got ${JSON.stringify(text)}`,
    );
  }
  return Number(text);
}

/** A comma-separated list, its items trimmed; an empty item is refused. */
function splitList(option: string, text: string): string[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) {
    throw new UsageError(option, `empty item in the list ${JSON.stringify(text)}`);
  }
  return items;
}

/** `--time-series`' `workload:arch` cells; the last colon splits (trace:NAME:arch). */
function timeSeries(text: string): { workload: string; architecture: string }[] {
  return splitList('--time-series', text).map((entry) => {
    const colon = entry.lastIndexOf(':');
    const workload = entry.slice(0, colon);
    const architecture = entry.slice(colon + 1);
    if (
      colon <= 0 ||
      architecture === '' ||
      (workload.includes(':') && !workload.startsWith(TRACE_WORKLOAD_PREFIX))
    ) {
      throw new UsageError('--time-series', `expected workload:arch, got ${JSON.stringify(entry)}`);
    }
    return { workload, architecture };
  });
}

function csvPath(out: string, csv: string | undefined): string {
  return csv ?? (out.endsWith('.json') ? `${out.slice(0, -5)}.csv` : `${out}.csv`);
}

/** Parses the command line (without `node` and the script). Throws `UsageError`. */
export function parseLabOptions(argv: readonly string[]): LabOptions {
  const [first, ...rest] = argv;
  if (first === 'merge') return parseMerge(rest);
  if (first === 'report') return parseReport(rest);
  if (first === 'findings') return parseFindings(rest);
  return parseRun(first === 'run' ? rest : argv);
}

const RUN_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  spec: { type: 'string' },
  name: { type: 'string' },
  policies: { type: 'string' },
  workloads: { type: 'string' },
  trace: { type: 'string', multiple: true },
  arch: { type: 'string' },
  'vmar-size': { type: 'string' },
  'probe-size': { type: 'string' },
  align: { type: 'string' },
  'keep-spare': { type: 'string' },
  seeds: { type: 'string' },
  'first-seed': { type: 'string' },
  'time-series': { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  out: { type: 'string' },
  csv: { type: 'string' },
  html: { type: 'string' },
  resume: { type: 'boolean' },
} as const;

/** The sweep's options: each one's key in the raw spec, and how its text becomes the value. */
const SWEEP_OPTIONS: readonly (readonly [
  option: keyof typeof RUN_OPTIONS,
  key: string,
  convert: (value: string) => unknown,
])[] = [
  ['name', 'name', (value) => value],
  ['policies', 'policies', (value) => splitList('--policies', value)],
  ['workloads', 'workloads', (value) => splitList('--workloads', value)],
  ['arch', 'architectures', (value) => splitList('--arch', value)],
  ['vmar-size', 'vmarSize', (value) => splitList('--vmar-size', value)],
  ['probe-size', 'probeSize', (value) => splitList('--probe-size', value)],
  ['align', 'align', (value) => splitList('--align', value)],
  ['keep-spare', 'keepSpare', (value) => splitList('--keep-spare', value)],
  ['seeds', 'seeds', (value) => count('--seeds', value, 0, 1)],
  ['first-seed', 'firstSeed', (value) => count('--first-seed', value, 0, 0)],
  ['time-series', 'timeSeries', timeSeries],
];

function parseRun(argv: readonly string[]): LabOptions {
  const { values } = parseCommandLine(argv, { options: RUN_OPTIONS, usageError: UsageError });
  if (values.help === true) return { command: 'help' };
  const rawSpec: Record<string, unknown> = {};
  for (const [option, key, convert] of SWEEP_OPTIONS) {
    const value = values[option];
    if (typeof value !== 'string') continue;
    if (values.spec !== undefined) {
      throw new UsageError(`--${option}`, 'not with --spec (the spec file says it)');
    }
    rawSpec[key] = convert(value);
  }
  const traceFiles = (values.trace ?? []).flatMap((value) => splitList('--trace', value));
  if (traceFiles.length > 0 && values.spec === undefined) {
    // The traces join the workloads given, or are the workloads when none are.
    const given = (rawSpec.workloads as string[] | undefined) ?? [];
    rawSpec.workloads = [...new Set([...given, ...traceFiles.map(traceWorkloadOfFile)])];
  }
  const out = values.out ?? DEFAULT_OUT;
  return {
    command: 'run',
    specPath: values.spec,
    rawSpec,
    traceFiles,
    workers: count('--workers', values.workers, defaultWorkers(), 0),
    shard: values.shard === undefined ? null : parseShard(values.shard),
    out,
    csv: csvPath(out, values.csv),
    html: values.html,
    resume: values.resume === true,
  };
}

/** `--trace FILE`'s workload, `trace:` and the file's base name without extensions. */
function traceWorkloadOfFile(file: string): string {
  const name = traceNameOfFile(file);
  if (name === undefined) {
    throw new UsageError(
      undefined,
      `--trace ${file}: its base name without extensions is not a trace name (letters, digits, "_", ".", "+", "-"); rename the file`,
    );
  }
  return `${TRACE_WORKLOAD_PREFIX}${name}`;
}

function parseMerge(argv: readonly string[]): LabOptions {
  const { values, positionals } = parseCommandLine(argv, {
    options: {
      help: { type: 'boolean', short: 'h' },
      out: { type: 'string' },
      csv: { type: 'string' },
      html: { type: 'string' },
    },
    usageError: UsageError,
    command: 'merge',
    positionals: true,
  });
  if (values.help === true) return { command: 'help' };
  if (positionals.length === 0) {
    throw new UsageError(undefined, 'merge: give the results files to merge');
  }
  if (values.out === undefined) throw new UsageError(undefined, 'merge: --out FILE is required');
  return {
    command: 'merge',
    inputs: positionals,
    out: values.out,
    csv: csvPath(values.out, values.csv),
    html: values.html,
  };
}

function parseReport(argv: readonly string[]): LabOptions {
  const { values, positionals } = parseCommandLine(argv, {
    options: { help: { type: 'boolean', short: 'h' }, html: { type: 'string' } },
    usageError: UsageError,
    command: 'report',
    positionals: true,
  });
  if (values.help === true) return { command: 'help' };
  const [input, ...others] = positionals;
  if (input === undefined || others.length > 0) {
    throw new UsageError(undefined, 'report: give one results file');
  }
  if (values.html === undefined) throw new UsageError(undefined, 'report: --html FILE is required');
  return { command: 'report', input, html: values.html };
}

function parseFindings(argv: readonly string[]): LabOptions {
  const { values } = parseCommandLine(argv, {
    options: {
      help: { type: 'boolean', short: 'h' },
      results: { type: 'string' },
      'corpus-results': { type: 'string' },
      doc: { type: 'string' },
      check: { type: 'boolean' },
    },
    usageError: UsageError,
    command: 'findings',
  });
  if (values.help === true) return { command: 'help' };
  return {
    command: 'findings',
    results: values.results ?? DEFAULT_RESULTS,
    corpusResults: values['corpus-results'] ?? DEFAULT_CORPUS_RESULTS,
    doc: values.doc ?? DEFAULT_DOC,
    check: values.check === true,
  };
}
