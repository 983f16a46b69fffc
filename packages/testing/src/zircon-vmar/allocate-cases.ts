/**
 * Test-case catalogue: the ported tests of Zircon's vmar.cc about allocation and destruction:
 * allocate in and out of bounds, destroy, and what a destroyed VMAR answers. One `register` call
 * per test, under its Zircon name (see describe-zircon-vmar-tests.ts).
 */
import { DEFAULT_VMAR_RIGHTS, Rights, Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import { expectInfo, expectOk, expectStatus, mappingShape } from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';
import { mappedPages, RW_ALLOC, RW_PERM, vmoOf, type ZirconSetup } from './zircon-vmar-helpers.js';

const { PERM_READ, CAN_MAP_SPECIFIC, SPECIFIC } = VmarFlags;

/** Registers the tests above, each on a fresh backend from `setup`. */
export function registerAllocateCases(register: RegisterCase, setup: ZirconSetup): void {
  register('DestroyTest', () => {
    const { root, page } = setup();
    const { vmar: sub } = expectOk(root.allocate(0, 1024 * page, RW_ALLOC));
    const dup = expectOk(sub.duplicate(DEFAULT_VMAR_RIGHTS & ~Rights.OP_CHILDREN));
    expectStatus(dup.destroy(), Status.ACCESS_DENIED);
    expectStatus(dup.close(), Status.OK);
    expectStatus(sub.destroy(), Status.OK);
    expectStatus(sub.allocate(0, 10 * page, RW_ALLOC), Status.BAD_STATE);
    expectStatus(sub.close(), Status.OK);
  });

  register('BasicAllocateTest', () => {
    const { root, page } = setup();
    const region1 = expectOk(root.allocate(0, 10 * page, RW_ALLOC));
    const region2 = expectOk(region1.vmar.allocate(0, page, RW_ALLOC));
    expect(region2.address).toBeGreaterThanOrEqual(region1.address);
    expect(region2.address + page).toBeLessThanOrEqual(region1.address + 10 * page);
    expectStatus(region1.vmar.close(), Status.OK);
    expectStatus(region2.vmar.close(), Status.OK);
  });

  register('AllocateOobTest', () => {
    const { root, page } = setup();
    const region1 = expectOk(root.allocate(0, 10 * page, RW_ALLOC | CAN_MAP_SPECIFIC));
    expectStatus(region1.vmar.allocate(10 * page, page, RW_ALLOC | SPECIFIC), Status.INVALID_ARGS);
    expectStatus(
      region1.vmar.allocate(9 * page, 2 * page, RW_ALLOC | SPECIFIC),
      Status.INVALID_ARGS,
    );
  });

  register('AllocateUnsatisfiableTest', () => {
    const { root, page } = setup();
    const region1 = expectOk(root.allocate(0, 10 * page, RW_ALLOC | CAN_MAP_SPECIFIC));
    expectStatus(region1.vmar.allocate(0, 11 * page, RW_ALLOC), Status.INVALID_ARGS);
    const region2 = expectOk(region1.vmar.allocate(0, 10 * page, RW_ALLOC));
    expect(region2.address).toBe(region1.address);
    expectStatus(region1.vmar.allocate(0, page, RW_ALLOC), Status.NO_RESOURCES);
  });

  register('DestroyedVmarTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page);
    const region0 = expectOk(root.allocate(0, 10 * page, RW_ALLOC));
    const map0 = expectOk(region0.vmar.map(RW_PERM, 0, vmo, 0, page));
    const region1 = expectOk(region0.vmar.allocate(0, page, RW_ALLOC));
    const map1 = expectOk(region1.vmar.map(RW_PERM, 0, vmo, 0, page));
    expect(mappedPages(root, map0, 1, page)).toEqual([0]);
    expect(mappedPages(root, map1, 1, page)).toEqual([0]);
    expectStatus(region0.vmar.destroy(), Status.OK);
    for (const [region, mapAddress] of [
      [region0.vmar, map0],
      [region1.vmar, map1],
    ] as const) {
      expectOk(region.info(), 'the handle stays valid');
      expect(mappedPages(root, mapAddress, 1, page)).toEqual([]);
      expectStatus(region.destroy(), Status.BAD_STATE);
      expectStatus(region.allocate(0, page, RW_ALLOC), Status.BAD_STATE);
      expectStatus(region.unmap(mapAddress, page), Status.BAD_STATE);
      expectStatus(region.protect(PERM_READ, mapAddress, page), Status.BAD_STATE);
      expectStatus(region.map(PERM_READ, 0, vmo, 0, page), Status.BAD_STATE);
    }
    expectOk(root.allocate(0, page, RW_ALLOC));
  });

  register('MapOverDestroyedTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page);
    const vmo2 = vmoOf(backend, page);
    const region0 = expectOk(root.allocate(0, 10 * page, RW_ALLOC | CAN_MAP_SPECIFIC));
    const region1 = expectOk(region0.vmar.allocate(0, page, RW_ALLOC));
    const mapAddress = expectOk(region1.vmar.map(RW_PERM, 0, vmo, 0, page));
    expectStatus(region1.vmar.destroy(), Status.OK);
    expect(mappedPages(root, mapAddress, 1, page)).toEqual([]);
    const again = expectOk(
      region0.vmar.map(RW_PERM | SPECIFIC, mapAddress - region0.address, vmo2, 0, page),
    );
    expect(again).toBe(mapAddress);
    expect(mappingShape(region0.vmar)).toEqual([
      { base: mapAddress, size: page, depth: 1, mmuFlags: RW_PERM, vmoOffset: 0 },
    ]);
  });

  register('ObjectInfoTest', () => {
    const { root, page } = setup();
    const region = expectOk(root.allocate(0, 10 * page, RW_ALLOC));
    expect(expectInfo(region.vmar)).toEqual({ base: region.address, len: 10 * page });
  });
}
