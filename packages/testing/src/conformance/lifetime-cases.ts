/**
 * Test-case catalogue: the conformance cases of §4.1 destroy, §4.2 close, §4.3 and §11.3 unmap;
 * `registerLifetimeCases` only registers cases, one per rule, each self-contained. Its helpers
 * live in ../backend-assertions.ts.
 */
import type { AddressSpaceBackend } from '@vmars/address-space';
import { DEFAULT_VMAR_RIGHTS, MapsType, Rights, Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import {
  arena,
  CAN_MAP_RW,
  expectDead,
  expectInfo,
  expectOk,
  expectStatus,
  mappingShape,
  mapShape,
  PERM_RW,
  vmoOf,
} from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';

const { CAN_MAP_READ, CAN_MAP_SPECIFIC, SPECIFIC } = VmarFlags;

/** §4.1 destroy, §4.2 close, §4.3 and §11.3 unmap. */
export function registerLifetimeCases(
  register: RegisterCase,
  makeBackend: () => AddressSpaceBackend,
): void {
  // ---- §4.1 destroy ---------------------------------------------------------------------------

  register('§4.1: after destroy every VMAR op except info answers BAD_STATE', () => {
    const a = arena(makeBackend(), 16);
    const { vmar, address } = expectOk(a.vmar.allocate(0, 8 * a.page, CAN_MAP_RW));
    expectStatus(vmar.destroy(), Status.OK);
    expectDead(vmar, a.backend, address);
  });

  register('§4.1: destroy is recursive: grandchildren and their mappings go too', () => {
    const a = arena(makeBackend(), 32);
    const vmo = vmoOf(a.backend);
    const child = expectOk(a.vmar.allocate(0, 16 * a.page, CAN_MAP_RW));
    const grandchild = expectOk(child.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    const greatGrandchild = expectOk(grandchild.vmar.allocate(0, 2 * a.page, CAN_MAP_RW));
    expectOk(greatGrandchild.vmar.map(PERM_RW, 0, vmo, 0, a.page));
    expectOk(child.vmar.map(PERM_RW, 0, vmo, 0, a.page));
    expect(mapShape(a.vmar)).toHaveLength(6);
    expectStatus(child.vmar.destroy(), Status.OK);
    expect(mapShape(a.vmar)).toEqual([
      { base: a.base, size: a.size, depth: 0, type: MapsType.VMAR },
    ]);
    expectDead(grandchild.vmar, a.backend, grandchild.address);
    expectDead(greatGrandchild.vmar, a.backend, greatGrandchild.address);
  });

  register('§4.1: info of a destroyed VMAR still gives its old base and len', () => {
    const a = arena(makeBackend(), 16);
    const { vmar, address } = expectOk(a.vmar.allocate(0, 3 * a.page, CAN_MAP_RW));
    expectStatus(vmar.destroy(), Status.OK);
    expect(expectInfo(vmar)).toEqual({ base: address, len: 3 * a.page });
  });

  register('§4.1: destroying twice is BAD_STATE', () => {
    const a = arena(makeBackend(), 16);
    const { vmar } = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_RW));
    expectStatus(vmar.destroy(), Status.OK);
    expectStatus(vmar.destroy(), Status.BAD_STATE);
  });

  register('§4.1: the root cannot be destroyed (NOT_SUPPORTED) and stays usable', () => {
    const backend = makeBackend();
    const root = backend.rootVmar();
    expectStatus(root.destroy(), Status.NOT_SUPPORTED);
    expectOk(root.allocate(0, backend.pageSize, CAN_MAP_READ));
    expectOk(root.maps(0));
  });

  register('§4.1: destroy needs OP_CHILDREN (ACCESS_DENIED), and nothing changes', () => {
    const a = arena(makeBackend(), 16);
    const { vmar } = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    const weak = expectOk(vmar.duplicate(DEFAULT_VMAR_RIGHTS & ~Rights.OP_CHILDREN));
    expectStatus(weak.destroy(), Status.ACCESS_DENIED);
    expect(mapShape(a.vmar)).toHaveLength(2);
    expectOk(vmar.allocate(0, a.page, CAN_MAP_READ));
  });

  register('§4.1: ACCESS_DENIED on the root comes before NOT_SUPPORTED', () => {
    const backend = makeBackend();
    const weak = expectOk(backend.rootVmar().duplicate(DEFAULT_VMAR_RIGHTS & ~Rights.OP_CHILDREN));
    expectStatus(weak.destroy(), Status.ACCESS_DENIED);
  });

  register('§4.1: the destroyed range is free in the parent at once', () => {
    const a = arena(makeBackend(), 16);
    const first = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    expectStatus(first.vmar.destroy(), Status.OK);
    const again = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW | SPECIFIC));
    expect(again.address).toBe(first.address);
  });

  register('§4.1: siblings and the parent are untouched', () => {
    const a = arena(makeBackend(), 16);
    const left = expectOk(a.vmar.allocate(0, 2 * a.page, CAN_MAP_RW));
    const middle = expectOk(a.vmar.allocate(0, 2 * a.page, CAN_MAP_RW));
    const right = expectOk(a.vmar.allocate(0, 2 * a.page, CAN_MAP_RW));
    expectStatus(middle.vmar.destroy(), Status.OK);
    expect(mapShape(a.vmar).map((entry) => entry.base)).toEqual([
      a.base,
      left.address,
      right.address,
    ]);
    expectOk(left.vmar.allocate(0, a.page, CAN_MAP_READ));
    expectOk(right.vmar.allocate(0, a.page, CAN_MAP_READ));
  });

  register('§4.1: a destroyed VMAR’s handle stays open: close is OK, then BAD_HANDLE', () => {
    const a = arena(makeBackend(), 16);
    const { vmar } = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_RW));
    const copy = expectOk(vmar.duplicate(Rights.SAME_RIGHTS));
    expectStatus(vmar.destroy(), Status.OK);
    expectStatus(copy.destroy(), Status.BAD_STATE);
    expectStatus(vmar.close(), Status.OK);
    expectStatus(vmar.info(), Status.BAD_HANDLE);
    expectOk(copy.info());
  });

  // ---- §4.2 close -----------------------------------------------------------------------------

  register('§4.2: closing the only handle leaves the region allocated', () => {
    const a = arena(makeBackend(), 16);
    const { vmar, address } = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    expectStatus(vmar.close(), Status.OK);
    expect(mapShape(a.vmar)).toEqual([
      { base: a.base, size: a.size, depth: 0, type: MapsType.VMAR },
      { base: address, size: 4 * a.page, depth: 1, type: MapsType.VMAR },
    ]);
    expectStatus(
      a.vmar.allocate(address - a.base, a.page, CAN_MAP_READ | SPECIFIC),
      Status.ALREADY_EXISTS,
    );
  });

  register('§4.2: a closed region is freed by unmapping it through its parent', () => {
    const a = arena(makeBackend(), 16);
    const { vmar, address } = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    vmar.close();
    expectStatus(a.vmar.unmap(address, 4 * a.page), Status.OK);
    expect(mapShape(a.vmar)).toHaveLength(1);
  });

  register('§4.2: a closed region is freed when an ancestor is destroyed', () => {
    const a = arena(makeBackend(), 16);
    const child = expectOk(a.vmar.allocate(0, 8 * a.page, CAN_MAP_RW));
    const grandchild = expectOk(child.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    const copy = expectOk(grandchild.vmar.duplicate(Rights.SAME_RIGHTS));
    grandchild.vmar.close();
    expectStatus(child.vmar.destroy(), Status.OK);
    expectStatus(copy.allocate(0, a.page, CAN_MAP_READ), Status.BAD_STATE);
    expect(mapShape(a.vmar)).toHaveLength(1);
  });

  register('§4.2: closing one handle leaves its duplicates working', () => {
    const a = arena(makeBackend(), 16);
    const copy = expectOk(a.vmar.duplicate(Rights.SAME_RIGHTS));
    expectStatus(a.vmar.close(), Status.OK);
    expect(expectOk(copy.allocate(0, a.page, CAN_MAP_READ)).address).toBe(a.base);
  });

  // ---- §4.3 / §11.3 unmap ---------------------------------------------------------------------

  register('§11.3 step 1: unmap on a closed handle is BAD_HANDLE', () => {
    const a = arena(makeBackend(), 16);
    const copy = expectOk(a.vmar.duplicate(Rights.SAME_RIGHTS));
    copy.close();
    expectStatus(copy.unmap(a.base, a.page), Status.BAD_HANDLE);
  });

  register('§11.3 step 2: an unaligned address is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    const address = expectOk(a.vmar.map(PERM_RW, 0, vmo, 0, 4 * a.page));
    expectStatus(a.vmar.unmap(address + 1, a.page), Status.INVALID_ARGS);
    expect(mappingShape(a.vmar)).toHaveLength(1);
  });

  register(
    '§11.3 step 2 before step 4: an unaligned address on a destroyed VMAR is INVALID_ARGS',
    () => {
      const a = arena(makeBackend(), 16);
      const { vmar, address } = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
      vmar.destroy();
      expectStatus(vmar.unmap(address + 1, a.page), Status.INVALID_ARGS);
    },
  );

  register('§11.3 step 3: length 0 is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    expectStatus(a.vmar.unmap(a.base, 0), Status.INVALID_ARGS);
  });

  register('§11.3 step 3 before step 4: length 0 on a destroyed VMAR is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    const { vmar, address } = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    vmar.destroy();
    expectStatus(vmar.unmap(address, 0), Status.INVALID_ARGS);
  });

  register('§11.3 step 3: the length is rounded up to pages', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    const address = expectOk(a.vmar.map(PERM_RW, 0, vmo, 0, 4 * a.page));
    expectStatus(a.vmar.unmap(address, 2 * a.page - 1), Status.OK);
    expect(mappingShape(a.vmar)).toEqual([
      {
        base: address + 2 * a.page,
        size: 2 * a.page,
        depth: 1,
        mmuFlags: PERM_RW,
        vmoOffset: 2 * a.page,
      },
    ]);
  });

  register('§11.3 step 4 before step 5: out of range on a destroyed VMAR is BAD_STATE', () => {
    const a = arena(makeBackend(), 16);
    const { vmar, address } = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW));
    vmar.destroy();
    expectStatus(vmar.unmap(address + 8 * a.page, a.page), Status.BAD_STATE);
  });

  register('§11.3 step 5: a range not inside the VMAR is INVALID_ARGS, never clipped', () => {
    const a = arena(makeBackend(), 16);
    const child = expectOk(a.vmar.allocate(0, 4 * a.page, CAN_MAP_RW | VmarFlags.CAN_MAP_SPECIFIC));
    const vmo = vmoOf(a.backend, 4);
    expectOk(child.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, 4 * a.page));
    expectStatus(child.vmar.unmap(child.address - a.page, 2 * a.page), Status.INVALID_ARGS);
    expectStatus(child.vmar.unmap(child.address + 4 * a.page, a.page), Status.INVALID_ARGS);
    expectStatus(child.vmar.unmap(child.address + 3 * a.page, 2 * a.page), Status.INVALID_ARGS);
    expect(mappingShape(child.vmar)).toHaveLength(1);
    expect(mappingShape(child.vmar)[0]?.size).toBe(4 * a.page);
  });

  register('§11.3 step 6: unmapping an empty range or a hole is OK', () => {
    const a = arena(makeBackend(), 16);
    expectStatus(a.vmar.unmap(a.base, a.size), Status.OK);
    const vmo = vmoOf(a.backend, 4);
    const address = expectOk(a.vmar.map(PERM_RW | SPECIFIC, a.page, vmo, 0, 4 * a.page));
    expectStatus(a.vmar.unmap(address - a.page, 5 * a.page), Status.OK);
    expect(mappingShape(a.vmar)).toEqual([]);
    expectStatus(a.vmar.unmap(a.base + 8 * a.page, 2 * a.page), Status.OK);
  });

  register('§11.3 step 8: a sub-VMAR only partly covered is INVALID_ARGS, nothing changes', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, 4 * a.page));
    expectOk(a.vmar.allocate(4 * a.page, 4 * a.page, CAN_MAP_RW | SPECIFIC));
    const before = mapShape(a.vmar);
    expectStatus(a.vmar.unmap(a.base, 7 * a.page), Status.INVALID_ARGS);
    expectStatus(a.vmar.unmap(a.base + 5 * a.page, a.page), Status.INVALID_ARGS);
    expect(mapShape(a.vmar)).toEqual(before);
  });

  register('§11.3 step 8: without OP_CHILDREN any sub-VMAR in the range is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    const child = expectOk(a.vmar.allocate(4 * a.page, 4 * a.page, CAN_MAP_RW | SPECIFIC));
    const weak = expectOk(a.vmar.duplicate(DEFAULT_VMAR_RIGHTS & ~Rights.OP_CHILDREN));
    expectStatus(weak.unmap(child.address, 4 * a.page), Status.INVALID_ARGS);
    expectOk(child.vmar.allocate(0, a.page, CAN_MAP_READ));
  });

  register('§11.3: unmapping mappings needs no right (a READ-only handle unmaps)', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    const address = expectOk(a.vmar.map(PERM_RW, 0, vmo, 0, 4 * a.page));
    const readOnly = expectOk(a.vmar.duplicate(Rights.READ));
    expectStatus(readOnly.unmap(address, 4 * a.page), Status.OK);
    expect(mappingShape(a.vmar)).toEqual([]);
  });

  register('§4.3: a sub-VMAR wholly inside the range is destroyed (with OP_CHILDREN)', () => {
    const a = arena(makeBackend(), 16);
    const child = expectOk(a.vmar.allocate(4 * a.page, 4 * a.page, CAN_MAP_RW | SPECIFIC));
    const grandchild = expectOk(child.vmar.allocate(0, a.page, CAN_MAP_RW));
    expectStatus(a.vmar.unmap(a.base + 2 * a.page, 8 * a.page), Status.OK);
    expectStatus(child.vmar.allocate(0, a.page, CAN_MAP_READ), Status.BAD_STATE);
    expectStatus(grandchild.vmar.maps(1), Status.BAD_STATE);
    expect(mapShape(a.vmar)).toHaveLength(1);
  });

  register('§11.3 step 9: unmapping the middle splits a mapping; VMO offsets follow', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    const address = expectOk(a.vmar.map(PERM_RW, 0, vmo, 0, 4 * a.page));
    expectStatus(a.vmar.unmap(address + a.page, 2 * a.page), Status.OK);
    expect(mappingShape(a.vmar)).toEqual([
      { base: address, size: a.page, depth: 1, mmuFlags: PERM_RW, vmoOffset: 0 },
      {
        base: address + 3 * a.page,
        size: a.page,
        depth: 1,
        mmuFlags: PERM_RW,
        vmoOffset: 3 * a.page,
      },
    ]);
  });

  register(
    '§11.3 step 9: one unmap trims the right of one mapping and the left of the next',
    () => {
      const a = arena(makeBackend(), 16);
      const vmo = vmoOf(a.backend, 4);
      const other = vmoOf(a.backend, 4);
      expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, 4 * a.page));
      expectOk(a.vmar.map(PERM_RW | SPECIFIC, 4 * a.page, other, 0, 4 * a.page));
      expectStatus(a.vmar.unmap(a.base + 2 * a.page, 3 * a.page), Status.OK);
      expect(mappingShape(a.vmar)).toEqual([
        { base: a.base, size: 2 * a.page, depth: 1, mmuFlags: PERM_RW, vmoOffset: 0 },
        {
          base: a.base + 5 * a.page,
          size: 3 * a.page,
          depth: 1,
          mmuFlags: PERM_RW,
          vmoOffset: a.page,
        },
      ]);
    },
  );

  register('§11.3: mappings inside a sub-VMAR are not unmapped through the parent', () => {
    const a = arena(makeBackend(), 16);
    const child = expectOk(
      a.vmar.allocate(0, 8 * a.page, CAN_MAP_RW | CAN_MAP_SPECIFIC | SPECIFIC),
    );
    const vmo = vmoOf(a.backend, 4);
    expectOk(child.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, 4 * a.page));
    expectStatus(a.vmar.unmap(a.base, 2 * a.page), Status.INVALID_ARGS);
    expect(mappingShape(child.vmar)[0]?.size).toBe(4 * a.page);
  });
}
