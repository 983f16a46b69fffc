import { escapeHtml, formatAddress, formatByteSize } from '@vmars/cli-support';
import { policyColour } from '@vmars/cli-support/page';
import { BLOCK_KINDS } from '@vmars/thread-workload';
import type { DemoReport, PolicyReport, Sample } from './demo-report.js';
import { count } from './html-text.js';
import { linuxCheckSection } from './linux-check.js';
import { PAGE_SCRIPT } from './page-script.generated.js';
import { type LineChart, renderLineChart } from './render-chart.js';
import { MAP_LAYOUT, mapHeight, type PageData, pageData } from './report-page-data.js';
import { BLOCK_COLOURS, EMPTY_SPACE } from './report-palette.js';
import type { SampleRecorder } from './sample-frames.js';
import { counted, formatSeconds, secondsDecimals } from './trace-time.js';

/**
 * The report as one self-contained HTML page: inline style and script, no fonts, no images, no
 * URLs at all (inline SVG in HTML needs no namespace URL), so that it works offline and from a
 * file.
 *
 * The markup holds the summary table, the charts (every sample a `<circle data-policy
 * data-series data-event data-value>`), and per policy a map whose compact VMARs are each a
 * `<rect data-kind="compact-vmar" data-policy data-list data-base data-size>` (hex). The blocks
 * are drawn by the page's script from `<script type="application/json" id="report-data">`
 * (`PageData`), at the frame the time slider is on, the peak's at first: each a `<rect
 * data-kind="block" data-policy data-block data-base data-size data-compact-vmar data-thread>`, or,
 * above `PageData.blockRectLimit` blocks, runs of pixels (`data-kind="block-run"`).
 *
 * `recorder` holds the blocks of every sample (`onSample`); without it the slider has the peak
 * only.
 */
export function renderHtml(report: DemoReport, recorder?: SampleRecorder): string {
  const { workload } = report;
  const data = pageData(report, recorder);
  const title =
    workload.pattern === 'trace'
      ? `vmars-demo: trace ${workload.trace.name}, ${count(workload.threads)} tasks, most ${count(workload.peak)} alive, ${report.architecture}`
      : `vmars-demo: ${count(workload.threads)} thread lifecycles, peak ${count(workload.peak)}, ${workload.pattern}, ${report.architecture}`;
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>Backend <b>${escapeHtml(report.backend)}</b>, root VMAR ${formatAddress(report.region.base)} (${formatByteSize(report.region.size)}), ` +
      `compact VMARs of ${formatByteSize(report.vmarSize)} probed with ${formatByteSize(report.probeSize)}, seed ${String(workload.seed)}. ` +
      `Page tables counted with <code>--touched ${escapeHtml(report.touched)}</code>.</p>`,
    ...traceParagraphs(report),
    '<h2>Summary</h2>',
    `<div class="scroll">${summaryTable(report)}</div>`,
    ...(report.linuxCheck === undefined ? [] : [linuxCheckSection(report.linuxCheck)]),
    mapSection(report, data),
    chartSection(report),
    '</main>',
    '<div id="tooltip" role="status" aria-live="polite" hidden></div>',
    // `<` is escaped so that no string in the data can end the script element.
    `<script type="application/json" id="report-data">${JSON.stringify(data).replaceAll('<', '\\u003c')}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
  ];
  return `${parts.join('\n')}\n`;
}

const STYLE = [
  ':root{color-scheme:light}',
  'body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fff}',
  'main{max-width:1200px;margin:0 auto;padding:1em 1.25em 3em}',
  'h1{font-size:1.4em;overflow-wrap:anywhere}',
  'p{overflow-wrap:anywhere}',
  '.scroll{overflow-x:auto;max-width:100%}',
  'table{border-collapse:collapse;margin:0.5em 0}',
  'td,th{border:1px solid #ccc;padding:2px 8px;text-align:right;font-variant-numeric:tabular-nums}',
  'td:first-child,th:first-child{text-align:left}',
  'figure{margin:1em 0 2em}',
  'figcaption{margin:0.25em 0}',
  'svg{display:block;width:100%;min-width:720px;height:auto;background:#fafafa;border:1px solid #ddd}',
  'svg text{font-size:11px;fill:#333}',
  'svg .axis-label{font-size:12px;fill:#222}',
  `.row{fill:${EMPTY_SPACE};stroke:#888;cursor:zoom-in}`,
  '.row.future{stroke-dasharray:3 3;fill:#fff}',
  '.row.zoomed{stroke:#000;stroke-width:2}',
  '.row:focus,svg:focus,.zoom-map:focus{outline:3px solid #0072b2;outline-offset:1px}',
  '.row:focus{stroke:#000;stroke-width:2;outline:none}',
  '.swatch{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle;border:1px solid #666}',
  '.line-swatch{display:inline-block;width:28px;height:0;margin:0 4px 0 12px;vertical-align:middle;border-top-width:3px}',
  '.controls{display:flex;flex-wrap:wrap;gap:0.5em 1em;align-items:center;position:sticky;top:0;background:#fff;padding:0.5em 0;z-index:1;border-bottom:1px solid #eee}',
  '.controls input[type=range]{flex:1 1 240px;min-width:160px}',
  'button{font:inherit;padding:0.25em 0.9em}',
  '#tooltip{position:fixed;pointer-events:none;background:#222;color:#fff;padding:6px 8px;border-radius:4px;font-size:12px;line-height:1.4;max-width:320px;z-index:2;white-space:pre-line}',
  '.zoom{border:1px solid #bbb;padding:0.5em;margin:0.5em 0}',
  '.zoom h3{margin:0 0 0.25em;font-size:1em}',
  '.hint{color:#555;font-size:0.9em}',
].join('');

