import { formatByteSize } from '@vmars/cli-support';
import { formatEstimate, formatNumber, knobText, paretoFront } from './render-html.js';
import type { ResultsFile } from './results-file.js';
import type { RunRecord } from './run-one.js';
import { type Estimate, estimate, pairedRatios } from './statistics.js';
import { type CellSummary, hasExtraKnobs } from './summarize.js';
import { isTraceWorkload } from './trace-ref.js';

/**
 * The findings doc's tables, each between `<!-- lab-table: NAME -->` and `<!-- /lab-table -->`,
 * made from a results file alone (the default sweep's, or for the `corpus-` tables the corpus
 * sweep's): `vmars-lab findings` rewrites them, `--check` (and a test) says whether the doc and
 * the results agree.
 */
const MARKER = /<!-- lab-table: ([a-z-]+) -->\n[\s\S]*?<!-- \/lab-table -->/g;

type OkRecord = Extract<RunRecord, { ok: true }>;

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const GiB = 2 ** 30;
const SEED_VMAR = GiB;
const SEED_PROBE = 32 * 2 ** 20;

function knobs(cell: CellSummary): string {
  return knobText(cell) || '—';
}

/** Cells at the seed's knob values (or none, for root and exact-probe's probe). */
function atSeedKnobs(cell: CellSummary): boolean {
  return (
    !hasExtraKnobs(cell) &&
    (cell.vmarSize === null || cell.vmarSize === SEED_VMAR) &&
    (cell.probeSize === null || cell.probeSize === SEED_PROBE)
  );
}

function okRuns(results: ResultsFile, cell: string): Map<number, OkRecord> {
  const runs = new Map<number, OkRecord>();
  for (const record of results.runs)
    if (record.ok && record.cell === cell) runs.set(record.seed, record);
  return runs;
}

