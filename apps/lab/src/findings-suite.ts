import { formatByteSize } from '@vmars/cli-support';
import { WORKLOAD_DEFAULTS } from '@vmars/thread-workload';
import {
  atSeedKnobs,
  bytes,
  type Column,
  groupBy,
  knobsOrDash,
  markdownTable,
  pairedRatio,
  ratio,
  ratioToCompact,
  SWEEP_COLUMNS,
  workloadAndArchitecture,
} from './findings-table.js';
import { formatEstimate, formatNumber } from './format.js';
import { paretoFront } from './render-pareto.js';
import type { ResultsFile } from './results-file.js';
import { type CellSummary, hasExtraKnobs } from './summarize.js';

// The default sweep's findings tables, each made from its results file alone.

const workload: Column<CellSummary> = ['workload', (cell) => cell.workload];
const arch: Column<CellSummary> = ['arch', (cell) => cell.architecture];
const policy: Column<CellSummary> = ['policy', (cell) => cell.policy];
const pageTablesMax: Column<CellSummary> = [
  'most page-table pages over the run',
  (cell) => formatEstimate(cell.metrics.pageTablesMax),
];
const failedCreations: Column<CellSummary> = [
  'failed creations',
  (cell) => formatEstimate(cell.metrics.failedCreations),
];
const reservedPeak: Column<CellSummary> = [
  'reserved at peak',
  (cell) => formatEstimate(cell.metrics.reservedPeak, bytes),
];

export function source(results: ResultsFile): string {
  return markdownTable(
    [
      ...SWEEP_COLUMNS,
      ['cells', (file) => String(file.cells.length)],
      [
        'seeds per headline cell',
        (file) => String(Math.max(...file.cells.map((cell) => cell.runs))),
      ],
    ],
    [results],
  );
}

export function policies(results: ResultsFile): string {
  return markdownTable(
    [
      workload,
      arch,
      policy,
      pageTablesMax,
      ['÷ compact', (cell) => ratioToCompact(cell, cell.ratios.pageTablesMax)],
      ['÷ compact, at the peak', (cell) => ratioToCompact(cell, cell.ratios.pageTablesAtPeak)],
      reservedPeak,
      ['÷ compact, mean reserved', (cell) => ratioToCompact(cell, cell.ratios.reservedMean)],
      ['compact VMARs at end', (cell) => formatEstimate(cell.metrics.compactVmars)],
      failedCreations,
    ],
    results.cells.filter((cell) => atSeedKnobs(cell) && cell.workload !== 'fill-26k'),
  );
}

export function alignment(results: ResultsFile): string {
  const pairs: { cell: CellSummary; base: CellSummary }[] = [];
  for (const cell of results.cells) {
    if (cell.policy !== 'aligned' || !atSeedKnobs(cell) || cell.baseline === null) continue;
    const base = results.cells.find((other) => other.cell === cell.baseline);
    if (base !== undefined) pairs.push({ cell, base });
  }
  const pageDirectories = (record: { metrics: { pageTablesMaxLevels: readonly number[] } }) =>
    record.metrics.pageTablesMaxLevels[1] ?? 0;
  return markdownTable<{ cell: CellSummary; base: CellSummary }>(
    [
      ['workload', ({ cell }) => cell.workload],
      ['arch', ({ cell }) => cell.architecture],
      [
        'page-directory pages, most over the run: compact',
        ({ base }) => formatEstimate(base.levelsMax[1]),
      ],
      ['aligned', ({ cell }) => formatEstimate(cell.levelsMax[1])],
      [
        '÷ compact (page directories)',
        ({ cell, base }) => ratio(pairedRatio(results, cell.cell, base.cell, pageDirectories)),
      ],
      ['÷ compact (all levels)', ({ cell }) => ratio(cell.ratios.pageTablesMax)],
    ],
    pairs,
  );
}

const CHURN_WORKLOADS = ['steady-1k', 'steady-10k', 'bursty', 'mixed-lifetimes', 'steady-100'];

