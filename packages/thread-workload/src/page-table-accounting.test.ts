import { ARCHITECTURES } from '@vmars/address-space';
import { describe, expect, it } from 'vitest';
import { PageTableAccounting } from './page-table-accounting.js';
import { type AddressRange, countPageTables } from './page-tables.js';
import { SeededRandom } from './seeded-random.js';

const page = 4096;
const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('PageTableAccounting', () => {
  it('counts one table per level for one page, and none once it is removed', () => {
    const accounting = new PageTableAccounting('x86_64', page);
    accounting.add(64 * GiB, 64 * GiB + page);
    expect(accounting.pagesPerLevel()).toEqual([1, 1, 1, 1]);
    accounting.remove(64 * GiB, 64 * GiB + page);
    expect(accounting.pagesPerLevel()).toEqual([0, 0, 0, 0]);
    expect(accounting.total).toBe(0);
    expect(accounting.max().total).toBe(4);
  });

  it('counts an unaligned 2 MiB stack in two PT blocks (§12)', () => {
    const accounting = new PageTableAccounting('x86_64', page);
    accounting.add(GiB + page, GiB + page + 2 * MiB);
    expect(accounting.pagesPerLevel()).toEqual([2, 1, 1, 1]);
  });

  it('keeps a table while another range still touches its block', () => {
    const accounting = new PageTableAccounting('arm64', page);
    accounting.add(0, page);
    accounting.add(page, 2 * page);
    accounting.remove(0, page);
    expect(accounting.pagesPerLevel()).toEqual([1, 1, 1, 1]);
  });

  it('refuses to remove pages it was not given', () => {
    const accounting = new PageTableAccounting('riscv64', page);
    accounting.add(0, page);
    expect(() => accounting.remove(4 * MiB, 4 * MiB + page)).toThrow(RangeError);
  });

  it.each(ARCHITECTURES)(
    'on %s, agrees with countPageTables after every step of 3,000 random adds and removes',
    (architecture) => {
      const random = new SeededRandom(architecture.length);
      const accounting = new PageTableAccounting(architecture, page);
      // Disjoint slots of 8 MiB in a 64 GiB window, each holding at most one range at a time.
      const slots = new Map<number, AddressRange>();
      let max = 0;
      for (let step = 0; step < 3_000; step += 1) {
        const slot = random.nextInt(8192);
        const held = slots.get(slot);
        if (held === undefined) {
          const start = slot * 8 * MiB + random.nextInt(1024) * page;
          const range = { start, end: start + (1 + random.nextInt(1024)) * page };
          slots.set(slot, range);
          accounting.add(range.start, range.end);
        } else {
          slots.delete(slot);
          accounting.remove(held.start, held.end);
        }
        const oracle = countPageTables([...slots.values()], architecture);
        expect(accounting.count()).toEqual(oracle);
        max = Math.max(max, oracle.total);
      }
      expect(accounting.max().total).toBe(max);
    },
  );

  it('reports the first moment of the maximum, with the event tag set then', () => {
    const accounting = new PageTableAccounting('x86_64', page);
    accounting.event = 1;
    accounting.add(0, page);
    accounting.event = 2;
    accounting.add(4 * GiB, 4 * GiB + page);
    accounting.event = 3;
    accounting.remove(4 * GiB, 4 * GiB + page);
    accounting.event = 4;
    accounting.add(8 * GiB, 8 * GiB + page);
    const max = accounting.max();
    expect(max.event).toBe(2);
    expect(max.levels.map((level) => level.pages)).toEqual([2, 2, 1, 1]);
    expect(max.levels.map((level) => level.name)).toEqual(['PT', 'PD', 'PDPT', 'PML4']);
  });
});
