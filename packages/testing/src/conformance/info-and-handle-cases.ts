/**
 * Test-case catalogue: the conformance cases of §5.1 maps, §5.2 info, §1.2 / §11.6 rights and
 * handles and §11.1 createVmo; `registerInfoAndHandleCases` only registers cases, one per rule,
 * each self-contained. Its helpers live in ../backend-assertions.ts.
 */
import type { AddressSpaceBackend, Handle, Vmo } from '@vmars/address-space';
import {
  DEFAULT_VMAR_RIGHTS,
  DEFAULT_VMO_RIGHTS,
  MapsType,
  ObjectType,
  Rights,
  Status,
  VmarFlags,
  VmoOptions,
} from '@vmars/address-space';
import { expect } from 'vitest';
import {
  arena,
  basicInfoOf,
  CAN_MAP_RW,
  entryExtent,
  expectExactRights,
  expectInfo,
  expectOk,
  expectStatus,
  isHandleValue,
  mapShape,
  PERM_RW,
  vmoOf,
} from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';

const { CAN_MAP_READ, CAN_MAP_WRITE, CAN_MAP_EXECUTE, SPECIFIC, PERM_READ } = VmarFlags;

/** §5.1 maps, §5.2 info, §1.2 / §11.6 rights and handles, §11.1 createVmo. */
export function registerInfoAndHandleCases(
  register: RegisterCase,
  makeBackend: () => AddressSpaceBackend,
): void {
  // ---- §5.1 ZX_INFO_VMAR_MAPS -----------------------------------------------------------------

  register('§5.1: the queried VMAR comes first, at depth 0', () => {
    const a = arena(makeBackend(), 16);
    const entries = expectOk(a.vmar.maps(10)).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ base: a.base, size: a.size, depth: 0, type: MapsType.VMAR });
    const root = expectOk(a.root.maps(1)).entries[0];
    expect(root).toMatchObject({
      depth: 0,
      type: MapsType.VMAR,
      ...entryExtent(expectInfo(a.root)),
    });
  });

  register('§5.1: entries are a depth-first pre-order walk, bases ascending among siblings', () => {
    const a = arena(makeBackend(), 32);
    const vmo = vmoOf(a.backend, 2);
    // COMPACT, so that placement inside `first` is first fit and the order below is known.
    const first = expectOk(a.vmar.allocate(0, 8 * a.page, CAN_MAP_RW | VmarFlags.COMPACT));
    const second = expectOk(a.vmar.allocate(0, 8 * a.page, CAN_MAP_RW));
    const inner = expectOk(first.vmar.allocate(0, 2 * a.page, CAN_MAP_RW));
    const innerMapping = expectOk(inner.vmar.map(PERM_RW, 0, vmo, 0, a.page));
    const firstMapping = expectOk(first.vmar.map(PERM_READ, 0, vmo, a.page, a.page));
    const topMapping = expectOk(a.vmar.map(PERM_RW, 0, vmo, 0, 2 * a.page));
    expect(mapShape(a.vmar)).toEqual([
      { base: a.base, size: a.size, depth: 0, type: MapsType.VMAR },
      { base: first.address, size: 8 * a.page, depth: 1, type: MapsType.VMAR },
      { base: inner.address, size: 2 * a.page, depth: 2, type: MapsType.VMAR },
      { base: innerMapping, size: a.page, depth: 3, type: MapsType.MAPPING },
      { base: firstMapping, size: a.page, depth: 2, type: MapsType.MAPPING },
      { base: second.address, size: 8 * a.page, depth: 1, type: MapsType.VMAR },
      { base: topMapping, size: 2 * a.page, depth: 1, type: MapsType.MAPPING },
    ]);
    expect(mapShape(first.vmar).map((entry) => entry.depth)).toEqual([0, 1, 2, 1]);
  });

  register('§5.1: actual = min(capacity, avail); the first entries are the ones returned', () => {
    const a = arena(makeBackend(), 16);
    for (let index = 0; index < 3; index += 1) expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ));
    const all = expectOk(a.vmar.maps(4));
    expect([all.actual, all.avail, all.entries.length]).toEqual([4, 4, 4]);
    const two = expectOk(a.vmar.maps(2));
    expect([two.actual, two.avail]).toEqual([2, 4]);
    expect(two.entries).toEqual(all.entries.slice(0, 2));
    const more = expectOk(a.vmar.maps(100));
    expect([more.actual, more.avail, more.entries.length]).toEqual([4, 4, 4]);
  });

  register('§5.1: capacity 0 is OK with no entries and the full avail', () => {
    const a = arena(makeBackend(), 16);
    expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ));
    const result = expectOk(a.vmar.maps(0));
    expect([result.actual, result.avail, result.entries.length]).toEqual([0, 2, 0]);
  });

  register('§5.1: avail is 1 exactly when the VMAR has no children', () => {
    const a = arena(makeBackend(), 16);
    expect(expectOk(a.vmar.maps(0)).avail).toBe(1);
    const { vmar } = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ));
    expect(expectOk(a.vmar.maps(0)).avail).toBe(2);
    vmar.destroy();
    expect(expectOk(a.vmar.maps(0)).avail).toBe(1);
  });

  register('§5.1: maps of a destroyed VMAR is BAD_STATE', () => {
    const a = arena(makeBackend(), 16);
    const { vmar } = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ));
    vmar.destroy();
    expectStatus(vmar.maps(0), Status.BAD_STATE);
    expectStatus(vmar.maps(4), Status.BAD_STATE);
  });

  register('§5.1: maps needs INSPECT (ACCESS_DENIED)', () => {
    const a = arena(makeBackend(), 16);
    const blind = expectOk(a.vmar.duplicate(DEFAULT_VMAR_RIGHTS & ~Rights.INSPECT));
    expectStatus(blind.maps(0), Status.ACCESS_DENIED);
  });

  // ---- §5.2 ZX_INFO_VMAR ----------------------------------------------------------------------

  register('§5.2: info gives the base and len of the VMAR', () => {
    const a = arena(makeBackend(), 16);
    expect(expectInfo(a.vmar)).toEqual({ base: a.base, len: a.size });
    const rootInfo = expectInfo(a.root);
    expect(rootInfo.base).toBeGreaterThan(0);
    expect(a.base).toBeGreaterThanOrEqual(rootInfo.base);
    expect(a.base + a.size).toBeLessThanOrEqual(rootInfo.base + rootInfo.len);
  });

  register('§5.2: info needs INSPECT (ACCESS_DENIED)', () => {
    const a = arena(makeBackend(), 16);
    const blind = expectOk(a.vmar.duplicate(DEFAULT_VMAR_RIGHTS & ~Rights.INSPECT));
    expectStatus(blind.info(), Status.ACCESS_DENIED);
  });

  // ---- §5.3 ZX_INFO_HANDLE_BASIC --------------------------------------------------------------

  register('§5.3: the type is VMAR (18) or VMO (3); relatedKoid is 0', () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    const vmo = vmoOf(backend);
    for (const vmar of [a.root, a.vmar]) {
      expect(basicInfoOf(vmar)).toMatchObject({ type: ObjectType.VMAR, relatedKoid: 0 });
    }
    expect(basicInfoOf(vmo)).toMatchObject({ type: ObjectType.VMO, relatedKoid: 0 });
    for (const handle of [a.root, a.vmar, vmo]) {
      const { koid } = basicInfoOf(handle);
      // ZX_KOID_FIRST: the first 1024 koids are reserved (types.h).
      expect(Number.isSafeInteger(koid) && koid >= 1024, `koid ${koid}`).toBe(true);
    }
  });

  register("§5.3: a VMAR's rights are 0x208003 plus READ/WRITE/EXECUTE per CAN_MAP_*", () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    const cases: [number, number][] = [
      [0, 0x208003],
      [CAN_MAP_READ, 0x208007],
      [CAN_MAP_READ | CAN_MAP_WRITE, 0x20800f],
      [CAN_MAP_READ | CAN_MAP_EXECUTE, 0x208017],
      [VmarFlags.COMPACT | VmarFlags.CAN_MAP_SPECIFIC | CAN_MAP_RW, 0x20800f],
    ];
    for (const [flags, rights] of cases) {
      const { vmar } = expectOk(a.root.allocate(0, a.page, flags));
      expect([flags, basicInfoOf(vmar).rights]).toEqual([flags, rights]);
    }
    expect(basicInfoOf(vmoOf(backend)).rights).toBe(DEFAULT_VMO_RIGHTS);
    expect(basicInfoOf(vmoOf(backend, 1, VmoOptions.RESIZABLE)).rights).toBe(
      DEFAULT_VMO_RIGHTS | Rights.RESIZE,
    );
  });

  register('§5.3: after duplicate with fewer rights, basicInfo reports exactly those', () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    const reduced = expectOk(a.vmar.duplicate(Rights.DUPLICATE | Rights.READ | Rights.INSPECT));
    expect(basicInfoOf(reduced).rights).toBe(Rights.DUPLICATE | Rights.READ | Rights.INSPECT);
    const bare = expectOk(reduced.duplicate(Rights.NONE));
    expect(basicInfoOf(bare).rights).toBe(Rights.NONE);
    const vmo = vmoOf(backend);
    const mapOnly = expectOk(vmo.duplicate(Rights.MAP | Rights.READ));
    expect(basicInfoOf(mapOnly).rights).toBe(Rights.MAP | Rights.READ);
    // The source keeps its own rights.
    expect(basicInfoOf(a.vmar).rights).toBe(0x20800f);
    expect(basicInfoOf(vmo).rights).toBe(DEFAULT_VMO_RIGHTS);
  });

  register("§5.3: after duplicate with SAME_RIGHTS, basicInfo reports the source's rights", () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    const reduced = expectOk(a.vmar.duplicate(Rights.DUPLICATE | Rights.INSPECT | Rights.WRITE));
    expect(basicInfoOf(expectOk(reduced.duplicate(Rights.SAME_RIGHTS))).rights).toBe(
      Rights.DUPLICATE | Rights.INSPECT | Rights.WRITE,
    );
    expect(basicInfoOf(expectOk(a.root.duplicate(Rights.SAME_RIGHTS))).rights).toBe(
      basicInfoOf(a.root).rights,
    );
    const vmo = vmoOf(backend, 1, VmoOptions.RESIZABLE);
    expect(basicInfoOf(expectOk(vmo.duplicate(Rights.SAME_RIGHTS))).rights).toBe(0x40d0ef);
  });

  register('§5.3: every handle to one object has its koid, whatever its rights', () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    const koid = basicInfoOf(a.vmar).koid;
    const same = expectOk(a.vmar.duplicate(Rights.SAME_RIGHTS));
    const reduced = expectOk(same.duplicate(Rights.DUPLICATE | Rights.INSPECT));
    const bare = expectOk(reduced.duplicate(Rights.NONE));
    expect([same, reduced, bare].map((handle) => basicInfoOf(handle).koid)).toEqual([
      koid,
      koid,
      koid,
    ]);
    expect(basicInfoOf(expectOk(a.root.duplicate(Rights.SAME_RIGHTS))).koid).toBe(
      basicInfoOf(a.root).koid,
    );
    const vmo = vmoOf(backend);
    const vmoCopy = expectOk(vmo.duplicate(Rights.MAP | Rights.DUPLICATE));
    expect(basicInfoOf(expectOk(vmoCopy.duplicate(Rights.MAP))).koid).toBe(basicInfoOf(vmo).koid);
    // Closing one handle leaves the object and its koid to the others.
    expect(same.close()).toBe(Status.OK);
    expect(basicInfoOf(bare).koid).toBe(koid);
  });

  register('§5.3: different objects have different koids, never reused', () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    const first = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ)).vmar;
    const second = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ)).vmar;
    const inner = expectOk(first.allocate(0, a.page, 0)).vmar;
    const vmos = [vmoOf(backend), vmoOf(backend)];
    const handles: Handle[] = [a.root, a.vmar, first, second, inner, ...vmos];
    const koids = handles.map((handle) => basicInfoOf(handle).koid);
    expect(new Set(koids).size).toBe(koids.length);
    // A destroyed and closed VMAR and a closed VMO free their ranges, not their koids.
    expect(first.destroy()).toBe(Status.OK);
    expect(first.close()).toBe(Status.OK);
    expect((vmos[0] as Vmo).close()).toBe(Status.OK);
    const third = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ)).vmar;
    const vmo = vmoOf(backend);
    for (const handle of [third, vmo]) expect(koids).not.toContain(basicInfoOf(handle).koid);
    expect(basicInfoOf(third).koid).not.toBe(basicInfoOf(vmo).koid);
  });

  register("§5.3: a mapping's vmoKoid in maps is its VMO's basicInfo().koid", () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    const first = vmoOf(backend);
    const second = vmoOf(backend);
    const copy = expectOk(second.duplicate(Rights.SAME_RIGHTS));
    expectOk(a.vmar.map(PERM_READ | SPECIFIC, 0, first, 0, a.page));
    expectOk(a.vmar.map(PERM_READ | SPECIFIC, 2 * a.page, copy, 0, a.page));
    const koids = expectOk(a.vmar.maps(10)).entries.flatMap((entry) =>
      entry.mapping === undefined ? [] : [entry.mapping.vmoKoid],
    );
    expect(koids).toEqual([basicInfoOf(first).koid, basicInfoOf(second).koid]);
  });

  register('§5.3: basicInfo needs no right, and answers for a destroyed VMAR', () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    const bare = expectOk(a.vmar.duplicate(Rights.NONE));
    expect(basicInfoOf(bare)).toEqual({ ...basicInfoOf(a.vmar), rights: Rights.NONE });
    const vmo = expectOk(vmoOf(backend).duplicate(Rights.NONE));
    expect(basicInfoOf(vmo)).toMatchObject({ type: ObjectType.VMO, rights: Rights.NONE });
    const { vmar } = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ));
    const before = basicInfoOf(vmar);
    expect(vmar.destroy()).toBe(Status.OK);
    expect(basicInfoOf(vmar)).toEqual(before);
  });

  register('§5.3: basicInfo on a closed handle is BAD_HANDLE', () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    const copy = expectOk(a.vmar.duplicate(Rights.SAME_RIGHTS));
    expect(copy.close()).toBe(Status.OK);
    expectStatus(copy.basicInfo(), Status.BAD_HANDLE);
    const vmo = vmoOf(backend);
    expect(vmo.close()).toBe(Status.OK);
    expectStatus(vmo.basicInfo(), Status.BAD_HANDLE);
    expectOk(a.vmar.basicInfo());
  });

  // ---- §1.2 / §11.6 rights and handles --------------------------------------------------------

  register('§11.6: handle values are nonzero with the low two bits set, and distinct', () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    const child = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ)).vmar;
    const copy = expectOk(child.duplicate(Rights.SAME_RIGHTS));
    const vmo = vmoOf(backend);
    const vmoCopy = expectOk(vmo.duplicate(Rights.SAME_RIGHTS));
    const values = [a.root, a.vmar, child, copy, vmo, vmoCopy].map((handle) => handle.handle);
    for (const value of values) expect(isHandleValue(value), `0x${value.toString(16)}`).toBe(true);
    expect(new Set(values).size).toBe(values.length);
  });

  register('§11.6: rootVmar() always returns the same handle', () => {
    const backend = makeBackend();
    expect(backend.rootVmar().handle).toBe(backend.rootVmar().handle);
    expect(backend.rootVmar().type).toBe('vmar');
  });

  register('§1.2: a new VMAR handle has 0x208003 plus READ/WRITE/EXECUTE per CAN_MAP_*', () => {
    const backend = makeBackend();
    const root = backend.rootVmar();
    const page = backend.pageSize;
    const cases: [number, number][] = [
      [0, DEFAULT_VMAR_RIGHTS],
      [CAN_MAP_READ, DEFAULT_VMAR_RIGHTS | Rights.READ],
      [CAN_MAP_READ | CAN_MAP_WRITE, 0x20800f],
      [CAN_MAP_READ | CAN_MAP_EXECUTE, DEFAULT_VMAR_RIGHTS | Rights.READ | Rights.EXECUTE],
      [VmarFlags.COMPACT | VmarFlags.CAN_MAP_SPECIFIC | CAN_MAP_RW, 0x20800f],
    ];
    for (const [flags, rights] of cases) {
      const { vmar } = expectOk(root.allocate(0, page, flags));
      expectExactRights(vmar, rights);
    }
  });

  register('§1.2: the root handle has at least 0x20801F', () => {
    const backend = makeBackend();
    const copy = expectOk(backend.rootVmar().duplicate(0x20801f));
    expectOk(copy.allocate(0, backend.pageSize, CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_EXECUTE));
    expect(basicInfoOf(backend.rootVmar()).rights & 0x20801f).toBe(0x20801f);
  });

  register('§11.6: duplicate with SAME_RIGHTS gives a new handle to the same VMAR', () => {
    const a = arena(makeBackend(), 16);
    const copy = expectOk(a.vmar.duplicate(Rights.SAME_RIGHTS));
    expect(copy.handle).not.toBe(a.vmar.handle);
    expectExactRights(copy, 0x20800f);
    const { address } = expectOk(copy.allocate(0, a.page, CAN_MAP_READ));
    expect(mapShape(a.vmar).map((entry) => entry.base)).toEqual([a.base, address]);
    expect(expectInfo(copy)).toEqual(expectInfo(a.vmar));
  });

  register('§11.6: duplicate with fewer rights gives exactly those rights', () => {
    const a = arena(makeBackend(), 16);
    const reduced = expectOk(a.vmar.duplicate(Rights.READ | Rights.DUPLICATE | Rights.INSPECT));
    expectExactRights(reduced, Rights.READ | Rights.DUPLICATE | Rights.INSPECT);
    expectOk(reduced.allocate(0, a.page, CAN_MAP_READ));
    expectStatus(reduced.allocate(0, a.page, CAN_MAP_WRITE), Status.ACCESS_DENIED);
    expectStatus(reduced.destroy(), Status.ACCESS_DENIED);
  });

  register('§11.6: duplicate with rights the source lacks is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    const { vmar } = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ));
    expectStatus(
      vmar.duplicate(DEFAULT_VMAR_RIGHTS | Rights.READ | Rights.WRITE),
      Status.INVALID_ARGS,
    );
    expectStatus(vmar.duplicate(Rights.SAME_RIGHTS | Rights.READ), Status.INVALID_ARGS);
  });

  register('§11.6: duplicate needs DUPLICATE (ACCESS_DENIED)', () => {
    const a = arena(makeBackend(), 16);
    const single = expectOk(a.vmar.duplicate(DEFAULT_VMAR_RIGHTS & ~Rights.DUPLICATE));
    expectStatus(single.duplicate(Rights.SAME_RIGHTS), Status.ACCESS_DENIED);
    expectStatus(single.duplicate(Rights.INSPECT), Status.ACCESS_DENIED);
  });

  register('§11.6: ACCESS_DENIED per call: each call checks only its own rights', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend);
    const { vmar, address } = expectOk(a.vmar.allocate(0, 8 * a.page, CAN_MAP_RW));
    // No right at all: allocate and unmap need none, everything else is refused.
    const bare = expectOk(vmar.duplicate(Rights.NONE));
    expectOk(bare.allocate(0, a.page, 0));
    expectStatus(bare.unmap(address, 8 * a.page), Status.INVALID_ARGS);
    expectStatus(bare.map(PERM_READ, 0, vmo, 0, a.page), Status.ACCESS_DENIED);
    expectOk(bare.map(0, 0, vmo, 0, a.page));
    expectOk(bare.basicInfo());
    expectStatus(bare.protect(PERM_READ, address, a.page), Status.ACCESS_DENIED);
    expectStatus(bare.destroy(), Status.ACCESS_DENIED);
    expectStatus(bare.info(), Status.ACCESS_DENIED);
    expectStatus(bare.maps(0), Status.ACCESS_DENIED);
    expectStatus(bare.duplicate(Rights.SAME_RIGHTS), Status.ACCESS_DENIED);
  });

  register('§11.6: calls on a closed VMAR handle are BAD_HANDLE', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend);
    const copy = expectOk(a.vmar.duplicate(Rights.SAME_RIGHTS));
    expectStatus(copy.close(), Status.OK);
    expectStatus(copy.allocate(0, a.page, CAN_MAP_READ), Status.BAD_HANDLE);
    expectStatus(copy.map(PERM_READ, 0, vmo, 0, a.page), Status.BAD_HANDLE);
    expectStatus(copy.unmap(a.base, a.page), Status.BAD_HANDLE);
    expectStatus(copy.protect(PERM_READ, a.base, a.page), Status.BAD_HANDLE);
    expectStatus(copy.destroy(), Status.BAD_HANDLE);
    expectStatus(copy.info(), Status.BAD_HANDLE);
    expectStatus(copy.maps(0), Status.BAD_HANDLE);
    expectStatus(copy.duplicate(Rights.SAME_RIGHTS), Status.BAD_HANDLE);
    expectStatus(copy.basicInfo(), Status.BAD_HANDLE);
    expectStatus(copy.close(), Status.BAD_HANDLE);
    expectOk(a.vmar.info());
  });

  register('§11.6: calls on a closed VMO handle are BAD_HANDLE', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend);
    expectStatus(vmo.close(), Status.OK);
    expectStatus(a.vmar.map(PERM_READ, 0, vmo, 0, a.page), Status.BAD_HANDLE);
    expectStatus(vmo.duplicate(Rights.SAME_RIGHTS), Status.BAD_HANDLE);
    expectStatus(vmo.basicInfo(), Status.BAD_HANDLE);
    expectStatus(vmo.close(), Status.BAD_HANDLE);
  });

  register('§11.6: [Symbol.dispose] closes the handle and never throws', () => {
    const a = arena(makeBackend(), 16);
    const copy = expectOk(a.vmar.duplicate(Rights.SAME_RIGHTS));
    copy[Symbol.dispose]();
    expectStatus(copy.info(), Status.BAD_HANDLE);
    expect(() => copy[Symbol.dispose]()).not.toThrow();
    const vmo = vmoOf(a.backend);
    vmo[Symbol.dispose]();
    expectStatus(vmo.close(), Status.BAD_HANDLE);
    expect(() => vmo[Symbol.dispose]()).not.toThrow();
  });

  register('§11.6: a VMO handle of another backend instance is BAD_HANDLE', () => {
    const a = arena(makeBackend(), 16);
    const foreign = vmoOf(makeBackend());
    expectStatus(a.vmar.map(PERM_READ, 0, foreign, 0, a.page), Status.BAD_HANDLE);
    expect(mapShape(a.vmar)).toHaveLength(1);
  });

  register('§11.6: a VMAR handle where a VMO belongs is WRONG_TYPE', () => {
    const a = arena(makeBackend(), 16);
    const { vmar } = expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ));
    expectStatus(a.vmar.map(PERM_READ, 0, vmar as unknown as Vmo, 0, a.page), Status.WRONG_TYPE);
  });

  // ---- §11.1 createVmo ------------------------------------------------------------------------

  register('§11.1: a VMO handle has exactly 0xD0EF (no EXECUTE)', () => {
    const backend = makeBackend();
    const vmo = vmoOf(backend);
    expect(vmo.type).toBe('vmo');
    expectExactRights(vmo, DEFAULT_VMO_RIGHTS);
  });

  register('§11.1: a RESIZABLE VMO handle also has RESIZE (0x40D0EF)', () => {
    const backend = makeBackend();
    expectExactRights(vmoOf(backend, 1, 0x2), 0x40d0ef);
  });

  register('§11.1: options RESIZABLE, DISCARDABLE and UNBOUNDED are accepted', () => {
    const backend = makeBackend();
    for (const options of [0, 0x2, 0x4, 0x10]) {
      expectOk(backend.createVmo(backend.pageSize, options), `options 0x${options.toString(16)}`);
    }
  });

  register('§11.1: RESIZABLE with UNBOUNDED, and unknown option bits, are INVALID_ARGS', () => {
    const backend = makeBackend();
    for (const options of [0x12, 0x1, 0x8, 0x20, 0x80000000]) {
      expectStatus(backend.createVmo(backend.pageSize, options), Status.INVALID_ARGS);
    }
  });

  register('§11.1: size 0 is legal and sizes are rounded up to pages', () => {
    const backend = makeBackend();
    const a = arena(backend, 16);
    expectOk(backend.createVmo(0));
    const vmo = expectOk(backend.createVmo(backend.pageSize + 1));
    // Mapping past the end is allowed anyway (§11.2); the rounded size shows in nothing else the
    // contract exposes, so this checks that an unaligned size is accepted and maps.
    expectOk(a.vmar.map(PERM_READ, 0, vmo, 0, 2 * backend.pageSize));
  });

  register('§11.1: each VMO has its own koid; a duplicate shares it', () => {
    const a = arena(makeBackend(), 16);
    const first = vmoOf(a.backend);
    const second = vmoOf(a.backend);
    const copy = expectOk(first.duplicate(Rights.SAME_RIGHTS));
    expectOk(a.vmar.map(PERM_READ | SPECIFIC, 0, first, 0, a.page));
    expectOk(a.vmar.map(PERM_READ | SPECIFIC, 2 * a.page, second, 0, a.page));
    expectOk(a.vmar.map(PERM_READ | SPECIFIC, 4 * a.page, copy, 0, a.page));
    const koids = expectOk(a.vmar.maps(10)).entries.flatMap((entry) =>
      entry.mapping === undefined ? [] : [entry.mapping.vmoKoid],
    );
    expect(koids).toHaveLength(3);
    expect(koids[0]).not.toBe(koids[1]);
    expect(koids[2]).toBe(koids[0]);
  });
}
