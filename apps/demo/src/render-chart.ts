import { escapeHtml } from '@vmars/cli-support';
import { policyColour, policyDash } from '@vmars/cli-support/page';
import type { DemoReport, Sample } from './demo-report.js';
import { count, px } from './html-text.js';

/** One chart of a figure over the samples, one line per policy. */
export interface LineChart {
  /** `data-chart` and `data-series`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly yLabel: string;
  /** The values' unit, in tooltips and the table. */
  readonly unit: string;
  /** A log scale lets a handful of compact VMARs and thousands of per-block VMARs share a chart. */
  readonly scale: 'linear' | 'log';
  readonly value: (sample: Sample) => number;
}

const WIDTH = 1000;
const HEIGHT = 300;
const LEFT = 84;
const RIGHT = 24;
const TOP = 36;
const BOTTOM = 54;

/** A chart's scales: where a sample's position and value go, and the axes' ticks. */
interface ChartScales {
  /** The x axis' end: the trace's last time (µs) for a trace's replay, else the events. */
  readonly span: number;
  /** True for a trace's replay, drawn over the trace's own time as the slider moves. */
  readonly overTime: boolean;
  readonly position: (sample: Sample) => number;
  readonly x: (value: number) => number;
  readonly y: (amount: number) => number;
  readonly yTicks: readonly number[];
}

const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

function chartScales(report: DemoReport, chart: LineChart): ChartScales {
  const traceEnd =
    report.workload.pattern === 'trace'
      ? Math.max(1, report.policies[0]?.samples.at(-1)?.time ?? 1)
      : undefined;
  const span = traceEnd ?? Math.max(1, report.workload.events);
  const values = report.policies.flatMap((policy) => policy.samples.map(chart.value));
  const maximum = Math.max(1, ...values);
  const yTicks = chart.scale === 'log' ? logTicks(maximum) : niceTicks(maximum);
  const top = yTicks.at(-1) ?? maximum;
  const level = (amount: number): number =>
    chart.scale === 'log' ? Math.log10(1 + amount) / Math.log10(1 + top) : amount / top;
  return {
    span,
    overTime: traceEnd !== undefined,
    position: (sample) => (traceEnd === undefined ? sample.event : (sample.time ?? 0)),
    x: (value) => LEFT + (value / span) * PLOT_WIDTH,
    y: (amount) => TOP + (1 - level(amount)) * PLOT_HEIGHT,
    yTicks,
  };
}

/** Seconds from microseconds, with at most six decimals, as the x axis labels a trace's time. */
const secondsText = (timeUs: number): string => String(Number((timeUs / 1e6).toFixed(6)));

/** Title, grid, ticks, axes and their labels, and the slider's cursor (hidden until it moves). */
function chartAxes(report: DemoReport, chart: LineChart, scales: ChartScales): string[] {
  const { x, y, span, overTime } = scales;
  const id = `chart-${chart.id}`;
  const bottom = HEIGHT - BOTTOM;
  const xLabel = overTime
    ? `seconds from the trace's start, of ${secondsText(span)}`
    : `events done (thread creations and ends), of ${count(report.workload.events)}`;
  return [
    `<title id="${id}-title">${escapeHtml(chart.title)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(chart.description)}</desc>`,
    `<text x="${String(LEFT)}" y="20" class="axis-label">${escapeHtml(chart.title)}</text>`,
    // Axes, and a light grid line per y tick.
    ...scales.yTicks.map((tick) => {
      const at = px(y(tick));
      return (
        `<line x1="${String(LEFT)}" x2="${String(WIDTH - RIGHT)}" y1="${at}" y2="${at}" stroke="#e4e4e4"/>` +
        `<line x1="${String(LEFT - 5)}" x2="${String(LEFT)}" y1="${at}" y2="${at}" stroke="#777"/>` +
        `<text class="tick" x="${String(LEFT - 8)}" y="${px(y(tick) + 4)}" text-anchor="end">${count(tick)}</text>`
      );
    }),
    ...niceTicks(span).map((tick) => {
      const at = px(x(tick));
      return (
        `<line x1="${at}" x2="${at}" y1="${String(bottom)}" y2="${String(bottom + 5)}" stroke="#777"/>` +
        `<text class="tick" x="${at}" y="${String(bottom + 18)}" text-anchor="middle">` +
        `${overTime ? secondsText(tick) : count(tick)}</text>`
      );
    }),
    `<line x1="${String(LEFT)}" y1="${String(bottom)}" x2="${String(WIDTH - RIGHT)}" y2="${String(bottom)}" stroke="#777"/>`,
    `<line x1="${String(LEFT)}" y1="${String(TOP)}" x2="${String(LEFT)}" y2="${String(bottom)}" stroke="#777"/>`,
    `<text class="axis-label" x="${String(LEFT + PLOT_WIDTH / 2)}" y="${String(HEIGHT - 10)}"` +
      ` text-anchor="middle">${xLabel}</text>`,
    `<text class="axis-label" transform="translate(16 ${String(TOP + PLOT_HEIGHT / 2)}) rotate(-90)"` +
      ` text-anchor="middle">${escapeHtml(chart.yLabel)}</text>`,
    `<line class="cursor" data-x0="${String(LEFT)}" data-x1="${String(WIDTH - RIGHT)}"` +
      ` data-events="${String(span)}"${overTime ? ' data-axis="time"' : ''} x1="${String(LEFT)}"` +
      ` x2="${String(LEFT)}" y1="${String(TOP)}" y2="${String(bottom)}" stroke="#555"` +
      ' stroke-dasharray="2 3" visibility="hidden"/>',
  ];
}

