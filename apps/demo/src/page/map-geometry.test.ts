import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PageBlockKind } from '../report-page-data.js';
import { type Block, holesOf, largest, nearest, rowFinder, runs } from './map-geometry.js';

const kinds: PageBlockKind[] = [
  { kind: 'machine-stack', size: 0x2000, guardBelow: 0x1000, guardAbove: 0, colour: '#0072b2' },
  { kind: 'thread-block', size: 0x1000, guardBelow: 0, guardAbove: 0x1000, colour: '#000000' },
];

const block = (base: number, kind = 0, row = 0): Block => ({
  thread: base,
  kind,
  base,
  size: kinds[kind]?.size ?? 0,
  row,
});

describe('runs', () => {
  it('merges overlapping and touching spans into whole pixel columns', () => {
    expect(
      runs([
        [10.2, 10.4],
        [0.5, 2.1],
        [2.9, 4],
        [20, 25.5],
      ]),
    ).toEqual([
      [0, 4],
      [10, 11],
      [20, 26],
    ]);
  });

  it('draws a span under a pixel as one pixel', () => {
    expect(runs([[3.1, 3.2]])).toEqual([[3, 4]]);
  });
});

describe('holesOf and largest', () => {
  const compact = { base: 0x10000, size: 0x10000 };

  it('leaves out the blocks and their guards', () => {
    const holes = holesOf(compact, [block(0x12000), block(0x18000, 1)], kinds);
    expect(holes).toEqual([
      { base: 0x10000, size: 0x1000 },
      { base: 0x14000, size: 0x4000 },
      { base: 0x1a000, size: 0x6000 },
    ]);
    expect(largest(holes)).toEqual({ base: 0x1a000, size: 0x6000 });
  });

  it('is the whole compact VMAR when it is empty, and nothing when it is full', () => {
    expect(holesOf(compact, [], kinds)).toEqual([compact]);
    const full = Array.from({ length: 8 }, (_, index) => block(0x10000 + index * 0x2000, 0));
    expect(holesOf(compact, full, kinds)).toEqual([]);
    expect(largest([])).toBeUndefined();
  });
});

describe('nearest', () => {
  it('finds the block an address is in, at distance 0', () => {
    const blocks = [block(0x1000), block(0x8000), block(0x20000)];
    expect(nearest(blocks, 0x8800)).toEqual({ block: blocks[1], distance: 0 });
  });

  it('finds the nearest block on either side', () => {
    const blocks = [block(0x1000), block(0x8000)];
    expect(nearest(blocks, 0x3100)).toEqual({ block: blocks[0], distance: 0x100 });
    expect(nearest(blocks, 0x7f00)).toEqual({ block: blocks[1], distance: 0x100 });
    expect(nearest([], 0x1000)).toBeUndefined();
  });

  it('agrees with a scan of every block', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { maxLength: 30 }),
        fc.integer({ min: -10, max: 1010 }),
        (pages, page) => {
          const blocks = pages.sort((a, b) => a - b).map((each) => block(each * 0x4000));
          const address = page * 0x4000 + 0x800;
          const distances = blocks.map((each) =>
            address < each.base
              ? each.base - address
              : Math.max(0, address - (each.base + each.size)),
          );
          const found = nearest(blocks, address);
          if (blocks.length === 0) expect(found).toBeUndefined();
          else expect(found?.distance).toBe(Math.min(...distances));
        },
      ),
    );
  });
});

describe('rowFinder', () => {
  it('finds the row whose compact VMAR holds an address, in any order of rows', () => {
    const rowOf = rowFinder([
      { base: 0x30000, size: 0x10000 },
      { base: 0x10000, size: 0x10000 },
    ]);
    expect(rowOf(0x10000)).toBe(1);
    expect(rowOf(0x3ffff)).toBe(0);
    expect(rowOf(0x20000)).toBe(-1);
    expect(rowOf(0x40000)).toBe(-1);
    expect(rowOf(0)).toBe(-1);
  });
});
