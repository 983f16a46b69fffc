/**
 * Test-case catalogue: the ported tests of Zircon's vmar.cc about unmap: splitting, across several
 * mappings and subregions, from an unmapped base, OP_CHILDREN, a large uncommitted mapping. One
 * `register` call per test, under its Zircon name (see describe-zircon-vmar-tests.ts).
 */
import { DEFAULT_VMAR_RIGHTS, Rights, Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import { expectInfo, expectOk, expectStatus, mappingShape } from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';
import { mappedPages, RW_ALLOC, RW_PERM, vmoOf, type ZirconSetup } from './zircon-vmar-helpers.js';

const { CAN_MAP_SPECIFIC, SPECIFIC } = VmarFlags;

/** Registers the tests above, each on a fresh backend from `setup`. */
export function registerUnmapCases(register: RegisterCase, setup: ZirconSetup): void {
  register('UnmapSplitTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, 4 * page);
    const addresses = [0, 1, 2].map(() => expectOk(root.map(RW_PERM, 0, vmo, 0, 4 * page)));
    const [left, right, center] = addresses as [number, number, number];
    expectStatus(root.unmap(left, 2 * page), Status.OK);
    expect(mappedPages(root, left, 4, page)).toEqual([2, 3]);
    expectStatus(root.unmap(left + 2 * page, 2 * page), Status.OK);
    expect(mappedPages(root, left, 4, page)).toEqual([]);
    expectStatus(root.unmap(right + 2 * page, 2 * page), Status.OK);
    expect(mappedPages(root, right, 4, page)).toEqual([0, 1]);
    expectStatus(root.unmap(right, 2 * page), Status.OK);
    expect(mappedPages(root, right, 4, page)).toEqual([]);
    expectStatus(root.unmap(center + page, 2 * page), Status.OK);
    expect(mappedPages(root, center, 4, page)).toEqual([0, 3]);
    expectStatus(root.unmap(center, page), Status.OK);
    expectStatus(root.unmap(center + 3 * page, page), Status.OK);
    expect(mappedPages(root, center, 4, page)).toEqual([]);
    const info = expectInfo(root);
    for (const address of addresses) {
      const again = expectOk(root.map(RW_PERM | SPECIFIC, address - info.base, vmo, 0, 4 * page));
      expect(mappedPages(root, again, 4, page)).toEqual([0, 1, 2, 3]);
      expectStatus(root.unmap(again, 4 * page), Status.OK);
    }
  });

  register('UnmapMultipleTest', () => {
    const { backend, root, page } = setup();
    const size = 4 * page;
    const vmo = vmoOf(backend, size);
    const base = expectInfo(root).base;
    const mapAt = (offset: number) => expectOk(root.map(RW_PERM | SPECIFIC, offset, vmo, 0, size));
    const pagesFrom = (address: number, count: number) => mappedPages(root, address, count, page);
    // Two adjacent mappings.
    let first = mapAt(0);
    let second = mapAt(size);
    expect(second).toBe(first + size);
    expectStatus(root.unmap(first + 2 * page, 3 * page), Status.OK);
    expect(pagesFrom(first, 8)).toEqual([0, 1, 5, 6, 7]);
    expectStatus(root.unmap(first, 2 * page), Status.OK);
    expectStatus(root.unmap(second + page, 3 * page), Status.OK);
    expect(pagesFrom(first, 8)).toEqual([]);
    // Two mappings with a gap.
    first = mapAt(0);
    second = mapAt(2 * size);
    expect(second).toBe(first + 2 * size);
    expectStatus(root.unmap(first, 2 * size + page), Status.OK);
    expect(pagesFrom(first, 12)).toEqual([9, 10, 11]);
    expectStatus(root.unmap(second + page, 3 * page), Status.OK);
    expect(pagesFrom(first, 12)).toEqual([]);
    // Two mappings with a subregion between.
    first = mapAt(0);
    second = mapAt(2 * size);
    let sub = expectOk(root.allocate(size, size, RW_ALLOC | CAN_MAP_SPECIFIC | SPECIFIC));
    let inner = expectOk(sub.vmar.map(RW_PERM | SPECIFIC, 0, vmo, 0, page));
    expect(inner).toBe(first + size);
    expect(pagesFrom(first, 12)).toEqual([0, 1, 2, 3, 4, 8, 9, 10, 11]);
    expectStatus(root.unmap(first, 2 * size + page), Status.OK);
    expect(pagesFrom(first, 12)).toEqual([9, 10, 11]);
    expectStatus(sub.vmar.map(RW_PERM | SPECIFIC, page, vmo, 0, page), Status.BAD_STATE);
    expectStatus(root.unmap(second + page, 3 * page), Status.OK);
    expect(pagesFrom(first, 12)).toEqual([]);
    // Two mappings with a subregion after: partial unmap fails, full unmap succeeds.
    first = mapAt(0);
    second = mapAt(size);
    sub = expectOk(root.allocate(2 * size, size, RW_ALLOC | CAN_MAP_SPECIFIC | SPECIFIC));
    inner = expectOk(sub.vmar.map(RW_PERM | SPECIFIC, 0, vmo, 0, page));
    expect(inner).toBe(first + 2 * size);
    expect(pagesFrom(first, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expectStatus(root.unmap(first + page, 3 * size - 2 * page), Status.INVALID_ARGS);
    expect(pagesFrom(first, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expectStatus(root.unmap(first + page, 3 * size - page), Status.OK);
    expect(pagesFrom(first, 12)).toEqual([0]);
    expectStatus(sub.vmar.map(RW_PERM | SPECIFIC, page, vmo, 0, page), Status.BAD_STATE);
    expectStatus(root.unmap(first, page), Status.OK);
    expect(pagesFrom(first, 12)).toEqual([]);
    // Two mappings with a subregion before: partial unmap fails, full unmap succeeds.
    first = mapAt(size);
    second = mapAt(2 * size);
    sub = expectOk(root.allocate(0, size, RW_ALLOC | CAN_MAP_SPECIFIC | SPECIFIC));
    expectOk(sub.vmar.map(RW_PERM | SPECIFIC, size - page, vmo, 0, page));
    expect(sub.address + size).toBe(first);
    expect(sub.address + 2 * size).toBe(second);
    expect(sub.address).toBe(base);
    expect(pagesFrom(sub.address, 12)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expectStatus(root.unmap(sub.address + page, 3 * size - page), Status.INVALID_ARGS);
    expect(pagesFrom(sub.address, 12)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expectStatus(root.unmap(sub.address, 3 * size), Status.OK);
    expect(pagesFrom(sub.address, 12)).toEqual([]);
    expectStatus(sub.vmar.map(RW_PERM | SPECIFIC, page, vmo, 0, page), Status.BAD_STATE);
  });

  register('UnmapBaseNotMappedTest', () => {
    const { backend, root, page } = setup();
    const size = 4 * page;
    const vmo = vmoOf(backend, size);
    let address = expectOk(root.map(RW_PERM | SPECIFIC, page, vmo, 0, size));
    expectStatus(root.unmap(address - page, size + page), Status.OK);
    expectOk(root.map(RW_PERM | SPECIFIC, 0, vmo, 0, size));
    for (let gap = page; gap < 3 * page; gap += page) {
      address = expectOk(root.map(RW_PERM | SPECIFIC, size + gap, vmo, 0, size));
      expectStatus(root.unmap(address - page, size + page), Status.OK);
    }
  });

  register('UnmapOpChildren', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page);
    const vmar = expectOk(root.allocate(0, page, RW_ALLOC));
    const child = expectOk(vmar.vmar.allocate(0, page, RW_ALLOC));
    const address = expectOk(child.vmar.map(RW_PERM, 0, vmo, 0, page));
    expect(child.address).toBe(vmar.address);
    expect(address).toBe(vmar.address);
    const dup = expectOk(vmar.vmar.duplicate(DEFAULT_VMAR_RIGHTS & ~Rights.OP_CHILDREN));
    expectStatus(dup.unmap(vmar.address, page), Status.INVALID_ARGS);
    expectStatus(vmar.vmar.unmap(vmar.address, page), Status.OK);
    expectStatus(vmar.vmar.destroy(), Status.OK);
  });

  register('UnmapLargeUncommittedTest', () => {
    const { backend, root, page } = setup();
    const size = 2 ** 30;
    const vmo = vmoOf(backend, size);
    const address = expectOk(root.map(RW_PERM, 0, vmo, 0, size));
    expectStatus(vmo.close(), Status.OK);
    const base = Math.ceil(address / (512 * page)) * (512 * page) + page;
    expectStatus(root.unmap(base, address + size - base), Status.OK);
    expect(mappingShape(root)).toEqual([
      { base: address, size: base - address, depth: 1, mmuFlags: RW_PERM, vmoOffset: 0 },
    ]);
    expectStatus(root.unmap(address, size), Status.OK);
    expect(mappingShape(root)).toEqual([]);
  });
}
