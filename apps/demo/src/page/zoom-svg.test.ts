import { describe, expect, it } from 'vitest';
import type { PageBlockKind, PageCompactVmar, PageData } from '../report-page-data.js';
import type { Block } from './map-geometry.js';
import { ZOOM, zoomPicture } from './zoom-svg.js';

const kinds: PageBlockKind[] = [
  { kind: 'machine-stack', size: 0x100000, guardBelow: 0, guardAbove: 0, colour: '#0072b2' },
];
const data = { kinds, probeSize: 0x400000 } as unknown as PageData;
const compact: PageCompactVmar = {
  list: 'machine-stack',
  base: 0x1000000,
  size: 0x1000000,
  firstEvent: 4,
};
const block = (base: number, thread: number): Block => ({
  thread,
  kind: 0,
  base,
  size: 0x100000,
  row: 0,
});
const attributes = (svg: string, kind: string): string[] =>
  [...svg.matchAll(new RegExp(`<rect data-kind="${kind}"([^>]*)>`, 'g'))].map(
    (match) => match[1] ?? '',
  );

describe('zoomPicture', () => {
  const blocks = [block(0x1000000, 1), block(0x1800000, 2)];

  it('draws the compact VMAR to scale: its blocks, its holes and the largest hole outlined', () => {
    const picture = zoomPicture({ data, compact, blocks, exists: true, cursor: -1, event: 10 });
    expect(attributes(picture.svg, 'zoom-block')).toHaveLength(2);
    expect(attributes(picture.svg, 'hole')).toHaveLength(2);
    const [outline] = attributes(picture.svg, 'largest-hole');
    expect(outline).toContain('data-base="0x1100000" data-size="0x700000"');
    // Half a compact VMAR is 480 of the zoom's 960 units, after its 20 on the left.
    expect(attributes(picture.svg, 'zoom-block')[1]).toContain(`x="${String(ZOOM.left + 480)}"`);
    expect(picture.svg).toContain('largest hole: 7MiB at 0x1100000 (a 4MiB probe fits)');
    expect(picture.title).toBe('machine-stack compact VMAR 0x1000000 – 0x2000000, after event 10');
    expect(picture.summary).toBe(
      '2 blocks (2MiB mapped), 2 holes; the largest is 7MiB, so a 4MiB probe finds room here. Drawn to scale: blocks in colour, holes white.',
    );
    expect(picture.svg).not.toContain('zoom-cursor');
  });

  it('says when the probe does not fit, and puts the label’s end at a hole in the right half', () => {
    const full = Array.from({ length: 14 }, (_, index) =>
      block(0x1000000 + index * 0x100000, index),
    );
    const picture = zoomPicture({
      data,
      compact,
      blocks: full,
      exists: true,
      cursor: 13,
      event: 10,
    });
    expect(picture.svg).toContain(
      'text-anchor="end">largest hole: 2MiB at 0x1e00000 (no room for a 4MiB probe)',
    );
    expect(picture.summary).toContain('a 4MiB probe fails here and the list moves on');
    expect(picture.svg).toContain('<rect class="zoom-cursor"');
  });

  it('says when the compact VMAR is not made yet at the frame', () => {
    const picture = zoomPicture({ data, compact, blocks: [], exists: false, cursor: -1, event: 2 });
    expect(picture.summary).toBe('Not made yet at this sample (first used after event 4).');
  });
});
