import { escapeHtml } from '@vmars/cli-support';
import { policyColour, policyDash } from '@vmars/cli-support/page';
import { formatNumber } from './format.js';
import { markerPath, policyMarker } from './lab-palette.js';

export const attribute = (value: string | number | boolean): string => escapeHtml(String(value));

/**
 * What makes a mark of a chart show its numbers: focusable with Tab, named for screen readers
 * (`aria-label`, the lines joined), and `data-tooltip` (one fact a line), which the page's script
 * shows beside it on hover and on focus.
 */
export function tooltipAttributes(lines: readonly string[]): string {
  return (
    ` tabindex="0" role="img" aria-label="${attribute(lines.join('; '))}"` +
    ` data-tooltip="${attribute(lines.join('\n'))}"`
  );
}

/** ` data-workload="…" data-architecture="…"` of a chart of one workload on one architecture. */
export function workloadAttributes(
  first: { readonly workload: string; readonly architecture: string } | undefined,
): string {
  return (
    ` data-workload="${attribute(first?.workload ?? '')}"` +
    ` data-architecture="${attribute(first?.architecture ?? '')}"`
  );
}

/**
 * A chart as a `<figure>`: its title as the caption and the SVG's `<title>`, its description as a
 * paragraph and the SVG's `<desc>` (the SVG is labelled and described by them), the SVG in a box
 * that scrolls sideways on a narrow screen, and the legend under it.
 */
export function chartFigure(options: {
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
  const { kind, id, width, height } = options;
  const title = escapeHtml(options.title);
  const description = escapeHtml(options.description);
  const size = `viewBox="0 0 ${String(width)} ${String(height)}" width="${String(width)}" height="${String(height)}"`;
  return (
    `<figure data-kind="${kind}"${options.dataAttributes}><figcaption>${title}</figcaption>` +
    `<p class="description">${description}</p>` +
    `<div class="scroll"><svg class="chart" data-chart="${kind}" role="group"` +
    ` aria-labelledby="${id}-title" aria-describedby="${id}-desc" ${size}>` +
    `<title id="${id}-title">${title}</title><desc id="${id}-desc">${description}</desc>` +
    `${options.body}</svg></div>${options.legend}</figure>`
  );
}

/** Five round ticks from 0 (or the minimum) to at least `max`. */
export function ticks(min: number, max: number): number[] {
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

/** The Pareto charts' and time series' size and margins. */
export const FRAME = { width: 460, height: 300, left: 64, right: 16, top: 16, bottom: 44 } as const;

/** Axes with ticks, labels and units; returns the SVG and the scales. */
export function axes(
  xDomain: [number, number],
  yDomain: [number, number],
  xLabel: string,
  yLabel: string,
): { svg: string; x: (value: number) => number; y: (value: number) => number } {
  const xTicks = ticks(xDomain[0], xDomain[1]);
  const yTicks = ticks(yDomain[0], yDomain[1]);
  const x0 = xTicks[0] as number;
  const x1 = xTicks[xTicks.length - 1] as number;
  const y0 = yTicks[0] as number;
  const y1 = yTicks[yTicks.length - 1] as number;
  const { left, top } = FRAME;
  const plotWidth = FRAME.width - left - FRAME.right;
  const plotHeight = FRAME.height - top - FRAME.bottom;
  const bottom = top + plotHeight;
  const x = (value: number): number => left + ((value - x0) / (x1 - x0 || 1)) * plotWidth;
  const y = (value: number): number => bottom - ((value - y0) / (y1 - y0 || 1)) * plotHeight;
  const label = (tick: number): string => escapeHtml(formatNumber(tick));
  const parts: string[] = [
    `<line class="axis" x1="${left}" y1="${bottom}" x2="${left + plotWidth}" y2="${bottom}"/>`,
    `<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${bottom}"/>`,
  ];
  for (const tick of xTicks) {
    const at = x(tick).toFixed(1);
    parts.push(
      `<line class="tick" x1="${at}" y1="${bottom}" x2="${at}" y2="${bottom + 4}"/>`,
      `<text class="tick-label" x="${at}" y="${bottom + 16}" text-anchor="middle">${label(tick)}</text>`,
    );
  }
  for (const tick of yTicks) {
    const at = y(tick).toFixed(1);
    parts.push(
      `<line class="grid" x1="${left}" y1="${at}" x2="${left + plotWidth}" y2="${at}"/>`,
      `<text class="tick-label" x="${left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${label(tick)}</text>`,
    );
  }
  parts.push(
    `<text class="axis-label" x="${left + plotWidth / 2}" y="${FRAME.height - 6}"` +
      ` text-anchor="middle">${escapeHtml(xLabel)}</text>`,
    `<text class="axis-label" transform="translate(14 ${top + plotHeight / 2}) rotate(-90)"` +
      ` text-anchor="middle">${escapeHtml(yLabel)}</text>`,
  );
  return { svg: parts.join(''), x, y };
}

function legendSample(policy: string, mark: 'marker' | 'line'): string {
  const colour = policyColour(policy);
  if (mark === 'marker') {
    const path = markerPath(policyMarker(policy), 7, 7, 10);
    return (
      '<svg class="legend-mark" width="14" height="14" aria-hidden="true">' +
      `<path d="${path}" fill="${colour}" stroke="${colour}" stroke-width="1.5"/></svg>`
    );
  }
  const dash = policyDash(policy);
  const dashAttribute = dash === '' ? '' : ` stroke-dasharray="${dash}"`;
  return (
    '<svg class="legend-mark" width="28" height="14" aria-hidden="true">' +
    `<line x1="1" y1="7" x2="27" y2="7" stroke="${colour}" stroke-width="2.5"${dashAttribute}/></svg>`
  );
}

/**
 * The policies' marks: the marker shape and colour of the Pareto charts, or the line and dash of
 * the time series.
 */
export function legend(policies: readonly string[], mark: 'marker' | 'line', extra = ''): string {
  const items = policies.map(
    (policy) =>
      `<span class="legend-item" data-kind="legend" data-policy="${attribute(policy)}">` +
      `${legendSample(policy, mark)} ${escapeHtml(policy)}</span>`,
  );
  return `<p class="legend">${items.join(' ')}${extra}</p>`;
}
