import { WORKLOAD_DEFAULTS } from '@vmars/thread-workload';
import { METRIC_NAMES, type MetricName, type RunRecord } from './run-one.js';
import { type Estimate, estimate, pairedRatios } from './statistics.js';
import { cellKey } from './sweep-spec.js';

/** The policy every other is compared with, on the same workload, architecture and seeds. */
export const BASELINE_POLICY = 'compact';

/** A cell across its seeds: medians and 95 % intervals, and ratios to the baseline's cell. */
export interface CellSummary {
  readonly cell: string;
  readonly policy: string;
  readonly vmarSize: number | null;
  readonly probeSize: number | null;
  /** The alignment and spare knobs, when the sweep set them (see `RunSpec`). */
  readonly align?: number;
  readonly keepSpare?: number | null;
  readonly workload: string;
  readonly architecture: string;
  readonly runs: number;
  readonly failed: number;
  /** The `compact` cell this one is compared with (same sizes, or the seed's where it has none). */
  readonly baseline: string | null;
  readonly metrics: Partial<Record<MetricName, Estimate>>;
  /** Page-table pages per level, lowest first: at the peak, and each level's maximum. */
  readonly levelsAtPeak: readonly Estimate[];
  readonly levelsMax: readonly Estimate[];
  /** Median and interval of the per-seed ratios `this / baseline`, over the seeds both have. */
  readonly ratios: Partial<Record<MetricName, Estimate>>;
  /** Microseconds per thread lifecycle: machine-dependent, kept apart from everything else. */
  readonly timing: Estimate;
}

type OkRecord = Extract<RunRecord, { ok: true }>;

/** Whether a cell sets the alignment or spare knobs (beyond its policy's own point). */
export function hasExtraKnobs(cell: {
  readonly align?: number;
  readonly keepSpare?: number | null;
}): boolean {
  return cell.align !== undefined || cell.keepSpare !== undefined;
}

/**
 * The baseline cell of a cell, or `null` for the baseline's own cells (`compact` without extra
 * knobs). A cell with extra knobs is compared with `compact` at its sizes, without them.
 */
export function baselineCell(
  record: Pick<
    RunRecord,
    'policy' | 'vmarSize' | 'probeSize' | 'workload' | 'architecture' | 'align' | 'keepSpare'
  >,
): string | null {
  if (record.policy === BASELINE_POLICY && !hasExtraKnobs(record)) return null;
  return cellKey(
    BASELINE_POLICY,
    record.vmarSize ?? WORKLOAD_DEFAULTS.vmarSize,
    record.probeSize ?? WORKLOAD_DEFAULTS.probeSize,
    record.workload,
    record.architecture,
  );
}

/** Summaries of every cell, in the order the cells first appear in `records`. */
export function summarize(records: readonly RunRecord[]): CellSummary[] {
  const byCell = new Map<string, RunRecord[]>();
  for (const record of records) {
    const list = byCell.get(record.cell);
    if (list === undefined) byCell.set(record.cell, [record]);
    else list.push(record);
  }
  const summaries: CellSummary[] = [];
  for (const [cell, cellRecords] of byCell) {
    const first = cellRecords[0] as RunRecord;
    const ok = cellRecords.filter((record): record is OkRecord => record.ok);
    const baseline = baselineCell(first);
    const baselineRuns = new Map<number, OkRecord>();
    for (const record of (baseline === null ? [] : byCell.get(baseline)) ?? []) {
      if (record.ok) baselineRuns.set(record.seed, record);
    }
    const metrics: Partial<Record<MetricName, Estimate>> = {};
    const ratios: Partial<Record<MetricName, Estimate>> = {};
    if (ok.length > 0) {
      for (const name of METRIC_NAMES) {
        metrics[name] = estimate(ok.map((record) => record.metrics[name]));
        const pairs: [number, number][] = [];
        for (const record of ok) {
          const other = baselineRuns.get(record.seed);
          if (other !== undefined) pairs.push([record.metrics[name], other.metrics[name]]);
        }
        const values = pairedRatios(pairs);
        if (values.length > 0) ratios[name] = estimate(values);
      }
    }
    const levels = (pick: (record: OkRecord) => readonly number[]): Estimate[] => {
      const count = ok.length === 0 ? 0 : pick(ok[0] as OkRecord).length;
      return Array.from({ length: count }, (_, level) =>
        estimate(ok.map((record) => pick(record)[level] ?? 0)),
      );
    };
    summaries.push({
      cell,
      policy: first.policy,
      vmarSize: first.vmarSize,
      probeSize: first.probeSize,
      ...(first.align !== undefined && { align: first.align }),
      ...(first.keepSpare !== undefined && { keepSpare: first.keepSpare }),
      workload: first.workload,
      architecture: first.architecture,
      runs: cellRecords.length,
      failed: cellRecords.length - ok.length,
      baseline: baseline !== null && byCell.has(baseline) ? baseline : null,
      metrics,
      levelsAtPeak: levels((record) => record.metrics.pageTablesAtPeakLevels),
      levelsMax: levels((record) => record.metrics.pageTablesMaxLevels),
      ratios,
      timing: estimate(cellRecords.map((record) => record.microsecondsPerLifecycle)),
    });
  }
  return summaries;
}