/** Median and interval of per-seed ratios of `pick` between two cells. */
function pairedRatio(
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

function ratio(estimateValue: Estimate | undefined): string {
  return formatEstimate(estimateValue, (value) => `${value.toFixed(3)}×`);
}

const bytes = (value: number) => formatByteSize(value);

function source(results: ResultsFile): string {
  return table(
    ['sweep', 'hash', 'runs', 'failed', 'cells', 'seeds per headline cell'],
    [
      [
        results.sweep.name,
        `\`${results.sweep.hash}\``,
        `${String(results.runs.length)} of ${String(results.sweep.runs)}`,
        String(results.failed),
        String(results.cells.length),
        String(Math.max(...results.cells.map((cell) => cell.runs))),
      ],
    ],
  );
}

function policies(results: ResultsFile): string {
  const rows = results.cells
    .filter((cell) => atSeedKnobs(cell) && cell.workload !== 'fill-26k')
    .map((cell) => [
      cell.workload,
      cell.architecture,
      cell.policy,
      formatEstimate(cell.metrics.pageTablesMax),
      cell.policy === 'compact' ? '1' : ratio(cell.ratios.pageTablesMax),
      cell.policy === 'compact' ? '1' : ratio(cell.ratios.pageTablesAtPeak),
      formatEstimate(cell.metrics.reservedPeak, bytes),
      cell.policy === 'compact' ? '1' : ratio(cell.ratios.reservedMean),
      formatEstimate(cell.metrics.compactVmars),
      formatEstimate(cell.metrics.failedCreations),
    ]);
  return table(
    [
      'workload',
      'arch',
      'policy',
      'most page-table pages over the run',
      '÷ compact',
      '÷ compact, at the peak',
      'reserved at peak',
      '÷ compact, mean reserved',
      'compact VMARs at end',
      'failed creations',
    ],
    rows,
  );
}

function alignment(results: ResultsFile): string {
  const rows: string[][] = [];
  for (const cell of results.cells) {
    if (cell.policy !== 'aligned' || !atSeedKnobs(cell) || cell.baseline === null) continue;
    const base = results.cells.find((other) => other.cell === cell.baseline);
    if (base === undefined) continue;
    rows.push([
      cell.workload,
      cell.architecture,
      formatEstimate(base.levelsMax[1]),
      formatEstimate(cell.levelsMax[1]),
      ratio(
        pairedRatio(
          results,
          cell.cell,
          base.cell,
          (record) => record.metrics.pageTablesMaxLevels[1] ?? 0,
        ),
      ),
      ratio(cell.ratios.pageTablesMax),
    ]);
  }
  return table(
    [
      'workload',
      'arch',
      'page-directory pages, most over the run: compact',
      'aligned',
      '÷ compact (page directories)',
      '÷ compact (all levels)',
    ],
    rows,
  );
}

function probe(results: ResultsFile): string {
  const rows: string[][] = [];
  for (const cell of results.cells) {
    const isChurn = ['steady-1k', 'steady-10k', 'bursty', 'mixed-lifetimes', 'steady-100'].includes(
      cell.workload,
    );
    if (!isChurn || cell.architecture !== 'x86_64') continue;
    if (!(cell.policy === 'exact-probe' || cell.policy === 'compact') || hasExtraKnobs(cell)) {
      continue;
    }
    if (cell.vmarSize !== SEED_VMAR) continue;
    rows.push([
      cell.workload,
      cell.policy === 'exact-probe'
        ? 'exact (2 MiB + 4 KiB for a stack)'
        : formatByteSize(cell.probeSize ?? 0),
      formatEstimate(cell.metrics.compactVmarsMachineStack),
      formatEstimate(cell.metrics.probesPerCreation),
      formatEstimate(cell.metrics.failedProbesPerCreation),
      formatEstimate(cell.metrics.failedCreations),
      formatEstimate(cell.metrics.pageTablesMax),
    ]);
  }
  return table(
    [
      'workload',
      'probe',
      'machine-stack VMARs (1 GiB)',
      'probes per creation',
      'failed probes per creation',
      'failed creations',
      'most page-table pages over the run',
    ],
    rows,
  );
}

function riscv(results: ResultsFile): string {
  const rows = results.cells
    .filter((cell) => cell.workload === 'fill-26k')
    .map((cell) => [
      cell.architecture,
      cell.policy,
      knobs(cell),
      formatEstimate(cell.metrics.created),
      formatEstimate(cell.metrics.failedEnomem),
      formatEstimate(cell.metrics.failedEagain),
      formatEstimate(cell.metrics.compactVmars),
      formatEstimate(cell.metrics.reservedPeak, bytes),
    ]);
  return table(
    [
      'arch',
      'policy',
      'knobs',
      'threads created of 26,000',
      'ENOMEM (policy)',
      'EAGAIN (libc)',
      'compact VMARs',
      'reserved at peak',
    ],
    rows,
  );
}

function heatmap(results: ResultsFile): string {
  const compact = results.cells.filter(
    (cell) => cell.policy === 'compact' && cell.workload !== 'fill-26k' && !hasExtraKnobs(cell),
  );
  const rows: string[][] = [];
  const groups = new Map<string, CellSummary[]>();
  for (const cell of compact) {
    const key = `${cell.workload}|${cell.architecture}`;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const ordered = [...group].sort(
      (left, right) =>
        (left.vmarSize ?? 0) - (right.vmarSize ?? 0) ||
        (left.probeSize ?? 0) - (right.probeSize ?? 0),
    );
    for (const cell of ordered) {
      rows.push([
        cell.workload,
        cell.architecture,
        formatByteSize(cell.vmarSize ?? 0),
        formatByteSize(cell.probeSize ?? 0),
        formatEstimate(cell.metrics.pageTablesMax),
        formatEstimate(cell.metrics.compactVmarsMachineStack),
        formatEstimate(cell.metrics.reservedPeak, bytes),
        formatEstimate(cell.metrics.failedCreations),
      ]);
    }
  }
  return table(
    [
      'workload',
      'arch',
      'VMAR size',
      'probe size',
      'most page-table pages over the run',
      'machine-stack VMARs',
      'reserved at peak',
      'failed creations',
    ],
    rows,
  );
}

function pareto(results: ResultsFile): string {
  const groups = new Map<string, CellSummary[]>();
  for (const cell of results.cells) {
    if (cell.workload === 'fill-26k' || cell.metrics.pageTablesMax === undefined) continue;
    const key = `${cell.workload}|${cell.architecture}`;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const rows: string[][] = [];
  for (const group of groups.values()) {
    const front = paretoFront(group);
    const names = group
      .filter((cell) => front.has(cell.cell))
      .sort((a, b) => (a.metrics.reservedPeak?.median ?? 0) - (b.metrics.reservedPeak?.median ?? 0))
      .map(
        (cell) =>
          `${cell.policy} (${knobs(cell)}: ${formatNumber(cell.metrics.pageTablesMax?.median ?? 0)} pages at most, ${formatByteSize(cell.metrics.reservedPeak?.median ?? 0)})`,
      );
    rows.push([group[0]?.workload ?? '', group[0]?.architecture ?? '', names.join('; ')]);
  }
  return table(['workload', 'arch', 'on the Pareto front (fewest reserved bytes first)'], rows);
}

function extraKnobs(results: ResultsFile): string {
  const rows = results.cells
    .filter(hasExtraKnobs)
    .map((cell) => [
      cell.workload,
      cell.architecture,
      cell.policy,
      knobs(cell),
      formatEstimate(cell.metrics.pageTablesMax),
      ratio(cell.ratios.pageTablesMax),
      ratio(cell.ratios.reservedMean),
      formatEstimate(cell.metrics.compactVmarsMean),
      formatEstimate(cell.metrics.failedCreations),
    ]);
  return table(
    [
      'workload',
      'arch',
      'policy',
      'knobs',
      'most page-table pages over the run',
      '÷ compact',
      '÷ compact, mean reserved',
      'compact VMARs, mean over the run',
      'failed creations',
    ],
    rows,
  );
}

function microseconds(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(value >= 1e7 ? 1 : 2)} s`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(value >= 1e4 ? 1 : 2)} ms`;
  return `${formatNumber(value)} µs`;
}

function corpusSource(results: ResultsFile): string {
  const workloads = results.workloads ?? [];
  const traces = workloads.filter((info) => info.kind === 'trace');
  return table(
    ['sweep', 'hash', 'runs', 'failed', 'traces', 'suite workloads beside them', 'seeds per cell'],
    [
      [
        results.sweep.name,
        `\`${results.sweep.hash}\``,
        `${String(results.runs.length)} of ${String(results.sweep.runs)}`,
        String(results.failed),
        String(traces.length),
        workloads
          .filter((info) => info.kind === 'suite')
          .map((info) => info.name)
          .join(', ') || 'none',
        [...new Set(results.cells.map((cell) => cell.runs))].sort((a, b) => a - b).join(', '),
      ],
    ],
  );
}

function corpusShapes(results: ResultsFile): string {
  const workloads = results.workloads ?? [];
  const ordered = [
    ...workloads.filter((info) => info.kind === 'trace'),
    ...workloads.filter((info) => info.kind === 'suite'),
  ];
  const rows = ordered.map((info) => {
    const { shape } = info;
    const trace = info.kind === 'trace' ? info.stats : undefined;
    return [
      info.name,
      info.kind === 'suite'
        ? `suite (seed ${String(info.shapeSeed)})`
        : [
            plural(info.stats.threads, 'thread', 'threads'),
            plural(info.stats.processes, 'process', 'processes'),
            ...(info.stats.unknownKind > 0
              ? [`${formatNumber(info.stats.unknownKind)} unknown`]
              : []),
          ].join(', '),
      formatNumber(shape.tasks),
      formatNumber(shape.mostAlive),
      formatNumber(shape.meanAlive),
      formatNumber(shape.longestBurst),
      `${formatNumber(shape.lifetimeShare.p50)} % / ${formatNumber(shape.lifetimeShare.p90)} %`,
      trace?.lifetimeUs == null
        ? '—'
        : `${microseconds(trace.lifetimeUs.p50)} / ${microseconds(trace.lifetimeUs.p90)} / ${microseconds(trace.lifetimeUs.max)}`,
      trace === undefined ? '—' : microseconds(trace.durationUs),
    ];
  });
  return table(
    [
      'workload',
      'tasks are',
      'tasks',
      'most alive',
      'alive on average',
      'longest burst of creations',
      'life as a share of the run’s events: median / 90th pct.',
      'life in time: median / 90th pct. / longest',
      'trace’s length',
    ],
    rows,
  );
}

/**
 * The corpus sweep's cells at the seed's knobs, grouped by workload and architecture (traces
 * first, each group in the order the results first name it), policies in the results' order.
 */
function corpusCells(results: ResultsFile): CellSummary[] {
  const groups = new Map<string, CellSummary[]>();
  for (const cell of results.cells.filter(atSeedKnobs)) {
    const key = `${cell.workload}|${cell.architecture}`;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const ordered = [...groups.values()];
  return [
    ...ordered.filter((group) => isTraceWorkload(group[0]?.workload ?? '')),
    ...ordered.filter((group) => !isTraceWorkload(group[0]?.workload ?? '')),
  ].flat();
}

const plural = (count: number, one: string, many: string): string =>
  `${formatNumber(count)} ${count === 1 ? one : many}`;

function corpusPolicies(results: ResultsFile): string {
  const rows = corpusCells(results)
    .filter((cell) => isTraceWorkload(cell.workload))
    .map((cell) => [
      cell.workload,
      cell.architecture,
      cell.policy,
      formatEstimate(cell.metrics.pageTablesMax),
      cell.policy === 'compact' ? '1' : ratio(cell.ratios.pageTablesMax),
      formatEstimate(cell.metrics.reservedPeak, bytes),
      cell.policy === 'compact' ? '1' : ratio(cell.ratios.reservedMean),
      formatEstimate(cell.metrics.compactVmars),
      formatEstimate(cell.metrics.probesPerCreation),
      formatEstimate(cell.metrics.failedCreations),
    ]);
  return table(
    [
      'trace',
      'arch',
      'policy',
      'most page-table pages over the run',
      '÷ compact',
      'reserved at peak',
      '÷ compact, mean reserved',
      'compact VMARs at end',
      'probes per creation',
      'failed creations',
    ],
    rows,
  );
}

/** The suite's advice, workload by workload: each alternative's median ratio to `compact`. */
function corpusAdvice(results: ResultsFile): string {
  const byWorkload = new Map<string, CellSummary[]>();
  for (const cell of corpusCells(results)) {
    const key = `${cell.workload}|${cell.architecture}`;
    byWorkload.set(key, [...(byWorkload.get(key) ?? []), cell]);
  }
  const pick = (group: readonly CellSummary[], policy: string) =>
    group.find((cell) => cell.policy === policy);
  const rows: string[][] = [];
  for (const group of byWorkload.values()) {
    const first = group[0] as CellSummary;
    const exact = pick(group, 'exact-probe');
    const shared = pick(group, 'shared-list');
    const root = pick(group, 'root');
    rows.push([
      first.workload,
      first.architecture,
      ratio(exact?.ratios.pageTablesMax),
      ratio(exact?.ratios.reservedMean),
      ratio(shared?.ratios.pageTablesMax),
      ratio(shared?.ratios.reservedMean),
      ratio(root?.ratios.pageTablesMax),
    ]);
  }
  return table(
    [
      'workload',
      'arch',
      'exact-probe ÷ compact: most page tables',
      'exact-probe: mean reserved',
      'shared-list ÷ compact: most page tables',
      'shared-list: mean reserved',
      'root ÷ compact: most page tables',
    ],
    rows,
  );
}

/**
 * The traces at smaller VMARs and probes, one row per trace and VMAR size: where a real program
 * first needs a second VMAR, and whether the probe then matters as it does in the suite. Medians
 * only (each cell's interval is in the results and the HTML report).
 */
function corpusSizes(results: ResultsFile): string {
  const SMALL_PROBE = 4 * 2 ** 20;
  const columns: readonly { readonly policy: string; readonly probe: number | null }[] = [
    { policy: 'compact', probe: SEED_PROBE },
    { policy: 'compact', probe: SMALL_PROBE },
    { policy: 'exact-probe', probe: null },
    { policy: 'shared-list', probe: SEED_PROBE },
    { policy: 'shared-list', probe: SMALL_PROBE },
  ];
  const rows = new Map<string, CellSummary[]>();
  for (const cell of results.cells) {
    if (!isTraceWorkload(cell.workload) || hasExtraKnobs(cell) || cell.vmarSize === null) continue;
    const key = `${cell.workload}|${cell.architecture}|${String(cell.vmarSize)}`;
    rows.set(key, [...(rows.get(key) ?? []), cell]);
  }
  const workloadOrder = [...new Set(results.cells.map((cell) => cell.workload))];
  const ordered = [...rows.values()].sort((left, right) => {
    const a = left[0] as CellSummary;
    const b = right[0] as CellSummary;
    return (
      workloadOrder.indexOf(a.workload) - workloadOrder.indexOf(b.workload) ||
      a.architecture.localeCompare(b.architecture) ||
      (a.vmarSize ?? 0) - (b.vmarSize ?? 0)
    );
  });
  const median = (
    group: readonly CellSummary[],
    pick: (cell: CellSummary) => Estimate | undefined,
  ): string =>
    columns
      .map(({ policy, probe }) => {
        const cell = group.find((each) => each.policy === policy && each.probeSize === probe);
        const value = cell === undefined ? undefined : pick(cell);
        return value === undefined ? '—' : formatNumber(value.median);
      })
      .join(' / ');
  return table(
    [
      'trace',
      'arch',
      'VMAR size',
      'compact VMARs at end: compact 32 MiB probe / 4 MiB / exact probe / shared list 32 MiB / 4 MiB',
      'most page-table pages over the run, the same five',
      'failed creations, the same five',
    ],
    ordered.map((group) => {
      const first = group[0] as CellSummary;
      return [
        first.workload,
        first.architecture,
        formatByteSize(first.vmarSize ?? 0),
        median(group, (cell) => cell.metrics.compactVmars),
        median(group, (cell) => cell.metrics.pageTablesMax),
        median(group, (cell) => cell.metrics.failedCreations),
      ];
    }),
  );
}

/** Which results file a table is made from. */
export type FindingsSource = 'default' | 'corpus';

const TABLES: Readonly<
  Record<
    string,
    { readonly source: FindingsSource; readonly make: (results: ResultsFile) => string }
  >
> = {
  source: { source: 'default', make: source },
  policies: { source: 'default', make: policies },
  alignment: { source: 'default', make: alignment },
  probe: { source: 'default', make: probe },
  riscv: { source: 'default', make: riscv },
  heatmap: { source: 'default', make: heatmap },
  knobs: { source: 'default', make: extraKnobs },
  pareto: { source: 'default', make: pareto },
  'corpus-source': { source: 'corpus', make: corpusSource },
  'corpus-shapes': { source: 'corpus', make: corpusShapes },
  'corpus-advice': { source: 'corpus', make: corpusAdvice },
  'corpus-policies': { source: 'corpus', make: corpusPolicies },
  'corpus-sizes': { source: 'corpus', make: corpusSizes },
};

/** The names of the tables the doc may hold. */
export const FINDINGS_TABLES = Object.keys(TABLES);

/** The results files the tables are made from: the corpus sweep's only where the doc uses it. */
export interface FindingsResults {
  readonly default: ResultsFile;
  readonly corpus?: ResultsFile;
}

function sourcesOf(results: ResultsFile | FindingsResults): FindingsResults {
  return 'tool' in results ? { default: results } : results;
}

/** The source of table `name`, or `undefined` for a name no table has. */
export function findingsTableSource(name: string): FindingsSource | undefined {
  return TABLES[name]?.source;
}

/** The table `name` made from its results, between its markers. */
export function findingsTable(name: string, results: ResultsFile | FindingsResults): string {
  const entry = TABLES[name];
  if (entry === undefined)
    throw new Error(`unknown findings table "${name}" (known: ${FINDINGS_TABLES.join(', ')})`);
  const from = sourcesOf(results)[entry.source];
  if (from === undefined)
    throw new Error(`findings table "${name}" needs the ${entry.source} sweep's results`);
  return `<!-- lab-table: ${name} -->\n${entry.make(from)}\n<!-- /lab-table -->`;
}

/** The sources the tables of `doc` are made from. */
export function findingsSourcesOf(doc: string): Set<FindingsSource> {
  const sources = new Set<FindingsSource>();
  for (const match of doc.matchAll(MARKER)) {
    const source = TABLES[match[1] as string]?.source;
    if (source !== undefined) sources.add(source);
  }
  return sources;
}

/** `doc` with every table regenerated from `results`. */
export function renderFindings(doc: string, results: ResultsFile | FindingsResults): string {
  return doc.replace(MARKER, (_match, name: string) => findingsTable(name, results));
}

/** The tables of `doc` that differ from what `results` makes (empty when they agree). */
export function checkFindings(doc: string, results: ResultsFile | FindingsResults): string[] {
  const sources = sourcesOf(results);
  const problems: string[] = [];
  let found = 0;
  for (const match of doc.matchAll(MARKER)) {
    found += 1;
    const name = match[1] as string;
    const entry = TABLES[name];
    if (entry === undefined) problems.push(`unknown table "${name}"`);
    else if (sources[entry.source] === undefined)
      problems.push(`table "${name}" needs the ${entry.source} sweep's results`);
    else if (match[0] !== findingsTable(name, sources))
      problems.push(`table "${name}" differs (run vmars-lab findings)`);
  }
  if (found === 0) problems.push('the doc has no lab-table markers');
  return problems;
}
