import { describe, expect, it } from 'vitest';
import type { PageBlockKind, PageCompactVmar, PageData } from '../report-page-data.js';
import { describeBlock, describePoint, describeRow, frameText, mapSummary } from './describe.js';

const kinds: PageBlockKind[] = [
  { kind: 'machine-stack', size: 0x200000, guardBelow: 0, guardAbove: 0, colour: '#0072b2' },
];
const rows: PageCompactVmar[] = [
  { list: 'machine-stack', base: 0x40000000, size: 0x40000000, firstEvent: 3 },
];
const frames = [
  { event: 10, liveThreads: 4, removed: [], added: [] },
  { event: 20, liveThreads: 7, removed: [], added: [] },
];
const data = {
  events: 30,
  peakEvent: 20,
  policies: [{ frames }],
} as unknown as PageData;

describe('the page’s descriptions', () => {
  it('names a block, its thread and its compact VMAR', () => {
    const block = { thread: 12, kind: 0, base: 0x40200000, size: 0x200000, row: 0 };
    expect(describeBlock(kinds, rows, block)).toBe(
      'machine-stack, thread 12\naddress 0x40200000 – 0x40400000\nsize 2MiB\ncompact VMAR 0x40000000 (machine-stack)',
    );
    expect(describeBlock(kinds, rows, { ...block, thread: -1, row: -1 })).toBe(
      'machine-stack\naddress 0x40200000 – 0x40400000\nsize 2MiB\ncompact VMAR: none (its own VMAR in the root)',
    );
  });

  it('describes a row, made or not yet', () => {
    const row = rows[0] as PageCompactVmar;
    expect(describeRow(kinds, row, [], true)).toBe(
      'machine-stack compact VMAR 0x40000000, 1GiB\n0 blocks; largest hole 1GiB\nclick to zoom',
    );
    expect(describeRow(kinds, row, [], false)).toBe(
      'machine-stack compact VMAR 0x40000000\nnot made yet (first used after event 3)',
    );
  });

  it('labels the slider by events, or by the trace’s seconds for a replay', () => {
    expect(frameText(data, 1, 2)).toBe(
      'after event 20 of 30: 7 threads alive (the peak); sample 2 of 2',
    );
    const trace = {
      ...data,
      trace: { endUs: 2_500_000, decimals: 3 },
      policies: [{ frames: [{ ...frames[0], time: 1_250_000 }] }],
    } as unknown as PageData;
    expect(frameText(trace, 0, 1)).toBe(
      "1.250 s of 2.500 s from the trace's start: 4 tasks alive; sample 1 of 1",
    );
  });

  it('sums up a map at a frame', () => {
    expect(mapSummary(data, frames[0], 1234, 2)).toBe(
      'After event 10: 4 threads alive, 1,234 blocks in 2 compact VMARs.',
    );
    expect(mapSummary(data, frames[0], 5, undefined)).toBe(
      'After event 10: 4 threads alive, 5 blocks, each in its own VMAR directly in the root.',
    );
  });

  it('describes a chart point, with the trace’s time when it has one', () => {
    const point = { policy: 'compact', event: 1500, value: 12000 };
    expect(describePoint(point, undefined, 'pages', 6)).toBe(
      'compact, after event 1,500: 12,000 pages',
    );
    expect(describePoint(point, 500_000, 'pages', 2)).toBe(
      'compact, at 0.50 s (after event 1,500): 12,000 pages',
    );
  });
});
