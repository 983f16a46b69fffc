import { readdirSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A workload named `trace:NAME` replays a recorded trace instead of generating one. */
export const TRACE_WORKLOAD_PREFIX = 'trace:';

/** The corpus's file suffix: `corpus/NAME.jsonl.gz` is the workload `trace:NAME`. */
export const CORPUS_SUFFIX = '.jsonl.gz';

/**
 * The repository's root, found from this module (`apps/lab/src` in tests, `apps/lab/dist` once
 * built: both two folders below `apps`), never from the working directory.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The repository's corpus of real programs' traces. */
export const CORPUS_DIRECTORY = join(REPO_ROOT, 'corpus');

/**
 * One trace workload of a sweep: its name (the workload is `trace:` and the name), its file and
 * the SHA-256 of the file's bytes. `file` is relative to the repository for a corpus trace
 * (`corpus/NAME.jsonl.gz`, so that committed results name no machine's path), absolute for a
 * `--trace` file.
 */
export interface TraceRef {
  readonly name: string;
  readonly file: string;
  readonly sha256: string;
}

export function isTraceWorkload(workload: string): boolean {
  return workload.startsWith(TRACE_WORKLOAD_PREFIX);
}

/** `trace:NAME` → `NAME`. */
export function traceNameOf(workload: string): string {
  return workload.slice(TRACE_WORKLOAD_PREFIX.length);
}

// A name stands in cell keys (`|` separated), comma lists and `workload:arch` pairs: none of
// those characters, and not empty.
const TRACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,99}$/;

/** Why `name` cannot name a trace, or `undefined` when it can. */
export function traceNameError(name: string): string | undefined {
  return TRACE_NAME.test(name)
    ? undefined
    : `a trace name is 1 to 100 letters, digits, "_", ".", "+" or "-", starting with a letter or digit, got ${JSON.stringify(name)}`;
}

/**
 * The workload name of a user's trace file: its base name without its extensions, everything
 * from the first dot (`make-j2.jsonl.gz` → `make-j2`, `ls.strace` → `ls`). Undefined when that
 * leaves no valid name.
 */
export function traceNameOfFile(file: string): string | undefined {
  const base = basename(file);
  const dot = base.indexOf('.', 1);
  const name = dot < 0 ? base : base.slice(0, dot);
  return traceNameError(name) === undefined ? name : undefined;
}

/** The names of the corpus's traces (`corpus/NAME.jsonl.gz`), sorted; none when there is no corpus. */
export function corpusTraceNames(directory: string = CORPUS_DIRECTORY): string[] {
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.endsWith(CORPUS_SUFFIX))
    .map((entry) => entry.slice(0, -CORPUS_SUFFIX.length))
    .filter((name) => traceNameError(name) === undefined)
    .sort();
}

/** Where a `TraceRef`'s file lies on this machine. */
export function traceFilePath(ref: Pick<TraceRef, 'file'>): string {
  return isAbsolute(ref.file) ? ref.file : join(REPO_ROOT, ref.file);
}
