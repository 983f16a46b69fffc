import type { CliIo } from './cli-io.js';

/** What a `main` wrote, and the status it resolved to. */
export interface CapturedRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a CLI's `main` on captured streams, the way the apps' tests (and any embedding) call it:
 * `await runCaptured((io) => main(argv, io, dependencies))`. `terminal` is what stderr claims to
 * be (`isTTY`, `columns`), for a progress bar.
 */
export async function runCaptured(
  run: (io: CliIo) => Promise<number>,
  terminal: { readonly isTTY?: boolean; readonly columns?: number } = {},
): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const status = await run({
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), ...terminal },
  });
  return { status, stdout, stderr };
}
