import type { BlockKind } from '@vmars/thread-workload';
import { formatAddress, formatByteSize } from './byte-size.js';
import type { BlockRecord, DemoReport, PolicyReport, Sample } from './demo-report.js';

/** Colours of the block kinds and the policies (also in the page's legend). */
const BLOCK_COLOURS: Readonly<Record<BlockKind, string>> = {
  'machine-stack': '#4e79a7',
  'security-stack': '#f28e2b',
  'thread-block': '#59a14f',
};
const POLICY_COLOURS: Readonly<Record<string, string>> = { compact: '#4e79a7', root: '#e15759' };

const MAP_WIDTH = 960;
const ROW_HEIGHT = 18;
const LABEL_WIDTH = 215;

/**
 * The report as one self-contained HTML page: no scripts, no fonts, no stylesheets or images from
 * anywhere, no URLs at all (inline SVG in HTML needs no namespace URL). The page is also
 * well-formed XML, so a test can parse it.
 *
 * Every compact VMAR is one `<rect data-kind="compact-vmar">` and every block at the peak one
 * `<rect data-kind="block">`, with `data-policy`, `data-base` and `data-size` (hex, as in the
 * JSON's numbers), so that the map can be checked against `--json`.
 */
export function renderHtml(report: DemoReport): string {
  const { workload } = report;
  const title = `vmars-demo: ${count(workload.threads)} thread lifecycles, peak ${count(workload.peak)}, ${workload.pattern}, ${report.architecture}`;
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${escapeXml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeXml(title)}</h1>`,
    `<p>Backend <b>${escapeXml(report.backend)}</b>, root VMAR ${formatAddress(report.region.base)} (${formatByteSize(report.region.size)}), ` +
      `compact VMARs of ${formatByteSize(report.vmarSize)} probed with ${formatByteSize(report.probeSize)}, seed ${String(workload.seed)}. ` +
      `Page tables counted with <code>--touched ${escapeXml(report.touched)}</code>.</p>`,
    summaryTable(report),
    legend(report),
    '<h2>Address space at the peak</h2>',
    `<p>After event ${count(workload.peakEvent)}, when ${count(workload.peak)} threads were alive. ` +
      'The strip is the whole root VMAR; below it, one row per compact VMAR with the blocks inside it.</p>',
    ...report.policies.map((policy) => addressMap(report, policy)),
    '<h2>Over time</h2>',
    chart(
      report,
      'VMARs directly in the root VMAR',
      (sample) => sample.rootChildVmars,
      'vmars',
      'log',
    ),
    chart(report, 'Page-table pages', (sample) => sample.pageTableTotal, 'page-tables', 'linear'),
    '</body>',
    '</html>',
  ];
  return `${parts.join('\n')}\n`;
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}',
  'table{border-collapse:collapse;margin:1em 0}',
  'td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}',
  'td:first-child,th:first-child{text-align:left}',
  'svg{display:block;margin:0.5em 0 1.5em 0;background:#fafafa;border:1px solid #ddd}',
  'svg text{font-size:11px;fill:#333}',
  '.swatch{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}',
].join('');

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
  const head = `<tr><th></th>${policies.map((p) => `<th>${escapeXml(p.policy)}</th>`).join('')}</tr>`;
  const body = rows
    .map(
      ([label, cell]) =>
        `<tr><td>${escapeXml(label)}</td>${policies.map((p) => `<td>${escapeXml(cell(p))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

function legend(report: DemoReport): string {
  const blocks = (Object.keys(BLOCK_COLOURS) as BlockKind[])
    .map((kind) => `<span class="swatch" style="background:${BLOCK_COLOURS[kind]}"></span>${kind}`)
    .join('');
  const policies = report.policies
    .map(
      (p) =>
        `<span class="swatch" style="background:${POLICY_COLOURS[p.policy] ?? '#888'}"></span>${escapeXml(p.policy)}`,
    )
    .join('');
  return `<p>Blocks:${blocks}. Policies:${policies}.</p>`;
}

function addressMap(report: DemoReport, policy: PolicyReport): string {
  const region = report.region;
  const width = MAP_WIDTH;
  const stripWidth = width - LABEL_WIDTH - 10;
  const stripHeight = 24;
  const wholeTop = 20;
  const zoomTop = wholeTop + stripHeight + 26;
  const rowsTop = zoomTop + stripHeight + 30;
  const compacts = policy.compactVmarList;
  const height = rowsTop + compacts.length * (ROW_HEIGHT + 4) + 10;

  const byCompact = new Map<number, BlockRecord[]>();
  const rootBlocks: BlockRecord[] = [];
  for (const block of policy.peakSnapshot.blocks) {
    if (block.compactVmar === null) rootBlocks.push(block);
    else {
      const inCompact = byCompact.get(block.compactVmar);
      if (inCompact === undefined) byCompact.set(block.compactVmar, [block]);
      else inCompact.push(block);
    }
  }
  // What sits directly in the root: the compact VMARs, or (policy root) every block.
  const occupied = [
    ...compacts.map((compact) => ({ base: compact.base, size: compact.size })),
    ...rootBlocks.map((block) => ({ base: block.base, size: block.size })),
  ];
  const spanStart = Math.min(...occupied.map((item) => item.base), region.base + region.size);
  const spanEnd = Math.max(...occupied.map((item) => item.base + item.size), region.base);
  const span = { base: spanStart, size: Math.max(spanEnd - spanStart, 1) };

  const elements: string[] = [
    `<text x="4" y="${String(wholeTop - 6)}">${escapeXml(policy.policy)} policy: what sits directly in the root VMAR at the peak</text>`,
    `<text x="4" y="${String(wholeTop + 16)}">whole root, ${formatByteSize(region.size)}</text>`,
    `<rect data-kind="root" x="${px(LABEL_WIDTH)}" y="${String(wholeTop)}" width="${px(stripWidth)}" height="${String(stripHeight)}" fill="#eee" stroke="#999"/>`,
    ...marks(occupied, region, wholeTop, stripHeight, stripWidth),
  ];
  if (occupied.length > 0) {
    elements.push(
      `<text x="4" y="${String(zoomTop - 6)}">zoom: ${formatAddress(span.base)} – ${formatAddress(span.base + span.size)}</text>`,
      `<text x="4" y="${String(zoomTop + 16)}">used span, ${formatByteSize(span.size)}</text>`,
      `<rect data-kind="span" x="${px(LABEL_WIDTH)}" y="${String(zoomTop)}" width="${px(stripWidth)}" height="${String(stripHeight)}" fill="#eee" stroke="#999"/>`,
      ...marks(
        compacts.map((compact) => ({ base: compact.base, size: compact.size })),
        span,
        zoomTop,
        stripHeight,
        stripWidth,
      ),
    );
    // Blocks straight in the root get their data-carrying rect here, at least 1px wide so that a
    // few KiB in terabytes still shows.
    const zoomScale = stripWidth / span.size;
    for (const block of rootBlocks) {
      elements.push(
        blockRect(
          policy,
          block,
          LABEL_WIDTH + (block.base - span.base) * zoomScale,
          zoomTop,
          Math.max(1, block.size * zoomScale),
          stripHeight,
        ),
      );
    }
  }
  if (compacts.length > 0) {
    elements.push(
      `<text x="4" y="${String(rowsTop - 8)}">compact VMARs, one row each (${formatByteSize(compacts[0]?.size ?? 0)}, lowest address on the left), and the blocks in them</text>`,
    );
  }
  compacts.forEach((compact, index) => {
    const y = rowsTop + index * (ROW_HEIGHT + 4);
    const rowScale = stripWidth / compact.size;
    elements.push(
      `<text x="4" y="${String(y + 13)}">${escapeXml(compact.list)} ${formatAddress(compact.base)}</text>`,
      `<rect data-kind="compact-vmar" data-policy="${escapeXml(policy.policy)}" data-list="${escapeXml(compact.list)}" data-base="${formatAddress(compact.base)}" data-size="${formatAddress(compact.size)}" x="${px(LABEL_WIDTH)}" y="${String(y)}" width="${px(stripWidth)}" height="${String(ROW_HEIGHT)}" fill="#fff" stroke="#888"/>`,
    );
    for (const block of byCompact.get(compact.base) ?? []) {
      const x = LABEL_WIDTH + (block.base - compact.base) * rowScale;
      elements.push(
        blockRect(policy, block, x, y + 1, Math.max(0.5, block.size * rowScale), ROW_HEIGHT - 2),
      );
    }
  });
  return `<svg class="map" data-policy="${escapeXml(policy.policy)}" width="${String(width)}" height="${String(height)}" viewBox="0 0 ${String(width)} ${String(height)}" role="img">\n<title>${escapeXml(policy.policy)} policy: address space at the peak</title>\n${elements.join('\n')}\n</svg>`;
}

/**
 * Grey marks for `items` on a strip showing `range`, one per pixel column at most (thousands of
 * blocks in 64 TiB would otherwise draw thousands of rects on the same pixel).
 */
function marks(
  items: readonly { base: number; size: number }[],
  range: { base: number; size: number },
  top: number,
  height: number,
  stripWidth: number,
): string[] {
  const scale = stripWidth / range.size;
  const columns = new Map<number, number>();
  for (const item of items) {
    const start = Math.floor((item.base - range.base) * scale);
    const end = Math.max(start + 1, Math.ceil((item.base + item.size - range.base) * scale));
    for (let column = start; column < end; column += 1) columns.set(column, 1);
  }
  return [...columns.keys()]
    .sort((left, right) => left - right)
    .map(
      (column) =>
        `<rect data-kind="mark" x="${px(LABEL_WIDTH + column)}" y="${String(top)}" width="1" height="${String(height)}" fill="#555"/>`,
    );
}

function blockRect(
  policy: PolicyReport,
  block: BlockRecord,
  x: number,
  y: number,
  width: number,
  height: number,
): string {
  const compact = block.compactVmar === null ? '' : formatAddress(block.compactVmar);
  return `<rect data-kind="block" data-policy="${escapeXml(policy.policy)}" data-block="${block.kind}" data-base="${formatAddress(block.base)}" data-size="${formatAddress(block.size)}" data-compact-vmar="${compact}" x="${px(x)}" y="${px(y)}" width="${px(width)}" height="${px(height)}" fill="${BLOCK_COLOURS[block.kind]}"/>`;
}

function chart(
  report: DemoReport,
  title: string,
  value: (sample: Sample) => number,
  kind: string,
  scale: 'linear' | 'log',
): string {
  const width = MAP_WIDTH;
  const height = 240;
  const left = 70;
  const right = 20;
  const top = 24;
  const bottom = 36;
  const events = report.workload.events;
  const maximum = Math.max(1, ...report.policies.flatMap((policy) => policy.samples.map(value)));
  // A log scale lets a handful of compact VMARs and thousands of per-block VMARs share a chart.
  const level = (amount: number): number =>
    scale === 'log' ? Math.log10(1 + amount) / Math.log10(1 + maximum) : amount / maximum;
  const x = (event: number): number =>
    left + (event / Math.max(1, events)) * (width - left - right);
  const y = (amount: number): number => top + (1 - level(amount)) * (height - top - bottom);
  const ticks =
    scale === 'log'
      ? [0, ...[1, 10, 100, 1_000, 10_000, 100_000].filter((tick) => level(tick) < 0.9), maximum]
      : [0, maximum];
  const elements: string[] = [
    `<text x="${String(left)}" y="16">${escapeXml(title)}${scale === 'log' ? ' (log scale)' : ''}</text>`,
    `<line x1="${String(left)}" y1="${px(y(0))}" x2="${String(width - right)}" y2="${px(y(0))}" stroke="#999"/>`,
    `<line x1="${String(left)}" y1="${String(top)}" x2="${String(left)}" y2="${px(y(0))}" stroke="#999"/>`,
    ...ticks.map(
      (tick) =>
        `<text x="4" y="${px(y(tick) + 4)}">${count(tick)}</text><line x1="${String(left - 4)}" y1="${px(y(tick))}" x2="${String(left)}" y2="${px(y(tick))}" stroke="#999"/>`,
    ),
    `<text x="${String(left)}" y="${String(height - 8)}">0 events</text>`,
    `<text x="${String(width - right - 90)}" y="${String(height - 8)}">${count(events)} events</text>`,
  ];
  report.policies.forEach((policy, index) => {
    const colour = POLICY_COLOURS[policy.policy] ?? '#888';
    const points = [
      { event: 0, amount: 0 },
      ...policy.samples.map((sample) => ({ event: sample.event, amount: value(sample) })),
    ]
      .map((point) => `${px(x(point.event))},${px(y(point.amount))}`)
      .join(' ');
    elements.push(
      `<polyline data-policy="${escapeXml(policy.policy)}" data-series="${kind}" points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${String(width - right - 160 + index * 80)}" y="16" style="fill:${colour}">${escapeXml(policy.policy)}</text>`,
    );
  });
  return `<svg class="chart" data-chart="${kind}" width="${String(width)}" height="${String(height)}" viewBox="0 0 ${String(width)} ${String(height)}" role="img">\n<title>${escapeXml(title)}</title>\n${elements.join('\n')}\n</svg>`;
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
