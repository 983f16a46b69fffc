import { escapeHtml, formatByteSize } from '@vmars/cli-support';
import { heatColour, markerPath, policyColour, policyDash, policyMarker } from './lab-palette.js';
import { LAB_PAGE_SCRIPT } from './page-script.generated.js';
import type { ResultsFile } from './results-file.js';
import type { TimeSeries } from './run-one.js';
import type { Estimate } from './statistics.js';
import { type CellSummary, hasExtraKnobs } from './summarize.js';

const attribute = (value: string | number | boolean): string => escapeHtml(String(value));

const colourOf = policyColour;

/**
 * What makes a mark of a chart show its numbers: focusable with Tab, named for screen readers
 * (`aria-label`, the lines joined), and `data-tooltip` (one fact a line), which the page's script
 * shows beside it on hover and on focus.
 */
function tooltipAttributes(lines: readonly string[]): string {
  return ` tabindex="0" role="img" aria-label="${attribute(lines.join('; '))}" data-tooltip="${attribute(lines.join('\n'))}"`;
}

/**
 * A chart as a `<figure>`: its title as the caption and the SVG's `<title>`, its description as a
 * paragraph and the SVG's `<desc>` (the SVG is labelled and described by them), the SVG in a box
 * that scrolls sideways on a narrow screen, and the legend under it.
 */
function chartFigure(options: {
  readonly kind: string;
  readonly id: string;
  readonly dataAttributes: string;
  readonly title: string;
  readonly description: string;
  readonly width: number;
  readonly height: number;
  readonly body: string;
  readonly legend: string;
}): string {
  const { kind, id, title, description, width, height } = options;
  return `<figure data-kind="${kind}"${options.dataAttributes}><figcaption>${escapeHtml(title)}</figcaption><p class="description">${escapeHtml(description)}</p><div class="scroll"><svg class="chart" data-chart="${kind}" role="group" aria-labelledby="${id}-title" aria-describedby="${id}-desc" viewBox="0 0 ${String(width)} ${String(height)}" width="${String(width)}" height="${String(height)}"><title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc>${options.body}</svg></div>${options.legend}</figure>`;
}

/**
 * A number for people: integers as they are (with separators), others with one decimal from 100
 * up and three significant digits below (a median of an even count may end in .5).
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 100) return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return Number(value.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** `median [low, high]`. */
export function formatEstimate(estimate: Estimate | undefined, format = formatNumber): string {
  if (estimate === undefined) return 'n/a';
  return `${format(estimate.median)} [${format(estimate.low)}, ${format(estimate.high)}]`;
}

/** The knob values of a cell for people: `VMAR 1GiB, probe 32MiB, align 2MiB, 4 spare`. */
export function knobText(summary: {
  readonly vmarSize: number | null;
  readonly probeSize: number | null;
  readonly align?: number;
  readonly keepSpare?: number | null;
}): string {
  const parts: string[] = [];
  if (summary.vmarSize !== null) parts.push(`VMAR ${formatByteSize(summary.vmarSize)}`);
  if (summary.probeSize !== null) parts.push(`probe ${formatByteSize(summary.probeSize)}`);
  if (summary.align !== undefined) {
    parts.push(summary.align === 0 ? 'no alignment' : `align ${formatByteSize(summary.align)}`);
  }
  if (summary.keepSpare !== undefined) {
    parts.push(summary.keepSpare === null ? 'never release' : `${String(summary.keepSpare)} spare`);
  }
  return parts.join(', ');
}

function knobs(summary: Parameters<typeof knobText>[0]): string {
  return knobText(summary) || 'no knobs';
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const list = groups.get(name);
    if (list === undefined) groups.set(name, [item]);
    else list.push(item);
  }
  return groups;
}

/** Five round ticks from 0 (or the minimum) to at least `max`. */
function ticks(min: number, max: number): number[] {
  const span = max - min || Math.abs(max) || 1;
  const rough = span / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= rough) ?? rough;
  const start = Math.floor(min / step) * step;
  const result: number[] = [];
  for (let value = start; value <= max + step * 0.999; value += step)
    result.push(Number(value.toPrecision(12)));
  return result;
}

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const FRAME: Frame = { width: 460, height: 300, left: 64, right: 16, top: 16, bottom: 44 };

