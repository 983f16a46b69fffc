import { randomBytes } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeError } from '@vmars/cli-support';
import type { Trace } from '@vmars/thread-traces';
import { writeTraceFile } from '@vmars/thread-traces/node';
import { UsageError } from './usage-error.js';

/**
 * Checks, before any work, that a trace can be written at `path`: not a folder, and a file can
 * be made beside it (where `writeTraceFile` makes its temporary one). Throws `UsageError`
 * (`--out`) when not; leaves nothing behind.
 */
export async function checkOutputPath(path: string): Promise<void> {
  const isFolder = await stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (isFolder) throw new UsageError('--out', `${path} is a folder, expected a file name`);
  const probe = join(
    dirname(path),
    `.${basename(path)}.${String(process.pid)}-${randomBytes(4).toString('hex')}.probe`,
  );
  try {
    await (await open(probe, 'wx')).close();
  } catch (error) {
    throw new UsageError('--out', `cannot write ${path} (${describeError(error)})`, {
      cause: error,
    });
  }
  await rm(probe, { force: true });
}

/**
 * Writes `trace` to `path` (gzip when it ends in `.gz`) through `writeTraceFile`, which writes a
 * temporary file beside it and renames it only once whole. Its refusals are the output's, not
 * the input's: a plain `Error` (status 1), not the `TraceError` it throws.
 */
export async function writeOutput(path: string, trace: Trace): Promise<void> {
  try {
    await writeTraceFile(path, trace);
  } catch (error) {
    throw new Error(describeError(error), { cause: error });
  }
}
