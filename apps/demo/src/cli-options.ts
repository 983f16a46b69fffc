import { PAGE_SIZE } from '@vmars/address-space';
import {
  formatByteSize,
  type ParsedCommandLine,
  parseByteSize,
  parseCommandLine,
} from '@vmars/cli-support';
import {
  ARCHITECTURES,
  CHURN_PATTERNS,
  type ChurnPattern,
  MAX_SAMPLES,
  MAX_THREADS,
  type NamedPolicyName,
  type RunWorkloadOptions,
  STACK_TOP_TOUCHED_PAGES,
  TOUCHED_PAGES,
  WORKLOAD_DEFAULTS,
} from '@vmars/thread-workload';
import { UsageError } from './usage-error.js';

/**
 * The named policies the demo runs (its report draws these two); the lab runs every one. Both
 * apps spell the option `--policies`.
 */
export const DEMO_POLICIES = ['compact', 'root'] as const satisfies readonly NamedPolicyName[];
export type DemoPolicyName = (typeof DEMO_POLICIES)[number];

/** Old option spellings the demo still takes, and the preferred ones it names when they are used. */
export const OLD_SPELLINGS: Readonly<Record<string, string>> = { policy: 'policies' };

export type BackendName = 'memory' | 'fuchsia';
export const BACKEND_NAMES: readonly BackendName[] = ['memory', 'fuchsia'];

/**
 * The engine's options the demo passes on as they are (`RunWorkloadOptions`' names and types),
 * each given a value.
 */
type EngineOptions = Required<
  Pick<
    RunWorkloadOptions,
    | 'architecture'
    | 'threads'
    | 'peak'
    | 'stackSize'
    | 'tlsSize'
    | 'vmarSize'
    | 'probeSize'
    | 'seed'
    | 'touched'
    | 'samples'
  >
>;

/** The parsed command line. */
export interface DemoOptions extends EngineOptions {
  readonly help: boolean;
  readonly backend: BackendName;
  readonly policies: readonly DemoPolicyName[];
  /**
   * `--trace FILE`: replay a recorded program's tasks instead of generating a workload; then
   * `threads`, `peak` and `pattern` are their defaults and unused.
   */
  readonly trace: string | undefined;
  /** The generated workload's pattern: one of the churn patterns (the suite adds its own). */
  readonly pattern: ChurnPattern;
  /** `--json`: `'-'` prints the JSON on stdout instead of the table; a path writes it there. */
  readonly json: string | undefined;
  readonly html: string | undefined;
  /** `--check-linux`: replay each policy's peak in a Linux process and read the kernel's tables. */
  readonly checkLinux: boolean;
  /** One line per old option spelling used (`--policy`), naming the preferred one. */
  readonly notes: readonly string[];
}

/** The defaults, also what `--help` prints: the engine's (`WORKLOAD_DEFAULTS`), and the app's. */
export const DEFAULTS = {
  backend: 'memory' as BackendName,
  architecture: WORKLOAD_DEFAULTS.architecture,
  policies: 'both',
  threads: WORKLOAD_DEFAULTS.threads,
  peak: WORKLOAD_DEFAULTS.peak,
  pattern: WORKLOAD_DEFAULTS.pattern,
  stackSize: WORKLOAD_DEFAULTS.stackSize,
  tlsSize: WORKLOAD_DEFAULTS.tlsSize,
  // The seed's VMAR_SIZE and PROBE_SIZE (§8).
  vmarSize: WORKLOAD_DEFAULTS.vmarSize,
  probeSize: WORKLOAD_DEFAULTS.probeSize,
  seed: WORKLOAD_DEFAULTS.seed,
  touched: WORKLOAD_DEFAULTS.touched,
  samples: WORKLOAD_DEFAULTS.samples,
} as const;

/** What `--json` alone, or `--json -`, means: the JSON on stdout. */
export const JSON_TO_STDOUT = '-';

const optionConfig = {
  help: { type: 'boolean', short: 'h' },
  backend: { type: 'string' },
  arch: { type: 'string' },
  policies: { type: 'string' },
  threads: { type: 'string' },
  peak: { type: 'string' },
  pattern: { type: 'string' },
  trace: { type: 'string' },
  'stack-size': { type: 'string' },
  'tls-size': { type: 'string' },
  'vmar-size': { type: 'string' },
  'probe-size': { type: 'string' },
  seed: { type: 'string' },
  touched: { type: 'string' },
  samples: { type: 'string' },
  json: { type: 'string' },
  html: { type: 'string' },
  'check-linux': { type: 'boolean' },
} as const;

