import type { PageData, PageFrame } from '../report-page-data.js';
import type { Block } from './map-geometry.js';

/**
 * The blocks alive at a frame of one policy, decoded from the frames' differences
 * (`PageFrame`): it replays them forward from the last frame it decoded, or from the start when
 * asked for an earlier one.
 */
export class FrameDecoder {
  readonly #data: Pick<PageData, 'region' | 'pageSize' | 'kinds'>;
  readonly #frames: readonly PageFrame[];
  readonly #rowOf: (address: number) => number;
  /** Per live thread: its blocks as `kind, base` pairs. */
  readonly #live = new Map<number, number[]>();
  #applied = -1;

  constructor(
    data: Pick<PageData, 'region' | 'pageSize' | 'kinds'>,
    frames: readonly PageFrame[],
    rowOf: (address: number) => number,
  ) {
    this.#data = data;
    this.#frames = frames;
    this.#rowOf = rowOf;
  }

  /** The blocks alive at frame `index`, sorted by base. */
  blocksAt(index: number): Block[] {
    if (index < this.#applied) {
      this.#live.clear();
      this.#applied = -1;
    }
    for (let frameIndex = this.#applied + 1; frameIndex <= index; frameIndex += 1) {
      const frame = this.#frames[frameIndex];
      if (frame === undefined) break;
      this.#apply(frame);
      this.#applied = frameIndex;
    }
    const blocks: Block[] = [];
    for (const [thread, list] of this.#live) {
      for (let at = 0; at < list.length; at += 2) {
        const kind = list[at] as number;
        const base = list[at + 1] as number;
        const size = this.#data.kinds[kind]?.size ?? 0;
        blocks.push({ thread, kind, base, size, row: this.#rowOf(base) });
      }
    }
    return blocks.sort((left, right) => left.base - right.base);
  }

  #apply(frame: PageFrame): void {
    let thread = 0;
    for (const delta of frame.removed) {
      thread += delta;
      this.#live.delete(thread);
    }
    let base = this.#data.region.base;
    for (let at = 0; at < frame.added.length; at += 3) {
      const owner = frame.added[at] as number;
      const kind = frame.added[at + 1] as number;
      base += (frame.added[at + 2] as number) * this.#data.pageSize;
      const list = this.#live.get(owner);
      if (list === undefined) this.#live.set(owner, [kind, base]);
      else list.push(kind, base);
    }
  }
}