/** A policy's line, its points, and its entry in the legend (top right). */
function policyLine(
  chart: LineChart,
  scales: ChartScales,
  policy: DemoReport['policies'][number],
  index: number,
): string[] {
  const { x, y, position } = scales;
  const colour = policyColour(policy.policy);
  const dash = policyDash(policy.policy);
  const dashAttribute = dash === '' ? '' : ` stroke-dasharray="${dash}"`;
  const name = escapeHtml(policy.policy);
  const points = [
    { event: 0, amount: 0 },
    ...policy.samples.map((sample) => ({ event: position(sample), amount: chart.value(sample) })),
  ];
  const line = points.map((point) => `${px(x(point.event))},${px(y(point.amount))}`).join(' ');
  // The legend, top right: a piece of the line and its marker, then the name.
  const legendX = WIDTH - RIGHT - 200 + index * 100;
  const hollow = index % 2 === 1;
  return [
    `<line x1="${String(legendX)}" x2="${String(legendX + 28)}" y1="16" y2="16" stroke="${colour}" stroke-width="2.5"${dashAttribute}/>`,
    marker(legendX + 14, 16, colour, hollow, ''),
    `<text x="${String(legendX + 34)}" y="20">${name}</text>`,
    `<polyline data-policy="${name}" data-series="${chart.id}" points="${line}" fill="none"` +
      ` stroke="${colour}" stroke-width="2"${dashAttribute}/>`,
    ...policy.samples.map((sample) => {
      const time = sample.time === undefined ? '' : ` data-time="${String(sample.time)}"`;
      const attributes =
        ` class="point" data-policy="${name}" data-series="${chart.id}"` +
        ` data-event="${String(sample.event)}"${time} data-value="${String(chart.value(sample))}"`;
      return marker(x(position(sample)), y(chart.value(sample)), colour, hollow, attributes);
    }),
  ];
}

/** The chart's numbers as a table, one click away: a row per sample, a column per policy. */
function chartTable(report: DemoReport, chart: LineChart): string {
  const unit = escapeHtml(chart.unit);
  const headings = report.policies
    .map((policy) => `<th scope="col">${escapeHtml(policy.policy)} (${unit})</th>`)
    .join('');
  const rows = (report.policies[0]?.samples ?? []).map((sample, index) => {
    const values = report.policies.map((policy) => {
      const other = policy.samples[index];
      return `<td>${other === undefined ? '' : count(chart.value(other))}</td>`;
    });
    return `<tr><th scope="row">${count(sample.event)}</th>${values.join('')}</tr>`;
  });
  return [
    `<details><summary>Table: ${escapeHtml(chart.title)}, at each sample</summary>`,
    '<div class="scroll"><table class="chart-table">',
    `<thead><tr><th scope="col">after event</th>${headings}</tr></thead><tbody>`,
    ...rows,
    '</tbody></table></div></details>',
  ].join('');
}

/**
 * A line chart as a `<figure>`: an SVG with ticks and labels on both axes, a legend, one
 * `<circle class="point" data-policy data-series data-event data-value>` (and `data-time` for a
 * trace's replay, whose x axis is the trace's time) per sample (the page's script shows each
 * one's value on hover or with the arrow keys), and the same numbers as a table one click away.
 */
export function renderLineChart(report: DemoReport, chart: LineChart): string {
  const scales = chartScales(report, chart);
  const id = `chart-${chart.id}`;
  const elements = [
    ...chartAxes(report, chart, scales),
    ...report.policies.flatMap((policy, index) => policyLine(chart, scales, policy, index)),
  ];
  const size = `width="${String(WIDTH)}" height="${String(HEIGHT)}" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}"`;
  return [
    `<figure class="chart-figure" data-chart="${chart.id}">`,
    `<div class="scroll"><svg class="chart" data-chart="${chart.id}" data-unit="${escapeHtml(chart.unit)}"` +
      ` tabindex="0" ${size} role="group" aria-labelledby="${id}-title" aria-describedby="${id}-desc">`,
    elements.join('\n'),
    '</svg></div>',
    `<figcaption>${escapeHtml(chart.description)}</figcaption>`,
    chartTable(report, chart),
    '</figure>',
  ].join('\n');
}

function marker(
  cx: number,
  cy: number,
  colour: string,
  hollow: boolean,
  attributes: string,
): string {
  // Filled circles for the first policy, hollow ones for the second: told apart without colour.
  const fill = hollow ? '#fff' : colour;
  return `<circle${attributes} cx="${px(cx)}" cy="${px(cy)}" r="3.5" fill="${fill}" stroke="${colour}" stroke-width="1.5"/>`;
}

/** 0 and round steps (1, 2 or 5 times a power of ten) up to at least `maximum`, 4 to 8 of them. */
export function niceTicks(maximum: number): number[] {
  const rough = maximum / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ??
    10 * power;
  const wholeStep = Math.max(1, step);
  const ticks: number[] = [];
  for (let tick = 0; tick < maximum + wholeStep; tick += wholeStep) {
    ticks.push(tick);
    if (tick >= maximum) break;
  }
  return ticks;
}

/** 0, 1, 10, 100, … up to the first power of ten at or above `maximum`. */
export function logTicks(maximum: number): number[] {
  const ticks = [0, 1];
  while ((ticks.at(-1) ?? 1) < maximum) ticks.push((ticks.at(-1) ?? 1) * 10);
  return ticks;
}
