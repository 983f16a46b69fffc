import { policyColour, policyDash } from '@vmars/cli-support/page';
import { formatNumber, knobs } from './format.js';
import { groupBy } from './group-by.js';
import { attribute, axes, chartFigure, FRAME, legend, tooltipAttributes } from './render-chart.js';
import type { ResultsFile } from './results-file.js';
import type { TimeSeries } from './run-one.js';

type RunWithSeries = ResultsFile['runs'][number] & { ok: true; series: TimeSeries };

const METRICS = [
  ['pageTables', 'page-table pages'],
  ['compactVmars', 'compact VMARs'],
] as const;

/** The chosen runs' time series: per workload, architecture and seed, a chart per metric. */
export function seriesCharts(results: ResultsFile): string {
  const withSeries = results.runs.filter(
    (record): record is RunWithSeries => record.ok && record.series !== undefined,
  );
  if (withSeries.length === 0) {
    return (
      '<p>No time series: the sweep chose no cells for them (<code>timeSeries</code> in the' +
      ' spec, <code>--time-series</code>).</p>'
    );
  }
  const sections: string[] = [];
  const groups = groupBy(
    withSeries,
    (record) => `${record.workload} on ${record.architecture}, seed ${String(record.seed)}`,
  );
  for (const [name, group] of groups) {
    for (const [metric, label] of METRICS) {
      const id = `series-${String(sections.length)}`;
      sections.push(seriesChart(name, group, metric, label, id));
    }
  }
  return sections.join('');
}

function seriesChart(
  name: string,
  group: readonly RunWithSeries[],
  metric: (typeof METRICS)[number][0],
  label: string,
  id: string,
): string {
  const maxEvent = Math.max(...group.flatMap((record) => record.series.event));
  const maxValue = Math.max(1, ...group.flatMap((record) => record.series[metric]));
  const { svg, x, y } = axes(
    [0, maxEvent],
    [0, maxValue],
    'thread events done (creations and exits)',
    label,
  );
  const paths = group.map((record) => {
    const values = record.series[metric];
    const points = record.series.event.map(
      (event, index) => `${x(event).toFixed(1)},${y(values[index] ?? 0).toFixed(1)}`,
    );
    const last = values[values.length - 1] ?? 0;
    const most = formatNumber(Math.max(0, ...values));
    const tooltip = [
      `${record.policy}, ${knobs(record)}, ${name}`,
      `${label}: ${formatNumber(last)} at the end, ${most} at most`,
    ];
    const dash = policyDash(record.policy);
    return (
      `<polyline class="series" data-kind="series" data-cell="${attribute(record.cell)}"` +
      ` data-policy="${attribute(record.policy)}" data-metric="${metric}"` +
      ` data-last="${attribute(last)}" stroke="${policyColour(record.policy)}"` +
      `${dash === '' ? '' : ` stroke-dasharray="${dash}"`} points="${points.join(' ')}"` +
      `${tooltipAttributes(tooltip)}/>`
    );
  });
  const policies = [...new Set(group.map((record) => record.policy))];
  return chartFigure({
    kind: 'time-series',
    id,
    dataAttributes: ` data-metric="${metric}"`,
    title: `${label} over the run: ${name}`,
    description:
      `One line per policy and knob cell: ${label} after each sampled thread event of the run` +
      ' with this seed. Each policy has its own colour and dash. Hover over a line, or move to it' +
      ' with Tab or the arrow keys, for its last and largest value.',
    width: FRAME.width,
    height: FRAME.height,
    body: `${svg}${paths.join('')}`,
    legend: legend(policies, 'line'),
  });
}
