/**
 * Test-case catalogue: the conformance cases of §11.4 protect and §11.5 mapping entries and
 * merging; `registerProtectCases` only registers cases, one per rule, each self-contained. Its
 * helpers live in ../backend-assertions.ts.
 */
import type { AddressSpaceBackend } from '@vmars/address-space';
import { DEFAULT_VMAR_RIGHTS, MapsType, Rights, Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import {
  arena,
  CAN_MAP_RW,
  expectOk,
  expectStatus,
  mappingShape,
  PERM_RW,
  vmoOf,
} from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';

const { PERM_READ, PERM_WRITE, SPECIFIC, ALLOW_FAULTS, REQUIRE_NON_RESIZABLE } = VmarFlags;

/** §11.4 protect, §11.5 mapping entries and merging. */
export function registerProtectCases(
  register: RegisterCase,
  makeBackend: () => AddressSpaceBackend,
): void {
  // ---- §11.4 protect --------------------------------------------------------------------------

  register('§11.4: protect on a closed handle is BAD_HANDLE', () => {
    const a = arena(makeBackend(), 16);
    const copy = expectOk(a.vmar.duplicate(Rights.SAME_RIGHTS));
    copy.close();
    expectStatus(copy.protect(PERM_READ, a.base, a.page), Status.BAD_HANDLE);
  });

  register('§11.4: a PERM the handle lacks is ACCESS_DENIED, before W-without-R', () => {
    const a = arena(makeBackend(), 16);
    const address = expectOk(a.vmar.map(PERM_RW, 0, vmoOf(a.backend), 0, a.page));
    const readOnly = expectOk(a.vmar.duplicate(DEFAULT_VMAR_RIGHTS | Rights.READ));
    expectStatus(readOnly.protect(PERM_RW, address, a.page), Status.ACCESS_DENIED);
    expectStatus(readOnly.protect(PERM_WRITE, address, a.page), Status.ACCESS_DENIED);
    expectStatus(a.vmar.protect(PERM_WRITE, address, a.page), Status.INVALID_ARGS);
  });

  register(
    '§11.4: an unaligned address, unknown bits, VMAR flags or ALIGN are INVALID_ARGS',
    () => {
      const a = arena(makeBackend(), 16);
      const address = expectOk(a.vmar.map(PERM_RW, 0, vmoOf(a.backend), 0, a.page));
      expectStatus(a.vmar.protect(PERM_READ, address + 1, a.page), Status.INVALID_ARGS);
      for (const bits of [
        2 ** 16,
        VmarFlags.CAN_MAP_WRITE,
        SPECIFIC,
        VmarFlags.ALIGN_64KB,
        2 ** 31,
      ]) {
        expectStatus(a.vmar.protect(PERM_READ + bits, address, a.page), Status.INVALID_ARGS);
      }
    },
  );

  register('§11.4: length 0 is INVALID_ARGS, even on a destroyed VMAR', () => {
    const a = arena(makeBackend(), 16);
    expectStatus(a.vmar.protect(PERM_READ, a.base, 0), Status.INVALID_ARGS);
    const { vmar, address } = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    vmar.destroy();
    expectStatus(vmar.protect(PERM_READ, address, 0), Status.INVALID_ARGS);
  });

  register('§11.4: BAD_STATE on a destroyed VMAR comes before the range check', () => {
    const a = arena(makeBackend(), 16);
    const { vmar, address } = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    vmar.destroy();
    expectStatus(vmar.protect(PERM_READ, address, a.page), Status.BAD_STATE);
    expectStatus(vmar.protect(PERM_READ, address + 8 * a.page, a.page), Status.BAD_STATE);
  });

  register('§11.4: a range outside the VMAR is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmoOf(a.backend, 16), 0, a.size));
    expectStatus(a.vmar.protect(PERM_READ, a.base - a.page, 2 * a.page), Status.INVALID_ARGS);
    expectStatus(
      a.vmar.protect(PERM_READ, a.base + a.size - a.page, 2 * a.page),
      Status.INVALID_ARGS,
    );
  });

  register('§11.4: a hole or an empty sub-VMAR in the range is NOT_FOUND, nothing changes', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, 4 * a.page));
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, 8 * a.page, vmo, 0, 4 * a.page));
    expectStatus(a.vmar.protect(PERM_READ, a.base + a.page, 8 * a.page), Status.NOT_FOUND);
    expectOk(a.vmar.allocate(4 * a.page, 4 * a.page, CAN_MAP_RW | SPECIFIC));
    expectStatus(a.vmar.protect(PERM_READ, a.base + a.page, 8 * a.page), Status.NOT_FOUND);
    expect(mappingShape(a.vmar).map((entry) => entry.mmuFlags)).toEqual([PERM_RW, PERM_RW]);
    expectStatus(a.vmar.protect(PERM_READ, a.base + 13 * a.page, a.page), Status.NOT_FOUND);
  });

  register(
    '§11.4: raising a mapping above its ceiling is ACCESS_DENIED (ceiling kept after the VMO closes)',
    () => {
      const a = arena(makeBackend(), 16);
      const readOnlyVmo = expectOk(vmoOf(a.backend).duplicate(Rights.MAP | Rights.READ));
      const address = expectOk(a.vmar.map(PERM_READ, 0, readOnlyVmo, 0, a.page));
      expectStatus(a.vmar.protect(PERM_RW, address, a.page), Status.ACCESS_DENIED);
      readOnlyVmo.close();
      expectStatus(a.vmar.protect(PERM_RW, address, a.page), Status.ACCESS_DENIED);
      expectStatus(a.vmar.protect(0, address, a.page), Status.OK);
      expectStatus(a.vmar.protect(PERM_READ, address, a.page), Status.OK);
    },
  );

  register(
    '§11.4: through the parent, sub-VMAR mappings need OP_CHILDREN and can only lose permissions',
    () => {
      const a = arena(makeBackend(), 16);
      const child = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_RW));
      const address = expectOk(child.vmar.map(PERM_RW, 0, vmoOf(a.backend), 0, a.page));
      const weak = expectOk(a.vmar.duplicate(0x20800f & ~Rights.OP_CHILDREN));
      expectStatus(weak.protect(PERM_READ, address, a.page), Status.INVALID_ARGS);
      expectStatus(a.vmar.protect(PERM_READ, address, a.page), Status.OK);
      expectStatus(a.vmar.protect(PERM_RW, address, a.page), Status.ACCESS_DENIED);
      expectStatus(child.vmar.protect(PERM_RW, address, a.page), Status.OK);
      expect(mappingShape(a.vmar)[0]?.mmuFlags).toBe(PERM_RW);
    },
  );

  register('§11.4: protection ranges show as separate entries and coalesce back', () => {
    const a = arena(makeBackend(), 16);
    const address = expectOk(a.vmar.map(PERM_RW, 0, vmoOf(a.backend, 4), 0, 4 * a.page));
    expectStatus(a.vmar.protect(PERM_READ, address + a.page, a.page), Status.OK);
    expect(mappingShape(a.vmar)).toEqual([
      { base: address, size: a.page, depth: 1, mmuFlags: PERM_RW, vmoOffset: 0 },
      { base: address + a.page, size: a.page, depth: 1, mmuFlags: PERM_READ, vmoOffset: a.page },
      {
        base: address + 2 * a.page,
        size: 2 * a.page,
        depth: 1,
        mmuFlags: PERM_RW,
        vmoOffset: 2 * a.page,
      },
    ]);
    expectStatus(a.vmar.protect(PERM_RW, address + a.page, a.page), Status.OK);
    expect(mappingShape(a.vmar)).toHaveLength(1);
    expectStatus(a.vmar.protect(PERM_RW, address, 4 * a.page), Status.OK);
    expect(mappingShape(a.vmar)).toHaveLength(1);
  });

  register('§11.4: protect spans several mappings; the length is rounded up', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    const other = vmoOf(a.backend, 4);
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, 4 * a.page));
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, 4 * a.page, other, 0, 4 * a.page));
    expectStatus(a.vmar.protect(PERM_READ, a.base + 2 * a.page, 4 * a.page - 1), Status.OK);
    expect(
      mappingShape(a.vmar).map((entry) => [entry.base - a.base, entry.size, entry.mmuFlags]),
    ).toEqual([
      [0, 2 * a.page, PERM_RW],
      [2 * a.page, 2 * a.page, PERM_READ],
      [4 * a.page, 2 * a.page, PERM_READ],
      [6 * a.page, 2 * a.page, PERM_RW],
    ]);
  });

  register(
    '§11.4: all or nothing: one mapping over its ceiling leaves every mapping unchanged',
    () => {
      const a = arena(makeBackend(), 16);
      const vmo = vmoOf(a.backend, 4);
      const readOnlyVmo = expectOk(vmo.duplicate(Rights.MAP | Rights.READ));
      expectOk(a.vmar.map(PERM_READ | SPECIFIC, 0, vmo, 0, a.page));
      expectOk(a.vmar.map(PERM_READ | SPECIFIC, a.page, readOnlyVmo, 0, a.page));
      expectStatus(a.vmar.protect(PERM_RW, a.base, 2 * a.page), Status.ACCESS_DENIED);
      expect(mappingShape(a.vmar).map((entry) => entry.mmuFlags)).toEqual([PERM_READ, PERM_READ]);
    },
  );

  // ---- §11.5 mapping entries and merging ------------------------------------------------------

  register(
    '§11.5: a mapping entry carries type MAPPING, the VMO name, flags, offset and zero counts',
    () => {
      const a = arena(makeBackend(), 16);
      const child = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
      const address = expectOk(
        child.vmar.map(PERM_READ, 0, vmoOf(a.backend, 4), a.page, 2 * a.page),
      );
      const entries = expectOk(a.vmar.maps(10)).entries;
      expect(entries).toHaveLength(3);
      const entry = entries[2];
      expect(entry).toMatchObject({
        name: '',
        base: address,
        size: 2 * a.page,
        depth: 2,
        type: MapsType.MAPPING,
      });
      expect(entry?.mapping).toMatchObject({
        mmuFlags: PERM_READ,
        vmoOffset: a.page,
        committedBytes: 0,
        populatedBytes: 0,
        committedPrivateBytes: 0,
        populatedPrivateBytes: 0,
      });
      expect(entries[0]?.mapping).toBeUndefined();
      expect(entries[1]?.mapping).toBeUndefined();
    },
  );

  register(
    '§11.5: back-to-back maps of one VMO with consecutive offsets merge into one entry',
    () => {
      const a = arena(makeBackend(), 16);
      const vmo = vmoOf(a.backend, 4);
      expect(expectOk(a.vmar.map(PERM_RW, 0, vmo, 0, a.page))).toBe(a.base);
      expect(expectOk(a.vmar.map(PERM_RW, 0, vmo, a.page, 2 * a.page))).toBe(a.base + a.page);
      expect(mappingShape(a.vmar)).toEqual([
        { base: a.base, size: 3 * a.page, depth: 1, mmuFlags: PERM_RW, vmoOffset: 0 },
      ]);
    },
  );

  register('§11.5: a map between two pieces merges with both neighbours', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, 3 * a.page));
    expectStatus(a.vmar.unmap(a.base + a.page, a.page), Status.OK);
    expect(mappingShape(a.vmar)).toHaveLength(2);
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, a.page, vmo, a.page, a.page));
    expect(mappingShape(a.vmar)).toEqual([
      { base: a.base, size: 3 * a.page, depth: 1, mmuFlags: PERM_RW, vmoOffset: 0 },
    ]);
  });

  register('§11.5: entries stay apart across different VMOs, offsets, permissions or flags', () => {
    const a = arena(makeBackend(), 32);
    const vmo = vmoOf(a.backend, 8);
    const other = vmoOf(a.backend, 8);
    const at = (pages: number) => pages * a.page;
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, at(0), vmo, 0, a.page));
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, at(1), other, a.page, a.page));
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, at(2), vmo, at(4), a.page));
    expectOk(a.vmar.map(PERM_READ | SPECIFIC, at(3), vmo, at(5), a.page));
    expectOk(a.vmar.map(PERM_READ, at(0), vmo, at(6), a.page));
    expect(mappingShape(a.vmar)).toHaveLength(5);
  });

  // zircon/kernel/object/vm_address_region_dispatcher.cc, VmAddressRegionDispatcher::Map clears
  // VMAR_FLAG_REQUIRE_NON_RESIZABLE and VMAR_FLAG_ALLOW_FAULTS once checked, so the VmMapping's
  // flags_ never hold them (CreateVmMapping would refuse them), and
  // zircon/kernel/vm/vm_mapping.cc, VmMapping::TryMergeRightNeighborLocked compares flags_. The
  // list in §11.5 is right in what it names but does not say that these two are left out.
  register('§11.5: ALLOW_FAULTS and REQUIRE_NON_RESIZABLE do not keep maps apart', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, a.page));
    expectOk(a.vmar.map(PERM_RW | SPECIFIC | ALLOW_FAULTS, a.page, vmo, a.page, a.page));
    expectOk(
      a.vmar.map(PERM_RW | SPECIFIC | REQUIRE_NON_RESIZABLE, 2 * a.page, vmo, 2 * a.page, a.page),
    );
    expect(mappingShape(a.vmar)).toEqual([
      { base: a.base, size: 3 * a.page, depth: 1, mmuFlags: PERM_RW, vmoOffset: 0 },
    ]);
  });

  register('§11.5: maps in different VMARs never merge', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    const child = expectOk(a.vmar.allocate(a.page, a.page, CAN_MAP_RW | SPECIFIC));
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, a.page));
    expectOk(child.vmar.map(PERM_RW, 0, vmo, a.page, a.page));
    expect(mappingShape(a.vmar).map((entry) => entry.depth)).toEqual([1, 2]);
  });
}
