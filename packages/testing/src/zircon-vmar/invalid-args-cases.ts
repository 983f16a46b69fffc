/**
 * Test-case catalogue: the ported tests of Zircon's vmar.cc about bad arguments and lengths that
 * are not a whole number of pages. One `register` call per test, under its Zircon name (see
 * describe-zircon-vmar-tests.ts).
 */
import type { Vmo } from '@vmars/address-space';
import { Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import { expectInfo, expectOk, expectStatus, mappingShape } from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';
import { mappedPages, RW_ALLOC, RW_PERM, vmoOf, type ZirconSetup } from './zircon-vmar-helpers.js';

const {
  PERM_READ,
  CAN_MAP_READ,
  CAN_MAP_WRITE,
  CAN_MAP_EXECUTE,
  CAN_MAP_SPECIFIC,
  SPECIFIC,
  SPECIFIC_OVERWRITE,
  MAP_RANGE,
} = VmarFlags;

/** Registers the tests above, each on a fresh backend from `setup`. */
export function registerInvalidArgsCases(register: RegisterCase, setup: ZirconSetup): void {
  register('InvalidArgsTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, 4 * page);
    // Bad handle: a VMAR where the VMO belongs (the VMAR calls on a VMO are not expressible).
    expectStatus(root.map(RW_PERM, 0, root as unknown as Vmo, 0, 4 * page), Status.WRONG_TYPE);
    // Non-zero offset without SPECIFIC or OFFSET_IS_UPPER_LIMIT.
    expectStatus(root.allocate(page, 10 * page, RW_ALLOC), Status.INVALID_ARGS);
    expectStatus(root.map(RW_PERM, page, vmo, 0, 4 * page), Status.INVALID_ARGS);
    // SPECIFIC* with OFFSET_IS_UPPER_LIMIT.
    const upper = VmarFlags.OFFSET_IS_UPPER_LIMIT;
    expectStatus(root.allocate(page, 10 * page, RW_ALLOC | SPECIFIC | upper), Status.INVALID_ARGS);
    expectStatus(root.map(RW_PERM | SPECIFIC | upper, page, vmo, 0, 4 * page), Status.INVALID_ARGS);
    expectStatus(
      root.allocate(page, 10 * page, RW_ALLOC | SPECIFIC_OVERWRITE | upper),
      Status.INVALID_ARGS,
    );
    expectStatus(
      root.map(RW_PERM | SPECIFIC_OVERWRITE | upper, page, vmo, 0, 4 * page),
      Status.INVALID_ARGS,
    );
    // Allocate with PERM_READ.
    expectStatus(root.allocate(page, 10 * page, CAN_MAP_READ | PERM_READ), Status.INVALID_ARGS);
    // MAP_RANGE with SPECIFIC_OVERWRITE.
    expectStatus(
      root.map(PERM_READ | SPECIFIC_OVERWRITE | MAP_RANGE, page, vmo, 0, 4 * page),
      Status.INVALID_ARGS,
    );
    // Non-page-aligned arguments.
    expectStatus(root.allocate(0, page - 1, RW_ALLOC), Status.INVALID_ARGS);
    expectStatus(root.allocate(page - 1, page, RW_ALLOC | CAN_MAP_SPECIFIC), Status.INVALID_ARGS);
    for (const mapRange of [0, MAP_RANGE]) {
      expectStatus(
        root.map(RW_PERM | SPECIFIC | mapRange, page - 1, vmo, 0, 4 * page),
        Status.INVALID_ARGS,
      );
      expectStatus(
        root.map(RW_PERM | SPECIFIC | mapRange, page, vmo, page - 1, 3 * page),
        Status.INVALID_ARGS,
      );
      expectStatus(root.map(RW_PERM | mapRange, 0, vmo, page - 1, 3 * page), Status.INVALID_ARGS);
    }
    let address = expectOk(root.map(RW_PERM, 0, vmo, 0, 4 * page));
    expectStatus(root.unmap(address + 1, page), Status.INVALID_ARGS);
    expectStatus(root.protect(PERM_READ, address + 1, page), Status.INVALID_ARGS);
    expectStatus(root.unmap(address, 4 * page), Status.OK);
    // Overflowing vmo_offset: Zircon answers OUT_OF_RANGE for 2^64 - page and maps 2^64 - 2
    // pages. The contract takes only safe integers (a double above 2^53 cannot say which integer
    // was meant), so both are INVALID_ARGS here, and the largest offset it takes maps.
    expectStatus(root.map(RW_PERM, 0, vmo, 2 ** 64 - page, page), Status.INVALID_ARGS);
    expectStatus(root.map(RW_PERM, 0, vmo, 2 ** 64 - 2 * page, page), Status.INVALID_ARGS);
    address = expectOk(root.map(RW_PERM, 0, vmo, 2 ** 53 - page, page));
    expectStatus(root.unmap(address, page), Status.OK);
    // size = 0.
    expectStatus(root.allocate(0, 0, RW_ALLOC), Status.INVALID_ARGS);
    expectStatus(root.map(RW_PERM, 0, vmo, 0, 0), Status.INVALID_ARGS);
    address = expectOk(root.map(RW_PERM, 0, vmo, 0, 4 * page));
    expectStatus(root.unmap(address, 0), Status.INVALID_ARGS);
    expectStatus(root.protect(PERM_READ, address, 0), Status.INVALID_ARGS);
    expectStatus(root.unmap(address, 4 * page), Status.OK);
    // A size that rounds up to 0 (SIZE_MAX - page + 2, which is 2^64 as a JS number).
    const badSize = 2 ** 64 - page + 2;
    expectStatus(root.allocate(0, badSize, RW_ALLOC), Status.INVALID_ARGS);
    const info = expectInfo(root);
    address = expectOk(root.map(RW_PERM | SPECIFIC, page, vmo, 0, 4 * page));
    expect(address).toBe(info.base + page);
    for (const shift of [-1, 0, 1]) {
      expectStatus(root.protect(PERM_READ, address + page * shift, badSize), Status.INVALID_ARGS);
      expectStatus(root.unmap(address + page * shift, badSize), Status.INVALID_ARGS);
    }
    expectStatus(root.unmap(address, 4 * page), Status.OK);
    // Flags with invalid bits set.
    expectStatus(root.allocate(0, 4 * page, PERM_READ | RW_ALLOC), Status.INVALID_ARGS);
    expectStatus(root.allocate(0, 4 * page, CAN_MAP_READ + 2 ** 31), Status.INVALID_ARGS);
    expectStatus(root.map(RW_PERM | CAN_MAP_EXECUTE, 0, vmo, 0, 4 * page), Status.INVALID_ARGS);
    expectStatus(root.map(RW_PERM + 2 ** 31, 0, vmo, 0, 4 * page), Status.INVALID_ARGS);
    address = expectOk(root.map(RW_PERM, 0, vmo, 0, 4 * page));
    expectStatus(root.protect(PERM_READ | CAN_MAP_WRITE, address, 4 * page), Status.INVALID_ARGS);
    expectStatus(root.protect(PERM_READ + 2 ** 31, address, 4 * page), Status.INVALID_ARGS);
    expectStatus(root.unmap(address, 4 * page), Status.OK);
  });

  register('UnalignedLenTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, 4 * page);
    const address = expectOk(root.map(PERM_READ, 0, vmo, 0, 4 * page));
    expectStatus(root.protect(RW_PERM, address, 4 * page - 1), Status.OK);
    expect(mappingShape(root).map((entry) => [entry.size, entry.mmuFlags])).toEqual([
      [4 * page, RW_PERM],
    ]);
    expectStatus(root.unmap(address, 4 * page - 1), Status.OK);
    expect(mappedPages(root, address, 4, page)).toEqual([]);
  });

  register('UnalignedLenMapTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, 4 * page);
    for (const mapRange of [0, MAP_RANGE]) {
      const address = expectOk(root.map(PERM_READ | mapRange, 0, vmo, 0, 4 * page - 1));
      expect(mappedPages(root, address, 4, page)).toEqual([0, 1, 2, 3]);
      expectStatus(root.unmap(address, 4 * page - 1), Status.OK);
      expect(mappedPages(root, address, 4, page)).toEqual([]);
    }
  });
}
