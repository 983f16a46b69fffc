import {
  type CommandLineSpec,
  type ParseArgsOptionsConfig,
  parseCommandLine,
} from '@vmars/cli-support';
import type { TraceFormat } from '@vmars/thread-traces';
import { UsageError } from './usage-error.js';

export const COMMAND_NAMES = ['record', 'convert', 'stats'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const INPUT_FORMATS: readonly TraceFormat[] = ['strace', 'perf', 'vmars-trace'];

/** `vmars-trace record --out FILE [--note KEY=VALUE ...] -- COMMAND...` */
export interface RecordOptions {
  readonly command: 'record';
  readonly out: string;
  readonly notes: Readonly<Record<string, string>>;
  /** The command to trace and its arguments, as given (at least the program). */
  readonly argv: readonly [string, ...string[]];
}

/** `vmars-trace convert INPUT... --out FILE [--format F] [--command TEXT] [--note KEY=VALUE ...]` */
export interface ConvertOptions {
  readonly command: 'convert';
  readonly inputs: readonly [string, ...string[]];
  readonly out: string;
  /** `undefined`: sniffed from the content. */
  readonly format: TraceFormat | undefined;
  /** Replaces the header's command (strace and perf files do not name it). */
  readonly commandLine: string | undefined;
  readonly notes: Readonly<Record<string, string>>;
}

/** `vmars-trace stats FILE... [--json | --markdown]` */
export interface StatsOptions {
  readonly command: 'stats';
  readonly files: readonly [string, ...string[]];
  readonly output: 'table' | 'json' | 'markdown';
}

export interface HelpOptions {
  readonly command: 'help';
  /** The command whose help is wanted; `undefined` for the overview. */
  readonly topic: CommandName | undefined;
}

export type TraceOptions = RecordOptions | ConvertOptions | StatsOptions | HelpOptions;

const OVERVIEW = `vmars-trace: records what real Linux programs do (task creations and exits), converts
strace and perf traces to the project's vmars-trace format, and prints their statistics

Usage:
  vmars-trace record --out FILE [--note KEY=VALUE ...] -- COMMAND [ARG...]
  vmars-trace convert INPUT... --out FILE [--format FORMAT] [--command TEXT] [--note KEY=VALUE ...]
  vmars-trace stats FILE... [--json | --markdown]
  vmars-trace COMMAND --help        the options of one command
  vmars-trace --help                this text

Exit status: 0 done (record: the traced command's own status); 1 the work could not be done
(strace failed, a file could not be written); 2 a bad command line or a bad input file.
`;

const HELP: Readonly<Record<CommandName, string>> = {
  record: `vmars-trace record: runs COMMAND under strace and writes its tasks in the vmars-trace format

Usage: vmars-trace record --out FILE [--note KEY=VALUE ...] -- COMMAND [ARG...]

  --out FILE          where the trace goes; gzip-compressed when FILE ends in .gz. Written only
                      when the recording succeeded (through a temporary file and a rename)
  --note KEY=VALUE    a note in the trace's header (program version, machine); repeatable
  -h, --help          this text

The "--" may be left out when COMMAND does not start with a dash. The header records COMMAND
(shell-quoted, one line), the date it started and the notes. COMMAND's standard streams are its
own; vmars-trace's summary goes to stderr.

Needs strace on PATH (Debian/Ubuntu: apt-get install strace) and permission to ptrace.

Exit status: COMMAND's own (128+N when signal N killed it), once the trace is written;
1 strace failed or the trace could not be written; 2 a bad command line (no strace, no COMMAND).
`,
  convert: `vmars-trace convert: converts a trace (strace, perf or vmars-trace) to the vmars-trace format

Usage: vmars-trace convert INPUT... --out FILE [--format FORMAT] [--command TEXT] [--note KEY=VALUE ...]

  INPUT               a trace file, plain or gzip-compressed (told by its content). Several
                      INPUTs are the files of one \`strace -ff -o PREFIX\` run (PREFIX.TID each);
                      a single INPUT that is no file but such a PREFIX stands for all of them
  --out FILE          where the trace goes; gzip-compressed when FILE ends in .gz; written
                      through a temporary file and a rename, so never half
  --format FORMAT     ${INPUT_FORMATS.join('|')}: the input's format (default: told by its content)
  --command TEXT      the traced command, for the header (strace and perf do not record it)
  --note KEY=VALUE    a note in the header, beside the input's own; repeatable
  -h, --help          this text

Exit status: 0 done; 1 the output could not be written; 2 a bad command line or a bad input
(its file and line named).
`,
  stats: `vmars-trace stats: the tasks of traces, counted the way the engine replays them

Usage: vmars-trace stats FILE... [--json | --markdown]

  FILE                a trace in any format the CLI reads (strace, perf, vmars-trace; .gz too)
  --json              one JSON document: an array with one entry per FILE (always an array),
                      each {file, header, ignoredLines, stats}; times in microseconds
  --markdown          a Markdown table: the header row, then one row per FILE (name, command,
                      tasks, threads, processes, most alive, censored, duration, lifetime
                      p50/p90/max)
  -h, --help          this text

By default, a table with one column per FILE: tasks created, threads, processes, the most alive
at once (the first task included), tasks alive before the trace began and at its end (censored),
the duration and the quantiles of the lifetimes of tasks that both started and ended in it.

Exit status: 0 done; 2 a bad command line or a bad input (its file and line named).
`,
};

/** `--help` of one command, or the overview. */
export function helpText(topic: CommandName | undefined): string {
  return topic === undefined ? OVERVIEW : HELP[topic];
}

function isCommandName(word: string | undefined): word is CommandName {
  return (COMMAND_NAMES as readonly (string | undefined)[]).includes(word);
}

/** Parses the command line (without `node` and the script). Throws `UsageError`. */
export function parseTraceOptions(argv: readonly string[]): TraceOptions {
  const [first, ...rest] = argv;
  if (first === undefined) {
    throw new UsageError(undefined, `expected a command: ${COMMAND_NAMES.join(', ')} (see --help)`);
  }
  if (first === '-h' || first === '--help') return { command: 'help', topic: undefined };
  if (first === 'help') {
    const [topic, ...extra] = rest;
    if (topic !== undefined && !isCommandName(topic)) {
      throw new UsageError(
        undefined,
        `help: unknown command "${topic}", expected one of ${COMMAND_NAMES.join(', ')}`,
      );
    }
    if (extra.length > 0) throw new UsageError(undefined, `help: unexpected "${extra[0]}"`);
    return { command: 'help', topic };
  }
  switch (first) {
    case 'record':
      return parseRecord(rest);
    case 'convert':
      return parseConvert(rest);
    case 'stats':
      return parseStats(rest);
    default:
      throw new UsageError(
        undefined,
        first.startsWith('-')
          ? `unknown option "${first}": a command comes first: ${COMMAND_NAMES.join(', ')} (see --help)`
          : `unknown command "${first}", expected one of ${COMMAND_NAMES.join(', ')} (see --help)`,
      );
  }
}

/** A command's own options, read the way every vmars CLI reads them (see `parseCommandLine`). */
function parse<const Options extends ParseArgsOptionsConfig>(
  command: CommandName,
  argv: readonly string[],
  options: Options,
) {
  const spec: CommandLineSpec<Options> = {
    options,
    usageError: UsageError,
    command,
    positionals: true,
  };
  return parseCommandLine(argv, spec);
}

function requireOut(command: CommandName, out: string | undefined): string {
  if (out === undefined) throw new UsageError(undefined, `${command}: --out FILE is required`);
  if (out.trim() === '') throw new UsageError('--out', `expected a file name, got "${out}"`);
  return out;
}

/** `KEY=VALUE` pairs, each key once; keys are non-empty and hold no `=`. */
function parseNotes(texts: readonly string[] | undefined): Record<string, string> {
  const notes: Record<string, string> = {};
  for (const text of texts ?? []) {
    const equals = text.indexOf('=');
    const key = equals < 0 ? '' : text.slice(0, equals).trim();
    if (key === '') throw new UsageError('--note', `expected KEY=VALUE, got "${text}"`);
    if (Object.hasOwn(notes, key)) {
      throw new UsageError('--note', `the key "${key}" is given twice`);
    }
    notes[key] = text.slice(equals + 1);
  }
  return notes;
}

/**
 * `record`'s options come before the command, which starts at `--` or at the first word that is
 * no option: everything after it is the command's own (`-- make -j2`), never ours.
 */
function parseRecord(argv: readonly string[]): TraceOptions {
  let commandAt = argv.length;
  let skipFirst = false;
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] as string;
    if (word === '--') {
      commandAt = index;
      skipFirst = true;
      break;
    }
    if (word === '--out' || word === '--note') {
      index += 1;
      continue;
    }
    if (!word.startsWith('-')) {
      commandAt = index;
      break;
    }
  }
  const { values } = parse('record', argv.slice(0, commandAt), {
    help: { type: 'boolean', short: 'h' },
    out: { type: 'string' },
    note: { type: 'string', multiple: true },
  });
  if (values.help === true) return { command: 'help', topic: 'record' };
  const out = requireOut('record', values.out);
  const notes = parseNotes(values.note);
  const [program, ...args] = argv.slice(skipFirst ? commandAt + 1 : commandAt);
  if (program === undefined || program === '') {
    throw new UsageError(undefined, 'record: expected -- COMMAND [ARG...] after the options');
  }
  return { command: 'record', out, notes, argv: [program, ...args] };
}

