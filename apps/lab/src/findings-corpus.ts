import { formatByteSize } from '@vmars/cli-support';
import { WORKLOAD_DEFAULTS } from '@vmars/thread-workload';
import {
  atSeedKnobs,
  bytes,
  groupBy,
  markdownTable,
  ratio,
  ratioToCompact,
  SWEEP_COLUMNS,
  workloadAndArchitecture,
} from './findings-table.js';
import { formatEstimate, formatNumber, microseconds } from './format.js';
import type { ResultsFile } from './results-file.js';
import type { Estimate } from './statistics.js';
import { type CellSummary, hasExtraKnobs } from './summarize.js';
import { isTraceWorkload } from './trace-ref.js';
import type { WorkloadInfo } from './workload-info.js';

// The corpus sweep's findings tables (the doc's "On real programs"), each made from its results
// file alone.

const plural = (count: number, one: string, many: string): string =>
  `${formatNumber(count)} ${count === 1 ? one : many}`;

export function corpusSource(results: ResultsFile): string {
  const workloads = results.workloads ?? [];
  const suite = workloads.filter((info) => info.kind === 'suite').map((info) => info.name);
  const seeds = [...new Set(results.cells.map((cell) => cell.runs))].sort((a, b) => a - b);
  return markdownTable(
    [
      ...SWEEP_COLUMNS,
      ['traces', () => String(workloads.filter((info) => info.kind === 'trace').length)],
      ['suite workloads beside them', () => suite.join(', ') || 'none'],
      ['seeds per cell', () => seeds.join(', ')],
    ],
    [results],
  );
}

/** What a workload's tasks are: the suite's seed, or a trace's threads and processes. */
function tasksAre(info: WorkloadInfo): string {
  if (info.kind === 'suite') return `suite (seed ${String(info.shapeSeed)})`;
  return [
    plural(info.stats.threads, 'thread', 'threads'),
    plural(info.stats.processes, 'process', 'processes'),
    ...(info.stats.unknownKind > 0 ? [`${formatNumber(info.stats.unknownKind)} unknown`] : []),
  ].join(', ');
}

function lifeInTime(info: WorkloadInfo): string {
  const lifetime = info.kind === 'trace' ? info.stats.lifetimeUs : undefined;
  if (lifetime == null) return '—';
  return `${microseconds(lifetime.p50)} / ${microseconds(lifetime.p90)} / ${microseconds(lifetime.max)}`;
}

export function corpusShapes(results: ResultsFile): string {
  const workloads = results.workloads ?? [];
  return markdownTable<WorkloadInfo>(
    [
      ['workload', (info) => info.name],
      ['tasks are', tasksAre],
      ['tasks', (info) => formatNumber(info.shape.tasks)],
      ['most alive', (info) => formatNumber(info.shape.mostAlive)],
      ['alive on average', (info) => formatNumber(info.shape.meanAlive)],
      ['longest burst of creations', (info) => formatNumber(info.shape.longestBurst)],
      [
        'life as a share of the run’s events: median / 90th pct.',
        ({ shape }) =>
          `${formatNumber(shape.lifetimeShare.p50)} % / ${formatNumber(shape.lifetimeShare.p90)} %`,
      ],
      ['life in time: median / 90th pct. / longest', lifeInTime],
      [
        'trace’s length',
        (info) => (info.kind === 'trace' ? microseconds(info.stats.durationUs) : '—'),
      ],
    ],
    [
      ...workloads.filter((info) => info.kind === 'trace'),
      ...workloads.filter((info) => info.kind === 'suite'),
    ],
  );
}

/**
 * The corpus sweep's cells at the seed's knobs, grouped by workload and architecture (traces
 * first, each group in the order the results first name it), policies in the results' order.
 */
function corpusGroups(results: ResultsFile): CellSummary[][] {
  const groups = groupBy(results.cells.filter(atSeedKnobs), workloadAndArchitecture);
  return [
    ...groups.filter((group) => isTraceWorkload(group[0]?.workload ?? '')),
    ...groups.filter((group) => !isTraceWorkload(group[0]?.workload ?? '')),
  ];
}

export function corpusPolicies(results: ResultsFile): string {
  return markdownTable<CellSummary>(
    [
      ['trace', (cell) => cell.workload],
      ['arch', (cell) => cell.architecture],
      ['policy', (cell) => cell.policy],
      ['most page-table pages over the run', (cell) => formatEstimate(cell.metrics.pageTablesMax)],
      ['÷ compact', (cell) => ratioToCompact(cell, cell.ratios.pageTablesMax)],
      ['reserved at peak', (cell) => formatEstimate(cell.metrics.reservedPeak, bytes)],
      ['÷ compact, mean reserved', (cell) => ratioToCompact(cell, cell.ratios.reservedMean)],
      ['compact VMARs at end', (cell) => formatEstimate(cell.metrics.compactVmars)],
      ['probes per creation', (cell) => formatEstimate(cell.metrics.probesPerCreation)],
      ['failed creations', (cell) => formatEstimate(cell.metrics.failedCreations)],
    ],
    corpusGroups(results)
      .flat()
      .filter((cell) => isTraceWorkload(cell.workload)),
  );
}

