import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  type Trace,
  TraceError,
  type TraceStats,
  taskEvents,
  traceStats,
} from '@vmars/thread-traces';
import { readTraceFile } from '@vmars/thread-traces/node';
import { type Workload, workloadFromTrace } from '@vmars/thread-workload';
import type { SweepSpec } from './sweep-spec.js';
import { traceWorkloadsOf } from './sweep-spec.js';
import {
  CORPUS_DIRECTORY,
  CORPUS_SUFFIX,
  corpusTraceNames,
  REPO_ROOT,
  TRACE_WORKLOAD_PREFIX,
  type TraceRef,
  traceFilePath,
  traceNameOf,
  traceNameOfFile,
} from './trace-ref.js';
import { UsageError } from './usage-error.js';
import { type WorkloadShape, workloadShape } from './workload-shape.js';

/** A trace read and turned into the engine's workload, with what the findings say of it. */
export interface LoadedTrace {
  readonly ref: TraceRef;
  readonly trace: Trace;
  readonly workload: Workload;
  readonly stats: TraceStats;
  readonly shape: WorkloadShape;
}

/**
 * `--trace FILE`s by workload name (`trace:` and the file's base name without extensions).
 * Throws `UsageError` for a name that is not valid or that two files share.
 */
export function userTraces(
  files: readonly string[],
  cwd: string = process.cwd(),
): Map<string, string> {
  const byName = new Map<string, string>();
  for (const file of files) {
    const name = traceNameOfFile(file);
    if (name === undefined) {
      throw new UsageError(
        undefined,
        `--trace ${file}: its base name without extensions is not a trace name (letters, digits, "_", "+", "-"; rename the file)`,
      );
    }
    const path = resolve(cwd, file);
    const known = byName.get(name);
    if (known !== undefined && known !== path) {
      throw new UsageError(
        undefined,
        `--trace: ${known} and ${path} are both trace:${name}; rename one`,
      );
    }
    byName.set(name, path);
  }
  return byName;
}

/** The file as a `TraceRef` names it: relative to the repository when inside it, else absolute. */
function refFile(path: string): string {
  const inside = relative(REPO_ROOT, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)
    ? inside.split(sep).join('/')
    : path;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

async function load(ref: TraceRef, path: string): Promise<LoadedTrace> {
  const bytes = await readFile(path);
  fileReads += 1;
  const trace = await readTraceFile(path);
  const workload = workloadFromTrace(trace, { name: `${TRACE_WORKLOAD_PREFIX}${ref.name}` });
  // The events in the order the engine replays them: the shape and the stats count the same.
  const events = taskEvents(trace.tasks);
  return {
    ref: { ...ref, sha256: sha256(bytes) },
    trace,
    workload,
    stats: traceStats(trace, events),
    shape: workloadShape(events.events),
  };
}

// One cache per thread, by file: a worker reads each trace once, however many runs replay it.
const cache = new Map<string, Promise<LoadedTrace>>();
let fileReads = 0;

/**
 * The trace `ref` names, read (once per thread: later calls share the first read, unless `fresh`)
 * as the engine's workload, and checked against `ref.sha256` unless that is empty. Rejects when the file
 * cannot be read or parsed, or is not the one the sweep began with.
 */
export async function loadTrace(
  ref: TraceRef,
  options: { readonly fresh?: boolean } = {},
): Promise<LoadedTrace> {
  const path = traceFilePath(ref);
  // A sweep begins with a fresh read: the file may have changed since an earlier sweep of this
  // thread read it.
  if (options.fresh === true) cache.delete(path);
  let loading = cache.get(path);
  if (loading === undefined) {
    loading = load(ref, path);
    cache.set(path, loading);
    // A failed read is not kept: the next call tries again (and fails with its own error).
    loading.catch(() => cache.delete(path));
  }
  const loaded = await loading;
  if (ref.sha256 !== '' && loaded.ref.sha256 !== ref.sha256) {
    throw new Error(
      `${path} is not the sweep's trace:${ref.name}: its SHA-256 is ${loaded.ref.sha256}, the sweep's ${ref.sha256}`,
    );
  }
  return { ...loaded, ref: { ...ref, sha256: loaded.ref.sha256 } };
}

/** How many trace files this thread has read and parsed (for the tests of the cache). */
export function traceFileReads(): number {
  return fileReads;
}

/**
 * Finds and reads every `trace:NAME` workload of `spec`: a `--trace` file of that name, else
 * `corpus/NAME.jsonl.gz`. Returns the spec with its `traces` set (name, file, SHA-256) and the
 * loaded traces by workload. Throws `UsageError` (one line) for a name found nowhere or a file
 * that cannot be read or is not a trace, before any run starts.
 */
export async function resolveSweepTraces(
  spec: SweepSpec,
  user: ReadonlyMap<string, string>,
  corpusDirectory: string = CORPUS_DIRECTORY,
): Promise<{ readonly spec: SweepSpec; readonly loaded: ReadonlyMap<string, LoadedTrace> }> {
  const workloads = traceWorkloadsOf(spec);
  if (workloads.length === 0) return { spec, loaded: new Map() };
  const loaded = new Map<string, LoadedTrace>();
  const corpus = corpusTraceNames(corpusDirectory);
  for (const workload of workloads) {
    const name = traceNameOf(workload);
    const given = user.get(name);
    let path: string;
    if (given !== undefined) path = given;
    else if (corpus.includes(name)) path = join(corpusDirectory, `${name}${CORPUS_SUFFIX}`);
    else {
      throw new UsageError(
        undefined,
        `unknown workload "${workload}": no --trace file is named ${name} and there is no corpus/${name}${CORPUS_SUFFIX} (corpus traces: ${corpus.length === 0 ? 'none' : corpus.join(', ')})`,
      );
    }
    try {
      loaded.set(
        workload,
        await loadTrace({ name, file: refFile(path), sha256: '' }, { fresh: true }),
      );
    } catch (error) {
      const what = given === undefined ? `corpus trace ${name}` : `--trace ${given}`;
      const detail = TraceError.isInstance(error) ? error.message : firstLine(error);
      throw new UsageError(undefined, `${what}: ${detail.split('\n')[0] ?? ''}`);
    }
  }
  const traces = [...loaded.values()].map(({ ref }) => ref);
  return { spec: { ...spec, traces }, loaded };
}
