/**
 * Zircon's core VMAR tests, `zircon/system/utest/core/vmar/vmar.cc` (misttech/fuchsia, read at
 * 0bb86f2c7dff), written anew against the `@vmars/address-space` contract, under their names.
 * Where the original reads or writes process memory to see whether a page is mapped, the port
 * reads `maps` instead (which pages a mapping entry covers). A fresh backend stands in for the
 * fresh process each test creates.
 *
 * Every test of vmar.cc, and what became of it:
 * - DestroyTest, BasicAllocateTest, MapInCompactTest, MapInUpperLimitTest, AllocateOobTest,
 *   AllocateUnsatisfiableTest, DestroyedVmarTest, MapOverDestroyedTest, AlignmentVmarMapTest,
 *   AlignmentVmarAllocateTest, VmarMapRangeOffsetTest, OvermappingTest, UnalignedLenTest,
 *   UnalignedLenMapTest, ProtectSubregionTest, ObjectInfoTest, UnmapSplitTest, UnmapMultipleTest,
 *   UnmapBaseNotMappedTest, UnmapOpChildren, MapSpecificOverwriteTest, ProtectSplitTest,
 *   ProtectMultipleTest, AllowFaultsTest: ported.
 * - AllocateAtLowAddressTest: ported as "the lowest page of the root can be mapped" (the root of a
 *   backend need not start at 0x200000, e.g. the Starnix shared region).
 * - InvalidArgsTest: ported, except what the contract cannot express: VMAR calls on a VMO handle
 *   (a `Vmo` has no VMAR methods; map's WRONG_TYPE is kept) and the lengths near 2^64 whose
 *   rounding wraps (not representable as exact JS numbers).
 * - RightsDropTest, ProtectTest, NestedRegionPermsTest: ported without their EXECUTE rows, which
 *   need `zx_vmo_replace_as_executable` (not in the contract).
 * - UnmapLargeUncommittedTest: ported (the unmap of a 1 GiB mapping from a misaligned address);
 *   its writes through the mapping are not.
 * - MapRangeResizable: ported up to `set_size` (not in the contract): maps past the end of a
 *   resizable VMO with MAP_RANGE succeed.
 * - FaultBeyondStreamSize: the statuses of its maps are ported; stream sizes and probes are not.
 * - Not ported, they need memory access, page faults or threads: ProtectOverDemandPagedTest,
 *   ProtectLargeUncomittedTest, PartialUnmapAndRead, PartialUnmapAndWrite,
 *   PartialUnmapWithVmarOffset, ConcurrentUnmapReadMemory, ProtectCowWritable (also VMO clones),
 *   MapReadIfXomUnsupported and ProtectReadIfXomUnsupported (also CPU features),
 *   FaultBeyondReducedStreamSize (also stream sizes).
 * - Not ported, `zx_vmar_op_range` is not in the contract: RangeOpCommitVmoPages, RangeOpMapRange,
 *   RangeOpZero, RangeOpSubRegions, OpOnRangeWithChildVmarNextToIt, RangeOpCommitVmoPages2,
 *   BadRangeOpNestedVmar, RangeOpCommit, Prefetch, FaultBeyondStreamSizeRange.
 */
import type { AddressSpaceBackend, Vmar, Vmo } from '@vmars/address-space';
import { DEFAULT_VMAR_RIGHTS, Rights, Status, VmarFlags } from '@vmars/address-space';
import { describe, expect } from 'vitest';
import {
  expectInfo,
  expectOk,
  expectStatus,
  mappingShape,
  mapShape,
  trailingZeroBits,
} from './backend-assertions.js';
import { createCaseRegistry, type SuiteOptions } from './case-registry.js';

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
  MAP_RANGE,
  COMPACT,
  ALLOW_FAULTS,
} = VmarFlags;
const RW_ALLOC = CAN_MAP_READ | CAN_MAP_WRITE;
const RWX_ALLOC = CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_EXECUTE;
const RW_PERM = PERM_READ | PERM_WRITE;
const RWX_PERM = PERM_READ | PERM_WRITE | PERM_EXECUTE;

/** The page offsets (relative to `base`, `count` pages) that some mapping entry of `vmar` covers. */
function mappedPages(vmar: Vmar, base: number, count: number, page: number): number[] {
  const pages: number[] = [];
  const entries = mappingShape(vmar);
  for (let index = 0; index < count; index += 1) {
    const address = base + index * page;
    if (entries.some((entry) => entry.base <= address && address < entry.base + entry.size)) {
      pages.push(index);
    }
  }
  return pages;
}

/** `vmo(size)` of the original: a VMO of `size` bytes. */
function vmoOf(backend: AddressSpaceBackend, size: number, options = 0): Vmo {
  return expectOk(backend.createVmo(size, options), 'zx_vmo_create');
}

