import type { Tooltip } from '@vmars/cli-support/page';
import type { PageCompactVmar, PageData, PagePolicy } from '../report-page-data.js';
import { describeBlock, describeHole, describeRow, mapSummary } from './describe.js';
import { bytes, count, hex } from './format.js';
import { FrameDecoder } from './frame-decoder.js';
import { type Block, holesOf, largest, nearest, type Range, rowFinder } from './map-geometry.js';
import { blockShapes, type MapStrip, markShapes } from './map-svg.js';
import { ZOOM, zoomPicture } from './zoom-svg.js';

/** The SVG user-space point under a mouse event. */
function svgPoint(svg: SVGSVGElement, event: MouseEvent): { x: number; y: number } {
  const matrix = svg.getScreenCTM();
  if (matrix === null) return { x: -1, y: -1 };
  const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
  return { x: point.x, y: point.y };
}

/** Within 3 pixels counts as on a block: a 2 MiB stack in 1 GiB is under 2 pixels wide. */
const HIT_PIXELS = 3;

/**
 * One policy's map (`figure.map-figure`): draws its blocks at a frame, shows a tooltip for what
 * is under the mouse, and zooms into a compact VMAR (click, or Enter on a focused row), whose
 * blocks the arrow keys step through.
 */
export class PolicyView {
  readonly #data: PageData;
  readonly #tooltip: Tooltip;
  readonly #policy: PagePolicy;
  readonly #figure: HTMLElement;
  readonly #svg: SVGSVGElement;
  readonly #rows: readonly PageCompactVmar[];
  readonly #decoder: FrameDecoder;
  #blocks: Block[] = [];
  #rowBlocks: Block[][] = [];
  #frame = 0;
  #zoomed = -1;
  #zoomCursor = -1;

  constructor(data: PageData, tooltip: Tooltip, policy: PagePolicy, figure: HTMLElement) {
    this.#data = data;
    this.#tooltip = tooltip;
    this.#policy = policy;
    this.#figure = figure;
    this.#svg = figure.querySelector('svg.map') as SVGSVGElement;
    this.#rows = policy.compactVmars;
    this.#decoder = new FrameDecoder(data, policy.frames, rowFinder(policy.compactVmars));
    this.#listen();
  }

