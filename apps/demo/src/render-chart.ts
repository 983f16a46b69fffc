import { escapeHtml } from '@vmars/cli-support';
import type { DemoReport, Sample } from './demo-report.js';
import { count, px } from './html-text.js';
import { policyColour, policyDash } from './report-palette.js';

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

/**
 * A line chart as a `<figure>`: an SVG with ticks and labels on both axes, a legend, one
 * `<circle class="point" data-policy data-series data-event data-value>` (and `data-time` for a
 * trace's replay, whose x axis is the trace's time) per sample (the page's
 * script shows each one's value on hover or with the arrow keys), and the same numbers as a table
 * one click away.
 */
export function renderLineChart(report: DemoReport, chart: LineChart): string {
  const events = Math.max(1, report.workload.events);
  // A trace's replay is drawn over the trace's own time (its samples' `time`), as the slider
  // moves; a generated workload's over events.
  const traceEnd =
    report.workload.pattern === 'trace'
      ? Math.max(1, report.policies[0]?.samples.at(-1)?.time ?? 1)
      : undefined;
  const span = traceEnd ?? events;
  const position = (sample: Sample): number =>
    traceEnd === undefined ? sample.event : (sample.time ?? 0);
  const values = report.policies.flatMap((policy) => policy.samples.map(chart.value));
  const maximum = Math.max(1, ...values);
  const yTicks = chart.scale === 'log' ? logTicks(maximum) : niceTicks(maximum);
  const top = yTicks.at(-1) ?? maximum;
  const level = (amount: number): number =>
    chart.scale === 'log' ? Math.log10(1 + amount) / Math.log10(1 + top) : amount / top;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (value: number): number => LEFT + (value / span) * plotWidth;
  const y = (amount: number): number => TOP + (1 - level(amount)) * plotHeight;
  const id = `chart-${chart.id}`;

  const elements: string[] = [
    `<title id="${id}-title">${escapeHtml(chart.title)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(chart.description)}</desc>`,
    `<text x="${String(LEFT)}" y="20" class="axis-label">${escapeHtml(chart.title)}</text>`,
    // Axes, and a light grid line per y tick.
    ...yTicks.map(
      (tick) =>
        `<line x1="${String(LEFT)}" x2="${String(WIDTH - RIGHT)}" y1="${px(y(tick))}" y2="${px(y(tick))}" stroke="#e4e4e4"/>` +
        `<line x1="${String(LEFT - 5)}" x2="${String(LEFT)}" y1="${px(y(tick))}" y2="${px(y(tick))}" stroke="#777"/>` +
        `<text class="tick" x="${String(LEFT - 8)}" y="${px(y(tick) + 4)}" text-anchor="end">${count(tick)}</text>`,
    ),
    ...niceTicks(span).map(
      (tick) =>
        `<line x1="${px(x(tick))}" x2="${px(x(tick))}" y1="${String(HEIGHT - BOTTOM)}" y2="${String(HEIGHT - BOTTOM + 5)}" stroke="#777"/>` +
        `<text class="tick" x="${px(x(tick))}" y="${String(HEIGHT - BOTTOM + 18)}" text-anchor="middle">${traceEnd === undefined ? count(tick) : String(Number((tick / 1e6).toFixed(6)))}</text>`,
    ),
    `<line x1="${String(LEFT)}" y1="${String(HEIGHT - BOTTOM)}" x2="${String(WIDTH - RIGHT)}" y2="${String(HEIGHT - BOTTOM)}" stroke="#777"/>`,
    `<line x1="${String(LEFT)}" y1="${String(TOP)}" x2="${String(LEFT)}" y2="${String(HEIGHT - BOTTOM)}" stroke="#777"/>`,
    `<text class="axis-label" x="${String(LEFT + plotWidth / 2)}" y="${String(HEIGHT - 10)}" text-anchor="middle">${
      traceEnd === undefined
        ? `events done (thread creations and ends), of ${count(report.workload.events)}`
        : `seconds from the trace's start, of ${String(Number((traceEnd / 1e6).toFixed(6)))}`
    }</text>`,
    `<text class="axis-label" transform="translate(16 ${String(TOP + plotHeight / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(chart.yLabel)}</text>`,
    `<line class="cursor" data-x0="${String(LEFT)}" data-x1="${String(WIDTH - RIGHT)}" data-events="${String(span)}"${traceEnd === undefined ? '' : ' data-axis="time"'} x1="${String(LEFT)}" x2="${String(LEFT)}" y1="${String(TOP)}" y2="${String(HEIGHT - BOTTOM)}" stroke="#555" stroke-dasharray="2 3" visibility="hidden"/>`,
  ];
  report.policies.forEach((policy, index) => {
    const colour = policyColour(policy.policy);
    const dash = policyDash(policy.policy);
    const dashAttribute = dash === '' ? '' : ` stroke-dasharray="${dash}"`;
    const points = [
      { event: 0, amount: 0 },
      ...policy.samples.map((sample) => ({ event: position(sample), amount: chart.value(sample) })),
    ];
    // The legend, top right: a piece of the line and its marker, then the name.
    const legendX = WIDTH - RIGHT - 200 + index * 100;
    const hollow = index % 2 === 1;
    elements.push(
      `<line x1="${String(legendX)}" x2="${String(legendX + 28)}" y1="16" y2="16" stroke="${colour}" stroke-width="2.5"${dashAttribute}/>`,
      marker(legendX + 14, 16, colour, hollow, ''),
      `<text x="${String(legendX + 34)}" y="20">${escapeHtml(policy.policy)}</text>`,
      `<polyline data-policy="${escapeHtml(policy.policy)}" data-series="${chart.id}" points="${points.map((point) => `${px(x(point.event))},${px(y(point.amount))}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dashAttribute}/>`,
      ...policy.samples.map((sample) =>
        marker(
          x(position(sample)),
          y(chart.value(sample)),
          colour,
          hollow,
          ` class="point" data-policy="${escapeHtml(policy.policy)}" data-series="${chart.id}" data-event="${String(sample.event)}"${sample.time === undefined ? '' : ` data-time="${String(sample.time)}"`} data-value="${String(chart.value(sample))}"`,
        ),
      ),
    );
  });

  const table = [
    `<details><summary>Table: ${escapeHtml(chart.title)}, at each sample</summary><div class="scroll"><table class="chart-table">`,
    `<thead><tr><th scope="col">after event</th>${report.policies.map((policy) => `<th scope="col">${escapeHtml(policy.policy)} (${escapeHtml(chart.unit)})</th>`).join('')}</tr></thead><tbody>`,
    ...(report.policies[0]?.samples ?? []).map(
      (sample, index) =>
        `<tr><th scope="row">${count(sample.event)}</th>${report.policies
          .map((policy) => {
            const other = policy.samples[index];
            return `<td>${other === undefined ? '' : count(chart.value(other))}</td>`;
          })
          .join('')}</tr>`,
    ),
    '</tbody></table></div></details>',
  ].join('');

  return [
    `<figure class="chart-figure" data-chart="${chart.id}">`,
    `<div class="scroll"><svg class="chart" data-chart="${chart.id}" data-unit="${escapeHtml(chart.unit)}" tabindex="0" width="${String(WIDTH)}" height="${String(HEIGHT)}" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}" role="group" aria-labelledby="${id}-title" aria-describedby="${id}-desc">`,
    elements.join('\n'),
    '</svg></div>',
    `<figcaption>${escapeHtml(chart.description)}</figcaption>`,
    table,
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
