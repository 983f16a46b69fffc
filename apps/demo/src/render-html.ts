import { formatAddress, formatByteSize } from './byte-size.js';
import type { DemoReport, PolicyReport, Sample } from './demo-report.js';
import type { BlockKind } from './thread-layout.js';

/** Colours of the block kinds and the policies (also in the page's legend). */
const BLOCK_COLOURS: Readonly<Record<BlockKind, string>> = {
  'machine-stack': '#4e79a7',
  'security-stack': '#f28e2b',
  'thread-block': '#59a14f',
};
const POLICY_COLOURS: Readonly<Record<string, string>> = { compact: '#4e79a7', root: '#e15759' };

const MAP_WIDTH = 960;
const ROW_HEIGHT = 18;
const LABEL_WIDTH = 150;

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
    chart(report, 'VMARs directly in the root VMAR', (sample) => sample.rootChildVmars, 'vmars'),
    chart(report, 'Page-table pages', (sample) => sample.pageTableTotal, 'page-tables'),
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
  const { base, size } = report.region;
  const width = MAP_WIDTH;
  const stripTop = 20;
  const stripHeight = 24;
  const rowsTop = stripTop + stripHeight + 30;
  const compacts = policy.compactVmarList;
  const height = rowsTop + compacts.length * (ROW_HEIGHT + 4) + 10;
  const scale = (width - LABEL_WIDTH - 10) / size;
  const stripX = (address: number): number => LABEL_WIDTH + (address - base) * scale;
  const elements: string[] = [
    `<text x="4" y="${String(stripTop - 6)}">${escapeXml(policy.policy)}: root VMAR ${formatAddress(base)} – ${formatAddress(base + size)}</text>`,
    `<text x="4" y="${String(stripTop + 16)}">whole root</text>`,
    `<rect data-kind="root" x="${px(LABEL_WIDTH)}" y="${String(stripTop)}" width="${px(size * scale)}" height="${String(stripHeight)}" fill="#eee" stroke="#999"/>`,
  ];
  // The strip: every compact VMAR and every block straight under the root, at least 1px wide so
  // that a 4 KiB block in 64 TiB still shows.
  for (const compact of compacts) {
    elements.push(
      `<rect data-kind="overview-mark" data-base="${hex(compact.base)}" x="${px(stripX(compact.base))}" y="${String(stripTop)}" width="${px(Math.max(1, compact.size * scale))}" height="${String(stripHeight)}" fill="#555"/>`,
    );
  }
  const byCompact = new Map<number, PolicyReport['peakSnapshot']['blocks'][number][]>();
  for (const block of policy.peakSnapshot.blocks) {
    if (block.compactVmar === null) {
      elements.push(
        blockRect(
          policy,
          block,
          stripX(block.base),
          stripTop,
          Math.max(1, block.size * scale),
          stripHeight,
        ),
      );
    } else {
      const list = byCompact.get(block.compactVmar) ?? [];
      list.push(block);
      byCompact.set(block.compactVmar, list);
    }
  }
  if (compacts.length > 0) {
    elements.push(
      `<text x="4" y="${String(rowsTop - 8)}">compact VMARs (each row ${formatByteSize(compacts[0]?.size ?? 0)}, lowest address on the left)</text>`,
    );
  }
  compacts.forEach((compact, index) => {
    const y = rowsTop + index * (ROW_HEIGHT + 4);
    const rowScale = (width - LABEL_WIDTH - 10) / compact.size;
    elements.push(
      `<text x="4" y="${String(y + 13)}">${escapeXml(compact.list)} ${formatAddress(compact.base)}</text>`,
      `<rect data-kind="compact-vmar" data-policy="${escapeXml(policy.policy)}" data-list="${escapeXml(compact.list)}" data-base="${hex(compact.base)}" data-size="${hex(compact.size)}" x="${px(LABEL_WIDTH)}" y="${String(y)}" width="${px(compact.size * rowScale)}" height="${String(ROW_HEIGHT)}" fill="#fff" stroke="#888"/>`,
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

function blockRect(
  policy: PolicyReport,
  block: PolicyReport['peakSnapshot']['blocks'][number],
  x: number,
  y: number,
  width: number,
  height: number,
): string {
  const compact = block.compactVmar === null ? '' : hex(block.compactVmar);
  return `<rect data-kind="block" data-policy="${escapeXml(policy.policy)}" data-block="${block.kind}" data-base="${hex(block.base)}" data-size="${hex(block.size)}" data-compact-vmar="${compact}" x="${px(x)}" y="${px(y)}" width="${px(width)}" height="${px(height)}" fill="${BLOCK_COLOURS[block.kind]}"/>`;
}

function chart(
  report: DemoReport,
  title: string,
  value: (sample: Sample) => number,
  kind: string,
): string {
  const width = MAP_WIDTH;
  const height = 240;
  const left = 70;
  const right = 20;
  const top = 24;
  const bottom = 36;
  const events = report.workload.events;
  const maximum = Math.max(1, ...report.policies.flatMap((policy) => policy.samples.map(value)));
  const x = (event: number): number =>
    left + (event / Math.max(1, events)) * (width - left - right);
  const y = (amount: number): number => top + (1 - amount / maximum) * (height - top - bottom);
  const elements: string[] = [
    `<text x="${String(left)}" y="16">${escapeXml(title)}</text>`,
    `<line x1="${String(left)}" y1="${px(y(0))}" x2="${String(width - right)}" y2="${px(y(0))}" stroke="#999"/>`,
    `<line x1="${String(left)}" y1="${String(top)}" x2="${String(left)}" y2="${px(y(0))}" stroke="#999"/>`,
    `<text x="4" y="${px(y(maximum) + 4)}">${count(maximum)}</text>`,
    `<text x="4" y="${px(y(0) + 4)}">0</text>`,
    `<text x="${String(left)}" y="${String(height - 8)}">events: 0</text>`,
    `<text x="${String(width - right - 120)}" y="${String(height - 8)}">${count(events)}</text>`,
  ];
  for (const policy of report.policies) {
    const points = [
      { event: 0, amount: 0 },
      ...policy.samples.map((sample) => ({ event: sample.event, amount: value(sample) })),
    ]
      .map((point) => `${px(x(point.event))},${px(y(point.amount))}`)
      .join(' ');
    elements.push(
      `<polyline data-policy="${escapeXml(policy.policy)}" data-series="${kind}" points="${points}" fill="none" stroke="${POLICY_COLOURS[policy.policy] ?? '#888'}" stroke-width="2"/>`,
    );
  }
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

function hex(value: number): string {
  return formatAddress(value);
}

function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