  #listen(): void {
    const hide = (): void => this.#tooltip.hide();
    const rowOf = (event: Event): number | undefined => {
      const row = (event.target as Element).closest('rect.row');
      return row === null ? undefined : Number(row.getAttribute('data-row'));
    };
    this.#svg.addEventListener('mousemove', (event) => this.#hover(event));
    this.#svg.addEventListener('mouseleave', hide);
    this.#svg.addEventListener('click', (event) => {
      const row = rowOf(event);
      if (row !== undefined) this.zoom(row);
    });
    this.#svg.addEventListener('keydown', (event) => {
      const row = rowOf(event);
      if (row !== undefined && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        this.zoom(row);
      }
    });
    const zoomMap = this.#figure.querySelector('svg.zoom-map') as SVGSVGElement;
    zoomMap.addEventListener('keydown', (event) => this.#zoomKey(event));
    zoomMap.addEventListener('mousemove', (event) => this.#zoomHover(event));
    zoomMap.addEventListener('mouseleave', hide);
    zoomMap.addEventListener('blur', hide);
    const close = this.#figure.querySelector('.zoom-close') as HTMLButtonElement;
    close.addEventListener('click', () => this.closeZoom());
  }

  #event(): number {
    return this.#policy.frames[this.#frame]?.event ?? 0;
  }

  #exists(row: number): boolean {
    return (this.#rows[row]?.firstEvent ?? Number.POSITIVE_INFINITY) <= this.#event();
  }

  #strip(): MapStrip {
    const { policy } = this.#policy;
    return { data: this.#data, policy, rows: this.#rows, blockCount: this.#blocks.length };
  }

  /** Draws the map (and the zoom, when open) at frame `frame`. */
  draw(frame: number): void {
    const { layout, region } = this.#data;
    this.#frame = frame;
    this.#blocks = this.#decoder.blocksAt(frame);
    this.#rowBlocks = this.#rows.map(() => []);
    for (const block of this.#blocks) if (block.row >= 0) this.#rowBlocks[block.row]?.push(block);
    const strip = this.#strip();
    const { span } = this.#policy;
    const existing = this.#rows.filter((_row, index) => this.#exists(index));
    const hasRows = this.#rows.length > 0;
    const parts = markShapes(layout, hasRows ? existing : this.#blocks, region, layout.wholeTop);
    if (hasRows) parts.push(...markShapes(layout, existing, span, layout.spanTop));
    else parts.push(...blockShapes(strip, this.#blocks, span, layout.spanTop, layout.stripHeight));
    this.#rows.forEach((compact, index) => {
      const y = layout.rowsTop + index * (layout.rowHeight + layout.rowGap);
      const blocks = this.#rowBlocks[index] ?? [];
      parts.push(...blockShapes(strip, blocks, compact, y + 1, layout.rowHeight - 2));
      this.#svg
        .querySelector(`rect.row[data-row="${String(index)}"]`)
        ?.classList.toggle('future', !this.#exists(index));
    });
    (this.#svg.querySelector('.frame-layer') as SVGGElement).innerHTML = parts.join('');
    this.#svg.setAttribute('data-event', String(this.#event()));
    const at = this.#policy.frames[frame];
    if (at?.time !== undefined) this.#svg.setAttribute('data-time', String(at.time));
    const spanLabel = this.#svg.querySelector('.span-label');
    if (spanLabel !== null) {
      spanLabel.textContent = `${hex(span.base)} – ${hex(span.base + span.size)} (${bytes(span.size)})`;
    }
    const summary = this.#figure.querySelector('.map-summary');
    if (summary !== null) {
      const compactVmars = hasRows ? existing.length : undefined;
      summary.textContent = mapSummary(this.#data, at, this.#blocks.length, compactVmars);
    }
    this.#updateTables();
    if (this.#zoomed >= 0) this.#drawZoom();
  }

  #updateTables(): void {
    const vmarRows = this.#figure.querySelectorAll('table.vmar-table tbody tr');
    vmarRows.forEach((row, index) => {
      const cells = row.querySelectorAll('td');
      const compact = this.#rows[index];
      if (compact === undefined || cells.length < 4) return;
      const exists = this.#exists(index);
      const blocks = this.#rowBlocks[index] ?? [];
      const hole = largest(holesOf(compact, blocks, this.#data.kinds));
      (cells[2] as HTMLElement).textContent = exists ? count(blocks.length) : 'not yet made';
      (cells[3] as HTMLElement).textContent = exists ? bytes(hole?.size ?? 0) : '';
    });
    const rootRows = this.#figure.querySelectorAll('table.root-table tbody tr');
    rootRows.forEach((row, kind) => {
      const cells = row.querySelectorAll('td');
      const ofKind = this.#blocks.filter((block) => block.kind === kind);
      if (cells.length < 2) return;
      (cells[0] as HTMLElement).textContent = count(ofKind.length);
      (cells[1] as HTMLElement).textContent = bytes(
        ofKind.reduce((sum, block) => sum + block.size, 0),
      );
    });
  }

  /** What the mouse is over: a strip's blocks (root policy) or a row's, and the range shown. */
  #hit(y: number): { candidates: readonly Block[]; range: Range; row: number } | undefined {
    const { layout, region } = this.#data;
    const strip = (top: number): boolean => y >= top && y <= top + layout.stripHeight;
    if (strip(layout.spanTop) && this.#rows.length === 0) {
      return { candidates: this.#blocks, range: this.#policy.span, row: -1 };
    }
    if (strip(layout.wholeTop) && this.#rows.length === 0) {
      return { candidates: this.#blocks, range: region, row: -1 };
    }
    if (y < layout.rowsTop) return undefined;
    const step = layout.rowHeight + layout.rowGap;
    const index = Math.floor((y - layout.rowsTop) / step);
    const range = this.#rows[index];
    if (range === undefined || y - layout.rowsTop - index * step > layout.rowHeight) {
      return undefined;
    }
    return { candidates: this.#rowBlocks[index] ?? [], range, row: index };
  }

  #hover(event: MouseEvent): void {
    const { layout, kinds } = this.#data;
    const { x, y } = svgPoint(this.#svg, event);
    const hit = this.#hit(y);
    if (hit === undefined || x < layout.labelWidth) {
      this.#tooltip.hide();
      return;
    }
    const scale = layout.stripWidth / hit.range.size;
    const address = hit.range.base + (x - layout.labelWidth) / scale;
    const found = nearest(hit.candidates, address);
    let text: string | undefined;
    if (found !== undefined && found.distance * scale <= HIT_PIXELS) {
      text = describeBlock(kinds, this.#rows, found.block);
    } else if (hit.row >= 0) {
      const compact = hit.range as PageCompactVmar;
      text = describeRow(kinds, compact, hit.candidates, this.#exists(hit.row));
    }
    if (text === undefined) this.#tooltip.hide();
    else this.#tooltip.show(text, event.clientX, event.clientY);
  }

  /** Opens the zoom on row `row` and gives it the keyboard's focus. */
  zoom(row: number): void {
    if (this.#rows[row] === undefined) return;
    this.#svg.querySelectorAll('rect.row.zoomed').forEach((element) => {
      element.classList.remove('zoomed');
    });
    this.#svg.querySelector(`rect.row[data-row="${String(row)}"]`)?.classList.add('zoomed');
    this.#zoomed = row;
    this.#zoomCursor = -1;
    const panel = this.#figure.querySelector('.zoom') as HTMLElement;
    panel.hidden = false;
    this.#drawZoom();
    (panel.querySelector('svg.zoom-map') as SVGSVGElement).focus();
  }

  /** Closes the zoom and gives the focus back to its row. */
  closeZoom(): void {
    const row = this.#zoomed;
    this.#zoomed = -1;
    (this.#figure.querySelector('.zoom') as HTMLElement).hidden = true;
    this.#tooltip.hide();
    const rect = this.#svg.querySelector(`rect.row[data-row="${String(row)}"]`);
    rect?.classList.remove('zoomed');
    (rect as SVGElement | null)?.focus();
  }

  #drawZoom(): void {
    const compact = this.#rows[this.#zoomed];
    if (compact === undefined) return;
    const exists = this.#exists(this.#zoomed);
    const blocks = exists ? (this.#rowBlocks[this.#zoomed] ?? []) : [];
    const picture = zoomPicture({
      data: this.#data,
      compact,
      blocks,
      exists,
      cursor: this.#zoomCursor,
      event: this.#event(),
    });
    const element = (selector: string): Element => this.#figure.querySelector(selector) as Element;
    element('.zoom-layer').innerHTML = picture.svg;
    element('.zoom-title').textContent = picture.title;
    element('.zoom-summary').textContent = picture.summary;
    element('.zoom-desc').textContent = picture.summary;
  }

  #zoomKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.closeZoom();
      return;
    }
    const blocks = this.#rowBlocks[this.#zoomed] ?? [];
    if (blocks.length === 0) return;
    const moves: Record<string, number> = {
      ArrowRight: this.#zoomCursor + 1,
      ArrowLeft: this.#zoomCursor - 1,
      Home: 0,
      End: blocks.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.#zoomCursor = Math.max(0, Math.min(blocks.length - 1, next));
    this.#drawZoom();
    const cursor = this.#figure.querySelector('.zoom-cursor');
    const block = blocks[this.#zoomCursor];
    if (cursor !== null && block !== undefined) {
      this.#tooltip.showBeside(cursor, describeBlock(this.#data.kinds, this.#rows, block));
    }
  }

  #zoomHover(event: MouseEvent): void {
    const compact = this.#rows[this.#zoomed];
    if (compact === undefined) return;
    const { x } = svgPoint(event.currentTarget as SVGSVGElement, event);
    const scale = ZOOM.width / compact.size;
    const address = compact.base + (x - ZOOM.left) / scale;
    const blocks = this.#rowBlocks[this.#zoomed] ?? [];
    const found = nearest(blocks, address);
    if (found !== undefined && found.distance * scale <= HIT_PIXELS) {
      const text = describeBlock(this.#data.kinds, this.#rows, found.block);
      this.#tooltip.show(text, event.clientX, event.clientY);
      return;
    }
    const hole = holesOf(compact, blocks, this.#data.kinds).find(
      (each) => address >= each.base && address < each.base + each.size,
    );
    if (hole === undefined) this.#tooltip.hide();
    else this.#tooltip.show(describeHole(hole), event.clientX, event.clientY);
  }
}