/** Axes with ticks, labels and units; returns the SVG and the scales. */
function axes(
  xDomain: [number, number],
  yDomain: [number, number],
  xLabel: string,
  yLabel: string,
) {
  const xTicks = ticks(xDomain[0], xDomain[1]);
  const yTicks = ticks(yDomain[0], yDomain[1]);
  const x0 = xTicks[0] as number;
  const x1 = xTicks[xTicks.length - 1] as number;
  const y0 = yTicks[0] as number;
  const y1 = yTicks[yTicks.length - 1] as number;
  const plotWidth = FRAME.width - FRAME.left - FRAME.right;
  const plotHeight = FRAME.height - FRAME.top - FRAME.bottom;
  const x = (value: number): number => FRAME.left + ((value - x0) / (x1 - x0 || 1)) * plotWidth;
  const y = (value: number): number =>
    FRAME.top + plotHeight - ((value - y0) / (y1 - y0 || 1)) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<line class="axis" x1="${FRAME.left}" y1="${FRAME.top + plotHeight}" x2="${FRAME.left + plotWidth}" y2="${FRAME.top + plotHeight}"/>`,
    `<line class="axis" x1="${FRAME.left}" y1="${FRAME.top}" x2="${FRAME.left}" y2="${FRAME.top + plotHeight}"/>`,
  );
  for (const tick of xTicks) {
    parts.push(
      `<line class="tick" x1="${x(tick).toFixed(1)}" y1="${FRAME.top + plotHeight}" x2="${x(tick).toFixed(1)}" y2="${FRAME.top + plotHeight + 4}"/>`,
      `<text class="tick-label" x="${x(tick).toFixed(1)}" y="${FRAME.top + plotHeight + 16}" text-anchor="middle">${escapeHtml(formatNumber(tick))}</text>`,
    );
  }
  for (const tick of yTicks) {
    parts.push(
      `<line class="grid" x1="${FRAME.left}" y1="${y(tick).toFixed(1)}" x2="${FRAME.left + plotWidth}" y2="${y(tick).toFixed(1)}"/>`,
      `<text class="tick-label" x="${FRAME.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(formatNumber(tick))}</text>`,
    );
  }
  parts.push(
    `<text class="axis-label" x="${FRAME.left + plotWidth / 2}" y="${FRAME.height - 6}" text-anchor="middle">${escapeHtml(xLabel)}</text>`,
    `<text class="axis-label" transform="translate(14 ${FRAME.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yLabel)}</text>`,
  );
  return { svg: parts.join(''), x, y };
}

/** The policies' marks: the marker shape and colour of the Pareto charts, or the line and dash of the time series. */
function legend(policies: readonly string[], mark: 'marker' | 'line', extra = ''): string {
  const items = policies.map((policy) => {
    const colour = colourOf(policy);
    const dash = policyDash(policy);
    const sample =
      mark === 'marker'
        ? `<svg class="legend-mark" width="14" height="14" aria-hidden="true"><path d="${markerPath(policyMarker(policy), 7, 7, 10)}" fill="${colour}" stroke="${colour}" stroke-width="1.5"/></svg>`
        : `<svg class="legend-mark" width="28" height="14" aria-hidden="true"><line x1="1" y1="7" x2="27" y2="7" stroke="${colour}" stroke-width="2.5"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/></svg>`;
    return `<span class="legend-item" data-kind="legend" data-policy="${attribute(policy)}">${sample} ${escapeHtml(policy)}</span>`;
  });
  return `<p class="legend">${items.join(' ')}${extra}</p>`;
}

