import { escapeHtml, formatByteSize } from '@vmars/cli-support';
import { formatEstimate, formatNumber, knobs } from './format.js';
import { groupBy } from './group-by.js';
import { heatColour } from './lab-palette.js';
import { attribute, chartFigure, tooltipAttributes, workloadAttributes } from './render-chart.js';
import { type CellSummary, hasExtraKnobs } from './summarize.js';

/** The heatmap's geometry: cells of 110 by 40, after 90 on the left and 40 on top. */
const CELL = { width: 110, height: 40 } as const;
const LEFT = 90;
const TOP = 40;

/** One heatmap's grid: compact's cells of one workload on one architecture. */
interface Grid {
  /** `workload on architecture`. */
  readonly name: string;
  readonly group: readonly CellSummary[];
  readonly vmarSizes: readonly number[];
  readonly probeSizes: readonly number[];
  readonly min: number;
  readonly max: number;
}

const sortedSizes = (values: readonly number[]): number[] =>
  [...new Set(values)].sort((a, b) => a - b);

/**
 * A heatmap per workload and architecture of the most page-table pages over the run, by compact's
 * VMAR size (rows) and probe size (columns), where the sweep has at least two such cells.
 */
export function heatmaps(cells: readonly CellSummary[]): string {
  const compact = cells.filter(
    (cell) =>
      cell.policy === 'compact' &&
      !hasExtraKnobs(cell) &&
      cell.vmarSize !== null &&
      cell.probeSize !== null,
  );
  const sections: string[] = [];
  const groups = groupBy(compact, (cell) => `${cell.workload} on ${cell.architecture}`);
  for (const [name, group] of groups) {
    const vmarSizes = sortedSizes(group.map((cell) => cell.vmarSize as number));
    const probeSizes = sortedSizes(group.map((cell) => cell.probeSize as number));
    if (vmarSizes.length * probeSizes.length < 2) continue;
    const values = group.map((cell) => cell.metrics.pageTablesMax?.median ?? 0);
    const grid = {
      name,
      group,
      vmarSizes,
      probeSizes,
      min: Math.min(...values),
      max: Math.max(...values),
    };
    sections.push(heatmapFigure(grid, `heatmap-${String(sections.length)}`));
  }
  if (sections.length === 0) {
    return '<p>No heatmap: the sweep has one VMAR size and one probe size for <code>compact</code>.</p>';
  }
  return sections.join('');
}

function heatmapFigure(grid: Grid, id: string): string {
  const { vmarSizes, probeSizes, min, max } = grid;
  const parts: string[] = [];
  vmarSizes.forEach((vmarSize, row) => {
    const y = TOP + row * CELL.height + CELL.height / 2 + 4;
    parts.push(
      `<text class="tick-label" x="${LEFT - 6}" y="${y}" text-anchor="end">${escapeHtml(formatByteSize(vmarSize))}</text>`,
    );
    probeSizes.forEach((probeSize, column) => {
      parts.push(
        ...gridCell(grid, vmarSize, probeSize, LEFT + column * CELL.width, TOP + row * CELL.height),
      );
    });
  });
  probeSizes.forEach((probeSize, column) => {
    const x = LEFT + column * CELL.width + CELL.width / 2;
    parts.push(
      `<text class="tick-label" x="${x}" y="${TOP - 8}" text-anchor="middle">${escapeHtml(formatByteSize(probeSize))}</text>`,
    );
  });
  parts.push(
    `<text class="axis-label" x="${LEFT + (CELL.width * probeSizes.length) / 2}" y="12"` +
      ' text-anchor="middle">probe size</text>',
    `<text class="axis-label" transform="translate(12 ${TOP + (CELL.height * vmarSizes.length) / 2})` +
      ' rotate(-90)" text-anchor="middle">VMAR size</text>',
    ...colourScale(grid),
  );
  return chartFigure({
    kind: 'heatmap',
    id,
    dataAttributes: workloadAttributes(grid.group[0]),
    title: `compact, ${grid.name}: most page-table pages over the run, by VMAR size and probe size`,
    description:
      'One cell per VMAR size (rows) and probe size (columns) of the compact policy, coloured by' +
      ' the median over seeds of the most page-table pages over the run, from pale' +
      ` (${formatNumber(min)}) to dark (${formatNumber(max)}); n/a where the sweep has no such` +
      ' cell. Hover over a cell, or move to it with Tab or the arrow keys, for its 95 % interval,' +
      ' compact VMARs and failed creations.',
    width: Math.max(LEFT + CELL.width * probeSizes.length + 20, LEFT + 380),
    height: TOP + CELL.height * vmarSizes.length + 64,
    body: parts.join(''),
    legend: '',
  });
}

