import type { CliIo } from './cli-io.js';
import { EXIT_FAILURE, EXIT_USAGE } from './exit-status.js';

/** The first `lines` non-blank lines of an error's message (never its stack). */
export function describeError(error: unknown, lines = 1): string {
  const message = error instanceof Error ? error.message : String(error);
  const kept = message
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, lines);
  return kept.join('\n') || 'unknown error';
}

/** How `reportError` tells a bad command line or input from a failure. */
export interface ErrorReport {
  /** `vmars-demo`: the prefix of the line written. */
  readonly program: string;
  /** True for an error that is the user's to fix (a `UsageError`, a bad input file): status 2. */
  readonly isUsage: (error: unknown) => boolean;
  /** At most this many lines of a failure's message (default 1); a usage error is always one. */
  readonly failureLines?: number;
}

/**
 * The end of every app's `main` contract: an error caught at the top becomes
 * `<program>: <message>` on stderr and the status to exit with, `EXIT_USAGE` (2) for the user's
 * mistakes and `EXIT_FAILURE` (1) for everything else, so that `main` never rejects.
 */
export function reportError(io: CliIo, error: unknown, report: ErrorReport): number {
  const usage = report.isUsage(error);
  const message = describeError(error, usage ? 1 : (report.failureLines ?? 1));
  io.stderr.write(`${report.program}: ${message}\n`);
  return usage ? EXIT_USAGE : EXIT_FAILURE;
}
