import { formatByteSize } from '@vmars/cli-support';
import { policyColour } from '@vmars/cli-support/page';
import { formatEstimate, knobs } from './format.js';
import { groupBy } from './group-by.js';
import { markerPath, policyMarker } from './lab-palette.js';
import {
  attribute,
  axes,
  chartFigure,
  FRAME,
  legend,
  tooltipAttributes,
  workloadAttributes,
} from './render-chart.js';
import type { Estimate } from './statistics.js';
import type { CellSummary } from './summarize.js';

const GiB = 2 ** 30;

/**
 * The cells not dominated in both the most page-table pages over the run and the address space
 * reserved at the peak (lower is better in both).
 */
export function paretoFront(cells: readonly CellSummary[]): Set<string> {
  const front = new Set<string>();
  for (const cell of cells) {
    const x = cell.metrics.reservedPeak?.median ?? Number.POSITIVE_INFINITY;
    const y = cell.metrics.pageTablesMax?.median ?? Number.POSITIVE_INFINITY;
    const dominated = cells.some((other) => {
      const ox = other.metrics.reservedPeak?.median ?? Number.POSITIVE_INFINITY;
      const oy = other.metrics.pageTablesMax?.median ?? Number.POSITIVE_INFINITY;
      return ox <= x && oy <= y && (ox < x || oy < y);
    });
    if (!dominated && Number.isFinite(x) && Number.isFinite(y)) front.add(cell.cell);
  }
  return front;
}

type Scale = (value: number) => number;

/** A chart per workload and architecture of every cell's page tables against reserved space. */
export function paretoCharts(cells: readonly CellSummary[]): string {
  const sections: string[] = [];
  const groups = groupBy(
    cells.filter((cell) => cell.metrics.pageTablesMax !== undefined),
    (cell) => `${cell.workload} on ${cell.architecture}`,
  );
  for (const [name, group] of groups) {
    sections.push(paretoChart(name, group, `pareto-${String(sections.length)}`));
  }
  return sections.join('');
}

function paretoChart(name: string, group: readonly CellSummary[], id: string): string {
  const front = paretoFront(group);
  const xs = group.flatMap((cell) =>
    [cell.metrics.reservedPeak?.low ?? 0, cell.metrics.reservedPeak?.high ?? 0].map((v) => v / GiB),
  );
  const ys = group.flatMap((cell) => [
    cell.metrics.pageTablesMax?.low ?? 0,
    cell.metrics.pageTablesMax?.high ?? 0,
  ]);
  const { svg, x, y } = axes(
    [0, Math.max(...xs)],
    [0, Math.max(...ys)],
    'address space reserved at the peak (GiB)',
    'most page-table pages over the run',
  );
  const parts: string[] = [svg, ...frontLine(group, front, x, y)];
  for (const cell of group) parts.push(...paretoPoint(name, cell, front.has(cell.cell), x, y));
  const policies = [...new Set(group.map((cell) => cell.policy))];
  return chartFigure({
    kind: 'pareto',
    id,
    dataAttributes: workloadAttributes(group[0]),
    title: `${name}: most page-table pages over the run against address space reserved at the peak`,
    description:
      `One point per policy and knob cell (${String(group.length)} cells): the medians over` +
      ' seeds, with the 95 % intervals of both as whiskers. Lower and further left is better;' +
      ' filled points are on the Pareto front (no other cell is lower in both), joined by the' +
      ' dashed line. Each policy has its own colour and marker shape. Hover over a point, or move' +
      ' to it with Tab or the arrow keys, for its numbers.',
    width: FRAME.width,
    height: FRAME.height,
    body: parts.join(''),
    legend: legend(
      policies,
      'marker',
      ' <span class="legend-item">filled: on the Pareto front; hollow: not; dashed line: the front</span>',
    ),
  });
}

/** The dashed line through the front's points, left to right, when it has more than one. */
function frontLine(
  group: readonly CellSummary[],
  front: ReadonlySet<string>,
  x: Scale,
  y: Scale,
): string[] {
  const reserved = (cell: CellSummary): number => cell.metrics.reservedPeak?.median ?? 0;
  const frontCells = group
    .filter((cell) => front.has(cell.cell))
    .sort((a, b) => reserved(a) - reserved(b));
  if (frontCells.length <= 1) return [];
  const points = frontCells.map((cell) => {
    const tables = cell.metrics.pageTablesMax?.median ?? 0;
    return `${x(reserved(cell) / GiB).toFixed(1)},${y(tables).toFixed(1)}`;
  });
  return [`<polyline class="front" data-kind="pareto-front" points="${points.join(' ')}"/>`];
}

/** A cell's point: its marker (filled on the front) and the whiskers of both intervals. */
function paretoPoint(
  name: string,
  cell: CellSummary,
  onFront: boolean,
  x: Scale,
  y: Scale,
): string[] {
  const reserved = cell.metrics.reservedPeak as Estimate;
  const tables = cell.metrics.pageTablesMax as Estimate;
  const cx = x(reserved.median / GiB).toFixed(1);
  const cy = y(tables.median).toFixed(1);
  const colour = policyColour(cell.policy);
  const tooltip = [
    `${cell.policy}, ${knobs(cell)}, ${name}`,
    `most page-table pages over the run: ${formatEstimate(tables)}`,
    `reserved at the peak: ${formatEstimate(reserved, (v) => formatByteSize(v))}`,
    onFront ? 'on the Pareto front' : 'not on the Pareto front',
  ];
  const marker = markerPath(
    policyMarker(cell.policy),
    x(reserved.median / GiB),
    y(tables.median),
    onFront ? 12 : 9,
  );
  const whisker = `<line class="whisker" stroke="${colour}"`;
  return [
    `<g class="point" data-kind="pareto-point" data-cell="${attribute(cell.cell)}"` +
      ` data-policy="${attribute(cell.policy)}" data-x="${attribute(reserved.median)}"` +
      ` data-y="${attribute(tables.median)}" data-front="${attribute(onFront)}"` +
      `${tooltipAttributes(tooltip)}>`,
    `${whisker} x1="${x(reserved.low / GiB).toFixed(1)}" y1="${cy}"` +
      ` x2="${x(reserved.high / GiB).toFixed(1)}" y2="${cy}"/>`,
    `${whisker} x1="${cx}" y1="${y(tables.low).toFixed(1)}" x2="${cx}" y2="${y(tables.high).toFixed(1)}"/>`,
    `<path class="marker" d="${marker}" fill="${onFront ? colour : 'white'}" stroke="${colour}"` +
      ' stroke-width="2"/>',
    '</g>',
  ];
}
