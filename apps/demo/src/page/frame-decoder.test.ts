import { describe, expect, it } from 'vitest';
import type { PageBlockKind, PageFrame } from '../report-page-data.js';
import { FrameDecoder } from './frame-decoder.js';

const kinds: PageBlockKind[] = [
  { kind: 'machine-stack', size: 0x2000, guardBelow: 0, guardAbove: 0, colour: '#0072b2' },
  { kind: 'thread-block', size: 0x1000, guardBelow: 0, guardAbove: 0, colour: '#000000' },
];
const data = { region: { base: 0x100000, size: 0x100000 }, pageSize: 0x1000, kinds };

/**
 * Frame 0: threads 3 and 5 appear (3 with two blocks); frame 1: thread 3 ends and 8 appears;
 * frame 2: threads 5 and 8 end. `added` is `[thread, kind, pages from the previous base]`.
 */
const frames: PageFrame[] = [
  { event: 2, liveThreads: 2, removed: [], added: [3, 0, 1, 3, 1, 2, 5, 0, 4] },
  { event: 4, liveThreads: 2, removed: [3], added: [8, 1, 16] },
  { event: 6, liveThreads: 0, removed: [5, 3], added: [] },
];

const rowOf = (address: number): number => (address < 0x108000 ? 0 : -1);
const summary = (blocks: ReturnType<FrameDecoder['blocksAt']>) =>
  blocks.map((block) => [block.thread, block.kind, block.base.toString(16), block.row]);

describe('FrameDecoder', () => {
  it('replays the frames’ differences forward', () => {
    const decoder = new FrameDecoder(data, frames, rowOf);
    expect(summary(decoder.blocksAt(0))).toEqual([
      [3, 0, '101000', 0],
      [3, 1, '103000', 0],
      [5, 0, '107000', 0],
    ]);
    expect(summary(decoder.blocksAt(1))).toEqual([
      [5, 0, '107000', 0],
      [8, 1, '110000', -1],
    ]);
    expect(decoder.blocksAt(2)).toEqual([]);
  });

  it('starts again from the first frame when asked for an earlier one', () => {
    const decoder = new FrameDecoder(data, frames, rowOf);
    decoder.blocksAt(2);
    expect(summary(decoder.blocksAt(1))).toEqual(
      summary(new FrameDecoder(data, frames, rowOf).blocksAt(1)),
    );
    expect(decoder.blocksAt(0)).toHaveLength(3);
  });

  it('gives each block its kind’s size, and stops at the last frame', () => {
    const decoder = new FrameDecoder(data, frames, rowOf);
    expect(decoder.blocksAt(0).map((block) => block.size)).toEqual([0x2000, 0x1000, 0x2000]);
    expect(decoder.blocksAt(99)).toEqual([]);
  });
});
