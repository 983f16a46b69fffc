/**
 * Test-case catalogue: the ported tests of Zircon's vmar.cc about map options: MAP_RANGE,
 * ALLOW_FAULTS, resizable and unbounded VMOs, FAULT_BEYOND_STREAM_SIZE. One `register` call per
 * test, under its Zircon name (see describe-zircon-vmar-tests.ts).
 */
import { Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import { expectOk, expectStatus, mappingShape } from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';
import { RW_ALLOC, RW_PERM, vmoOf, type ZirconSetup } from './zircon-vmar-helpers.js';

const { PERM_READ, CAN_MAP_SPECIFIC, SPECIFIC, SPECIFIC_OVERWRITE, MAP_RANGE, ALLOW_FAULTS } =
  VmarFlags;

/** Registers the tests above, each on a fresh backend from `setup`. */
export function registerMapOptionCases(register: RegisterCase, setup: ZirconSetup): void {
  register('VmarMapRangeOffsetTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, 4 * page);
    expectOk(root.map(MAP_RANGE, 0, vmo, 0x2000, 0x1000));
  });

  register('AllowFaultsTest', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page, 0x2);
    const address = expectOk(root.map(RW_PERM | ALLOW_FAULTS, 0, vmo, 0, page));
    expectStatus(vmo.close(), Status.OK);
    expectStatus(root.unmap(address, page), Status.OK);
  });

  register('MapRangeResizable', () => {
    const { backend, root, page } = setup();
    const vmo = vmoOf(backend, page, 0x2);
    let address = expectOk(root.map(MAP_RANGE, 0, vmo, 0, page));
    expectStatus(root.unmap(address, page), Status.OK);
    address = expectOk(root.map(MAP_RANGE | PERM_READ, 0, vmo, 0, 2 * page));
    expectStatus(root.unmap(address, 2 * page), Status.OK);
    address = expectOk(root.map(MAP_RANGE, 0, vmo, 2 * page, 2 * page));
    expectStatus(root.unmap(address, 2 * page), Status.OK);
  });

  register('FaultBeyondStreamSize', () => {
    const { backend, root, page } = setup();
    const vmar = expectOk(root.allocate(0, 6 * page, RW_ALLOC | CAN_MAP_SPECIFIC));
    const unbounded = 0x10;
    const vmo = vmoOf(backend, 3 * page, unbounded);
    const beyond = VmarFlags.FAULT_BEYOND_STREAM_SIZE;
    expectStatus(
      vmar.vmar.map(RW_PERM | SPECIFIC | beyond, 0, vmo, 0, 4 * page),
      Status.INVALID_ARGS,
    );
    const address = expectOk(
      vmar.vmar.map(RW_PERM | SPECIFIC | beyond | ALLOW_FAULTS, 0, vmo, 0, 4 * page),
    );
    const vmo2 = vmoOf(backend, page / 2, unbounded);
    expectStatus(
      vmar.vmar.map(PERM_READ | SPECIFIC | beyond | ALLOW_FAULTS, 0, vmo2, 0, 2 * page),
      Status.ALREADY_EXISTS,
    );
    const address2 = expectOk(
      vmar.vmar.map(PERM_READ | SPECIFIC_OVERWRITE | beyond | ALLOW_FAULTS, 0, vmo2, 0, 2 * page),
    );
    expect(address2).toBe(address);
    expect(mappingShape(vmar.vmar).map((entry) => [entry.size, entry.mmuFlags])).toEqual([
      [2 * page, PERM_READ],
      [2 * page, RW_PERM],
    ]);
    expectStatus(vmar.vmar.destroy(), Status.OK);
  });
}
