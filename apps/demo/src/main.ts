import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { AddressSpaceBackend } from '@vmars/address-space';
import { fuchsiaBackend } from '@vmars/backend-fuchsia';
import { memoryBackend } from '@vmars/backend-memory';
import { type CliIo, EXIT_OK, ProgressBar, reportError } from '@vmars/cli-support';
import {
  assertLinuxCheckSupported,
  checkLinux,
  LinuxCheckError,
  type LinuxCheckOptions,
} from '@vmars/linux-page-tables';
import { type Trace, TraceError } from '@vmars/thread-traces';
import {
  runWorkload,
  type TraceWorkload,
  WorkloadError,
  workloadFromTrace,
} from '@vmars/thread-workload';
import { type DemoOptions, helpText, JSON_TO_STDOUT, parseDemoOptions } from './cli-options.js';
import type { DemoReport } from './demo-report.js';
import { renderHtml } from './render-html.js';
import { renderTable } from './render-table.js';
import { SampleRecorder } from './sample-frames.js';
import { UsageError } from './usage-error.js';

/** What `main` does to the world, replaceable in tests. */
export interface DemoDependencies {
  /** Makes a fresh backend for one policy's run. */
  readonly makeBackend?: (options: DemoOptions) => AddressSpaceBackend;
  readonly writeFile?: (path: string, text: string) => void;
  readonly now?: () => number;
  /** Reads `--trace`'s file (any format the trace package reads, plain or gzip). */
  readonly readTrace?: (path: string) => Promise<Trace>;
  /** `--check-linux`'s options (tests pass a `host` to play another machine). */
  readonly linuxCheck?: LinuxCheckOptions;
}

/**
 * The app picks its backend here and nowhere else. Memory: the Starnix shared region (§6.2), so
 * that compact VMARs come out of the region Starnix's own come from.
 */
export function defaultBackend(options: DemoOptions): AddressSpaceBackend {
  return options.backend === 'fuchsia'
    ? fuchsiaBackend()
    : memoryBackend({ arch: options.architecture, region: 'shared', seed: options.seed });
}

/**
 * The CLI: parses `argv` (without `node` and the script), reads the trace (`--trace`), runs,
 * prints, and resolves to the exit status. Never rejects: a bad command line or input is one
 * line on stderr and status 2, any other error at most two lines and status 1.
 */
export async function main(
  argv: readonly string[],
  io: CliIo,
  dependencies: DemoDependencies = {},
): Promise<number> {
  try {
    const options = parseDemoOptions(argv);
    for (const note of options.notes) io.stderr.write(`vmars-demo: note: ${note}\n`);
    if (options.help) {
      io.stdout.write(helpText());
      return EXIT_OK;
    }
    if (options.checkLinux) {
      // Before the run: a machine that cannot check, or an --arch that is not its own, fails fast.
      try {
        assertLinuxCheckSupported(options.architecture, dependencies.linuxCheck?.host);
      } catch (error) {
        throw linuxCheckProblem(error);
      }
    }
    const traceWorkload = await loadTrace(options, dependencies);
    const run = runPolicies(options, traceWorkload, io, dependencies);
    if (options.checkLinux) {
      try {
        run.report = {
          ...run.report,
          linuxCheck: await checkLinux(run.report, dependencies.linuxCheck),
        };
      } catch (error) {
        throw linuxCheckProblem(error);
      }
    }
    writeReports(options, run, io, dependencies);
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error, { program: 'vmars-demo', isUsage, failureLines: 2 });
  }
}

/**
 * A bad command line, an unusable trace, or options the engine refuses although they passed the
 * app's checks: the user's to fix (status 2).
 */
function isUsage(error: unknown): boolean {
  return (
    UsageError.isInstance(error) ||
    (WorkloadError.isInstance(error) && error.code === 'INVALID_OPTION')
  );
}

/**
 * `--check-linux`'s refusal: what this machine cannot hold, or a report it cannot replay, is the
 * command line's business (a `UsageError`, status 2); a child that failed is the run's (status 1).
 */
function linuxCheckProblem(error: unknown): unknown {
  if (!LinuxCheckError.isInstance(error)) return error;
  return error.code === 'CHILD_FAILED'
    ? new Error(`--check-linux: ${error.message}`, { cause: error })
    : new UsageError('--check-linux', error.message, { cause: error });
}