/** The `--help` text. */
export function helpText(): string {
  const size = formatByteSize;
  return `vmars-demo: runs a Starnix-like thread workload on a vmars backend and reports what each
policy did to the address space: compact VMARs from ThreadCreateVmars, or every thread's stacks
and thread block straight from the root VMAR (ASLR), side by side.

Usage: vmars-demo [options]

Options:
  --backend memory|fuchsia   backend (default: ${DEFAULTS.backend}); memory emulates Zircon on the
                             Starnix shared region; fuchsia needs a Fuchsia host
  --arch ${ARCHITECTURES.join('|')}
                             architecture: address-space layout and page tables (default: ${DEFAULTS.architecture})
  --policies LIST            compact,root or both: the policies to run (default: ${DEFAULTS.policies});
                             --policy, the old spelling, still works
  --threads N                thread lifecycles in all (default: ${String(DEFAULTS.threads)})
  --peak N                   most threads alive at once, at most --threads
                             (default: ${String(DEFAULTS.peak)}, or --threads if smaller)
  --pattern ${CHURN_PATTERNS.join('|')}
                             how threads come and go (default: ${DEFAULTS.pattern})
  --trace FILE               replay a recorded program's tasks (a vmars-trace, strace or perf
                             file, plain or gzipped) instead of --threads, --peak and --pattern;
                             each task is one thread lifecycle, and --seed reaches only the
                             backend's ASLR (a trace is one realization)
  --stack-size SIZE          machine stack, and security stack, per thread (default: ${size(DEFAULTS.stackSize)})
  --tls-size SIZE            static TLS per thread, any number of bytes; the thread block is TLS
                             plus the thread struct (2KiB, estimated) rounded up to pages
                             (default: ${size(DEFAULTS.tlsSize)})
  --vmar-size SIZE           size of each compact VMAR (default: ${size(DEFAULTS.vmarSize)})
  --probe-size SIZE          size each compact VMAR is probed with, at most --vmar-size
                             (default: ${size(DEFAULTS.probeSize)})
  --seed N                   seed of the workload and of the backend's ASLR, 0 to 4294967295
                             (default: ${String(DEFAULTS.seed)})
  --touched all|stack-top    pages counted as touched for page tables: all mapped pages, or
                             only the thread block and the ${String(STACK_TOP_TOUCHED_PAGES)} pages at each stack's start
                             (default: ${DEFAULTS.touched})
  --samples N                times the address space is read over the run, besides the peak
                             and the end (default: ${String(DEFAULTS.samples)})
  --json [FILE]              write the report as JSON to FILE, or, with no FILE (or -), print
                             it on stdout instead of the table (no progress bar)
  --html FILE                also write a self-contained HTML page with an address-space map
                             and charts of VMARs and page-table pages over time
  --check-linux              also replay each policy's peak in a fresh Linux process (every
                             block at its own address, the touched pages written) and print the
                             kernel's page-table pages (VmPTE) beside the model's; x86-64 or
                             arm64 Linux with 4 KiB pages, --arch the machine's
  -h, --help                 print this help

SIZE is a whole number of bytes with an optional unit: 4096, 4KiB, 32MiB, 1GiB. Sizes must be
positive multiples of the page size (${size(PAGE_SIZE)}).

Exit status: 0 done; 1 the run could not be done (for example --backend fuchsia off Fuchsia);
2 a bad command line, or --check-linux cannot check this run on this machine.
`;
}

/**
 * Parses the command line (without `node` and the script). Throws `UsageError` for an unknown
 * option or a bad value; the message names the option and the value.
 */
export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  const { values, notes } = parseCommandLine(argv, {
    options: optionConfig,
    usageError: UsageError,
    // `--json` alone prints on stdout: its FILE is optional.
    optionalValues: { json: JSON_TO_STDOUT },
    oldSpellings: OLD_SPELLINGS,
  });
  const trace = traceOption(values);
  const { threads, peak } = threadsAndPeak(values);
  const { vmarSize, probeSize } = vmarAndProbeSizes(values);
  return {
    help: values.help === true,
    backend: choiceOption('--backend', values.backend, BACKEND_NAMES, DEFAULTS.backend),
    architecture: choiceOption('--arch', values.arch, ARCHITECTURES, DEFAULTS.architecture),
    policies: policiesOption(values.policies ?? DEFAULTS.policies),
    trace,
    threads,
    peak,
    pattern: choiceOption('--pattern', values.pattern, CHURN_PATTERNS, DEFAULTS.pattern),
    stackSize: sizeOption('--stack-size', values['stack-size'], DEFAULTS.stackSize),
    tlsSize: byteCountOption('--tls-size', values['tls-size'], DEFAULTS.tlsSize),
    vmarSize,
    probeSize,
    seed: integerOption('--seed', values.seed, DEFAULTS.seed, 0, 2 ** 32 - 1),
    touched: choiceOption('--touched', values.touched, TOUCHED_PAGES, DEFAULTS.touched),
    samples: integerOption('--samples', values.samples, DEFAULTS.samples, 1, MAX_SAMPLES),
    json: fileOption('--json', values.json),
    html: fileOption('--html', values.html),
    checkLinux: values['check-linux'] === true,
    notes,
  };
}

