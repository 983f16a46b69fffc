import { escapeHtml } from '@vmars/cli-support';
import { policyColour } from '@vmars/cli-support/page';
import { formatEstimate, formatNumber, knobs, microseconds } from './format.js';
import { attribute } from './render-chart.js';
import type { ResultsFile } from './results-file.js';
import type { CellSummary } from './summarize.js';

const cells = (values: readonly string[]): string =>
  values.map((value) => `<td>${value}</td>`).join('');

function table(kind: string, headings: readonly string[], rows: readonly string[]): string {
  const head = headings.map((heading) => `<th>${heading}</th>`).join('');
  return (
    `<div class="scroll"><table data-kind="${kind}"><thead><tr>${head}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}

const RATIO_HEADINGS = [
  'workload',
  'arch',
  'policy',
  'knobs',
  'page-table pages at peak',
  '÷ compact: at peak',
  '÷ compact: max over run',
  '÷ compact: reserved at peak',
  'compact VMARs',
  'failed creations',
  'runs',
];

/** Every cell against `compact` on the same workload, architecture and seed. */
export function ratioTable(summaries: readonly CellSummary[]): string {
  const rows = summaries
    .filter((cell) => cell.baseline !== null)
    .map((cell) => {
      const ratio = cell.ratios.pageTablesAtPeak;
      const estimate = (value: Parameters<typeof formatEstimate>[0]): string =>
        escapeHtml(formatEstimate(value));
      const swatch = `<span class="swatch" style="background:${policyColour(cell.policy)}"></span>`;
      const failed = cell.failed > 0 ? ` (${String(cell.failed)} failed)` : '';
      return (
        `<tr data-kind="ratio-row" data-cell="${attribute(cell.cell)}"` +
        ` data-baseline="${attribute(cell.baseline ?? '')}"` +
        ` data-ratio-median="${attribute(ratio?.median ?? '')}">` +
        cells([
          escapeHtml(cell.workload),
          escapeHtml(cell.architecture),
          `${swatch}${escapeHtml(cell.policy)}`,
          escapeHtml(knobs(cell)),
          estimate(cell.metrics.pageTablesAtPeak),
          estimate(ratio),
          estimate(cell.ratios.pageTablesMax),
          estimate(cell.ratios.reservedPeak),
          estimate(cell.metrics.compactVmars),
          estimate(cell.metrics.failedCreations),
          `${String(cell.runs)}${failed}`,
        ]) +
        '</tr>'
      );
    });
  if (rows.length === 0) {
    return '<p>No comparison: the sweep has no <code>compact</code> cell to compare with.</p>';
  }
  return table('ratio-table', RATIO_HEADINGS, rows);
}

const WORKLOAD_HEADINGS = [
  'workload',
  'what',
  'seeds vary',
  'tasks',
  'most alive',
  'mean alive',
  'longest burst of creations',
  "life, share of the run's events: median / 90th",
  'life in time: median / 90th / most',
];

type WorkloadInfo = NonNullable<ResultsFile['workloads']>[number];

function workloadRow(info: WorkloadInfo): string {
  const { shape } = info;
  const lifetime = info.kind === 'trace' ? info.stats.lifetimeUs : null;
  const lifetimes =
    lifetime === null
      ? '—'
      : `${microseconds(lifetime.p50)} / ${microseconds(lifetime.p90)} / ${microseconds(lifetime.max)}`;
  const command = info.description === '' ? 'an unnamed command' : `“${info.description}”`;
  const what =
    info.kind === 'trace'
      ? `trace (${info.source}) of ${command}, ${info.file}`
      : `suite: ${info.description} (shape at seed ${String(info.shapeSeed)})`;
  const share = shape.lifetimeShare;
  return (
    `<tr data-kind="workload-row" data-workload="${attribute(info.name)}"` +
    ` data-workload-kind="${info.kind}" data-seeds-vary="${attribute(info.seedsVary)}"` +
    ` data-tasks="${String(shape.tasks)}" data-most-alive="${String(shape.mostAlive)}">` +
    cells([
      escapeHtml(info.name),
      escapeHtml(what),
      escapeHtml(info.seedsVary),
      formatNumber(shape.tasks),
      formatNumber(shape.mostAlive),
      formatNumber(shape.meanAlive),
      formatNumber(shape.longestBurst),
      `${formatNumber(share.p50)} % / ${formatNumber(share.p90)} %`,
      escapeHtml(lifetimes),
    ]) +
    '</tr>'
  );
}

/**
 * The sweep's workloads: suite or trace, what their seeds vary, and their shapes. Absent from
 * results written before the lab knew traces.
 */
export function workloadsTable(results: ResultsFile): string {
  const workloads = results.workloads;
  if (workloads === undefined || workloads.length === 0) return '';
  const trace = workloads.find((info) => info.kind === 'trace');
  const note =
    trace === undefined
      ? ''
      : '<p>A trace is one recorded run of its program, replayed as it is: for its runs the seeds' +
        ` vary ${escapeHtml(trace.seedsVary)}, so its intervals are ASLR's spread alone; a suite` +
        " workload's seeds also generate a different order of creations and exits.</p>";
  return `<h2>Workloads</h2>${note}${table('workloads-table', WORKLOAD_HEADINGS, workloads.map(workloadRow))}`;
}