function parseConvert(argv: readonly string[]): TraceOptions {
  const { values, positionals } = parse('convert', argv, {
    help: { type: 'boolean', short: 'h' },
    out: { type: 'string' },
    format: { type: 'string' },
    command: { type: 'string' },
    note: { type: 'string', multiple: true },
  });
  if (values.help === true) return { command: 'help', topic: 'convert' };
  const [first, ...others] = positionals;
  if (first === undefined)
    throw new UsageError(undefined, 'convert: expected INPUT... (see --help)');
  const out = requireOut('convert', values.out);
  let format: TraceFormat | undefined;
  if (values.format !== undefined) {
    const found = INPUT_FORMATS.find((name) => name === values.format);
    if (found === undefined) {
      throw new UsageError(
        '--format',
        `expected one of ${INPUT_FORMATS.join(', ')}, got "${values.format}"`,
      );
    }
    format = found;
  }
  if (others.length > 0 && format !== undefined && format !== 'strace') {
    throw new UsageError(
      '--format',
      `several INPUTs are the files of one strace -ff run, so the format is strace, got "${format}"`,
    );
  }
  return {
    command: 'convert',
    inputs: [first, ...others],
    out,
    format,
    commandLine: values.command,
    notes: parseNotes(values.note),
  };
}

function parseStats(argv: readonly string[]): TraceOptions {
  const { values, positionals } = parse('stats', argv, {
    help: { type: 'boolean', short: 'h' },
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
  });
  if (values.help === true) return { command: 'help', topic: 'stats' };
  const [first, ...others] = positionals;
  if (first === undefined) throw new UsageError(undefined, 'stats: expected FILE... (see --help)');
  if (values.json === true && values.markdown === true) {
    throw new UsageError(undefined, 'stats: --json and --markdown exclude each other');
  }
  return {
    command: 'stats',
    files: [first, ...others],
    output: values.json === true ? 'json' : values.markdown === true ? 'markdown' : 'table',
  };
}
