import type { PageCompactVmar, PageData, PagePolicy } from './report-page-data.js';

/**
 * The HTML page's script. `renderHtml` inlines it as `(${pageScript.toString()})()`, so it must
 * use nothing from outside its own body at run time: no imports (types only), no module-level
 * names, and its own small formatters (the page has no modules to import from). It is
 * type-checked with the DOM's types like any other file, and tested in Chromium
 * (`report.browser.test.ts`).
 *
 * It draws the maps at the frame the slider is on, shows a tooltip for whatever is under the
 * mouse or focused, zooms into a compact VMAR, and plays the frames.
 */
export function pageScript(): void {
  const dataElement = document.getElementById('report-data');
  if (dataElement === null) return;
  const data = JSON.parse(dataElement.textContent ?? '{}') as PageData;
  const layout = data.layout;
  const tooltip = document.getElementById('tooltip') as HTMLElement;
  const slider = document.getElementById('frame') as HTMLInputElement;
  const playButton = document.getElementById('play') as HTMLButtonElement;
  const peakButton = document.getElementById('to-peak') as HTMLButtonElement;
  const frameLabel = document.getElementById('frame-label') as HTMLOutputElement;
  const EMPTY = '#f2f2f2';

  interface Block {
    readonly thread: number;
    readonly kind: number;
    readonly base: number;
    readonly size: number;
    /** Index of its compact VMAR's row, or -1 when it sits directly in the root. */
    readonly row: number;
  }
  interface Range {
    readonly base: number;
    readonly size: number;
  }

  const hex = (value: number): string => `0x${value.toString(16)}`;
  const count = (value: number): string => value.toLocaleString('en-US');
  /** A trace time (microseconds from its origin) in seconds, as `trace-time.ts` writes it. */
  const seconds = (timeUs: number): string =>
    `${(timeUs / 1e6).toFixed(data.trace?.decimals ?? 6)} s`;
  const bytes = (value: number): string => {
    const units: [string, number][] = [
      ['TiB', 2 ** 40],
      ['GiB', 2 ** 30],
      ['MiB', 2 ** 20],
      ['KiB', 2 ** 10],
    ];
    for (const [name, unit] of units) {
      if (value >= unit) return `${String(Number((value / unit).toFixed(2)))}${name}`;
    }
    return `${String(value)}B`;
  };
  const attribute = (text: string): string =>
    text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  const px = (value: number): string => String(Math.round(value * 100) / 100);
  const kindName = (kind: number): string => data.kinds[kind]?.kind ?? 'block';
  const kindColour = (kind: number): string => data.kinds[kind]?.colour ?? '#888';

  function showTooltip(text: string, x: number, y: number): void {
    tooltip.textContent = text;
    tooltip.hidden = false;
    const box = tooltip.getBoundingClientRect();
    const left = Math.max(4, Math.min(x + 14, window.innerWidth - box.width - 4));
    const top = y + 16 + box.height > window.innerHeight ? y - box.height - 12 : y + 16;
    tooltip.style.left = `${px(left)}px`;
    tooltip.style.top = `${px(Math.max(4, top))}px`;
  }
  function hideTooltip(): void {
    tooltip.hidden = true;
  }
  function showTooltipAt(element: Element, text: string): void {
    const box = element.getBoundingClientRect();
    showTooltip(text, box.left + box.width / 2, box.top + box.height / 2);
  }

  /** The SVG user-space point under a mouse event. */
  function svgPoint(svg: SVGSVGElement, event: MouseEvent): { x: number; y: number } {
    const matrix = svg.getScreenCTM();
    if (matrix === null) return { x: -1, y: -1 };
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return { x: point.x, y: point.y };
  }

  /** Merges `[start, end)` pixel spans into runs of whole columns, for thousands of blocks. */
  function runs(spans: readonly [number, number][]): [number, number][] {
    const sorted = [...spans].sort((left, right) => left[0] - right[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of sorted) {
      const from = Math.floor(start);
      const to = Math.max(from + 1, Math.ceil(end));
      const last = merged.at(-1);
      if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    return merged;
  }

  /** The free gaps of a compact VMAR: what lies between its blocks' VMARs (guards included). */
  function holesOf(compact: Range, blocks: readonly Block[]): Range[] {
    const holes: Range[] = [];
    let cursor = compact.base;
    for (const block of blocks) {
      const kind = data.kinds[block.kind];
      const start = block.base - (kind?.guardBelow ?? 0);
      if (start > cursor) holes.push({ base: cursor, size: start - cursor });
      cursor = Math.max(cursor, block.base + block.size + (kind?.guardAbove ?? 0));
    }
    const end = compact.base + compact.size;
    if (end > cursor) holes.push({ base: cursor, size: end - cursor });
    return holes;
  }
  function largest(holes: readonly Range[]): Range | undefined {
    let best: Range | undefined;
    for (const hole of holes) if (best === undefined || hole.size > best.size) best = hole;
    return best;
  }

  /** The block of `sorted` (by base) nearest to `address`, and its distance in bytes. */
  function nearest(
    sorted: readonly Block[],
    address: number,
  ): { block: Block; distance: number } | undefined {
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if ((sorted[middle] as Block).base <= address) low = middle + 1;
      else high = middle - 1;
    }
    let best: { block: Block; distance: number } | undefined;
    for (const candidate of [sorted[high], sorted[high + 1]]) {
      if (candidate === undefined) continue;
      const distance =
        address < candidate.base
          ? candidate.base - address
          : Math.max(0, address - (candidate.base + candidate.size));
      if (best === undefined || distance < best.distance) best = { block: candidate, distance };
    }
    return best;
  }

  class PolicyView {
    readonly policy: PagePolicy;
    readonly figure: HTMLElement;
    readonly svg: SVGSVGElement;
    readonly layer: SVGGElement;
    readonly rows: readonly PageCompactVmar[];
    readonly #rowsByBase: readonly { compact: PageCompactVmar; index: number }[];
    readonly #live = new Map<number, number[]>();
    #applied = -1;
    blocks: Block[] = [];
    rowBlocks: Block[][] = [];
    frame = 0;
    zoomed = -1;
    zoomCursor = -1;

    constructor(policy: PagePolicy, figure: HTMLElement) {
      this.policy = policy;
      this.figure = figure;
      this.svg = figure.querySelector('svg.map') as SVGSVGElement;
      this.layer = this.svg.querySelector('.frame-layer') as SVGGElement;
      this.rows = policy.compactVmars;
      this.#rowsByBase = policy.compactVmars
        .map((compact, index) => ({ compact, index }))
        .sort((left, right) => left.compact.base - right.compact.base);
      this.svg.addEventListener('mousemove', (event) => this.#hover(event));
      this.svg.addEventListener('mouseleave', hideTooltip);
      this.svg.addEventListener('click', (event) => {
        const row = (event.target as Element).closest('rect.row');
        if (row !== null) this.zoom(Number(row.getAttribute('data-row')));
      });
      this.svg.addEventListener('keydown', (event) => {
        const row = (event.target as Element).closest('rect.row');
        if (row !== null && (event.key === 'Enter' || event.key === ' ')) {
          event.preventDefault();
          this.zoom(Number(row.getAttribute('data-row')));
        }
      });
      const zoomMap = figure.querySelector('svg.zoom-map') as SVGSVGElement;
      zoomMap.addEventListener('keydown', (event) => this.#zoomKey(event));
      zoomMap.addEventListener('mousemove', (event) => this.#zoomHover(event));
      zoomMap.addEventListener('mouseleave', hideTooltip);
      zoomMap.addEventListener('blur', hideTooltip);
      (figure.querySelector('.zoom-close') as HTMLButtonElement).addEventListener('click', () =>
        this.closeZoom(),
      );
    }

    #rowOf(address: number): number {
      let low = 0;
      let high = this.#rowsByBase.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const entry = this.#rowsByBase[middle] as { compact: PageCompactVmar; index: number };
        if (address < entry.compact.base) high = middle - 1;
        else if (address >= entry.compact.base + entry.compact.size) low = middle + 1;
        else return entry.index;
      }
      return -1;
    }

    /** Replays the frames' differences up to `index` (from the start when going back). */
    #decode(index: number): void {
      if (index < this.#applied) {
        this.#live.clear();
        this.#applied = -1;
      }
      for (let frameIndex = this.#applied + 1; frameIndex <= index; frameIndex += 1) {
        const frame = this.policy.frames[frameIndex];
        if (frame === undefined) break;
        let thread = 0;
        for (const delta of frame.removed) {
          thread += delta;
          this.#live.delete(thread);
        }
        let base = data.region.base;
        for (let at = 0; at < frame.added.length; at += 3) {
          const owner = frame.added[at] as number;
          base += (frame.added[at + 2] as number) * data.pageSize;
          const list = this.#live.get(owner);
          if (list === undefined) this.#live.set(owner, [frame.added[at + 1] as number, base]);
          else list.push(frame.added[at + 1] as number, base);
        }
        this.#applied = frameIndex;
      }
      const blocks: Block[] = [];
      for (const [thread, list] of this.#live) {
        for (let at = 0; at < list.length; at += 2) {
          const kind = list[at] as number;
          const base = list[at + 1] as number;
          blocks.push({
            thread,
            kind,
            base,
            size: data.kinds[kind]?.size ?? 0,
            row: this.#rowOf(base),
          });
        }
      }
      blocks.sort((left, right) => left.base - right.base);
      this.blocks = blocks;
      this.rowBlocks = this.rows.map(() => []);
      for (const block of blocks) if (block.row >= 0) this.rowBlocks[block.row]?.push(block);
    }

    event(): number {
      return this.policy.frames[this.frame]?.event ?? 0;
    }

    #exists(row: number): boolean {
      return (this.rows[row]?.firstEvent ?? Number.POSITIVE_INFINITY) <= this.event();
    }

    #blockRect(block: Block, x: number, y: number, width: number, height: number): string {
      const compact = block.row >= 0 ? hex(this.rows[block.row]?.base ?? 0) : '';
      return `<rect data-kind="block" data-policy="${attribute(this.policy.policy)}" data-block="${kindName(block.kind)}" data-base="${hex(block.base)}" data-size="${hex(block.size)}" data-compact-vmar="${compact}" data-thread="${String(block.thread)}" x="${px(x)}" y="${px(y)}" width="${px(width)}" height="${px(height)}" fill="${kindColour(block.kind)}"/>`;
    }

    /** Blocks on a strip showing `range`: one rect each, or runs of pixels when there are many. */
    #drawBlocks(blocks: readonly Block[], range: Range, top: number, height: number): string[] {
      const scale = layout.stripWidth / range.size;
      const left = (base: number): number => layout.labelWidth + (base - range.base) * scale;
      if (this.blocks.length <= data.blockRectLimit) {
        return blocks.map((block) =>
          this.#blockRect(block, left(block.base), top, Math.max(0.6, block.size * scale), height),
        );
      }
      const parts: string[] = [];
      data.kinds.forEach((_kind, kind) => {
        const spans = blocks
          .filter((block) => block.kind === kind)
          .map((block): [number, number] => [left(block.base), left(block.base + block.size)]);
        for (const [from, to] of runs(spans)) {
          parts.push(
            `<rect data-kind="block-run" data-block="${kindName(kind)}" x="${String(from)}" y="${px(top)}" width="${String(to - from)}" height="${px(height)}" fill="${kindColour(kind)}"/>`,
          );
        }
      });
      return parts;
    }

    #marks(ranges: readonly Range[], range: Range, top: number): string[] {
      const scale = layout.stripWidth / range.size;
      const spans = ranges.map((item): [number, number] => [
        layout.labelWidth + (item.base - range.base) * scale,
        layout.labelWidth + (item.base + item.size - range.base) * scale,
      ]);
      return runs(spans).map(
        ([from, to]) =>
          `<rect data-kind="mark" x="${String(from)}" y="${String(top)}" width="${String(to - from)}" height="${String(layout.stripHeight)}" fill="#555"/>`,
      );
    }

    draw(frame: number): void {
      this.frame = frame;
      this.#decode(frame);
      const parts: string[] = [];
      const existing = this.rows.filter((_row, index) => this.#exists(index));
      const rootItems: Range[] = this.rows.length > 0 ? existing : this.blocks;
      parts.push(...this.#marks(rootItems, data.region, layout.wholeTop));
      if (this.rows.length > 0) {
        parts.push(...this.#marks(existing, this.policy.span, layout.spanTop));
      } else {
        parts.push(
          ...this.#drawBlocks(this.blocks, this.policy.span, layout.spanTop, layout.stripHeight),
        );
      }
      this.rows.forEach((compact, index) => {
        const y = layout.rowsTop + index * (layout.rowHeight + layout.rowGap);
        parts.push(
          ...this.#drawBlocks(this.rowBlocks[index] ?? [], compact, y + 1, layout.rowHeight - 2),
        );
        this.svg
          .querySelector(`rect.row[data-row="${String(index)}"]`)
          ?.classList.toggle('future', !this.#exists(index));
      });
      this.layer.innerHTML = parts.join('');
      this.svg.setAttribute('data-event', String(this.event()));
      const time = this.policy.frames[frame]?.time;
      if (time !== undefined) this.svg.setAttribute('data-time', String(time));
      const span = this.policy.span;
      const spanLabel = this.svg.querySelector('.span-label');
      if (spanLabel !== null) {
        spanLabel.textContent = `${hex(span.base)} – ${hex(span.base + span.size)} (${bytes(span.size)})`;
      }
      const summary = this.figure.querySelector('.map-summary');
      if (summary !== null) {
        summary.textContent =
          `${time === undefined ? `After event ${count(this.event())}` : `At ${seconds(time)} into the trace`}: ${count(this.policy.frames[frame]?.liveThreads ?? 0)} threads alive, ${count(this.blocks.length)} blocks` +
          (this.rows.length > 0
            ? ` in ${count(existing.length)} compact VMARs.`
            : ', each in its own VMAR directly in the root.');
      }
      this.#updateTable();
      if (this.zoomed >= 0) this.#drawZoom();
    }

    #updateTable(): void {
      const vmarRows = this.figure.querySelectorAll('table.vmar-table tbody tr');
      vmarRows.forEach((row, index) => {
        const cells = row.querySelectorAll('td');
        const compact = this.rows[index];
        if (compact === undefined || cells.length < 4) return;
        const exists = this.#exists(index);
        const blocks = this.rowBlocks[index] ?? [];
        (cells[2] as HTMLElement).textContent = exists ? count(blocks.length) : 'not yet made';
        (cells[3] as HTMLElement).textContent = exists
          ? bytes(largest(holesOf(compact, blocks))?.size ?? 0)
          : '';
      });
      const rootRows = this.figure.querySelectorAll('table.root-table tbody tr');
      rootRows.forEach((row, kind) => {
        const cells = row.querySelectorAll('td');
        const ofKind = this.blocks.filter((block) => block.kind === kind);
        if (cells.length < 2) return;
        (cells[0] as HTMLElement).textContent = count(ofKind.length);
        (cells[1] as HTMLElement).textContent = bytes(
          ofKind.reduce((sum, block) => sum + block.size, 0),
        );
      });
    }

    #describeBlock(block: Block): string {
      const compact = this.rows[block.row];
      return [
        `${kindName(block.kind)}${block.thread >= 0 ? `, thread ${String(block.thread)}` : ''}`,
        `address ${hex(block.base)} – ${hex(block.base + block.size)}`,
        `size ${bytes(block.size)}`,
        compact === undefined
          ? 'compact VMAR: none (its own VMAR in the root)'
          : `compact VMAR ${hex(compact.base)} (${compact.list})`,
      ].join('\n');
    }

    #describeRow(index: number): string {
      const compact = this.rows[index] as PageCompactVmar;
      if (!this.#exists(index)) {
        return `${compact.list} compact VMAR ${hex(compact.base)}\nnot made yet (first used after event ${count(compact.firstEvent)})`;
      }
      const blocks = this.rowBlocks[index] ?? [];
      const hole = largest(holesOf(compact, blocks));
      return [
        `${compact.list} compact VMAR ${hex(compact.base)}, ${bytes(compact.size)}`,
        `${count(blocks.length)} blocks; largest hole ${bytes(hole?.size ?? 0)}`,
        'click to zoom',
      ].join('\n');
    }

    #hover(event: MouseEvent): void {
      const { x, y } = svgPoint(this.svg, event);
      const strip = (top: number): boolean => y >= top && y <= top + layout.stripHeight;
      let candidates: readonly Block[] = [];
      let range: Range | undefined;
      let row = -1;
      if (strip(layout.spanTop) && this.rows.length === 0) {
        candidates = this.blocks;
        range = this.policy.span;
      } else if (strip(layout.wholeTop) && this.rows.length === 0) {
        candidates = this.blocks;
        range = data.region;
      } else if (y >= layout.rowsTop) {
        const step = layout.rowHeight + layout.rowGap;
        const index = Math.floor((y - layout.rowsTop) / step);
        if (index < this.rows.length && y - layout.rowsTop - index * step <= layout.rowHeight) {
          row = index;
          candidates = this.rowBlocks[index] ?? [];
          range = this.rows[index];
        }
      }
      if (range === undefined || x < layout.labelWidth) {
        hideTooltip();
        return;
      }
      const scale = layout.stripWidth / range.size;
      const address = range.base + (x - layout.labelWidth) / scale;
      const found = nearest(candidates, address);
      // Within 3 pixels counts as on the block: a 2 MiB stack in 1 GiB is under 2 pixels wide.
      if (found !== undefined && found.distance * scale <= 3) {
        showTooltip(this.#describeBlock(found.block), event.clientX, event.clientY);
      } else if (row >= 0) {
        showTooltip(this.#describeRow(row), event.clientX, event.clientY);
      } else hideTooltip();
    }

    zoom(row: number): void {
      if (this.rows[row] === undefined) return;
      this.svg.querySelectorAll('rect.row.zoomed').forEach((element) => {
        element.classList.remove('zoomed');
      });
      this.svg.querySelector(`rect.row[data-row="${String(row)}"]`)?.classList.add('zoomed');
      this.zoomed = row;
      this.zoomCursor = -1;
      const panel = this.figure.querySelector('.zoom') as HTMLElement;
      panel.hidden = false;
      this.#drawZoom();
      (panel.querySelector('svg.zoom-map') as SVGSVGElement).focus();
    }

    closeZoom(): void {
      const row = this.zoomed;
      this.zoomed = -1;
      (this.figure.querySelector('.zoom') as HTMLElement).hidden = true;
      hideTooltip();
      const rect = this.svg.querySelector(`rect.row[data-row="${String(row)}"]`);
      rect?.classList.remove('zoomed');
      (rect as SVGElement | null)?.focus();
    }

    /** The zoom's geometry: the whole compact VMAR across 960 units. */
    static readonly ZOOM = { left: 20, width: 960, top: 34, height: 34 };

    #drawZoom(): void {
      const compact = this.rows[this.zoomed];
      if (compact === undefined) return;
      const { left, width, top, height } = PolicyView.ZOOM;
      const scale = width / compact.size;
      const x = (address: number): number => left + (address - compact.base) * scale;
      const exists = this.#exists(this.zoomed);
      const blocks = exists ? (this.rowBlocks[this.zoomed] ?? []) : [];
      const holes = holesOf(compact, blocks);
      const biggest = largest(holes);
      const parts: string[] = [
        `<rect data-kind="zoom-vmar" x="${String(left)}" y="${String(top)}" width="${String(width)}" height="${String(height)}" fill="${EMPTY}" stroke="#888"/>`,
      ];
      for (const hole of holes) {
        parts.push(
          `<rect data-kind="hole" data-base="${hex(hole.base)}" data-size="${hex(hole.size)}" x="${px(x(hole.base))}" y="${String(top)}" width="${px(hole.size * scale)}" height="${String(height)}" fill="#fff"/>`,
        );
      }
      for (const block of blocks) {
        parts.push(
          `<rect data-kind="zoom-block" data-block="${kindName(block.kind)}" data-base="${hex(block.base)}" data-size="${hex(block.size)}" data-thread="${String(block.thread)}" x="${px(x(block.base))}" y="${String(top)}" width="${px(block.size * scale)}" height="${String(height)}" fill="${kindColour(block.kind)}"/>`,
        );
      }
      const probeFits = biggest !== undefined && biggest.size >= data.probeSize;
      if (biggest !== undefined) {
        const holeX = x(biggest.base);
        const holeWidth = Math.max(1, biggest.size * scale);
        // The label starts at the hole, or ends at it when the hole is in the right half.
        const rightHalf = holeX + holeWidth / 2 > left + width / 2;
        const labelX = rightHalf
          ? Math.min(holeX + holeWidth, left + width)
          : Math.max(holeX, left);
        parts.push(
          `<rect data-kind="largest-hole" data-base="${hex(biggest.base)}" data-size="${hex(biggest.size)}" x="${px(holeX)}" y="${String(top - 3)}" width="${px(holeWidth)}" height="${String(height + 6)}" fill="none" stroke="#000" stroke-width="2" stroke-dasharray="4 2"/>`,
          `<text class="largest-hole-label" x="${px(labelX)}" y="${String(top - 10)}" text-anchor="${rightHalf ? 'end' : 'start'}">largest hole: ${bytes(biggest.size)} at ${hex(biggest.base)} (${probeFits ? `a ${bytes(data.probeSize)} probe fits` : `no room for a ${bytes(data.probeSize)} probe`})</text>`,
        );
      }
      for (let quarter = 0; quarter <= 4; quarter += 1) {
        const tickX = left + (quarter * width) / 4;
        parts.push(
          `<line x1="${px(tickX)}" x2="${px(tickX)}" y1="${String(top + height)}" y2="${String(top + height + 5)}" stroke="#777"/>`,
          `<text x="${px(tickX)}" y="${String(top + height + 18)}" text-anchor="${quarter === 0 ? 'start' : quarter === 4 ? 'end' : 'middle'}">+${bytes((quarter * compact.size) / 4)}</text>`,
        );
      }
      if (this.zoomCursor >= 0 && blocks[this.zoomCursor] !== undefined) {
        const block = blocks[this.zoomCursor] as Block;
        parts.push(
          `<rect class="zoom-cursor" x="${px(x(block.base) - 2)}" y="${String(top - 6)}" width="${px(Math.max(4, block.size * scale + 4))}" height="${String(height + 12)}" fill="none" stroke="#0072b2" stroke-width="2"/>`,
        );
      }
      const zoomLayer = this.figure.querySelector('.zoom-layer') as SVGGElement;
      zoomLayer.innerHTML = parts.join('');
      const title = `${compact.list} compact VMAR ${hex(compact.base)} – ${hex(compact.base + compact.size)}, after event ${count(this.event())}`;
      (this.figure.querySelector('.zoom-title') as HTMLElement).textContent = title;
      const used = blocks.reduce((sum, block) => sum + block.size, 0);
      const summary = exists
        ? `${count(blocks.length)} blocks (${bytes(used)} mapped), ${count(holes.length)} ${holes.length === 1 ? 'hole' : 'holes'}; the largest is ${bytes(biggest?.size ?? 0)}, so ${probeFits ? `a ${bytes(data.probeSize)} probe finds room here` : `a ${bytes(data.probeSize)} probe fails here and the list moves on`}. Drawn to scale: blocks in colour, holes white.`
        : `Not made yet at this sample (first used after event ${count(compact.firstEvent)}).`;
      (this.figure.querySelector('.zoom-summary') as HTMLElement).textContent = summary;
      (this.figure.querySelector('.zoom-desc') as SVGElement).textContent = summary;
    }

    #zoomKey(event: KeyboardEvent): void {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.closeZoom();
        return;
      }
      const blocks = this.rowBlocks[this.zoomed] ?? [];
      if (blocks.length === 0) return;
      const moves: Record<string, number> = {
        ArrowRight: this.zoomCursor + 1,
        ArrowLeft: this.zoomCursor - 1,
        Home: 0,
        End: blocks.length - 1,
      };
      const next = moves[event.key];
      if (next === undefined) return;
      event.preventDefault();
      this.zoomCursor = Math.max(0, Math.min(blocks.length - 1, next));
      this.#drawZoom();
      const cursor = this.figure.querySelector('.zoom-cursor');
      const block = blocks[this.zoomCursor];
      if (cursor !== null && block !== undefined) {
        showTooltipAt(cursor, this.#describeBlock(block));
      }
    }

    #zoomHover(event: MouseEvent): void {
      const compact = this.rows[this.zoomed];
      const zoomMap = event.currentTarget as SVGSVGElement;
      if (compact === undefined) return;
      const { left, width } = PolicyView.ZOOM;
      const { x } = svgPoint(zoomMap, event);
      const scale = width / compact.size;
      const address = compact.base + (x - left) / scale;
      const found = nearest(this.rowBlocks[this.zoomed] ?? [], address);
      if (found !== undefined && found.distance * scale <= 3) {
        showTooltip(this.#describeBlock(found.block), event.clientX, event.clientY);
        return;
      }
      const hole = holesOf(compact, this.rowBlocks[this.zoomed] ?? []).find(
        (each) => address >= each.base && address < each.base + each.size,
      );
      if (hole !== undefined) {
        showTooltip(
          `hole ${hex(hole.base)} – ${hex(hole.base + hole.size)}\nsize ${bytes(hole.size)}`,
          event.clientX,
          event.clientY,
        );
      } else hideTooltip();
    }
  }

  const views = data.policies.flatMap((policy) => {
    const figure = [...document.querySelectorAll<HTMLElement>('figure.map-figure')].find(
      (element) => element.dataset.policy === policy.policy,
    );
    return figure === undefined ? [] : [new PolicyView(policy, figure)];
  });

  const frameCount = data.policies[0]?.frames.length ?? 0;
  function setFrame(frame: number): void {
    const index = Math.max(0, Math.min(frameCount - 1, frame));
    slider.value = String(index);
    for (const view of views) view.draw(index);
    const first = data.policies[0]?.frames[index];
    const event = first?.event ?? 0;
    const peak = event === data.peakEvent ? ' (the peak)' : '';
    // A trace's replay moves through the trace's own time; a generated workload through events.
    const text =
      data.trace !== undefined && first?.time !== undefined
        ? `${seconds(first.time)} of ${seconds(data.trace.endUs)} from the trace's start: ${count(first.liveThreads)} tasks alive${peak}; sample ${String(index + 1)} of ${String(frameCount)}`
        : `after event ${count(event)} of ${count(data.events)}: ${count(first?.liveThreads ?? 0)} threads alive${peak}; sample ${String(index + 1)} of ${String(frameCount)}`;
    frameLabel.textContent = text;
    slider.setAttribute('aria-valuetext', text);
    document.querySelectorAll<SVGLineElement>('svg.chart line.cursor').forEach((cursor) => {
      const x0 = Number(cursor.dataset.x0);
      const x1 = Number(cursor.dataset.x1);
      const at = cursor.dataset.axis === 'time' ? (first?.time ?? 0) : event;
      const x = x0 + (at / Math.max(1, Number(cursor.dataset.events))) * (x1 - x0);
      cursor.setAttribute('x1', px(x));
      cursor.setAttribute('x2', px(x));
      cursor.setAttribute('visibility', 'visible');
    });
  }

  let timer: number | undefined;
  function stop(): void {
    if (timer !== undefined) window.clearInterval(timer);
    timer = undefined;
    playButton.textContent = 'Play';
    playButton.setAttribute('aria-pressed', 'false');
  }
  playButton.addEventListener('click', () => {
    if (timer !== undefined) {
      stop();
      return;
    }
    if (Number(slider.value) >= frameCount - 1) setFrame(0);
    playButton.textContent = 'Pause';
    playButton.setAttribute('aria-pressed', 'true');
    timer = window.setInterval(() => {
      const next = Number(slider.value) + 1;
      if (next >= frameCount) stop();
      else setFrame(next);
    }, 600);
  });
  slider.addEventListener('input', () => {
    stop();
    setFrame(Number(slider.value));
  });
  peakButton.addEventListener('click', () => {
    stop();
    setFrame(data.peakFrame);
  });

  // Charts: a tooltip for the point under the mouse, and arrow keys over the points.
  for (const chart of document.querySelectorAll<SVGSVGElement>('svg.chart')) {
    const unit = chart.dataset.unit ?? '';
    const points = [...chart.querySelectorAll<SVGCircleElement>('circle.point')];
    const policies = [...new Set(points.map((point) => point.dataset.policy ?? ''))];
    const byPolicy = policies.map((policy) =>
      points.filter((point) => point.dataset.policy === policy),
    );
    const describe = (point: SVGCircleElement): string => {
      const time = point.dataset.time;
      const when = `after event ${count(Number(point.dataset.event))}`;
      return `${point.dataset.policy ?? ''}, ${time === undefined ? when : `at ${seconds(Number(time))} (${when})`}: ${count(Number(point.dataset.value))} ${unit}`;
    };
    let active: SVGCircleElement | undefined;
    const activate = (point: SVGCircleElement | undefined): void => {
      active?.classList.remove('active');
      active?.setAttribute('r', '3.5');
      active = point;
      if (point === undefined) return;
      point.classList.add('active');
      point.setAttribute('r', '6');
      showTooltipAt(point, describe(point));
    };
    chart.addEventListener('mouseover', (event) => {
      const point = (event.target as Element).closest('circle.point');
      if (point !== null) {
        const circle = point as SVGCircleElement;
        showTooltip(describe(circle), event.clientX, event.clientY);
      }
    });
    chart.addEventListener('mouseout', (event) => {
      if ((event.target as Element).closest('circle.point') !== null) hideTooltip();
    });
    chart.addEventListener('blur', () => {
      activate(undefined);
      hideTooltip();
    });
    chart.addEventListener('keydown', (event) => {
      const line = active === undefined ? 0 : policies.indexOf(active.dataset.policy ?? '');
      const list = byPolicy[line] ?? [];
      const at = active === undefined ? -1 : list.indexOf(active);
      let next: SVGCircleElement | undefined;
      if (event.key === 'ArrowRight') next = list[Math.min(list.length - 1, at + 1)];
      else if (event.key === 'ArrowLeft') next = list[Math.max(0, at - 1)];
      else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
        const other =
          byPolicy[
            (line + (event.key === 'ArrowUp' ? -1 : 1) + policies.length) % policies.length
          ] ?? [];
        next = other[Math.max(0, at)];
      } else if (event.key === 'Home') next = list[0];
      else if (event.key === 'End') next = list.at(-1);
      else if (event.key === 'Escape') {
        activate(undefined);
        hideTooltip();
        return;
      } else return;
      event.preventDefault();
      activate(next);
    });
  }

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hideTooltip();
  });
  setFrame(data.peakFrame);
}