/**
 * `MakeManualAlignedVmar`: a `size`-byte VMAR at the first `alignment`-aligned spot of the root
 * that SPECIFIC accepts.
 */
function makeManualAlignedVmar(root: Vmar, size: number, alignment: number): Vmar | undefined {
  const info = expectInfo(root);
  const end = info.base + info.len;
  for (
    let start = Math.ceil(info.base / alignment) * alignment;
    start + size <= end;
    start += alignment
  ) {
    const result = root.allocate(start - info.base, size, RW_ALLOC | CAN_MAP_SPECIFIC | SPECIFIC);
    if (result.ok) return result.value.vmar;
  }
  return undefined;
}

const ALIGNMENTS: readonly [number, number][] = Array.from({ length: 23 }, (_, index) => [
  (10 + index) * 2 ** 24,
  10 + index,
]);

/**
 * Registers the ported tests of Zircon's `vmar.cc` (see the list at the top of this file), each
 * on a fresh backend, each under its Zircon name.
 */
export function describeZirconVmarTests(
  name: string,
  makeBackend: () => AddressSpaceBackend,
  options?: SuiteOptions,
): void {
  describe(`${name}: zircon/system/utest/core/vmar/vmar.cc`, () => {
    const { register, finish } = createCaseRegistry(options);
    const setup = () => {
      const backend = makeBackend();
      return { backend, root: backend.rootVmar(), page: backend.pageSize };
    };

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

    register('AllocateOobTest', () => {
      const { root, page } = setup();
      const region1 = expectOk(root.allocate(0, 10 * page, RW_ALLOC | CAN_MAP_SPECIFIC));
      expectStatus(
        region1.vmar.allocate(10 * page, page, RW_ALLOC | SPECIFIC),
        Status.INVALID_ARGS,
      );
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

    register('AllocateAtLowAddressTest', () => {
      const { backend, root, page } = setup();
      const vmo = vmoOf(backend, page);
      const info = expectInfo(root);
      expect(expectOk(root.map(SPECIFIC, 0, vmo, 0, page))).toBe(info.base);
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

    register('VmarMapRangeOffsetTest', () => {
      const { backend, root, page } = setup();
      const vmo = vmoOf(backend, 4 * page);
      expectOk(root.map(MAP_RANGE, 0, vmo, 0x2000, 0x1000));
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
      expectStatus(
        root.allocate(page, 10 * page, RW_ALLOC | SPECIFIC | upper),
        Status.INVALID_ARGS,
      );
      expectStatus(
        root.map(RW_PERM | SPECIFIC | upper, page, vmo, 0, 4 * page),
        Status.INVALID_ARGS,
      );
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
      expectStatus(
        region0.vmar.map(SPECIFIC | PERM_READ, page, vmo, 0, page),
        Status.ACCESS_DENIED,
      );
      expectStatus(
        region0.vmar.map(SPECIFIC_OVERWRITE | PERM_READ, page, vmo, 0, page),
        Status.ACCESS_DENIED,
      );
      expectStatus(region0.vmar.destroy(), Status.OK);
    });

    register('ObjectInfoTest', () => {
      const { root, page } = setup();
      const region = expectOk(root.allocate(0, 10 * page, RW_ALLOC));
      expect(expectInfo(region.vmar)).toEqual({ base: region.address, len: 10 * page });
    });

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
      const mapAt = (offset: number) =>
        expectOk(root.map(RW_PERM | SPECIFIC, offset, vmo, 0, size));
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

    register('MapSpecificOverwriteTest', () => {
      const { backend, root, page } = setup();
      const size = 4 * page;
      const vmo = vmoOf(backend, 2 * size);
      const vmo2 = vmoOf(backend, 2 * size);
      const koidAt = (address: number) =>
        expectOk(root.maps(1000)).entries.find(
          (entry) =>
            entry.mapping !== undefined &&
            entry.base <= address &&
            address < entry.base + entry.size,
        )?.mapping?.vmoKoid;
      const first = expectOk(root.map(RW_PERM | SPECIFIC, page, vmo, 0, size));
      const vmoKoid = koidAt(first);
      expectStatus(root.map(RW_PERM | SPECIFIC, page, vmo2, 0, size), Status.ALREADY_EXISTS);
      const second = expectOk(root.map(RW_PERM | SPECIFIC_OVERWRITE, page, vmo2, 0, size));
      expect(second).toBe(first);
      const vmo2Koid = koidAt(first);
      expect(vmo2Koid).not.toBe(vmoKoid);
      for (let index = 0; index < 4; index += 1)
        expect(koidAt(second + index * page)).toBe(vmo2Koid);
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

    finish();
  });
}
