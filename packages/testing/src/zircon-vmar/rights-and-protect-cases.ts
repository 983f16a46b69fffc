/**
 * Test-case catalogue: the ported tests of Zircon's vmar.cc about rights of handles and VMARs, and
 * protect (over subregions, splitting, across several mappings). One `register` call per test,
 * under its Zircon name (see describe-zircon-vmar-tests.ts).
 */
import { Rights, Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import { expectOk, expectStatus, mappingShape } from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';
import {
  mappedPages,
  RW_ALLOC,
  RW_PERM,
  RWX_ALLOC,
  RWX_PERM,
  vmoOf,
  type ZirconSetup,
} from './zircon-vmar-helpers.js';

const {
  PERM_READ,
  PERM_WRITE,
  PERM_EXECUTE,
  CAN_MAP_READ,
  CAN_MAP_WRITE,
  CAN_MAP_EXECUTE,
  CAN_MAP_SPECIFIC,
  SPECIFIC,
  SPECIFIC_OVERWRITE,
} = VmarFlags;

/** Registers the tests above, each on a fresh backend from `setup`. */
export function registerRightsAndProtectCases(register: RegisterCase, setup: ZirconSetup): void {
  register('RightsDropTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page);
    // The EXECUTE row needs an executable VMO (zx_vmo_replace_as_executable): not ported.
    const rows: [number, number, number][] = [
      [Rights.READ, PERM_READ, RW_PERM],
      [Rights.READ | Rights.WRITE, RW_PERM, RWX_PERM],
    ];
    for (const [right, perm, tooMuch] of rows) {
      const handle = expectOk(root.duplicate(right));
      expectStatus(handle.map(tooMuch, 0, vmo, 0, page), Status.ACCESS_DENIED);
      const address = expectOk(handle.map(perm, 0, vmo, 0, page));
      expectStatus(handle.protect(tooMuch, address, page), Status.ACCESS_DENIED);
      expectStatus(handle.unmap(address, page), Status.OK);
      expectStatus(handle.allocate(0, 10 * page, RWX_ALLOC), Status.ACCESS_DENIED);
      expectStatus(handle.close(), Status.OK);
    }
  });

  register('ProtectTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page);
    const rows: [number, number][] = [
      [Rights.READ, PERM_READ],
      [Rights.READ | Rights.WRITE, RW_PERM],
    ];
    for (const [right, perm] of rows) {
      const handle = expectOk(vmo.duplicate(right | Rights.MAP));
      expectStatus(root.map(RWX_PERM, 0, handle, 0, page), Status.ACCESS_DENIED);
      const address = expectOk(root.map(perm, 0, handle, 0, page));
      expectStatus(root.protect(RWX_PERM, address, page), Status.ACCESS_DENIED);
      if (perm === PERM_READ)
        expectStatus(root.protect(RW_PERM, address, page), Status.ACCESS_DENIED);
      expectStatus(handle.close(), Status.OK);
      expectStatus(root.protect(RWX_PERM, address, page), Status.ACCESS_DENIED);
      expectStatus(root.unmap(address, page), Status.OK);
    }
  });

  register('ProtectSubregionTest', () => {
    const { backend, root, page } = setup();
    const vmar = expectOk(root.allocate(0, page, RW_ALLOC));
    const child = expectOk(vmar.vmar.allocate(0, page, RW_ALLOC));
    const vmo = vmoOf(backend, page);
    const address = expectOk(child.vmar.map(RW_PERM, 0, vmo, 0, page));
    expect(child.address).toBe(vmar.address);
    expect(address).toBe(vmar.address);
    expectStatus(vmar.vmar.protect(PERM_READ, vmar.address, page), Status.OK);
    expectStatus(vmar.vmar.protect(RW_PERM, vmar.address, page), Status.ACCESS_DENIED);
    expectStatus(child.vmar.protect(RW_PERM, child.address, page), Status.OK);
    const dup = expectOk(vmar.vmar.duplicate(0x20800f & ~Rights.OP_CHILDREN));
    expectStatus(dup.protect(PERM_READ, vmar.address, page), Status.INVALID_ARGS);
    expectStatus(vmar.vmar.destroy(), Status.OK);
  });

  register('NestedRegionPermsTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page);
    const rows: [number, number, number][] = [
      [CAN_MAP_READ, PERM_READ, 0],
      [CAN_MAP_WRITE, PERM_WRITE, PERM_READ],
      // Without an executable VMO the mapping that keeps READ and WRITE is the one left to try.
      [CAN_MAP_EXECUTE, PERM_EXECUTE, RW_PERM],
    ];
    for (const [excludedAlloc, , allowedMap] of rows) {
      const region0 = expectOk(root.allocate(0, 10 * page, RWX_ALLOC ^ excludedAlloc));
      expectStatus(region0.vmar.allocate(0, page, RWX_ALLOC), Status.ACCESS_DENIED);
      expectStatus(region0.vmar.map(RWX_PERM, 0, vmo, 0, page), Status.ACCESS_DENIED);
      if (allowedMap !== 0) {
        const address = expectOk(region0.vmar.map(allowedMap, 0, vmo, 0, page));
        expectStatus(region0.vmar.unmap(address, page), Status.OK);
      }
      const region1 = expectOk(region0.vmar.allocate(0, page, RWX_ALLOC ^ excludedAlloc));
      expectStatus(region1.vmar.destroy(), Status.OK);
      expectStatus(region0.vmar.destroy(), Status.OK);
    }
    const region0 = expectOk(root.allocate(0, 10 * page, RWX_ALLOC));
    expectStatus(region0.vmar.map(SPECIFIC | PERM_READ, page, vmo, 0, page), Status.ACCESS_DENIED);
    expectStatus(
      region0.vmar.map(SPECIFIC_OVERWRITE | PERM_READ, page, vmo, 0, page),
      Status.ACCESS_DENIED,
    );
    expectStatus(region0.vmar.destroy(), Status.OK);
  });

  register('ProtectSplitTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, 4 * page);
    for (const [offset, expected] of [
      [0, [PERM_READ, RW_PERM]],
      [2, [RW_PERM, PERM_READ]],
      [1, [RW_PERM, PERM_READ, RW_PERM]],
    ] as const) {
      const address = expectOk(root.map(RW_PERM, 0, vmo, 0, 4 * page));
      expectStatus(root.protect(PERM_READ, address + offset * page, 2 * page), Status.OK);
      expect(mappedPages(root, address, 4, page)).toEqual([0, 1, 2, 3]);
      expect(mappingShape(root).map((entry) => entry.mmuFlags)).toEqual(expected);
      expectStatus(root.unmap(address, 4 * page), Status.OK);
      expect(mappedPages(root, address, 4, page)).toEqual([]);
    }
  });

  register('ProtectMultipleTest', () => {
    const { backend, root, page } = setup();
    const size = 4 * page;
    const vmo = vmoOf(backend, size);
    const vmo2 = expectOk(vmo.duplicate(Rights.MAP | Rights.READ));
    const all = Array.from({ length: 12 }, (_, index) => index);
    const mapAt = (offset: number, flags = RW_PERM, handle = vmo) =>
      expectOk(root.map(flags | SPECIFIC, offset, handle, 0, size));
    // Across three mappings.
    let first = mapAt(0);
    mapAt(size);
    mapAt(2 * size);
    expectStatus(root.protect(PERM_READ, first + page, 3 * size - 2 * page), Status.OK);
    expect(mappedPages(root, first, 12, page)).toEqual(all);
    expectStatus(root.unmap(first, 3 * size), Status.OK);
    // The middle one from a VMO handle without WRITE: all or nothing.
    first = mapAt(0);
    mapAt(size, PERM_READ, vmo2);
    mapAt(2 * size);
    expectStatus(root.protect(RW_PERM, first + page, 3 * size - 2 * page), Status.ACCESS_DENIED);
    expect(mappingShape(root).map((entry) => entry.mmuFlags)).toEqual([
      RW_PERM,
      PERM_READ,
      RW_PERM,
    ]);
    expectStatus(root.unmap(first, 3 * size), Status.OK);
    // Across a gap.
    first = mapAt(0);
    mapAt(2 * size);
    expectStatus(root.protect(PERM_READ, first + page, 3 * size - 2 * page), Status.NOT_FOUND);
    expect(mappedPages(root, first, 12, page)).toEqual([0, 1, 2, 3, 8, 9, 10, 11]);
    expectStatus(root.unmap(first, 3 * size), Status.OK);
    // Across an empty subregion.
    first = mapAt(0);
    let sub = expectOk(root.allocate(size, size, RW_ALLOC | SPECIFIC));
    mapAt(2 * size);
    expectStatus(root.protect(PERM_READ, first + page, 3 * size - 2 * page), Status.NOT_FOUND);
    expectStatus(root.unmap(first, 3 * size), Status.OK);
    expect(mappedPages(root, first, 12, page)).toEqual([]);
    // Across a subregion filled with mappings.
    first = mapAt(0);
    sub = expectOk(root.allocate(size, size, RW_ALLOC | SPECIFIC | CAN_MAP_SPECIFIC));
    expectOk(sub.vmar.map(RW_PERM | SPECIFIC, 0, vmo, 0, size));
    mapAt(2 * size);
    expectStatus(root.protect(PERM_READ, first + page, 3 * size - 2 * page), Status.OK);
    expect(mappedPages(root, first, 12, page)).toEqual(all);
    expectStatus(root.unmap(first, 3 * size), Status.OK);
    expect(mappedPages(root, first, 12, page)).toEqual([]);
  });
}