type OptionValues = ParsedCommandLine<typeof optionConfig>['values'];

/** `--trace FILE`, which excludes the options of a generated workload. */
function traceOption(values: OptionValues): string | undefined {
  const trace = fileOption('--trace', values.trace);
  if (trace === undefined) return undefined;
  for (const option of ['threads', 'peak', 'pattern'] as const) {
    if (values[option] !== undefined) {
      throw new UsageError(
        '--trace',
        `cannot be given with --${option}: a trace's tasks are its workload`,
      );
    }
  }
  return trace;
}

/** `--threads` and `--peak`; the default peak is at most the threads. */
function threadsAndPeak(values: OptionValues): { threads: number; peak: number } {
  const threads = integerOption('--threads', values.threads, DEFAULTS.threads, 1, MAX_THREADS);
  const peak = integerOption(
    '--peak',
    values.peak,
    Math.min(DEFAULTS.peak, threads),
    1,
    MAX_THREADS,
  );
  if (peak > threads) {
    throw new UsageError(
      '--peak',
      `must not exceed --threads (${String(threads)}), got "${String(values.peak)}"`,
    );
  }
  return { threads, peak };
}

/** `--vmar-size` and `--probe-size`: a VMAR holds its probe; the option given is named. */
function vmarAndProbeSizes(values: OptionValues): { vmarSize: number; probeSize: number } {
  const vmarSize = sizeOption('--vmar-size', values['vmar-size'], DEFAULTS.vmarSize);
  const probeSize = sizeOption('--probe-size', values['probe-size'], DEFAULTS.probeSize);
  if (vmarSize < probeSize) {
    const [option, text] =
      values['vmar-size'] !== undefined
        ? ['--vmar-size', values['vmar-size']]
        : ['--probe-size', values['probe-size'] ?? ''];
    throw new UsageError(
      option,
      `--vmar-size must be at least --probe-size (${formatByteSize(vmarSize)} < ${formatByteSize(probeSize)}), got "${text}"`,
    );
  }
  return { vmarSize, probeSize };
}

/** `--policies`: `both`, or a list of the demo's policies (`compact,root`, `root`). */
function policiesOption(text: string): readonly DemoPolicyName[] {
  if (text === 'both') return DEMO_POLICIES;
  const names = text.split(',').map((name) => name.trim());
  const chosen: DemoPolicyName[] = [];
  for (const name of names) {
    if (!(DEMO_POLICIES as readonly string[]).includes(name)) {
      throw new UsageError(
        '--policies',
        `expected ${DEMO_POLICIES.join(', ')} or both, or a list of them (compact,root), got ${JSON.stringify(text)}`,
      );
    }
    if (chosen.includes(name as DemoPolicyName)) {
      throw new UsageError('--policies', `lists "${name}" twice, got ${JSON.stringify(text)}`);
    }
    chosen.push(name as DemoPolicyName);
  }
  return chosen;
}

function integerOption(
  option: string,
  text: string | undefined,
  fallback: number,
  minimum: number,
  maximum: number,
): number {
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
    const expected =
      minimum === 1 && maximum === MAX_THREADS
        ? 'a positive integer'
        : `an integer from ${String(minimum)} to ${String(maximum)}`;
    throw new UsageError(option, `expected ${expected}, got "${text}"`);
  }
  return value;
}

function sizeOption(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = parseByteSize(text);
  if (value === undefined || value <= 0 || value % PAGE_SIZE !== 0) {
    throw new UsageError(
      option,
      `expected a positive multiple of the page size (${formatByteSize(PAGE_SIZE)}) such as 4KiB, 2MiB or 1GiB, got "${text}"`,
    );
  }
  return value;
}

/** A byte count that libc rounds itself (TLS): any whole number of bytes, 0 included. */
function byteCountOption(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = parseByteSize(text);
  if (value === undefined) {
    throw new UsageError(
      option,
      `expected a whole number of bytes such as 0, 1024, 1KiB or 64KiB, got "${text}"`,
    );
  }
  return value;
}

function choiceOption<const Choice extends string>(
  option: string,
  text: string | undefined,
  choices: readonly Choice[],
  fallback: Choice,
): Choice {
  if (text === undefined) return fallback;
  if ((choices as readonly string[]).includes(text)) return text as Choice;
  throw new UsageError(option, `expected one of ${choices.join(', ')}, got "${text}"`);
}

function fileOption(option: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === '') throw new UsageError(option, `expected a file name, got "${text}"`);
  return text;
}
