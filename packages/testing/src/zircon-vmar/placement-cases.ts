/**
 * Test-case catalogue: the ported tests of Zircon's vmar.cc about where children and mappings
 * land: COMPACT, OFFSET_IS_UPPER_LIMIT, the lowest page, alignment, SPECIFIC and
 * SPECIFIC_OVERWRITE over what is there. One `register` call per test, under its Zircon name (see
 * describe-zircon-vmar-tests.ts).
 */
import { Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import {
  expectInfo,
  expectOk,
  expectStatus,
  mapShape,
  trailingZeroBits,
} from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';
import {
  ALIGNMENTS,
  makeManualAlignedVmar,
  RW_ALLOC,
  RW_PERM,
  vmoOf,
  type ZirconSetup,
} from './zircon-vmar-helpers.js';

const { CAN_MAP_SPECIFIC, SPECIFIC, SPECIFIC_OVERWRITE, COMPACT } = VmarFlags;

/** Registers the tests above, each on a fresh backend from `setup`. */
export function registerPlacementCases(register: RegisterCase, setup: ZirconSetup): void {
  register('MapInCompactTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page);
    const region = expectOk(root.allocate(0, 10 * page, RW_ALLOC | COMPACT));
    for (let index = 0; index < 2; index += 1) {
      const address = expectOk(region.vmar.map(RW_PERM, 0, vmo, 0, page));
      expect(address).toBeGreaterThanOrEqual(region.address);
      expect(address + page).toBeLessThanOrEqual(region.address + 10 * page);
    }
  });

  register('MapInUpperLimitTest', () => {
    const { backend, root, page } = setup();
    const regionSize = 100 * page;
    const vmo = vmoOf(backend, regionSize);
    const parent = expectOk(root.allocate(0, regionSize, RW_ALLOC | CAN_MAP_SPECIFIC));
    const upperLimit = regionSize / 2;
    const options = RW_PERM | VmarFlags.OFFSET_IS_UPPER_LIMIT;
    expectStatus(parent.vmar.map(options, regionSize + page, vmo, 0, page), Status.INVALID_ARGS);
    expectStatus(parent.vmar.map(options, page, vmo, 0, 2 * page), Status.INVALID_ARGS);
    expectStatus(parent.vmar.map(options, page, vmo, 0, regionSize + page), Status.INVALID_ARGS);
    const whole = expectOk(parent.vmar.map(options, regionSize, vmo, 0, regionSize));
    expect(whole).toBe(parent.address);
    expectStatus(parent.vmar.unmap(whole, regionSize), Status.OK);
    for (let index = 0; index < 50; index += 1) {
      const address = expectOk(parent.vmar.map(options, upperLimit, vmo, 0, page));
      expect(address).toBeGreaterThanOrEqual(parent.address);
      expect(address + page).toBeLessThanOrEqual(parent.address + upperLimit);
    }
    expectStatus(parent.vmar.map(options, upperLimit, vmo, 0, page), Status.NO_RESOURCES);
    const address = expectOk(parent.vmar.map(RW_PERM, 0, vmo, 0, page));
    expect(address).toBeGreaterThanOrEqual(parent.address);
    expect(address + page).toBeLessThanOrEqual(parent.address + regionSize);
  });

  register('AllocateAtLowAddressTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page);
    const info = expectInfo(root);
    expect(expectOk(root.map(SPECIFIC, 0, vmo, 0, page))).toBe(info.base);
  });

  register('AlignmentVmarMapTest', () => {
    const { backend, root, page } = setup();
    const size = 2 * page;
    const vmarSize = 8 * 2 ** 30;
    const vmo = vmoOf(backend, size);
    const vmar = makeManualAlignedVmar(root, vmarSize, 512 * 2 ** 20);
    if (vmar === undefined) return expect.fail('no aligned 8 GiB VMAR could be placed');
    const flags = RW_PERM | VmarFlags.ALIGN_64KB | SPECIFIC;
    expectStatus(vmar.map(flags, 4096, vmo, 0, size), Status.INVALID_ARGS);
    const address = expectOk(vmar.map(flags, 64 * 1024, vmo, 0, size));
    expectStatus(vmar.unmap(address, size), Status.OK);
    expectStatus(vmar.map(RW_PERM + 9 * 2 ** 24, 0, vmo, 0, size), Status.INVALID_ARGS);
    expectStatus(vmar.map(RW_PERM + 33 * 2 ** 24, 0, vmo, 0, size), Status.INVALID_ARGS);
    for (const [alignment, zeroBits] of ALIGNMENTS) {
      const result = vmar.map(RW_PERM + alignment, 0, vmo, 0, size);
      if (!result.ok && 2 ** zeroBits > vmarSize) {
        expectStatus(result, Status.NO_RESOURCES);
        continue;
      }
      const mapped = expectOk(result, `alignment zero bits ${zeroBits}`);
      expect(trailingZeroBits(mapped)).toBeGreaterThanOrEqual(zeroBits);
      expectStatus(vmar.unmap(mapped, size), Status.OK);
    }
    expectStatus(vmar.destroy(), Status.OK);
  });

  register('AlignmentVmarAllocateTest', () => {
    const { root, page } = setup();
    const size = 16 * page;
    const vmarSize = 8 * 2 ** 30;
    const vmar = makeManualAlignedVmar(root, vmarSize, 512 * 2 ** 20);
    if (vmar === undefined) return expect.fail('no aligned 8 GiB VMAR could be placed');
    const flags = RW_ALLOC | VmarFlags.ALIGN_64KB | SPECIFIC;
    expectStatus(vmar.allocate(4096, size, flags), Status.INVALID_ARGS);
    const sub = expectOk(vmar.allocate(64 * 1024, size, flags));
    expectStatus(sub.vmar.destroy(), Status.OK);
    expectStatus(vmar.allocate(0, size, RW_ALLOC + 9 * 2 ** 24), Status.INVALID_ARGS);
    expectStatus(vmar.allocate(0, size, RW_ALLOC + 33 * 2 ** 24), Status.INVALID_ARGS);
    for (const [alignment, zeroBits] of ALIGNMENTS) {
      const result = vmar.allocate(0, size, RW_ALLOC + alignment);
      if (!result.ok && 2 ** zeroBits > vmarSize) {
        expectStatus(result, Status.NO_RESOURCES);
        continue;
      }
      const child = expectOk(result, `alignment zero bits ${zeroBits}`);
      expect(trailingZeroBits(child.address)).toBeGreaterThanOrEqual(zeroBits);
      expectStatus(child.vmar.destroy(), Status.OK);
    }
    expectStatus(vmar.destroy(), Status.OK);
  });

  register('OvermappingTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page);
    const vmo2 = vmoOf(backend, 4 * page);
    const region0 = expectOk(root.allocate(0, 10 * page, RW_ALLOC | CAN_MAP_SPECIFIC));
    const base = region0.address;
    const map0 = expectOk(region0.vmar.map(RW_PERM | SPECIFIC, page, vmo, 0, 2 * page));
    for (const pages of [2, 1, 4]) {
      expectStatus(
        region0.vmar.map(RW_PERM | SPECIFIC, map0 - base, vmo2, 0, pages * page),
        Status.ALREADY_EXISTS,
      );
    }
    expectStatus(
      region0.vmar.allocate(map0 - base, page, RW_ALLOC | SPECIFIC),
      Status.ALREADY_EXISTS,
    );
    expectStatus(region0.vmar.unmap(map0, 2 * page), Status.OK);
    const region1 = expectOk(region0.vmar.allocate(page, 2 * page, RW_ALLOC | SPECIFIC));
    for (const pages of [2, 1, 4]) {
      expectStatus(
        region0.vmar.map(RW_PERM | SPECIFIC, region1.address - base, vmo2, 0, pages * page),
        Status.ALREADY_EXISTS,
      );
    }
    expectStatus(
      region0.vmar.allocate(region1.address - base, page, RW_ALLOC | SPECIFIC),
      Status.ALREADY_EXISTS,
    );
  });

  register('MapSpecificOverwriteTest', () => {
    const { backend, root, page } = setup();
    const size = 4 * page;
    const vmo = vmoOf(backend, 2 * size);
    const vmo2 = vmoOf(backend, 2 * size);
    const koidAt = (address: number) =>
      expectOk(root.maps(1000)).entries.find(
        (entry) =>
          entry.mapping !== undefined && entry.base <= address && address < entry.base + entry.size,
      )?.mapping?.vmoKoid;
    const first = expectOk(root.map(RW_PERM | SPECIFIC, page, vmo, 0, size));
    const vmoKoid = koidAt(first);
    expectStatus(root.map(RW_PERM | SPECIFIC, page, vmo2, 0, size), Status.ALREADY_EXISTS);
    const second = expectOk(root.map(RW_PERM | SPECIFIC_OVERWRITE, page, vmo2, 0, size));
    expect(second).toBe(first);
    const vmo2Koid = koidAt(first);
    expect(vmo2Koid).not.toBe(vmoKoid);
    for (let index = 0; index < 4; index += 1) expect(koidAt(second + index * page)).toBe(vmo2Koid);
    const middle = expectOk(root.map(RW_PERM | SPECIFIC_OVERWRITE, 2 * page, vmo, 0, 2 * page));
    expect(middle).toBe(second + page);
    for (let index = 0; index < 4; index += 1) {
      expect(koidAt(second + index * page)).toBe(index === 0 || index === 3 ? vmo2Koid : vmoKoid);
    }
    const sub = expectOk(root.allocate(page + size, size, RW_ALLOC | SPECIFIC));
    expect(sub.address).toBe(second + size);
    expectStatus(
      root.map(RW_PERM | SPECIFIC_OVERWRITE, page, vmo2, 0, 2 * size),
      Status.INVALID_ARGS,
    );
    expectStatus(root.unmap(second, 2 * size), Status.OK);
    expect(mapShape(root)).toHaveLength(1);
  });
}
