import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { STRACE_RECORD_ARGUMENTS, type Trace, TraceError } from '@vmars/thread-traces';
import { readTraceFile } from '@vmars/thread-traces/node';
import { UsageError } from './usage-error.js';

/** What `strace` needs to be installed, said once where it is missing. */
export const STRACE_MISSING =
  'strace not found on PATH: install it (Debian/Ubuntu: apt-get install strace)';

/**
 * The executable `name` would run as: itself when it holds a slash, else the first executable
 * regular file of that name in `path`'s directories (an empty entry is the current directory,
 * as the shell has it). `undefined` when there is none.
 */
export function findExecutable(name: string, path: string | undefined): string | undefined {
  const isExecutable = (candidate: string): boolean => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const directory of (path ?? '').split(delimiter)) {
    const candidate = join(directory === '' ? '.' : directory, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** A word as a POSIX shell reads it back: bare when it is safe so, else in single quotes. */
export function quoteShellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A command and its arguments as one shell line (`sh -c 'true & wait'`), for the header. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(quoteShellWord).join(' ');
}

/** How the traced command ended, as strace passed it on. */
export interface CommandStatus {
  /** Its exit status, or 128 + the signal's number when a signal killed it (as shells say). */
  readonly status: number;
  /** The signal that killed it, if one did. */
  readonly signal: NodeJS.Signals | null;
}

export interface RecordedTrace {
  readonly trace: Trace;
  readonly status: CommandStatus;
}

/** What `recordTrace` needs from the world, replaceable in tests. */
export interface RecordEnvironment {
  /** The directories searched for `strace` and the command (default: `process.env.PATH`). */
  readonly path: string | undefined;
}

/**
 * Runs `argv` under strace (`STRACE_RECORD_ARGUMENTS`, `-o` a file in a temporary directory,
 * removed after) with the caller's standard streams, and reads what strace wrote. Throws
 * `UsageError` when strace or the command cannot be found; `Error` when strace ran but recorded
 * nothing (it printed why on stderr), or when its output cannot be read (the file is then kept,
 * and the message names it and the line). While strace
 * runs, Ctrl-C goes to it and the command (their process group's), not to us: what they recorded
 * until then is still read and written.
 */
export async function recordTrace(
  argv: readonly [string, ...string[]],
  environment: RecordEnvironment,
): Promise<RecordedTrace> {
  const strace = findExecutable('strace', environment.path);
  if (strace === undefined) throw new UsageError(undefined, STRACE_MISSING);
  const [program] = argv;
  if (findExecutable(program, environment.path) === undefined) {
    throw new UsageError(
      undefined,
      program.includes('/')
        ? `record: ${program}: no such executable file`
        : `record: ${program}: command not found on PATH`,
    );
  }
  const directory = await mkdtemp(join(tmpdir(), 'vmars-trace-'));
  let keep = false;
  try {
    const straceOutput = join(directory, 'strace.txt');
    const status = await run(strace, [
      ...STRACE_RECORD_ARGUMENTS,
      '-o',
      straceOutput,
      '--',
      ...argv,
    ]);
    const size = await stat(straceOutput).then(
      (stats) => stats.size,
      () => 0,
    );
    if (size === 0) {
      throw new Error(
        `strace recorded nothing (it ${describeStatus(status)}): see its message above`,
      );
    }
    try {
      const trace = await readTraceFile(straceOutput, { format: 'strace' });
      return { trace, status };
    } catch (error) {
      if (!TraceError.isInstance(error)) throw error;
      // Not the user's input but strace's output (or the parser's limit): a failure to look
      // into, so the file stays, named in the one line.
      keep = true;
      throw new Error(`strace's output could not be read, kept for a look: ${error.message}`, {
        cause: error,
      });
    }
  } finally {
    if (!keep) await rm(directory, { recursive: true, force: true });
  }
}

/** `exited with status 3`, `was killed by SIGTERM`. */
export function describeStatus(status: CommandStatus): string {
  return status.signal === null
    ? `exited with status ${String(status.status)}`
    : `was killed by ${status.signal}`;
}

/**
 * Runs strace and waits for it. strace exits with its command's status, and when a signal killed
 * the command, kills itself with the same signal: so its status is the command's.
 */
function run(file: string, args: readonly string[]): Promise<CommandStatus> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit' });
    // The terminal's Ctrl-C reaches the whole process group; strace handles it for the command.
    const ignore = (): void => undefined;
    process.on('SIGINT', ignore);
    const done = (): void => {
      process.off('SIGINT', ignore);
    };
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      done();
      resolve({
        status: signal === null ? (code ?? 1) : 128 + signalNumber(signal),
        signal,
      });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return osConstants.signals[signal];
}