/** One cell of the grid at (x, y): coloured with its median, or grey `n/a` when not swept. */
function gridCell(grid: Grid, vmarSize: number, probeSize: number, x: number, y: number): string[] {
  const cell = grid.group.find(
    (each) => each.vmarSize === vmarSize && each.probeSize === probeSize,
  );
  const box = `x="${x}" y="${y}" width="${CELL.width - 2}" height="${CELL.height - 2}"`;
  const textAt = `x="${x + CELL.width / 2}" y="${y + CELL.height / 2 + 4}" text-anchor="middle"`;
  if (cell === undefined) {
    const missing = [
      `compact, VMAR ${formatByteSize(vmarSize)}, probe ${formatByteSize(probeSize)}, ${grid.name}`,
      'not in the sweep (a probe larger than its VMAR is left out)',
    ];
    return [
      `<rect class="heat-missing" data-kind="heatmap-missing" ${box}${tooltipAttributes(missing)}/>` +
        `<text class="heat-text" ${textAt}>n/a</text>`,
    ];
  }
  const estimate = cell.metrics.pageTablesMax;
  const median = estimate?.median ?? 0;
  const fraction = grid.max === grid.min ? 0.5 : (median - grid.min) / (grid.max - grid.min);
  const tooltip = [
    `compact, ${knobs(cell)}, ${grid.name}`,
    `most page-table pages over the run: ${formatEstimate(estimate)}`,
    `compact VMARs: ${formatEstimate(cell.metrics.compactVmars)}`,
    `failed creations: ${formatEstimate(cell.metrics.failedCreations)}`,
    `median [95 % interval] over ${String(cell.runs)} runs`,
  ];
  return [
    `<rect class="heat-cell" data-kind="heatmap-cell" data-cell="${attribute(cell.cell)}"` +
      ` data-metric="pageTablesMax" data-median="${attribute(median)}"` +
      ` data-low="${attribute(estimate?.low ?? 0)}" data-high="${attribute(estimate?.high ?? 0)}"` +
      ` ${box} fill="${heatColour(fraction)}"${tooltipAttributes(tooltip)}/>`,
    `<text class="heat-text${fraction > 0.55 ? ' on-dark' : ''}" ${textAt}>${escapeHtml(formatNumber(median))}</text>`,
  ];
}

/** The colour scale under the grid, low to high, with its ends' values and what it shows. */
function colourScale(grid: Grid): string[] {
  const scaleTop = TOP + CELL.height * grid.vmarSizes.length + 14;
  const parts: string[] = [];
  for (let step = 0; step < 10; step++) {
    parts.push(
      `<rect x="${LEFT + step * 16}" y="${scaleTop}" width="16" height="10" fill="${heatColour(step / 9)}"/>`,
    );
  }
  parts.push(
    `<text class="tick-label" x="${LEFT}" y="${scaleTop + 24}">${escapeHtml(formatNumber(grid.min))}</text>`,
    `<text class="tick-label" x="${LEFT + 160}" y="${scaleTop + 24}" text-anchor="end">` +
      `${escapeHtml(formatNumber(grid.max))}</text>`,
    `<text class="tick-label" x="${LEFT}" y="${scaleTop + 40}">` +
      'colour: most page-table pages over the run (median over seeds)</text>',
  );
  return parts;
}
