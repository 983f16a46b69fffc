import { availableParallelism } from 'node:os';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { unknownOptionMessage } from '@vmars/cli-support';
import { ARCHITECTURES, NAMED_POLICY_NAMES, WORKLOAD_SUITE } from '@vmars/thread-workload';
import { parseShard, type Shard, SWEEP_DEFAULTS } from './sweep-spec.js';
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

function fail(message: string): never {
  throw new UsageError(undefined, message);
}

function count(
  option: string,
  text: string | undefined,
  fallback: number,
  minimum: number,
): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < minimum || !Number.isSafeInteger(Number(text))) {
    fail(
      `${option}: expected a whole number of at least ${String(minimum)}, got ${JSON.stringify(text)}`,
    );
  }
  return Number(text);
}

function splitList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) fail(`empty item in the list ${JSON.stringify(text)}`);
  return items;
}

function parse(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({
      args: joinDashValues(argv, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // Node's message names the option ("Unknown option '--bogus'"): answer with the nearest known
    // one, as the demo does; any other parse error, its first line.
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) fail(unknownOptionMessage(unknown, Object.keys(options)));
    fail(message.split('\n')[0] ?? 'bad option');
  }
}

/**
 * `--workers -1` as `--workers=-1`: Node's parser takes a value that starts with a dash for an
 * option and refuses it as "ambiguous", where the lab's own check says what the option wants.
 * Only a value that is not itself one of `options` is joined.
 */
function joinDashValues(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
): string[] {
  const isOption = (word: string): boolean =>
    word.startsWith('--') && Object.hasOwn(options, word.slice(2).split('=')[0] ?? '');
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] as string;
    const next = argv[index + 1];
    const takesValue =
      word.startsWith('--') && !word.includes('=') && options[word.slice(2)]?.type === 'string';
    if (takesValue && next?.startsWith('-') && !isOption(next) && next !== '-h') {
      joined.push(`${word}=${next}`);
      index += 1;
    } else {
      joined.push(word);
    }
  }
  return joined;
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

function parseRun(argv: readonly string[]): LabOptions {
  const { values, positionals } = parse(argv, {
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
  });
  if (values.help === true) return { command: 'help' };
  if (positionals.length > 0) fail(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const rawSpec: Record<string, unknown> = {};
  const sweepOptions: [string, string, (value: string) => unknown][] = [
    ['name', 'name', (value) => value],
    ['policies', 'policies', splitList],
    ['workloads', 'workloads', splitList],
    ['arch', 'architectures', splitList],
    ['vmar-size', 'vmarSize', splitList],
    ['probe-size', 'probeSize', splitList],
    ['align', 'align', splitList],
    ['keep-spare', 'keepSpare', splitList],
    ['seeds', 'seeds', (value) => count('--seeds', value, 0, 1)],
    ['first-seed', 'firstSeed', (value) => count('--first-seed', value, 0, 0)],
    [
      'time-series',
      'timeSeries',
      (value) =>
        (splitList(value) ?? []).map((entry) => {
          // The last colon: a trace workload's name holds one (trace:NAME:arch).
          const colon = entry.lastIndexOf(':');
          const workload = entry.slice(0, colon);
          const architecture = entry.slice(colon + 1);
          if (
            colon <= 0 ||
            architecture === '' ||
            (workload.includes(':') && !workload.startsWith(TRACE_WORKLOAD_PREFIX))
          ) {
            fail(`--time-series: expected workload:arch, got ${JSON.stringify(entry)}`);
          }
          return { workload, architecture };
        }),
    ],
  ];
  for (const [option, key, convert] of sweepOptions) {
    const value = text(option);
    if (value === undefined) continue;
    if (text('spec') !== undefined) fail(`--${option}: not with --spec (the spec file says it)`);
    rawSpec[key] = convert(value);
  }
  const traceFiles = ((values.trace as string[] | undefined) ?? []).flatMap(
    (value) => splitList(value) ?? [],
  );
  if (traceFiles.length > 0 && text('spec') === undefined) {
    // The traces join the workloads given, or are the workloads when none are.
    const given = (rawSpec.workloads as string[] | undefined) ?? [];
    const traceWorkloads = traceFiles.map((file) => {
      const name = traceNameOfFile(file);
      if (name === undefined) {
        fail(
          `--trace ${file}: its base name without extensions is not a trace name (letters, digits, "_", ".", "+", "-"); rename the file`,
        );
      }
      return `${TRACE_WORKLOAD_PREFIX}${name}`;
    });
    rawSpec.workloads = [...new Set([...given, ...traceWorkloads])];
  }
  const out = text('out') ?? DEFAULT_OUT;
  return {
    command: 'run',
    specPath: text('spec'),
    rawSpec,
    traceFiles,
    workers: count('--workers', text('workers'), defaultWorkers(), 0),
    shard: text('shard') === undefined ? null : parseShard(text('shard') as string),
    out,
    csv: csvPath(out, text('csv')),
    html: text('html'),
    resume: values.resume === true,
  };
}

function parseMerge(argv: readonly string[]): LabOptions {
  const { values, positionals } = parse(argv, {
    help: { type: 'boolean', short: 'h' },
    out: { type: 'string' },
    csv: { type: 'string' },
    html: { type: 'string' },
  });
  if (values.help === true) return { command: 'help' };
  if (positionals.length === 0) fail('merge: give the results files to merge');
  const out = (values.out as string | undefined) ?? fail('merge: --out FILE is required');
  return {
    command: 'merge',
    inputs: positionals,
    out,
    csv: csvPath(out, values.csv as string | undefined),
    html: values.html as string | undefined,
  };
}

function parseReport(argv: readonly string[]): LabOptions {
  const { values, positionals } = parse(argv, {
    help: { type: 'boolean', short: 'h' },
    html: { type: 'string' },
  });
  if (values.help === true) return { command: 'help' };
  if (positionals.length !== 1) fail('report: give one results file');
  const html = (values.html as string | undefined) ?? fail('report: --html FILE is required');
  return { command: 'report', input: positionals[0] as string, html };
}

function parseFindings(argv: readonly string[]): LabOptions {
  const { values, positionals } = parse(argv, {
    help: { type: 'boolean', short: 'h' },
    results: { type: 'string' },
    'corpus-results': { type: 'string' },
    doc: { type: 'string' },
    check: { type: 'boolean' },
  });
  if (values.help === true) return { command: 'help' };
  if (positionals.length > 0)
    fail(`findings: unexpected argument ${JSON.stringify(positionals[0])}`);
  return {
    command: 'findings',
    results: (values.results as string | undefined) ?? DEFAULT_RESULTS,
    corpusResults: (values['corpus-results'] as string | undefined) ?? DEFAULT_CORPUS_RESULTS,
    doc: (values.doc as string | undefined) ?? DEFAULT_DOC,
    check: values.check === true,
  };
}
