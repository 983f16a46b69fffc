import { type CliIo, EXIT_OK, reportError } from '@vmars/cli-support';
import { type Trace, TraceError, type TraceHeader, traceStats } from '@vmars/thread-traces';
import { readStraceParts, readTraceFile } from '@vmars/thread-traces/node';
import {
  type ConvertOptions,
  helpText,
  parseTraceOptions,
  type RecordOptions,
  type StatsOptions,
} from './cli-options.js';
import { checkOutputPath, writeOutput } from './output-file.js';
import { commandLine, describeStatus, recordTrace } from './record.js';
import {
  type FileStats,
  renderStatsJson,
  renderStatsMarkdown,
  renderStatsTable,
} from './render-stats.js';
import { findStraceParts } from './strace-parts.js';
import { UsageError } from './usage-error.js';

/** What `main` takes from the world, replaceable in tests. */
export interface TraceDependencies {
  /** Where `record` looks for strace and the command (default: `process.env.PATH`). */
  readonly path?: string | undefined;
  /** The clock for `record`'s date (default: `Date.now`). */
  readonly now?: () => number;
}

/**
 * The CLI: parses `argv` (without `node` and the script), does the command, returns the exit
 * status (`record`: the traced command's). Never throws: an error is one line on stderr,
 * `vmars-trace: <message>`, and nothing is left at `--out`.
 */
export async function main(
  argv: readonly string[],
  io: CliIo,
  dependencies: TraceDependencies = {},
): Promise<number> {
  try {
    const options = parseTraceOptions(argv);
    switch (options.command) {
      case 'help':
        io.stdout.write(helpText(options.topic));
        return EXIT_OK;
      case 'record':
        return await record(options, io, dependencies);
      case 'convert':
        return await convert(options, io);
      case 'stats':
        return await stats(options, io);
    }
  } catch (error) {
    return reportError(io, error, { program: 'vmars-trace', isUsage: isBadInput });
  }
}

/** Runs `work`, naming `file` in a `TraceError` that names none (`traceStats`' own). */
function inFile<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (TraceError.isInstance(error) && error.file === undefined) {
      throw new TraceError(error.code, error.message, { file, cause: error });
    }
    throw error;
  }
}

/** A bad command line, or a trace that is not one or cannot be read: the user's to fix. */
function isBadInput(error: unknown): boolean {
  return UsageError.isInstance(error) || TraceError.isInstance(error);
}

/** `header` with the command, date and notes given on the command line put in. */
function withHeader(
  header: TraceHeader,
  changes: {
    command?: string | undefined;
    date?: string;
    notes: Readonly<Record<string, string>>;
  },
): TraceHeader {
  const notes = { ...header.notes, ...changes.notes };
  const { notes: _dropped, ...rest } = header;
  return {
    ...rest,
    command: changes.command ?? header.command,
    date: changes.date ?? header.date,
    ...(Object.keys(notes).length > 0 && { notes }),
  };
}

/** `count` and the noun, plural unless the count is one: "1 thread", "2 threads". */
function counted(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

function summary(trace: Trace): string {
  const stats = traceStats(trace);
  const kinds = trace.header.kindsKnown
    ? ` (${counted(stats.threads, 'thread', 'threads')}, ${counted(stats.processes, 'process', 'processes')})`
    : '';
  return `${counted(stats.tasks, 'task', 'tasks')}${kinds}, at most ${String(stats.mostAlive)} alive at once`;
}

async function record(
  options: RecordOptions,
  io: CliIo,
  dependencies: TraceDependencies,
): Promise<number> {
  const date = new Date((dependencies.now ?? Date.now)()).toISOString().replace(/\.\d+Z$/, 'Z');
  // Checked first: an --out that cannot be written is said before the command runs.
  await checkOutputPath(options.out);
  const path = 'path' in dependencies ? dependencies.path : process.env.PATH;
  const { trace, status } = await recordTrace(options.argv, { path });
  const command = commandLine(options.argv);
  const recorded: Trace = {
    ...trace,
    header: withHeader(trace.header, { command, date, notes: options.notes }),
  };
  const counted = summary(recorded);
  await writeOutput(options.out, recorded);
  // stdout is the command's own: what we did goes to stderr.
  io.stderr.write(
    `vmars-trace: ${options.out}: ${counted}; the command ${describeStatus(status)}\n`,
  );
  return status.status;
}

async function convert(options: ConvertOptions, io: CliIo): Promise<number> {
  const [first] = options.inputs;
  const parts = options.inputs.length > 1 ? [...options.inputs] : await findStraceParts(first);
  if (parts !== undefined && options.format !== undefined && options.format !== 'strace') {
    throw new UsageError(
      '--format',
      `${first} is the prefix of strace -ff files, so the format is strace, got "${options.format}"`,
    );
  }
  await checkOutputPath(options.out);
  const trace =
    parts === undefined
      ? await readTraceFile(first, options.format === undefined ? {} : { format: options.format })
      : await readStraceParts(parts);
  const converted: Trace = {
    ...trace,
    header: withHeader(trace.header, { command: options.commandLine, notes: options.notes }),
  };
  const counted = inFile(first, () => summary(converted));
  await writeOutput(options.out, converted);
  const from = parts === undefined ? first : `${String(parts.length)} strace -ff files`;
  io.stderr.write(`vmars-trace: ${options.out}: ${counted}, from ${from}\n`);
  return EXIT_OK;
}

async function stats(options: StatsOptions, io: CliIo): Promise<number> {
  const entries: FileStats[] = [];
  for (const file of options.files) {
    const trace = await readTraceFile(file);
    entries.push({
      file,
      header: trace.header,
      ignoredLines: trace.ignoredLines,
      stats: inFile(file, () => traceStats(trace)),
    });
  }
  const render =
    options.output === 'json'
      ? renderStatsJson
      : options.output === 'markdown'
        ? renderStatsMarkdown
        : renderStatsTable;
  io.stdout.write(render(entries));
  return EXIT_OK;
}