function heatmaps(cells: readonly CellSummary[]): string {
  const compact = cells.filter(
    (cell) =>
      cell.policy === 'compact' &&
      !hasExtraKnobs(cell) &&
      cell.vmarSize !== null &&
      cell.probeSize !== null,
  );
  const sections: string[] = [];
  for (const [name, group] of groupBy(
    compact,
    (cell) => `${cell.workload} on ${cell.architecture}`,
  )) {
    const vmarSizes = [...new Set(group.map((cell) => cell.vmarSize as number))].sort(
      (a, b) => a - b,
    );
    const probeSizes = [...new Set(group.map((cell) => cell.probeSize as number))].sort(
      (a, b) => a - b,
    );
    if (vmarSizes.length * probeSizes.length < 2) continue;
    const values = group.map((cell) => cell.metrics.pageTablesMax?.median ?? 0);
    const min = Math.min(...values);
    const max = Math.max(...values);
    const cellWidth = 110;
    const cellHeight = 40;
    const left = 90;
    const top = 40;
    const width = Math.max(left + cellWidth * probeSizes.length + 20, left + 380);
    const height = top + cellHeight * vmarSizes.length + 64;
    const parts: string[] = [];
    vmarSizes.forEach((vmarSize, row) => {
      parts.push(
        `<text class="tick-label" x="${left - 6}" y="${top + row * cellHeight + cellHeight / 2 + 4}" text-anchor="end">${escapeHtml(formatByteSize(vmarSize))}</text>`,
      );
      probeSizes.forEach((probeSize, column) => {
        const cell = group.find(
          (each) => each.vmarSize === vmarSize && each.probeSize === probeSize,
        );
        const x = left + column * cellWidth;
        const y = top + row * cellHeight;
        if (cell === undefined) {
          const missing = [
            `compact, VMAR ${formatByteSize(vmarSize)}, probe ${formatByteSize(probeSize)}, ${name}`,
            'not in the sweep (a probe larger than its VMAR is left out)',
          ];
          parts.push(
            `<rect class="heat-missing" data-kind="heatmap-missing" x="${x}" y="${y}" width="${cellWidth - 2}" height="${cellHeight - 2}"${tooltipAttributes(missing)}/><text class="heat-text" x="${x + cellWidth / 2}" y="${y + cellHeight / 2 + 4}" text-anchor="middle">n/a</text>`,
          );
          return;
        }
        const estimate = cell.metrics.pageTablesMax;
        const median = estimate?.median ?? 0;
        const fraction = max === min ? 0.5 : (median - min) / (max - min);
        const tooltip = [
          `compact, ${knobs(cell)}, ${name}`,
          `most page-table pages over the run: ${formatEstimate(estimate)}`,
          `compact VMARs: ${formatEstimate(cell.metrics.compactVmars)}`,
          `failed creations: ${formatEstimate(cell.metrics.failedCreations)}`,
          `median [95 % interval] over ${String(cell.runs)} runs`,
        ];
        parts.push(
          `<rect class="heat-cell" data-kind="heatmap-cell" data-cell="${attribute(cell.cell)}" data-metric="pageTablesMax" data-median="${attribute(median)}" data-low="${attribute(estimate?.low ?? 0)}" data-high="${attribute(estimate?.high ?? 0)}" x="${x}" y="${y}" width="${cellWidth - 2}" height="${cellHeight - 2}" fill="${heatColour(fraction)}"${tooltipAttributes(tooltip)}/>`,
          `<text class="heat-text${fraction > 0.55 ? ' on-dark' : ''}" x="${x + cellWidth / 2}" y="${y + cellHeight / 2 + 4}" text-anchor="middle">${escapeHtml(formatNumber(median))}</text>`,
        );
      });
    });
    probeSizes.forEach((probeSize, column) => {
      parts.push(
        `<text class="tick-label" x="${left + column * cellWidth + cellWidth / 2}" y="${top - 8}" text-anchor="middle">${escapeHtml(formatByteSize(probeSize))}</text>`,
      );
    });
    parts.push(
      `<text class="axis-label" x="${left + (cellWidth * probeSizes.length) / 2}" y="12" text-anchor="middle">probe size</text>`,
      `<text class="axis-label" transform="translate(12 ${top + (cellHeight * vmarSizes.length) / 2}) rotate(-90)" text-anchor="middle">VMAR size</text>`,
    );
    // The colour scale, low to high.
    const scaleTop = top + cellHeight * vmarSizes.length + 14;
    for (let step = 0; step < 10; step++) {
      parts.push(
        `<rect x="${left + step * 16}" y="${scaleTop}" width="16" height="10" fill="${heatColour(step / 9)}"/>`,
      );
    }
    parts.push(
      `<text class="tick-label" x="${left}" y="${scaleTop + 24}">${escapeHtml(formatNumber(min))}</text>`,
      `<text class="tick-label" x="${left + 160}" y="${scaleTop + 24}" text-anchor="end">${escapeHtml(formatNumber(max))}</text>`,
      `<text class="tick-label" x="${left}" y="${scaleTop + 40}">colour: most page-table pages over the run (median over seeds)</text>`,
    );
    sections.push(
      chartFigure({
        kind: 'heatmap',
        id: `heatmap-${String(sections.length)}`,
        dataAttributes: ` data-workload="${attribute(group[0]?.workload ?? '')}" data-architecture="${attribute(group[0]?.architecture ?? '')}"`,
        title: `compact, ${name}: most page-table pages over the run, by VMAR size and probe size`,
        description: `One cell per VMAR size (rows) and probe size (columns) of the compact policy, coloured by the median over seeds of the most page-table pages over the run, from pale (${formatNumber(min)}) to dark (${formatNumber(max)}); n/a where the sweep has no such cell. Hover over a cell, or move to it with Tab or the arrow keys, for its 95 % interval, compact VMARs and failed creations.`,
        width,
        height,
        body: parts.join(''),
        legend: '',
      }),
    );
  }
  if (sections.length === 0)
    return '<p>No heatmap: the sweep has one VMAR size and one probe size for <code>compact</code>.</p>';
  return sections.join('');
}

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