/** A trace's replay: where the trace came from, what it holds, and what its seed means. */
function traceParagraphs(report: DemoReport): string[] {
  const { workload } = report;
  if (workload.pattern !== 'trace') return [];
  const { trace } = workload;
  const recorded = [
    `recorded with <b>${escapeHtml(trace.source)}</b>`,
    ...(trace.command === null ? [] : [`running <code>${escapeHtml(trace.command)}</code>`]),
    ...(trace.date === null ? [] : [`on ${escapeHtml(trace.date)}`]),
  ].join(' ');
  const decimals = secondsDecimals(trace.durationUs);
  const unknown = trace.unknownKind > 0 ? `, ${count(trace.unknownKind)} of unknown kind` : '';
  return [
    `<p class="trace-summary">Trace <b>${escapeHtml(trace.name)}</b>, ${recorded}:` +
      ` ${counted(trace.tasks, 'task', 'tasks')} (${counted(trace.threads, 'thread', 'threads')},` +
      ` ${counted(trace.processes, 'process', 'processes')}${unknown}), each one thread lifecycle;` +
      ` at most ${count(trace.mostAlive)} alive at once` +
      ` (${formatSeconds(trace.peakTimeUs, decimals)} into it), over` +
      ` ${formatSeconds(trace.durationUs, decimals)}. ${count(trace.startedBefore)} were alive` +
      ` before it began; ${count(trace.censored)} were still alive at its end, and` +
      ` ${count(trace.endedAtReplayEnd)} of them end when the replay ends.</p>`,
    `<p class="trace-note">${escapeHtml(workload.note)}</p>`,
  ];
}