export function probe(results: ResultsFile): string {
  const rows = results.cells.filter(
    (cell) =>
      CHURN_WORKLOADS.includes(cell.workload) &&
      cell.architecture === 'x86_64' &&
      (cell.policy === 'exact-probe' || cell.policy === 'compact') &&
      !hasExtraKnobs(cell) &&
      cell.vmarSize === WORKLOAD_DEFAULTS.vmarSize,
  );
  return markdownTable(
    [
      workload,
      [
        'probe',
        (cell) =>
          cell.policy === 'exact-probe'
            ? 'exact (2 MiB + 4 KiB for a stack)'
            : formatByteSize(cell.probeSize ?? 0),
      ],
      [
        'machine-stack VMARs (1 GiB)',
        (cell) => formatEstimate(cell.metrics.compactVmarsMachineStack),
      ],
      ['probes per creation', (cell) => formatEstimate(cell.metrics.probesPerCreation)],
      [
        'failed probes per creation',
        (cell) => formatEstimate(cell.metrics.failedProbesPerCreation),
      ],
      failedCreations,
      pageTablesMax,
    ],
    rows,
  );
}

export function riscv(results: ResultsFile): string {
  return markdownTable(
    [
      arch,
      policy,
      ['knobs', knobsOrDash],
      ['threads created of 26,000', (cell) => formatEstimate(cell.metrics.created)],
      ['ENOMEM (policy)', (cell) => formatEstimate(cell.metrics.failedEnomem)],
      ['EAGAIN (libc)', (cell) => formatEstimate(cell.metrics.failedEagain)],
      ['compact VMARs', (cell) => formatEstimate(cell.metrics.compactVmars)],
      reservedPeak,
    ],
    results.cells.filter((cell) => cell.workload === 'fill-26k'),
  );
}

export function heatmap(results: ResultsFile): string {
  const compact = results.cells.filter(
    (cell) => cell.policy === 'compact' && cell.workload !== 'fill-26k' && !hasExtraKnobs(cell),
  );
  const rows = groupBy(compact, workloadAndArchitecture)
    .filter((group) => group.length >= 2)
    .flatMap((group) =>
      [...group].sort(
        (left, right) =>
          (left.vmarSize ?? 0) - (right.vmarSize ?? 0) ||
          (left.probeSize ?? 0) - (right.probeSize ?? 0),
      ),
    );
  return markdownTable(
    [
      workload,
      arch,
      ['VMAR size', (cell) => formatByteSize(cell.vmarSize ?? 0)],
      ['probe size', (cell) => formatByteSize(cell.probeSize ?? 0)],
      pageTablesMax,
      ['machine-stack VMARs', (cell) => formatEstimate(cell.metrics.compactVmarsMachineStack)],
      reservedPeak,
      failedCreations,
    ],
    rows,
  );
}

export function pareto(results: ResultsFile): string {
  const groups = groupBy(
    results.cells.filter(
      (cell) => cell.workload !== 'fill-26k' && cell.metrics.pageTablesMax !== undefined,
    ),
    workloadAndArchitecture,
  );
  const front = (group: readonly CellSummary[]): string => {
    const onFront = paretoFront(group);
    return group
      .filter((cell) => onFront.has(cell.cell))
      .sort((a, b) => (a.metrics.reservedPeak?.median ?? 0) - (b.metrics.reservedPeak?.median ?? 0))
      .map((cell) => {
        const pages = formatNumber(cell.metrics.pageTablesMax?.median ?? 0);
        const reserved = formatByteSize(cell.metrics.reservedPeak?.median ?? 0);
        return `${cell.policy} (${knobsOrDash(cell)}: ${pages} pages at most, ${reserved})`;
      })
      .join('; ');
  };
  return markdownTable<CellSummary[]>(
    [
      ['workload', (group) => group[0]?.workload ?? ''],
      ['arch', (group) => group[0]?.architecture ?? ''],
      ['on the Pareto front (fewest reserved bytes first)', front],
    ],
    groups,
  );
}

export function extraKnobs(results: ResultsFile): string {
  return markdownTable(
    [
      workload,
      arch,
      policy,
      ['knobs', knobsOrDash],
      pageTablesMax,
      ['÷ compact', (cell) => ratio(cell.ratios.pageTablesMax)],
      ['÷ compact, mean reserved', (cell) => ratio(cell.ratios.reservedMean)],
      ['compact VMARs, mean over the run', (cell) => formatEstimate(cell.metrics.compactVmarsMean)],
      failedCreations,
    ],
    results.cells.filter(hasExtraKnobs),
  );
}
