import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { AddressSpaceBackend } from '@vmars/address-space';
import { fuchsiaBackend } from '@vmars/backend-fuchsia';
import { memoryBackend } from '@vmars/backend-memory';
import { ProgressBar } from '@vmars/cli-support';
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

/** The streams the CLI writes to; `process.stdout` / `process.stderr`, or captures in tests. */
export interface DemoIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: {
    write(text: string): unknown;
    readonly isTTY?: boolean;
    readonly columns?: number;
  };
}

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

/** Exit statuses: 0 success, 1 the run could not be done, 2 a bad command line. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

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
 * prints, and resolves to the exit status. Never rejects; errors become one or two lines on
 * stderr.
 */
export async function main(
  argv: readonly string[],
  io: DemoIo,
  dependencies: DemoDependencies = {},
): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoOptions(argv);
  } catch (error) {
    if (UsageError.isInstance(error)) {
      io.stderr.write(`vmars-demo: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
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
      if (!LinuxCheckError.isInstance(error)) throw error;
      io.stderr.write(`vmars-demo: --check-linux: ${error.message}\n`);
      return EXIT_USAGE;
    }
  }

  let traceWorkload: TraceWorkload | undefined;
  if (options.trace !== undefined) {
    const path = options.trace;
    try {
      const trace = await (dependencies.readTrace ?? readTraceFile)(path);
      traceWorkload = workloadFromTrace(trace, { name: basename(path) });
    } catch (error) {
      // A missing, unreadable or malformed trace is a bad command line: one line naming the file
      // (a TraceError names its line, and the file when the reader was told it).
      io.stderr.write(`vmars-demo: ${traceErrorLine(path, error)}\n`);
      return EXIT_USAGE;
    }
  }

  const makeBackend = dependencies.makeBackend ?? defaultBackend;
  const now = dependencies.now ?? (() => performance.now());
  const writeFile = dependencies.writeFile ?? ((path, text) => writeFileSync(path, text, 'utf8'));
  const jsonToStdout = options.json === JSON_TO_STDOUT;
  try {
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
      !jsonToStdout && io.stderr.isTTY === true
        ? new ProgressBar(io.stderr, 'vmars-demo', { now })
        : undefined;
    // Only the HTML page's time slider needs the blocks of every sample; the report keeps the peak's.
    const recorder = options.html === undefined ? undefined : new SampleRecorder();
    let report: DemoReport = {
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
    const elapsed = now() - started;
    if (options.checkLinux) {
      try {
        report = { ...report, linuxCheck: await checkLinux(report, dependencies.linuxCheck) };
      } catch (error) {
        if (!LinuxCheckError.isInstance(error)) throw error;
        // What this machine cannot hold, or a report it cannot replay, is the command line's
        // business (exit 2); a child that failed is the run's (exit 1).
        io.stderr.write(`vmars-demo: --check-linux: ${error.message}\n`);
        return error.code === 'CHILD_FAILED' ? EXIT_FAILURE : EXIT_USAGE;
      }
    }

    if (options.html !== undefined) writeFile(options.html, renderHtml(report, recorder));
    const json = options.json === undefined ? '' : `${JSON.stringify(report, null, 2)}\n`;
    if (options.json !== undefined && !jsonToStdout) writeFile(options.json, json);
    if (jsonToStdout) {
      io.stdout.write(json);
    } else {
      io.stdout.write(renderTable(report, elapsed));
      if (options.json !== undefined) io.stdout.write(`JSON report written to ${options.json}\n`);
      if (options.html !== undefined) io.stdout.write(`HTML report written to ${options.html}\n`);
    }
    return EXIT_OK;
  } catch (error) {
    if (WorkloadError.isInstance(error) && error.code === 'INVALID_OPTION') {
      // The command line passed the app's checks but not the engine's: still a bad command line.
      io.stderr.write(`vmars-demo: ${describeError(error)}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`vmars-demo: ${describeError(error)}\n`);
    return EXIT_FAILURE;
  }
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

/** At most two lines of an error's message, never its stack. */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(0, 2).join('\n') || 'unknown error';
}