function summaryTable(report: DemoReport): string {
  const policies = report.policies;
  const rows: [string, (policy: PolicyReport) => string][] = [
    ['threads created', (p) => count(p.threads.created)],
    ['threads ended', (p) => count(p.threads.ended)],
    ['failed creations', (p) => count(p.threads.failed)],
    ['probes per creation', (p) => p.probes.perCreation.toFixed(2)],
    [
      'compact VMARs (machine stack / security stack / thread block)',
      (p) =>
        `${count(p.compactVmars['machine-stack'])} / ${count(p.compactVmars['security-stack'])} / ${count(p.compactVmars['thread-block'])}`,
    ],
    [
      'reserved, peak / final',
      (p) => `${formatByteSize(p.reserved.peak)} / ${formatByteSize(p.reserved.final)}`,
    ],
    [
      'mapped, peak / final',
      (p) => `${formatByteSize(p.mapped.peak)} / ${formatByteSize(p.mapped.final)}`,
    ],
    ...report.pagingLevels.map((level, index): [string, (policy: PolicyReport) => string] => [
      `page tables at peak: ${level.name} (one per ${formatByteSize(level.coverage)})`,
      (p) => count(p.pageTables.atPeak.levels[index]?.pages ?? 0),
    ]),
    ['page tables at peak: total pages', (p) => count(p.pageTables.atPeak.total)],
    ['most page-table pages seen', (p) => count(p.pageTables.max.total)],
  ];
  const head = `<thead><tr><th scope="col">figure</th>${policies.map((p) => `<th scope="col">${escapeHtml(p.policy)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map(
      ([label, cell]) =>
        `<tr><th scope="row">${escapeHtml(label)}</th>${policies.map((p) => `<td>${escapeHtml(cell(p))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table class="summary">\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function blockLegend(): string {
  const blocks = BLOCK_KINDS.map(
    (kind) => `<span class="swatch" style="background:${BLOCK_COLOURS[kind]}"></span>${kind}`,
  ).join('');
  return `<p class="legend">Blocks:${blocks}<span class="swatch" style="background:${EMPTY_SPACE}"></span>free space in a compact VMAR</p>`;
}

function mapSection(report: DemoReport, data: PageData): string {
  const frames = data.policies[0]?.frames ?? [];
  const last = Math.max(0, frames.length - 1);
  const strideNote =
    data.frameStride > 1
      ? ` To keep this page small it shows every ${String(data.frameStride)}th sample (and the peak and the end); the JSON report has them all.`
      : '';
  return [
    '<h2 id="maps-heading">Address space over the run</h2>',
    `<p>The first strip of each map is the whole root VMAR; the second zooms on the span the policy used; below them, one row per compact VMAR (lowest address on the left) with the blocks in it. ` +
      `Hover over a block for its details; click a compact VMAR's row (or focus it and press Enter) to zoom into it. ${
        data.trace === undefined
          ? 'The slider moves through the samples.'
          : "The slider moves through the trace's own time, in seconds from its start: the samples are spread evenly over it."
      }${strideNote}</p>`,
    '<div class="controls" role="group" aria-label="Time">',
    '<button type="button" id="play" aria-pressed="false">Play</button>',
    `<label for="frame">${data.trace === undefined ? 'Sample' : 'Trace time'}</label><input type="range" id="frame" min="0" max="${String(last)}" step="1" value="${String(data.peakFrame)}">`,
    '<button type="button" id="to-peak">Peak</button>',
    '<output id="frame-label" for="frame"></output>',
    '</div>',
    blockLegend(),
    '<noscript><p>The maps need JavaScript to draw their blocks; the tables below have the numbers.</p></noscript>',
    ...report.policies.map((policy) => addressMap(report, policy)),
  ].join('\n');
}

function addressMap(report: DemoReport, policy: PolicyReport): string {
  const layout = MAP_LAYOUT;
  const name = escapeHtml(policy.policy);
  const id = `map-${policy.policy.replaceAll(/[^a-z0-9-]/gi, '_')}`;
  const width = layout.width;
  const height = mapHeight(policy);
  const compacts = policy.compactVmarList;
  const strip = (top: number, kind: string, label: string, sub: string): string =>
    `<text x="4" y="${String(top + 10)}">${label}</text><text x="4" y="${String(top + 22)}">${sub}</text>` +
    `<rect data-kind="${kind}" x="${String(layout.labelWidth)}" y="${String(top)}" width="${String(layout.stripWidth)}" height="${String(layout.stripHeight)}" fill="${EMPTY_SPACE}" stroke="#999"/>`;
  const elements = [
    `<title id="${id}-title">${name} policy: address space at the sample the slider is on</title>`,
    `<desc id="${id}-desc">${escapeHtml(mapDescription(report, policy))}</desc>`,
    `<text x="4" y="14" class="axis-label">${name} policy: what sits in the root VMAR</text>`,
    strip(
      layout.wholeTop,
      'root',
      `whole root, ${formatByteSize(report.region.size)}`,
      `${formatAddress(report.region.base)} –`,
    ),
    strip(layout.spanTop, 'span', 'zoom: the span used', ''),
    `<text class="span-label" x="${String(layout.labelWidth)}" y="${String(layout.spanTop + layout.stripHeight + 13)}"></text>`,
  ];
  if (compacts.length > 0) {
    elements.push(
      `<text x="4" y="${String(layout.rowsTop - 6)}">compact VMARs (${formatByteSize(compacts[0]?.size ?? 0)} each): click a row to zoom</text>`,
    );
  }
  compacts.forEach((compact, index) => {
    const y = layout.rowsTop + index * (layout.rowHeight + layout.rowGap);
    const list = escapeHtml(compact.list);
    const base = formatAddress(compact.base);
    elements.push(
      `<text x="4" y="${String(y + 13)}">${list} ${base}</text>`,
      `<rect class="row" tabindex="0" role="button" aria-label="${list} compact VMAR at ${base}: zoom in"` +
        ` data-row="${String(index)}" data-kind="compact-vmar" data-policy="${name}"` +
        ` data-list="${list}" data-base="${base}" data-size="${formatAddress(compact.size)}"` +
        ` x="${String(layout.labelWidth)}" y="${String(y)}" width="${String(layout.stripWidth)}"` +
        ` height="${String(layout.rowHeight)}"/>`,
    );
  });
  elements.push('<g class="frame-layer" pointer-events="none"></g>');
  return [
    `<figure class="map-figure" data-policy="${name}" aria-labelledby="${id}-caption">`,
    `<figcaption id="${id}-caption"><b>${name} policy.</b> <span class="map-summary"></span></figcaption>`,
    `<div class="scroll"><svg class="map" data-policy="${name}" width="${String(width)}"` +
      ` height="${String(height)}" viewBox="0 0 ${String(width)} ${String(height)}" role="group"` +
      ` aria-labelledby="${id}-title" aria-describedby="${id}-desc">`,
    elements.join('\n'),
    '</svg></div>',
    '<div class="zoom" hidden><h3 class="zoom-title"></h3><p class="zoom-summary"></p>' +
      `<div class="scroll"><svg class="zoom-map" tabindex="0" role="group" width="${String(width)}"` +
      ` height="96" viewBox="0 0 ${String(width)} 96"><title>The zoomed compact VMAR, to scale</title>` +
      '<desc class="zoom-desc"></desc><g class="zoom-layer"></g></svg></div>',
    '<p class="hint">Left and right arrow keys step through its blocks; Escape closes.</p>' +
      '<button type="button" class="zoom-close">Close the zoom</button></div>',
    mapTable(policy),
    '</figure>',
  ].join('\n');
}

/** The map's numbers as a table one click away, filled in by the page's script at each frame. */
function mapTable(policy: PolicyReport): string {
  const compacts = policy.compactVmarList;
  const head = (names: readonly string[]): string =>
    `<thead><tr>${names.map((name) => `<th scope="col">${name}</th>`).join('')}</tr></thead>`;
  const details = (summary: string, kind: string, columns: string[], rows: string[]): string =>
    `<details><summary>Table: ${summary} at this sample</summary><div class="scroll">` +
    `<table class="${kind}">${head(columns)}<tbody>${rows.join('')}</tbody></table></div></details>`;
  if (compacts.length === 0) {
    const rows = BLOCK_KINDS.map(
      (kind) => `<tr><th scope="row">${kind}</th><td></td><td></td></tr>`,
    );
    return details('the blocks in the root', 'root-table', ['block', 'count', 'bytes'], rows);
  }
  const rows = compacts.map(
    (compact) =>
      `<tr><th scope="row">${escapeHtml(compact.list)}</th><td>${formatAddress(compact.base)}</td>` +
      `<td>${formatByteSize(compact.size)}</td><td></td><td></td></tr>`,
  );
  const columns = ['list', 'base', 'size', 'blocks', 'largest hole'];
  return details('the compact VMARs', 'vmar-table', columns, rows);
}

function mapDescription(report: DemoReport, policy: PolicyReport): string {
  const compacts = policy.compactVmarList.length;
  return compacts > 0
    ? `${String(compacts)} compact VMARs in the root VMAR of ${formatByteSize(report.region.size)}; at the peak ${count(policy.peakSnapshot.blocks.length)} blocks sit in them.`
    : `No compact VMARs: at the peak ${count(policy.peakSnapshot.blocks.length)} blocks sit directly in the root VMAR of ${formatByteSize(report.region.size)}, each in its own VMAR placed by ASLR.`;
}

function chartSection(report: DemoReport): string {
  const charts: LineChart[] = [
    {
      id: 'vmars',
      title: 'VMARs directly in the root VMAR',
      description:
        'How many VMARs sit directly in the root VMAR after each sample: the compact VMARs, or with the root policy one VMAR per block.',
      yLabel: 'VMARs (log scale)',
      unit: 'VMARs',
      scale: 'log',
      value: (sample: Sample) => sample.rootChildVmars,
    },
    {
      id: 'page-tables',
      title: 'Page-table pages',
      description: `Page-table pages of all levels (${report.pagingLevels.map((level) => level.name).join(', ')}) that the touched pages need after each sample.`,
      yLabel: `page-table pages (${formatByteSize(report.pageSize)} each)`,
      unit: 'pages',
      scale: 'linear',
      value: (sample: Sample) => sample.pageTableTotal,
    },
    {
      id: 'live-threads',
      title: 'Live threads',
      description: 'Threads alive after each sample; the slider’s samples are these.',
      yLabel: 'threads',
      unit: 'threads',
      scale: 'linear',
      value: (sample: Sample) => sample.liveThreads,
    },
  ];
  const legend = report.policies
    .map(
      (policy) =>
        `<span class="line-swatch" style="border-top:3px ${policy.policy === 'root' ? 'dashed' : 'solid'} ${policyColour(policy.policy)}"></span>${escapeHtml(policy.policy)}`,
    )
    .join('');
  return [
    '<h2>Over time</h2>',
    `<p class="legend">Policies:${legend}. Hover over a point, or focus a chart and use the arrow keys, for its value.</p>`,
    ...charts.map((chart) => renderLineChart(report, chart)),
  ].join('\n');
}