/** The suite's advice, workload by workload: each alternative's median ratio to `compact`. */
export function corpusAdvice(results: ResultsFile): string {
  const of =
    (policy: string, pick: (cell: CellSummary) => Estimate | undefined) =>
    (group: readonly CellSummary[]): string => {
      const cell = group.find((each) => each.policy === policy);
      return ratio(cell === undefined ? undefined : pick(cell));
    };
  const pageTables = (cell: CellSummary) => cell.ratios.pageTablesMax;
  const reserved = (cell: CellSummary) => cell.ratios.reservedMean;
  return markdownTable<CellSummary[]>(
    [
      ['workload', (group) => group[0]?.workload ?? ''],
      ['arch', (group) => group[0]?.architecture ?? ''],
      ['exact-probe ÷ compact: most page tables', of('exact-probe', pageTables)],
      ['exact-probe: mean reserved', of('exact-probe', reserved)],
      ['shared-list ÷ compact: most page tables', of('shared-list', pageTables)],
      ['shared-list: mean reserved', of('shared-list', reserved)],
      ['root ÷ compact: most page tables', of('root', pageTables)],
    ],
    corpusGroups(results),
  );
}

/** The probes of the `corpus-sizes` columns: the seed's and a small one. */
const SMALL_PROBE = 4 * 2 ** 20;
const SIZE_COLUMNS: readonly { readonly policy: string; readonly probe: number | null }[] = [
  { policy: 'compact', probe: WORKLOAD_DEFAULTS.probeSize },
  { policy: 'compact', probe: SMALL_PROBE },
  { policy: 'exact-probe', probe: null },
  { policy: 'shared-list', probe: WORKLOAD_DEFAULTS.probeSize },
  { policy: 'shared-list', probe: SMALL_PROBE },
];

/** The medians of `pick` in the five `SIZE_COLUMNS` cells of a group, `a / b / c / d / e`. */
function fiveMedians(pick: (cell: CellSummary) => Estimate | undefined) {
  return (group: readonly CellSummary[]): string =>
    SIZE_COLUMNS.map(({ policy, probe }) => {
      const cell = group.find((each) => each.policy === policy && each.probeSize === probe);
      const value = cell === undefined ? undefined : pick(cell);
      return value === undefined ? '—' : formatNumber(value.median);
    }).join(' / ');
}

/**
 * The traces at smaller VMARs and probes, one row per trace and VMAR size: where a real program
 * first needs a second VMAR, and whether the probe then matters as it does in the suite. Medians
 * only (each cell's interval is in the results and the HTML report).
 */
export function corpusSizes(results: ResultsFile): string {
  const groups = groupBy(
    results.cells.filter(
      (cell) => isTraceWorkload(cell.workload) && !hasExtraKnobs(cell) && cell.vmarSize !== null,
    ),
    (cell) => `${workloadAndArchitecture(cell)}|${String(cell.vmarSize)}`,
  );
  const workloadOrder = [...new Set(results.cells.map((cell) => cell.workload))];
  const ordered = groups.sort((left, right) => {
    const a = left[0] as CellSummary;
    const b = right[0] as CellSummary;
    return (
      workloadOrder.indexOf(a.workload) - workloadOrder.indexOf(b.workload) ||
      a.architecture.localeCompare(b.architecture) ||
      (a.vmarSize ?? 0) - (b.vmarSize ?? 0)
    );
  });
  const first = (group: readonly CellSummary[]) => group[0] as CellSummary;
  return markdownTable<CellSummary[]>(
    [
      ['trace', (group) => first(group).workload],
      ['arch', (group) => first(group).architecture],
      ['VMAR size', (group) => formatByteSize(first(group).vmarSize ?? 0)],
      [
        'compact VMARs at end: compact 32 MiB probe / 4 MiB / exact probe / shared list 32 MiB / 4 MiB',
        fiveMedians((cell) => cell.metrics.compactVmars),
      ],
      [
        'most page-table pages over the run, the same five',
        fiveMedians((cell) => cell.metrics.pageTablesMax),
      ],
      ['failed creations, the same five', fiveMedians((cell) => cell.metrics.failedCreations)],
    ],
    ordered,
  );
}
