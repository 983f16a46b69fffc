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
import type { AddressSpaceBackend } from '@vmars/address-space';
import { describe } from 'vitest';
import { createCaseRegistry, type SuiteOptions } from './case-registry.js';
import { registerAllocateCases } from './zircon-vmar/allocate-cases.js';
import { registerInvalidArgsCases } from './zircon-vmar/invalid-args-cases.js';
import { registerMapOptionCases } from './zircon-vmar/map-option-cases.js';
import { registerPlacementCases } from './zircon-vmar/placement-cases.js';
import { registerRightsAndProtectCases } from './zircon-vmar/rights-and-protect-cases.js';
import { registerUnmapCases } from './zircon-vmar/unmap-cases.js';
import type { ZirconSetup } from './zircon-vmar/zircon-vmar-helpers.js';

/**
 * Registers the ported tests of Zircon's `vmar.cc` (see the list at the top of this file), each
 * on a fresh backend, each under its Zircon name. The tests live in `zircon-vmar/`, one file per
 * topic.
 */
export function describeZirconVmarTests(
  name: string,
  makeBackend: () => AddressSpaceBackend,
  options?: SuiteOptions,
): void {
  describe(`${name}: zircon/system/utest/core/vmar/vmar.cc`, () => {
    const { register, finish } = createCaseRegistry(options);
    const setup: ZirconSetup = () => {
      const backend = makeBackend();
      return { backend, root: backend.rootVmar(), page: backend.pageSize };
    };
    registerAllocateCases(register, setup);
    registerPlacementCases(register, setup);
    registerMapOptionCases(register, setup);
    registerInvalidArgsCases(register, setup);
    registerRightsAndProtectCases(register, setup);
    registerUnmapCases(register, setup);
    finish();
  });
}