function paretoCharts(cells: readonly CellSummary[]): string {
  const sections: string[] = [];
  const GiB = 2 ** 30;
  for (const [name, group] of groupBy(
    cells.filter((cell) => cell.metrics.pageTablesMax !== undefined),
    (cell) => `${cell.workload} on ${cell.architecture}`,
  )) {
    const front = paretoFront(group);
    const xs = group.flatMap((cell) =>
      [cell.metrics.reservedPeak?.low ?? 0, cell.metrics.reservedPeak?.high ?? 0].map(
        (v) => v / GiB,
      ),
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
    const parts: string[] = [svg];
    const frontCells = group
      .filter((cell) => front.has(cell.cell))
      .sort(
        (a, b) => (a.metrics.reservedPeak?.median ?? 0) - (b.metrics.reservedPeak?.median ?? 0),
      );
    if (frontCells.length > 1) {
      const points = frontCells.map(
        (cell) =>
          `${x((cell.metrics.reservedPeak?.median ?? 0) / GiB).toFixed(1)},${y(cell.metrics.pageTablesMax?.median ?? 0).toFixed(1)}`,
      );
      parts.push(`<polyline class="front" data-kind="pareto-front" points="${points.join(' ')}"/>`);
    }
    for (const cell of group) {
      const reserved = cell.metrics.reservedPeak as Estimate;
      const tables = cell.metrics.pageTablesMax as Estimate;
      const cx = x(reserved.median / GiB);
      const cy = y(tables.median);
      const colour = colourOf(cell.policy);
      const onFront = front.has(cell.cell);
      const tooltip = [
        `${cell.policy}, ${knobs(cell)}, ${name}`,
        `most page-table pages over the run: ${formatEstimate(tables)}`,
        `reserved at the peak: ${formatEstimate(reserved, (v) => formatByteSize(v))}`,
        onFront ? 'on the Pareto front' : 'not on the Pareto front',
      ];
      parts.push(
        `<g class="point" data-kind="pareto-point" data-cell="${attribute(cell.cell)}" data-policy="${attribute(cell.policy)}" data-x="${attribute(reserved.median)}" data-y="${attribute(tables.median)}" data-front="${attribute(onFront)}"${tooltipAttributes(tooltip)}>`,
        `<line class="whisker" stroke="${colour}" x1="${x(reserved.low / GiB).toFixed(1)}" y1="${cy.toFixed(1)}" x2="${x(reserved.high / GiB).toFixed(1)}" y2="${cy.toFixed(1)}"/>`,
        `<line class="whisker" stroke="${colour}" x1="${cx.toFixed(1)}" y1="${y(tables.low).toFixed(1)}" x2="${cx.toFixed(1)}" y2="${y(tables.high).toFixed(1)}"/>`,
        `<path class="marker" d="${markerPath(policyMarker(cell.policy), cx, cy, onFront ? 12 : 9)}" fill="${onFront ? colour : 'white'}" stroke="${colour}" stroke-width="2"/>`,
        '</g>',
      );
    }
    const policies = [...new Set(group.map((cell) => cell.policy))];
    sections.push(
      chartFigure({
        kind: 'pareto',
        id: `pareto-${String(sections.length)}`,
        dataAttributes: ` data-workload="${attribute(group[0]?.workload ?? '')}" data-architecture="${attribute(group[0]?.architecture ?? '')}"`,
        title: `${name}: most page-table pages over the run against address space reserved at the peak`,
        description: `One point per policy and knob cell (${String(group.length)} cells): the medians over seeds, with the 95 % intervals of both as whiskers. Lower and further left is better; filled points are on the Pareto front (no other cell is lower in both), joined by the dashed line. Each policy has its own colour and marker shape. Hover over a point, or move to it with Tab or the arrow keys, for its numbers.`,
        width: FRAME.width,
        height: FRAME.height,
        body: parts.join(''),
        legend: legend(
          policies,
          'marker',
          ' <span class="legend-item">filled: on the Pareto front; hollow: not; dashed line: the front</span>',
        ),
      }),
    );
  }
  return sections.join('');
}

function ratioTable(cells: readonly CellSummary[]): string {
  const rows = cells
    .filter((cell) => cell.baseline !== null)
    .map((cell) => {
      const ratio = cell.ratios.pageTablesAtPeak;
      return `<tr data-kind="ratio-row" data-cell="${attribute(cell.cell)}" data-baseline="${attribute(cell.baseline ?? '')}" data-ratio-median="${attribute(ratio?.median ?? '')}"><td>${escapeHtml(cell.workload)}</td><td>${escapeHtml(cell.architecture)}</td><td><span class="swatch" style="background:${colourOf(cell.policy)}"></span>${escapeHtml(cell.policy)}</td><td>${escapeHtml(knobs(cell))}</td><td>${escapeHtml(formatEstimate(cell.metrics.pageTablesAtPeak))}</td><td>${escapeHtml(formatEstimate(ratio))}</td><td>${escapeHtml(formatEstimate(cell.ratios.pageTablesMax))}</td><td>${escapeHtml(formatEstimate(cell.ratios.reservedPeak))}</td><td>${escapeHtml(formatEstimate(cell.metrics.compactVmars))}</td><td>${escapeHtml(formatEstimate(cell.metrics.failedCreations))}</td><td>${String(cell.runs)}${cell.failed > 0 ? ` (${String(cell.failed)} failed)` : ''}</td></tr>`;
    });
  if (rows.length === 0)
    return '<p>No comparison: the sweep has no <code>compact</code> cell to compare with.</p>';
  return `<div class="scroll"><table data-kind="ratio-table"><thead><tr><th>workload</th><th>arch</th><th>policy</th><th>knobs</th><th>page-table pages at peak</th><th>÷ compact: at peak</th><th>÷ compact: max over run</th><th>÷ compact: reserved at peak</th><th>compact VMARs</th><th>failed creations</th><th>runs</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function seriesCharts(results: ResultsFile): string {
  const withSeries = results.runs.filter(
    (record): record is typeof record & { ok: true; series: TimeSeries } =>
      record.ok && record.series !== undefined,
  );
  if (withSeries.length === 0)
    return '<p>No time series: the sweep chose no cells for them (<code>timeSeries</code> in the spec, <code>--time-series</code>).</p>';
  const sections: string[] = [];
  for (const [name, group] of groupBy(
    withSeries,
    (record) => `${record.workload} on ${record.architecture}, seed ${String(record.seed)}`,
  )) {
    for (const [metric, label] of [
      ['pageTables', 'page-table pages'],
      ['compactVmars', 'compact VMARs'],
    ] as const) {
      const maxEvent = Math.max(...group.flatMap((record) => record.series.event));
      const maxValue = Math.max(1, ...group.flatMap((record) => record.series[metric]));
      const { svg, x, y } = axes(
        [0, maxEvent],
        [0, maxValue],
        'thread events done (creations and exits)',
        label,
      );
      const paths = group.map((record) => {
        const points = record.series.event.map(
          (event, index) =>
            `${x(event).toFixed(1)},${y(record.series[metric][index] ?? 0).toFixed(1)}`,
        );
        const values = record.series[metric];
        const last = values[values.length - 1] ?? 0;
        const tooltip = [
          `${record.policy}, ${knobs(record)}, ${name}`,
          `${label}: ${formatNumber(last)} at the end, ${formatNumber(Math.max(0, ...values))} at most`,
        ];
        const dash = policyDash(record.policy);
        return `<polyline class="series" data-kind="series" data-cell="${attribute(record.cell)}" data-policy="${attribute(record.policy)}" data-metric="${metric}" data-last="${attribute(last)}" stroke="${colourOf(record.policy)}"${dash === '' ? '' : ` stroke-dasharray="${dash}"`} points="${points.join(' ')}"${tooltipAttributes(tooltip)}/>`;
      });
      const policies = [...new Set(group.map((record) => record.policy))];
      sections.push(
        chartFigure({
          kind: 'time-series',
          id: `series-${String(sections.length)}`,
          dataAttributes: ` data-metric="${metric}"`,
          title: `${label} over the run: ${name}`,
          description: `One line per policy and knob cell: ${label} after each sampled thread event of the run with this seed. Each policy has its own colour and dash. Hover over a line, or move to it with Tab or the arrow keys, for its last and largest value.`,
          width: FRAME.width,
          height: FRAME.height,
          body: `${svg}${paths.join('')}`,
          legend: legend(policies, 'line'),
        }),
      );
    }
  }
  return sections.join('');
}

function microseconds(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(value >= 1e7 ? 1 : 2)} s`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(value >= 1e4 ? 1 : 2)} ms`;
  return `${formatNumber(value)} µs`;
}

/**
 * The sweep's workloads: suite or trace, what their seeds vary, and their shapes. Absent from
 * results written before the lab knew traces.
 */
function workloadsTable(results: ResultsFile): string {
  const workloads = results.workloads;
  if (workloads === undefined || workloads.length === 0) return '';
  const rows = workloads.map((info) => {
    const { shape } = info;
    const lifetimes =
      info.kind === 'trace' && info.stats.lifetimeUs !== null
        ? `${microseconds(info.stats.lifetimeUs.p50)} / ${microseconds(info.stats.lifetimeUs.p90)} / ${microseconds(info.stats.lifetimeUs.max)}`
        : '—';
    const what =
      info.kind === 'trace'
        ? `trace (${info.source}) of ${info.description === '' ? 'an unnamed command' : `“${info.description}”`}, ${info.file}`
        : `suite: ${info.description} (shape at seed ${String(info.shapeSeed)})`;
    return `<tr data-kind="workload-row" data-workload="${attribute(info.name)}" data-workload-kind="${info.kind}" data-seeds-vary="${attribute(info.seedsVary)}" data-tasks="${String(shape.tasks)}" data-most-alive="${String(shape.mostAlive)}"><td>${escapeHtml(info.name)}</td><td>${escapeHtml(what)}</td><td>${escapeHtml(info.seedsVary)}</td><td>${formatNumber(shape.tasks)}</td><td>${formatNumber(shape.mostAlive)}</td><td>${formatNumber(shape.meanAlive)}</td><td>${formatNumber(shape.longestBurst)}</td><td>${formatNumber(shape.lifetimeShare.p50)} % / ${formatNumber(shape.lifetimeShare.p90)} %</td><td>${escapeHtml(lifetimes)}</td></tr>`;
  });
  const traces = workloads.filter((info) => info.kind === 'trace').length;
  const note =
    traces === 0
      ? ''
      : `<p>A trace is one recorded run of its program, replayed as it is: for its runs the seeds vary ${escapeHtml(workloads.find((info) => info.kind === 'trace')?.seedsVary ?? '')}, so its intervals are ASLR's spread alone; a suite workload's seeds also generate a different order of creations and exits.</p>`;
  return `<h2>Workloads</h2>${note}<div class="scroll"><table data-kind="workloads-table"><thead><tr><th>workload</th><th>what</th><th>seeds vary</th><th>tasks</th><th>most alive</th><th>mean alive</th><th>longest burst of creations</th><th>life, share of the run's events: median / 90th</th><th>life in time: median / 90th / most</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 16px; color: #222; background: #fff; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; }
h1, p { overflow-wrap: anywhere; }
figure { display: inline-block; max-width: 100%; margin: 8px 16px 16px 0; vertical-align: top; }
figcaption { font-weight: 600; max-width: 460px; }
.description { font-size: 12px; color: #444; max-width: 460px; margin: 2px 0 6px; }
.scroll { overflow-x: auto; max-width: 100%; }
svg.chart { display: block; }
.axis { stroke: #333; } .tick { stroke: #333; } .grid { stroke: #e4e4e4; }
.tick-label { font-size: 11px; fill: #333; } .axis-label { font-size: 12px; fill: #111; }
.whisker { stroke-width: 1.5; opacity: 0.7; pointer-events: none; }
.front { fill: none; stroke: #111; stroke-dasharray: 4 3; pointer-events: none; }
.series { fill: none; stroke-width: 2; }
.heat-text { font-size: 12px; fill: #111; pointer-events: none; } .heat-text.on-dark { fill: #fff; } .heat-missing { fill: #eee; }
.chart [tabindex] { cursor: default; outline: none; }
.chart .point:hover .marker, .chart .point:focus .marker { stroke: #000; stroke-width: 3; }
.chart .heat-cell:hover, .chart .heat-cell:focus, .chart .heat-missing:focus { stroke: #000; stroke-width: 3; }
.chart .series:hover, .chart .series:focus { stroke-width: 4; }
svg.chart:focus-within { outline: 2px solid #0072b2; outline-offset: 2px; }
.legend { font-size: 12px; margin: 4px 0; max-width: 460px; } .legend-item { margin-right: 12px; white-space: nowrap; }
.legend-mark { vertical-align: middle; }
table { border-collapse: collapse; font-size: 12px; } th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
#tooltip { position: fixed; pointer-events: none; background: #222; color: #fff; padding: 6px 8px; border-radius: 4px; font-size: 12px; line-height: 1.4; max-width: 320px; z-index: 2; white-space: pre-line; }
`;

/**
 * The sweep's report: one self-contained page (inline SVG, style and script, no URL), with a
 * heatmap of VMAR size by probe size per workload, a Pareto chart per workload, the table of every
 * policy against `compact`, and the chosen time series. Every figure carries `data-*` attributes
 * with the numbers of the results file, for tests and browser checks; every heatmap cell, Pareto
 * point and time series shows its numbers on hover and on keyboard focus (`src/page/`).
 */
export function renderLabHtml(results: ResultsFile): string {
  const cells = results.cells;
  return `<!DOCTYPE html>
<html lang="en" data-tool="vmars-lab" data-sweep="${attribute(results.sweep.name)}" data-sweep-hash="${attribute(results.sweep.hash)}" data-runs="${String(results.runs.length)}" data-failed="${String(results.failed)}" data-complete="${String(results.complete)}">
<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>vmars-lab: ${escapeHtml(results.sweep.name)}</title><style>${STYLE}</style></head>
<body>
<h1>vmars-lab: sweep “${escapeHtml(results.sweep.name)}”</h1>
<p>${String(results.runs.length)} of ${String(results.sweep.runs)} runs${results.shard === null ? '' : ` (shard ${String(results.shard.index)}/${String(results.shard.count)})`}, ${String(results.failed)} failed${results.complete ? '' : ', incomplete'}. Every figure is a median over seeds with a distribution-free 95 % interval (order statistics); ratios are per seed against <code>compact</code> on the same workload, architecture and seed.</p>
${workloadsTable(results)}
<h2>VMAR size × probe size (compact)</h2>
${heatmaps(cells)}
<h2>Pareto front: page tables against reserved address space</h2>
${paretoCharts(cells)}
<h2>Every policy against compact</h2>
${ratioTable(cells)}
<h2>Over a run</h2>
${seriesCharts(results)}
<div id="tooltip" role="status" aria-live="polite" hidden></div>
<script>${LAB_PAGE_SCRIPT}</script>
</body>
</html>
`;
}
