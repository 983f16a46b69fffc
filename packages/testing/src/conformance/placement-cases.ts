/**
 * Test-case catalogue: the conformance cases of §2.4 (no inheritance) and §3 placement;
 * `registerPlacementCases` only registers cases, one per rule, each self-contained. Its helpers
 * live in ../backend-assertions.ts.
 */
import type { AddressSpaceBackend } from '@vmars/address-space';
import { Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import {
  arena,
  CAN_MAP_RW,
  expectInfo,
  expectOk,
  expectStatus,
  roundUp,
  vmoOf,
} from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';

const { CAN_MAP_READ, CAN_MAP_WRITE, CAN_MAP_EXECUTE, CAN_MAP_SPECIFIC, SPECIFIC, COMPACT } =
  VmarFlags;
const UPPER_LIMIT = VmarFlags.OFFSET_IS_UPPER_LIMIT;
const KIB64 = 64 * 1024;

/**
 * §2.4 (no inheritance) and §3 (placement that is the same on every backend: first fit inside a
 * COMPACT VMAR, ascending candidates, alignment, NO_RESOURCES).
 */
export function registerPlacementCases(
  register: RegisterCase,
  makeBackend: () => AddressSpaceBackend,
): void {
  // ---- §2.4 no inheritance --------------------------------------------------------------------

  register('§2.4: CAN_MAP_SPECIFIC is not inherited', () => {
    const a = arena(makeBackend(), 16);
    const { vmar: child } = expectOk(a.vmar.allocate(0, 8 * a.page, CAN_MAP_RW));
    expectStatus(child.allocate(a.page, a.page, CAN_MAP_READ | SPECIFIC), Status.ACCESS_DENIED);
  });

  register('§2.4: a child may have CAN_MAP_SPECIFIC when its parent lacks it (§2.2)', () => {
    const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_RW);
    const { vmar: child, address } = expectOk(
      a.vmar.allocate(0, 8 * a.page, CAN_MAP_RW | CAN_MAP_SPECIFIC),
    );
    const inner = expectOk(child.allocate(2 * a.page, a.page, CAN_MAP_READ | SPECIFIC));
    expect(inner.address).toBe(address + 2 * a.page);
  });

  register('§2.4: CAN_MAP_WRITE is not inherited', () => {
    const a = arena(makeBackend(), 16);
    const { vmar: child } = expectOk(a.vmar.allocate(0, 8 * a.page, CAN_MAP_READ));
    expectStatus(child.allocate(0, a.page, CAN_MAP_WRITE), Status.ACCESS_DENIED);
    const vmo = vmoOf(a.backend);
    expectStatus(
      child.map(VmarFlags.PERM_READ | VmarFlags.PERM_WRITE, 0, vmo, 0, a.page),
      Status.ACCESS_DENIED,
    );
  });

  register('§2.4: the root can map specific, read, write and execute', () => {
    const backend = makeBackend();
    const root = backend.rootVmar();
    const info = expectInfo(root);
    const offset = info.len - 16 * backend.pageSize;
    const { address } = expectOk(
      root.allocate(
        offset,
        backend.pageSize,
        SPECIFIC | CAN_MAP_SPECIFIC | CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_EXECUTE,
      ),
    );
    expect(address).toBe(info.base + offset);
  });

  // ---- §3 placement inside a COMPACT VMAR -----------------------------------------------------

  register('§3.4: inside a COMPACT VMAR allocations are first fit, back to back', () => {
    const a = arena(makeBackend(), 32);
    const sizes = [3, 1, 4, 2];
    let expected = a.base;
    for (const pages of sizes) {
      const { address } = expectOk(a.vmar.allocate(0, pages * a.page, CAN_MAP_READ));
      expect(address).toBe(expected);
      expected += pages * a.page;
    }
  });

  register(
    '§3.2: candidates ascend: a freed hole is reused by the next allocation that fits',
    () => {
      const a = arena(makeBackend(), 32);
      const first = expectOk(a.vmar.allocate(0, 2 * a.page, CAN_MAP_READ));
      const second = expectOk(a.vmar.allocate(0, 2 * a.page, CAN_MAP_READ));
      expectOk(a.vmar.allocate(0, 2 * a.page, CAN_MAP_READ));
      expectStatus(second.vmar.destroy(), Status.OK);
      expectStatus(first.vmar.destroy(), Status.OK);
      expect(expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ)).address).toBe(a.base);
      expect(expectOk(a.vmar.allocate(0, 3 * a.page, CAN_MAP_READ)).address).toBe(a.base + a.page);
    },
  );

  register('§3.2: an allocation too big for the first hole goes to the next gap that fits', () => {
    const a = arena(makeBackend(), 32);
    const flags = CAN_MAP_READ | SPECIFIC;
    expectOk(a.vmar.allocate(a.page, a.page, flags));
    expectOk(a.vmar.allocate(3 * a.page, a.page, flags));
    expect(expectOk(a.vmar.allocate(0, 3 * a.page, CAN_MAP_READ)).address).toBe(
      a.base + 4 * a.page,
    );
    expect(expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ)).address).toBe(a.base);
    expect(expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ)).address).toBe(a.base + 2 * a.page);
  });

  register('§3.2: ALIGN_64KB goes to the first 64 KiB-aligned spot that fits', () => {
    const a = arena(makeBackend(), 64);
    expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ));
    const { address } = expectOk(
      a.vmar.allocate(0, 2 * a.page, CAN_MAP_READ | VmarFlags.ALIGN_64KB),
    );
    expect(address).toBe(roundUp(a.base + a.page, KIB64));
  });

  register('§3.2: ALIGN_1KB and ALIGN_2KB are raised to the page size', () => {
    const a = arena(makeBackend(), 16);
    expect(expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ | VmarFlags.ALIGN_1KB)).address).toBe(
      a.base,
    );
    expect(expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ | VmarFlags.ALIGN_2KB)).address).toBe(
      a.base + a.page,
    );
  });

  register('§3.3: NO_RESOURCES when free space is split into gaps too small', () => {
    const a = arena(makeBackend(), 4);
    expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ | SPECIFIC));
    expectOk(a.vmar.allocate(2 * a.page, a.page, CAN_MAP_READ | SPECIFIC));
    expectStatus(a.vmar.allocate(0, 2 * a.page, CAN_MAP_READ), Status.NO_RESOURCES);
    expect(expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ)).address).toBe(a.base + a.page);
  });

  register('§3.3: an alignment no spot can meet is NO_RESOURCES', () => {
    const a = arena(makeBackend(), 64);
    const gib = 2 ** 30;
    const candidate = roundUp(a.base, gib);
    const result = a.vmar.allocate(0, a.page, CAN_MAP_READ | VmarFlags.ALIGN_1GB);
    if (candidate + a.page <= a.base + a.size) {
      expect(expectOk(result).address).toBe(candidate);
    } else {
      expectStatus(result, Status.NO_RESOURCES);
    }
  });

  register('§3.1: mappings and sub-VMARs share one list of gaps', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 2);
    expect(expectOk(a.vmar.map(VmarFlags.PERM_READ, 0, vmo, 0, 2 * a.page))).toBe(a.base);
    const child = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ));
    expect(child.address).toBe(a.base + 2 * a.page);
    expect(expectOk(a.vmar.map(VmarFlags.PERM_READ, 0, vmo, a.page, a.page))).toBe(
      a.base + 3 * a.page,
    );
  });

  register('§2.2: OFFSET_IS_UPPER_LIMIT keeps the child at or below base + offset', () => {
    const a = arena(makeBackend(), 16);
    const limit = 4 * a.page;
    const flags = CAN_MAP_READ | UPPER_LIMIT;
    for (let index = 0; index < 4; index += 1) {
      const { address } = expectOk(a.vmar.allocate(limit, a.page, flags));
      expect(address).toBe(a.base + index * a.page);
    }
    expectStatus(a.vmar.allocate(limit, a.page, flags), Status.NO_RESOURCES);
    expect(expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ)).address).toBe(a.base + limit);
  });
}
