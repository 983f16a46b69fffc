import type { MapLayout, PageBlockKind, PageCompactVmar, PageData } from '../report-page-data.js';
import { attribute, hex, px } from './format.js';
import { type Block, type Range, runs } from './map-geometry.js';

export function kindName(kinds: readonly PageBlockKind[], kind: number): string {
  return kinds[kind]?.kind ?? 'block';
}

export function kindColour(kinds: readonly PageBlockKind[], kind: number): string {
  return kinds[kind]?.colour ?? '#888';
}

/** What the map's strips need to draw one policy's blocks. */
export interface MapStrip {
  readonly data: PageData;
  readonly policy: string;
  readonly rows: readonly PageCompactVmar[];
  /** All blocks of the frame: above `data.blockRectLimit`, every strip draws runs of pixels. */
  readonly blockCount: number;
}

function blockRect(
  strip: MapStrip,
  block: Block,
  x: number,
  y: number,
  w: number,
  h: number,
): string {
  const { kinds } = strip.data;
  const compact = block.row >= 0 ? hex(strip.rows[block.row]?.base ?? 0) : '';
  return (
    `<rect data-kind="block" data-policy="${attribute(strip.policy)}"` +
    ` data-block="${kindName(kinds, block.kind)}" data-base="${hex(block.base)}"` +
    ` data-size="${hex(block.size)}" data-compact-vmar="${compact}"` +
    ` data-thread="${String(block.thread)}" x="${px(x)}" y="${px(y)}" width="${px(w)}"` +
    ` height="${px(h)}" fill="${kindColour(kinds, block.kind)}"/>`
  );
}

/** Blocks on a strip showing `range`: one rect each, or runs of pixels when there are many. */
export function blockShapes(
  strip: MapStrip,
  blocks: readonly Block[],
  range: Range,
  top: number,
  height: number,
): string[] {
  const { layout, kinds } = strip.data;
  const scale = layout.stripWidth / range.size;
  const left = (base: number): number => layout.labelWidth + (base - range.base) * scale;
  if (strip.blockCount <= strip.data.blockRectLimit) {
    return blocks.map((block) =>
      blockRect(strip, block, left(block.base), top, Math.max(0.6, block.size * scale), height),
    );
  }
  const parts: string[] = [];
  kinds.forEach((_kind, kind) => {
    const spans = blocks
      .filter((block) => block.kind === kind)
      .map((block): [number, number] => [left(block.base), left(block.base + block.size)]);
    for (const [from, to] of runs(spans)) {
      parts.push(
        `<rect data-kind="block-run" data-block="${kindName(kinds, kind)}" x="${String(from)}"` +
          ` y="${px(top)}" width="${String(to - from)}" height="${px(height)}"` +
          ` fill="${kindColour(kinds, kind)}"/>`,
      );
    }
  });
  return parts;
}

/** Grey marks on a strip showing `range`, one run of pixels per group of `ranges`. */
export function markShapes(
  layout: MapLayout,
  ranges: readonly Range[],
  range: Range,
  top: number,
): string[] {
  const scale = layout.stripWidth / range.size;
  const spans = ranges.map((item): [number, number] => [
    layout.labelWidth + (item.base - range.base) * scale,
    layout.labelWidth + (item.base + item.size - range.base) * scale,
  ]);
  return runs(spans).map(
    ([from, to]) =>
      `<rect data-kind="mark" x="${String(from)}" y="${String(top)}"` +
      ` width="${String(to - from)}" height="${String(layout.stripHeight)}" fill="#555"/>`,
  );
}
