import type { PageCompactVmar, PageData } from '../report-page-data.js';
import { bytes, count, hex, px } from './format.js';
import { type Block, holesOf, largest, type Range } from './map-geometry.js';
import { kindColour, kindName } from './map-svg.js';

/** The zoom's geometry: the whole compact VMAR across 960 units. */
export const ZOOM = { left: 20, width: 960, top: 34, height: 34 } as const;

/** The light grey of a compact VMAR's space, under its holes (white) and blocks. */
const EMPTY = '#f2f2f2';

/** What the zoom into one compact VMAR shows at a frame. */
export interface ZoomView {
  readonly data: PageData;
  readonly compact: PageCompactVmar;
  /** Its blocks at the frame (none when it is not made yet), sorted by base. */
  readonly blocks: readonly Block[];
  /** Whether it exists at the frame. */
  readonly exists: boolean;
  /** The block the arrow keys are on, or -1. */
  readonly cursor: number;
  readonly event: number;
}

/** The zoom's SVG (for its layer), its title and the summary under it. */
export function zoomPicture(view: ZoomView): { svg: string; title: string; summary: string } {
  const { compact } = view;
  const holes = holesOf(compact, view.blocks, view.data.kinds);
  const biggest = largest(holes);
  const svg = [
    ...spaceShapes(view, holes),
    ...(biggest === undefined ? [] : largestHoleShapes(view, biggest)),
    ...tickShapes(compact),
    ...cursorShapes(view),
  ].join('');
  const title = `${compact.list} compact VMAR ${hex(compact.base)} – ${hex(compact.base + compact.size)}, after event ${count(view.event)}`;
  return { svg, title, summary: zoomSummary(view, holes, biggest) };
}

function xOf(compact: Range): (address: number) => number {
  const scale = ZOOM.width / compact.size;
  return (address) => ZOOM.left + (address - compact.base) * scale;
}

function spaceShapes(view: ZoomView, holes: readonly Range[]): string[] {
  const { left, width, top, height } = ZOOM;
  const { kinds } = view.data;
  const scale = width / view.compact.size;
  const x = xOf(view.compact);
  return [
    `<rect data-kind="zoom-vmar" x="${String(left)}" y="${String(top)}" width="${String(width)}"` +
      ` height="${String(height)}" fill="${EMPTY}" stroke="#888"/>`,
    ...holes.map(
      (hole) =>
        `<rect data-kind="hole" data-base="${hex(hole.base)}" data-size="${hex(hole.size)}"` +
        ` x="${px(x(hole.base))}" y="${String(top)}" width="${px(hole.size * scale)}"` +
        ` height="${String(height)}" fill="#fff"/>`,
    ),
    ...view.blocks.map(
      (block) =>
        `<rect data-kind="zoom-block" data-block="${kindName(kinds, block.kind)}"` +
        ` data-base="${hex(block.base)}" data-size="${hex(block.size)}"` +
        ` data-thread="${String(block.thread)}" x="${px(x(block.base))}" y="${String(top)}"` +
        ` width="${px(block.size * scale)}" height="${String(height)}"` +
        ` fill="${kindColour(kinds, block.kind)}"/>`,
    ),
  ];
}

/** The largest hole, outlined, and a label saying whether the policy's probe fits in it. */
function largestHoleShapes(view: ZoomView, biggest: Range): string[] {
  const { left, width, top, height } = ZOOM;
  const probe = view.data.probeSize;
  const holeX = xOf(view.compact)(biggest.base);
  const holeWidth = Math.max(1, biggest.size * (width / view.compact.size));
  // The label starts at the hole, or ends at it when the hole is in the right half.
  const rightHalf = holeX + holeWidth / 2 > left + width / 2;
  const labelX = rightHalf ? Math.min(holeX + holeWidth, left + width) : Math.max(holeX, left);
  const fits =
    biggest.size >= probe ? `a ${bytes(probe)} probe fits` : `no room for a ${bytes(probe)} probe`;
  return [
    `<rect data-kind="largest-hole" data-base="${hex(biggest.base)}"` +
      ` data-size="${hex(biggest.size)}" x="${px(holeX)}" y="${String(top - 3)}"` +
      ` width="${px(holeWidth)}" height="${String(height + 6)}" fill="none" stroke="#000"` +
      ' stroke-width="2" stroke-dasharray="4 2"/>',
    `<text class="largest-hole-label" x="${px(labelX)}" y="${String(top - 10)}"` +
      ` text-anchor="${rightHalf ? 'end' : 'start'}">largest hole: ${bytes(biggest.size)}` +
      ` at ${hex(biggest.base)} (${fits})</text>`,
  ];
}

/** Ticks at the quarters, labelled with the offset into the compact VMAR. */
function tickShapes(compact: Range): string[] {
  const { left, width, top, height } = ZOOM;
  const parts: string[] = [];
  for (let quarter = 0; quarter <= 4; quarter += 1) {
    const tickX = px(left + (quarter * width) / 4);
    const anchor = quarter === 0 ? 'start' : quarter === 4 ? 'end' : 'middle';
    parts.push(
      `<line x1="${tickX}" x2="${tickX}" y1="${String(top + height)}"` +
        ` y2="${String(top + height + 5)}" stroke="#777"/>`,
      `<text x="${tickX}" y="${String(top + height + 18)}" text-anchor="${anchor}">` +
        `+${bytes((quarter * compact.size) / 4)}</text>`,
    );
  }
  return parts;
}

function cursorShapes(view: ZoomView): string[] {
  const block = view.cursor >= 0 ? view.blocks[view.cursor] : undefined;
  if (block === undefined) return [];
  const { top, height } = ZOOM;
  const x = xOf(view.compact)(block.base);
  const width = Math.max(4, block.size * (ZOOM.width / view.compact.size) + 4);
  return [
    `<rect class="zoom-cursor" x="${px(x - 2)}" y="${String(top - 6)}" width="${px(width)}"` +
      ` height="${String(height + 12)}" fill="none" stroke="#0072b2" stroke-width="2"/>`,
  ];
}

function zoomSummary(view: ZoomView, holes: readonly Range[], biggest: Range | undefined): string {
  if (!view.exists) {
    return `Not made yet at this sample (first used after event ${count(view.compact.firstEvent)}).`;
  }
  const probe = bytes(view.data.probeSize);
  const used = view.blocks.reduce((sum, block) => sum + block.size, 0);
  const fits =
    biggest !== undefined && biggest.size >= view.data.probeSize
      ? `a ${probe} probe finds room here`
      : `a ${probe} probe fails here and the list moves on`;
  return (
    `${count(view.blocks.length)} blocks (${bytes(used)} mapped), ${count(holes.length)}` +
    ` ${holes.length === 1 ? 'hole' : 'holes'}; the largest is ${bytes(biggest?.size ?? 0)},` +
    ` so ${fits}. Drawn to scale: blocks in colour, holes white.`
  );
}
