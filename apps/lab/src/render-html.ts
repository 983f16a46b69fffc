import { escapeHtml } from '@vmars/cli-support';
import { LAB_PAGE_SCRIPT } from './page-script.generated.js';
import { attribute } from './render-chart.js';
import { heatmaps } from './render-heatmap.js';
import { paretoCharts } from './render-pareto.js';
import { seriesCharts } from './render-series.js';
import { ratioTable, workloadsTable } from './render-tables.js';
import type { ResultsFile } from './results-file.js';

export { formatEstimate, formatNumber, knobText } from './format.js';
export { paretoFront } from './render-pareto.js';

const STYLE = [
  'body { font: 14px/1.45 system-ui, sans-serif; margin: 16px; color: #222; background: #fff; }',
  'h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; }',
  'h1, p { overflow-wrap: anywhere; }',
  'figure { display: inline-block; max-width: 100%; margin: 8px 16px 16px 0;' +
    ' vertical-align: top; }',
  'figcaption { font-weight: 600; max-width: 460px; }',
  '.description { font-size: 12px; color: #444; max-width: 460px; margin: 2px 0 6px; }',
  '.scroll { overflow-x: auto; max-width: 100%; }',
  'svg.chart { display: block; }',
  '.axis { stroke: #333; } .tick { stroke: #333; } .grid { stroke: #e4e4e4; }',
  '.tick-label { font-size: 11px; fill: #333; } .axis-label { font-size: 12px; fill: #111; }',
  '.whisker { stroke-width: 1.5; opacity: 0.7; pointer-events: none; }',
  '.front { fill: none; stroke: #111; stroke-dasharray: 4 3; pointer-events: none; }',
  '.series { fill: none; stroke-width: 2; }',
  '.heat-text { font-size: 12px; fill: #111; pointer-events: none; }' +
    ' .heat-text.on-dark { fill: #fff; } .heat-missing { fill: #eee; }',
  '.chart [tabindex] { cursor: default; outline: none; }',
  '.chart .point:hover .marker, .chart .point:focus .marker { stroke: #000; stroke-width: 3; }',
  '.chart .heat-cell:hover, .chart .heat-cell:focus, .chart .heat-missing:focus' +
    ' { stroke: #000; stroke-width: 3; }',
  '.chart .series:hover, .chart .series:focus { stroke-width: 4; }',
  'svg.chart:focus-within { outline: 2px solid #0072b2; outline-offset: 2px; }',
  '.legend { font-size: 12px; margin: 4px 0; max-width: 460px; }' +
    ' .legend-item { margin-right: 12px; white-space: nowrap; }',
  '.legend-mark { vertical-align: middle; }',
  'table { border-collapse: collapse; font-size: 12px; }' +
    ' th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; }',
  '.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }',
  '#tooltip { position: fixed; pointer-events: none; background: #222; color: #fff;' +
    ' padding: 6px 8px; border-radius: 4px; font-size: 12px; line-height: 1.4;' +
    ' max-width: 320px; z-index: 2; white-space: pre-line; }',
].join('\n');

/**
 * The sweep's report: one self-contained page (inline SVG, style and script, no URL), with a
 * heatmap of VMAR size by probe size per workload, a Pareto chart per workload, the table of every
 * policy against `compact`, and the chosen time series. Every figure carries `data-*` attributes
 * with the numbers of the results file, for tests and browser checks; every heatmap cell, Pareto
 * point and time series shows its numbers on hover and on keyboard focus (`src/page/`).
 */
export function renderLabHtml(results: ResultsFile): string {
  const { cells, sweep } = results;
  const name = escapeHtml(sweep.name);
  const rootAttributes =
    `data-tool="vmars-lab" data-sweep="${attribute(sweep.name)}"` +
    ` data-sweep-hash="${attribute(sweep.hash)}" data-runs="${String(results.runs.length)}"` +
    ` data-failed="${String(results.failed)}" data-complete="${String(results.complete)}"`;
  const shard =
    results.shard === null
      ? ''
      : ` (shard ${String(results.shard.index)}/${String(results.shard.count)})`;
  return [
    '<!DOCTYPE html>',
    `<html lang="en" ${rootAttributes}>`,
    '<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>' +
      `<title>vmars-lab: ${name}</title><style>\n${STYLE}\n</style></head>`,
    '<body>',
    `<h1>vmars-lab: sweep “${name}”</h1>`,
    `<p>${String(results.runs.length)} of ${String(sweep.runs)} runs${shard},` +
      ` ${String(results.failed)} failed${results.complete ? '' : ', incomplete'}.` +
      ' Every figure is a median over seeds with a distribution-free 95 % interval (order' +
      ' statistics); ratios are per seed against <code>compact</code> on the same workload,' +
      ' architecture and seed.</p>',
    workloadsTable(results),
    '<h2>VMAR size × probe size (compact)</h2>',
    heatmaps(cells),
    '<h2>Pareto front: page tables against reserved address space</h2>',
    paretoCharts(cells),
    '<h2>Every policy against compact</h2>',
    ratioTable(cells),
    '<h2>Over a run</h2>',
    seriesCharts(results),
    '<div id="tooltip" role="status" aria-live="polite" hidden></div>',
    `<script>${LAB_PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
