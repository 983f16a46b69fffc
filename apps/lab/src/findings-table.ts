import { formatByteSize } from '@vmars/cli-support';
import { WORKLOAD_DEFAULTS } from '@vmars/thread-workload';
import { formatEstimate, knobText } from './format.js';
import { groupBy as groupByKey } from './group-by.js';
import type { ResultsFile } from './results-file.js';
import type { RunRecord } from './run-one.js';
import { type Estimate, estimate, pairedRatios } from './statistics.js';
import { type CellSummary, hasExtraKnobs } from './summarize.js';

/** One column of a findings table: its head, and the cell it shows for a row. */
export type Column<Row> = readonly [head: string, cell: (row: Row) => string];

/** A Markdown table: the heads, the separator, a line per row. */
export function markdownTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(columns.map(([head]) => head)),
    line(columns.map(() => '---')),
    ...rows.map((row) => line(columns.map(([, cell]) => cell(row)))),
  ].join('\n');
}

/** `items` in groups of equal `key`, in the order each key first appears. */
export function groupBy<Item>(items: Iterable<Item>, key: (item: Item) => string): Item[][] {
  return [...groupByKey(items, key).values()];
}

/** The key of a cell's workload and architecture: the findings' usual group. */
export const workloadAndArchitecture = (cell: CellSummary): string =>
  `${cell.workload}|${cell.architecture}`;

/** The knobs of a cell, or a dash for none (the HTML report's `knobs` says `no knobs`). */
export function knobsOrDash(cell: CellSummary): string {
  return knobText(cell) || '—';
}

/** Cells at the seed's knob values (or none, for root and exact-probe's probe). */
export function atSeedKnobs(cell: CellSummary): boolean {
  return (
    !hasExtraKnobs(cell) &&
    (cell.vmarSize === null || cell.vmarSize === WORKLOAD_DEFAULTS.vmarSize) &&
    (cell.probeSize === null || cell.probeSize === WORKLOAD_DEFAULTS.probeSize)
  );
}

type OkRecord = Extract<RunRecord, { ok: true }>;

function okRuns(results: ResultsFile, cell: string): Map<number, OkRecord> {
  const runs = new Map<number, OkRecord>();
  for (const record of results.runs) {
    if (record.ok && record.cell === cell) runs.set(record.seed, record);
  }
  return runs;
}

/** Median and interval of per-seed ratios of `pick` between two cells. */
export function pairedRatio(
  results: ResultsFile,
  cell: string,
  baseline: string,
  pick: (record: OkRecord) => number,
): Estimate | undefined {
  const mine = okRuns(results, cell);
  const theirs = okRuns(results, baseline);
  const pairs: [number, number][] = [];
  for (const [seed, record] of mine) {
    const other = theirs.get(seed);
    if (other !== undefined) pairs.push([pick(record), pick(other)]);
  }
  const ratios = pairedRatios(pairs);
  return ratios.length === 0 ? undefined : estimate(ratios);
}

/** A ratio's median and interval (`1.234×`). */
export function ratio(estimateValue: Estimate | undefined): string {
  return formatEstimate(estimateValue, (value) => `${value.toFixed(3)}×`);
}

/** A cell's ratio to compact, or `1` for compact itself. */
export function ratioToCompact(cell: CellSummary, value: Estimate | undefined): string {
  return cell.policy === 'compact' ? '1' : ratio(value);
}

export const bytes = (value: number): string => formatByteSize(value);

/** The first columns of a sweep's source table: its name, hash, runs and failures. */
export const SWEEP_COLUMNS: readonly Column<ResultsFile>[] = [
  ['sweep', (results) => results.sweep.name],
  ['hash', (results) => `\`${results.sweep.hash}\``],
  ['runs', (results) => `${String(results.runs.length)} of ${String(results.sweep.runs)}`],
  ['failed', (results) => String(results.failed)],
];
