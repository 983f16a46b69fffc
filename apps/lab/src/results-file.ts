import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { METRIC_NAMES, type RunRecord } from './run-one.js';
import { type Shard, shardRuns } from './shard.js';
import { type CellSummary, summarize } from './summarize.js';
import { expandSweep, type SweepSpec, sweepHash } from './sweep-spec.js';
import { UsageError } from './usage-error.js';
import type { WorkloadInfo } from './workload-info.js';

/** The results of a sweep, or of one shard of it: what `--out` holds. */
export interface ResultsFile {
  readonly tool: 'vmars-lab';
  readonly format: 1;
  readonly sweep: {
    readonly name: string;
    /** Results merge only with results of the same hash. */
    readonly hash: string;
    readonly spec: SweepSpec;
    /** Runs in the whole sweep. */
    readonly runs: number;
  };
  /** The slice these results are of, or `null` for the whole sweep (or a merge of all slices). */
  readonly shard: Shard | null;
  /** Runs expected in this file: the shard's, or the sweep's. */
  readonly expectedRuns: number;
  /** Whether every expected run is here. */
  readonly complete: boolean;
  readonly failed: number;
  /**
   * Each workload of the sweep: a suite workload or a trace, what its seeds vary, and its shape.
   * Absent from results written before traces came.
   */
  readonly workloads?: readonly WorkloadInfo[];
  readonly runs: readonly RunRecord[];
  readonly cells: readonly CellSummary[];
}

/**
 * The results of `records` (any order, any subset) for `spec` and `shard`: the runs in the
 * sweep's order, so that the file is the same whatever the number of workers (but for timing).
 */
export function buildResults(
  spec: SweepSpec,
  shard: Shard | null,
  records: ReadonlyMap<string, RunRecord>,
  workloads?: readonly WorkloadInfo[],
): ResultsFile {
  const { runs } = expandSweep(spec);
  const expected = shardRuns(runs, shard);
  const ordered: RunRecord[] = [];
  for (const run of runs) {
    const record = records.get(run.key);
    if (record !== undefined) ordered.push(record);
  }
  return {
    tool: 'vmars-lab',
    format: 1,
    sweep: { name: spec.name, hash: sweepHash(spec), spec, runs: runs.length },
    shard,
    expectedRuns: expected.length,
    complete: expected.every((run) => records.has(run.key)),
    failed: ordered.filter((record) => !record.ok).length,
    ...(workloads !== undefined && { workloads }),
    runs: ordered,
    cells: summarize(ordered),
  };
}

/** Writes `text` to `path` through a temporary file and a rename: never half a file. */
export function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${String(process.pid)}.tmp`;
  writeFileSync(temporary, text, 'utf8');
  renameSync(temporary, path);
}

/** The results as JSON: one run per line, so that diffs and `grep` stay readable. */
export function resultsJson(results: ResultsFile): string {
  const { workloads, runs, cells, ...head } = results;
  const lines = (items: readonly unknown[]): string =>
    items.map((item) => `    ${JSON.stringify(item)}`).join(',\n');
  const headText = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  const workloadsText =
    workloads === undefined ? '' : `,\n  "workloads": [\n${lines(workloads)}\n  ]`;
  return `${headText}${workloadsText},\n  "runs": [\n${lines(runs)}\n  ],\n  "cells": [\n${lines(cells)}\n  ]\n}\n`;
}

const CSV_HEAD = [
  'key',
  'policy',
  'vmarSize',
  'probeSize',
  'workload',
  'architecture',
  'seed',
  'ok',
  'error',
  ...METRIC_NAMES,
  'pageTablesAtPeakLevels',
  'pageTablesMaxLevels',
  'microsecondsPerLifecycle',
];

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One row per run (failed runs too, with their error), in the sweep's order. */
export function resultsCsv(results: ResultsFile): string {
  const rows = results.runs.map((record) => {
    const metrics = record.ok ? record.metrics : undefined;
    return [
      record.key,
      record.policy,
      record.vmarSize,
      record.probeSize,
      record.workload,
      record.architecture,
      record.seed,
      record.ok,
      record.ok ? '' : record.error,
      ...METRIC_NAMES.map((name) => metrics?.[name]),
      metrics?.pageTablesAtPeakLevels.join(' '),
      metrics?.pageTablesMaxLevels.join(' '),
      record.microsecondsPerLifecycle,
    ]
      .map(csvField)
      .join(',');
  });
  return `${[CSV_HEAD.join(','), ...rows].join('\n')}\n`;
}

/** Reads a results file, checking that it is one. */
export function readResults(path: string): ResultsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(
      undefined,
      `${path}: not a readable results file (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const results = parsed as Partial<ResultsFile>;
  if (results.tool !== 'vmars-lab' || results.format !== 1 || !Array.isArray(results.runs)) {
    throw new UsageError(undefined, `${path}: not a vmars-lab results file`);
  }
  return results as ResultsFile;
}

/**
 * Joins the results of slices of one sweep. Refuses results of different sweeps (their hashes
 * differ) and two records of one run that disagree (timing aside).
 */
export function mergeResults(
  files: readonly { path: string; results: ResultsFile }[],
): ResultsFile {
  const [first] = files;
  if (first === undefined) throw new UsageError(undefined, 'merge: no results files given');
  const records = new Map<string, RunRecord>();
  for (const { path, results } of files) {
    if (results.sweep.hash !== first.results.sweep.hash) {
      throw new UsageError(
        undefined,
        `merge: ${path} is of sweep "${results.sweep.name}" (${results.sweep.hash}), ${first.path} of sweep "${first.results.sweep.name}" (${first.results.sweep.hash}): results of different sweeps do not merge`,
      );
    }
    for (const record of results.runs) {
      const known = records.get(record.key);
      if (known !== undefined && deterministicJson(known) !== deterministicJson(record)) {
        throw new UsageError(undefined, `merge: run ${record.key} differs between the files`);
      }
      records.set(record.key, record);
    }
  }
  return buildResults(first.results.sweep.spec, null, records, first.results.workloads);
}

/** A record as JSON without its timing: what must be the same on every machine and worker count. */
export function deterministicJson(record: RunRecord): string {
  const { microsecondsPerLifecycle: _timing, ...rest } = record;
  return JSON.stringify(rest);
}