/**
 * `--trace`'s workload, or `undefined` without one. A missing, unreadable or malformed trace is
 * a bad command line: one line naming the file (a TraceError names its line, and the file when
 * the reader was told it).
 */
async function loadTrace(
  options: DemoOptions,
  dependencies: DemoDependencies,
): Promise<TraceWorkload | undefined> {
  const path = options.trace;
  if (path === undefined) return undefined;
  try {
    const trace = await (dependencies.readTrace ?? readTraceFile)(path);
    return workloadFromTrace(trace, { name: basename(path) });
  } catch (error) {
    throw new UsageError(undefined, traceErrorLine(path, error), { cause: error });
  }
}

/** One run of every policy, and what the reports are made of. */
interface DemoRun {
  report: DemoReport;
  readonly recorder: SampleRecorder | undefined;
  /** Milliseconds the policies took. */
  readonly elapsed: number;
}

function runPolicies(
  options: DemoOptions,
  traceWorkload: TraceWorkload | undefined,
  io: CliIo,
  dependencies: DemoDependencies,
): DemoRun {
  const makeBackend = dependencies.makeBackend ?? defaultBackend;
  const now = dependencies.now ?? (() => performance.now());
  // The first backend is made up front so that an unusable one (fuchsia off Fuchsia) fails
  // before any work; it serves the first policy, and each later policy gets a fresh one.
  let unused: AddressSpaceBackend | undefined = makeBackend(options);
  const nextBackend = (): AddressSpaceBackend => {
    const backend = unused ?? makeBackend(options);
    unused = undefined;
    return backend;
  };
  const started = now();
  const progress =
    options.json !== JSON_TO_STDOUT && io.stderr.isTTY === true
      ? new ProgressBar(io.stderr, 'vmars-demo', { now })
      : undefined;
  // Only the HTML page's time slider needs the blocks of every sample; the report keeps the peak's.
  const recorder = options.html === undefined ? undefined : new SampleRecorder();
  const report: DemoReport = {
    tool: 'vmars-demo',
    ...runWorkload({
      backend: nextBackend,
      policies: options.policies,
      architecture: options.architecture,
      ...(traceWorkload === undefined
        ? { threads: options.threads, peak: options.peak, pattern: options.pattern }
        : { workload: traceWorkload }),
      stackSize: options.stackSize,
      tlsSize: options.tlsSize,
      vmarSize: options.vmarSize,
      probeSize: options.probeSize,
      seed: options.seed,
      touched: options.touched,
      samples: options.samples,
      ...(progress && { onProgress: (done, total) => progress.update(done, total) }),
      ...(recorder && { onSample: recorder.listener }),
    }),
  };
  progress?.finish();
  return { report, recorder, elapsed: now() - started };
}

/** The table (or the JSON on stdout), and the `--json` and `--html` files. */
function writeReports(
  options: DemoOptions,
  run: DemoRun,
  io: CliIo,
  dependencies: DemoDependencies,
): void {
  const writeFile = dependencies.writeFile ?? ((path, text) => writeFileSync(path, text, 'utf8'));
  const { report } = run;
  if (options.html !== undefined) writeFile(options.html, renderHtml(report, run.recorder));
  const json = options.json === undefined ? '' : `${JSON.stringify(report, null, 2)}\n`;
  if (options.json === JSON_TO_STDOUT) {
    io.stdout.write(json);
    return;
  }
  if (options.json !== undefined) writeFile(options.json, json);
  io.stdout.write(renderTable(report, run.elapsed));
  if (options.json !== undefined) io.stdout.write(`JSON report written to ${options.json}\n`);
  if (options.html !== undefined) io.stdout.write(`HTML report written to ${options.html}\n`);
}

/** The trace package's file reader, loaded only when a run replays a trace. */
async function readTraceFile(path: string): Promise<Trace> {
  const node = await import('@vmars/thread-traces/node');
  return node.readTraceFile(path);
}

/** One line: the trace file, and what was wrong with it (its first line only). */
function traceErrorLine(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  const named =
    (TraceError.isInstance(error) && error.file !== undefined) || first.startsWith(`${path}:`);
  return named ? first : `${path}: ${first}`;
}
