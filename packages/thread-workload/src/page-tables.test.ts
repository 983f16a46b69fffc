import { describe, expect, it } from 'vitest';
import { type AddressRange, countPageTables } from './page-tables.js';
import { SeededRandom } from './seeded-random.js';

const KiB = 2 ** 10;
const MiB = 2 ** 20;
const page = 4 * KiB;
const guardedStack = 2 * MiB + page; // 0x201000 (§7)

/** §12 / §7: 511 stacks of 2 MiB, guard page below each, packed first fit from `base`. */
function packedStacks(base: number): AddressRange[] {
  return Array.from({ length: 511 }, (_, index) => {
    const start = base + index * guardedStack + page;
    return { start, end: start + 2 * MiB };
  });
}

const levels = (ranges: AddressRange[], architecture: 'x86_64' | 'arm64' | 'riscv64' = 'x86_64') =>
  countPageTables(ranges, architecture).levels.map((level) => level.pages);

describe('countPageTables', () => {
  it('counts one table per level for a single page', () => {
    const ranges = [{ start: 0x400000001000, end: 0x400000002000 }];
    expect(levels(ranges)).toEqual([1, 1, 1, 1]);
    expect(countPageTables(ranges, 'x86_64').total).toBe(4);
    expect(levels(ranges, 'riscv64')).toEqual([1, 1, 1]);
  });

  it('counts nothing for no touched pages', () => {
    expect(countPageTables([], 'arm64').total).toBe(0);
  });

  it('charges an unaligned 2 MiB stack two PT pages, an aligned one one (§12)', () => {
    expect(levels([{ start: 0x400000201000, end: 0x400000401000 }])[0]).toBe(2);
    expect(levels([{ start: 0x400000200000, end: 0x400000400000 }])[0]).toBe(1);
  });

  it('counts shared blocks once, whatever the order of the ranges', () => {
    const ranges = [
      { start: 0x400000003000, end: 0x400000004000 },
      { start: 0x400000001000, end: 0x400000002000 },
      { start: 0x400000001000, end: 0x400000600000 },
    ];
    expect(levels(ranges)).toEqual([3, 1, 1, 1]);
  });

  // §12 worked example, compact side: exact, since first fit is deterministic (§3.4).
  describe('511 guarded 2 MiB stacks packed in one 1 GiB compact VMAR (x86-64, all touched)', () => {
    it('needs 512 PT pages and one PD page when the VMAR starts just past a 1 GiB boundary', () => {
      // The shared region's base (§6.2): page-aligned only.
      expect(levels(packedStacks(0x400000001000))).toEqual([512, 1, 1, 1]);
    });

    it('needs 2 PD pages when the VMAR straddles a 1 GiB boundary', () => {
      expect(levels(packedStacks(0x400020000000))).toEqual([512, 2, 1, 1]);
    });

    it('needs 513 PT and 2 PD pages when the first stack starts mid-way into a 2 MiB block', () => {
      expect(levels(packedStacks(0x4000000ff000))).toEqual([513, 2, 1, 1]);
    });

    it('needs 2 PDPT pages when the VMAR straddles a 512 GiB boundary', () => {
      expect(levels(packedStacks(0x408000000000 - 512 * MiB))).toEqual([512, 2, 2, 1]);
    });
  });

  // §12 worked example, root side: "about" numbers (random placement), so checked within bands.
  it('needs about 1,020 PT, 480 PD and 8 PDPT pages for the same stacks placed by ASLR', () => {
    const random = new SeededRandom(12);
    const base = 0x400000001000;
    const ranges = Array.from({ length: 511 }, () => {
      // Uniform over the first 2^30 page positions (§3.3–3.4), guard page below.
      const start = base + random.nextInt(2 ** 30) * page + page;
      return { start, end: start + 2 * MiB };
    });
    const [pt = 0, pd = 0, pdpt = 0, pml4 = 0] = levels(ranges);
    expect(pt).toBeGreaterThanOrEqual(1000);
    expect(pt).toBeLessThanOrEqual(1022);
    expect(pd).toBeGreaterThanOrEqual(440);
    expect(pd).toBeLessThanOrEqual(520);
    expect(pdpt).toBe(8);
    expect(pml4).toBe(1);
  });
});
