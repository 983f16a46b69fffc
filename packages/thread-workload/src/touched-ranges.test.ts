import type { MapInfo } from '@vmars/address-space';
import { MapsType } from '@vmars/address-space';
import { describe, expect, it } from 'vitest';
import { threadLayout } from './thread-layout.js';
import { STACK_TOP_TOUCHED_PAGES, touchedRanges } from './touched-ranges.js';

const page = 4096;
const MiB = 2 ** 20;

function mapping(base: number, size: number, vmoOffset: number): MapInfo {
  return {
    name: '',
    base,
    size,
    depth: 2,
    type: MapsType.MAPPING,
    mapping: {
      mmuFlags: 3,
      vmoKoid: 1,
      vmoOffset,
      committedBytes: 0,
      populatedBytes: 0,
      committedPrivateBytes: 0,
      populatedPrivateBytes: 0,
      committedScaledBytes: 0,
      populatedScaledBytes: 0,
      committedFractionalScaledBytes: 0,
      populatedFractionalScaledBytes: 0,
    },
  };
}

describe('touchedRanges', () => {
  const entries: MapInfo[] = [
    { name: 'root', base: 0x1000_0000_0000, size: 2 ** 40, depth: 0, type: MapsType.VMAR },
    mapping(0x1000_0000_1000, 2 * MiB, 0),
    mapping(0x1000_1000_1000, 2 * MiB, 2 * MiB),
    mapping(0x1000_2000_1000, 2 * page, 4 * MiB),
  ];

  it('takes every mapped page with "all", and skips VMAR entries', () => {
    const layout = threadLayout({
      architecture: 'x86_64',
      pageSize: page,
      stackSize: 2 * MiB,
      tlsSize: page,
    });
    expect(touchedRanges(entries, layout, 'all', page)).toEqual([
      { start: 0x1000_0000_1000, end: 0x1000_0000_1000 + 2 * MiB },
      { start: 0x1000_1000_1000, end: 0x1000_1000_1000 + 2 * MiB },
      { start: 0x1000_2000_1000, end: 0x1000_2000_1000 + 2 * page },
    ]);
  });

  it('takes the top pages of downward stacks and the whole thread block with "stack-top" on x86-64', () => {
    const layout = threadLayout({
      architecture: 'x86_64',
      pageSize: page,
      stackSize: 2 * MiB,
      tlsSize: page,
    });
    const window = STACK_TOP_TOUCHED_PAGES * page;
    expect(touchedRanges(entries, layout, 'stack-top', page)).toEqual([
      { start: 0x1000_0000_1000 + 2 * MiB - window, end: 0x1000_0000_1000 + 2 * MiB },
      { start: 0x1000_1000_1000 + 2 * MiB - window, end: 0x1000_1000_1000 + 2 * MiB },
      { start: 0x1000_2000_1000, end: 0x1000_2000_1000 + 2 * page },
    ]);
  });

  it('takes the bottom pages of the upward shadow call stack on arm64', () => {
    const layout = threadLayout({
      architecture: 'arm64',
      pageSize: page,
      stackSize: 2 * MiB,
      tlsSize: page,
    });
    const window = STACK_TOP_TOUCHED_PAGES * page;
    expect(touchedRanges(entries, layout, 'stack-top', page)[1]).toEqual({
      start: 0x1000_1000_1000,
      end: 0x1000_1000_1000 + window,
    });
  });
});
