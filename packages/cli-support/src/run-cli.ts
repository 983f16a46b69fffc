import { exitQuietlyOnBrokenPipe } from './broken-pipe.js';
import type { CliIo } from './cli-io.js';

/**
 * A CLI's `main`: parses `argv` (without `node` and the script), does the work, and resolves to
 * the exit status. It never rejects: every error is written to `io.stderr` as
 * `<program>: <message>` (see `reportError`).
 */
export type CliMain = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * What a `bin` script does, the same for every app: a closed stdout pipe ends the process quietly
 * (status 0), and `main`'s status becomes `process.exitCode`, not `process.exit()`, so that a
 * large output on a pipe is flushed before Node leaves.
 */
export async function runCli(main: CliMain): Promise<void> {
  exitQuietlyOnBrokenPipe(process.stdout);
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
