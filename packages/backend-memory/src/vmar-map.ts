import {
  CAN_MAP_RWX,
  PAGE_SIZE,
  PERM_RWX,
  type Result,
  Rights,
  Status,
  VmarFlags,
  type Vmo,
  VmoOptions,
} from '@vmars/address-space';
import type { AddressSpaceState } from './address-space-state.js';
import { failure } from './failure-results.js';
import { markMergeableAndMerge, unmapPages } from './mapping-edit.js';
import { MemoryHandle } from './memory-handle.js';
import { MemoryVmo } from './memory-vmo.js';
import { placeSubRegion } from './place-sub-region.js';
import { singleRange } from './protection-ranges.js';
import { collectRange } from './range-queries.js';
import { absoluteBasePage, attachRegion } from './region-lifecycle.js';
import { MappingNode, REGION_MAPPING, type RegionNode, type VmarNode } from './region-node.js';
import { isUint32, isUint64, isUsize } from './validate-arguments.js';
import {
  isValidAlignment,
  PERM_TO_RIGHTS_SHIFT,
  pagesRoundedUp,
  withXomFallback,
  writeOrExecuteWithoutRead,
} from './vm-options.js';
import type { VmarAccess } from './vmar-access.js';

/** §2.3 step 3, reused by §11.2 step 9: bits 16..23 are unknown (MAP_RANGE is gone by then). */
const UNKNOWN_OPTION_BITS = 0xff0000;
/**
 * The mapping's kept VMAR flags; with the CAN_MAP ceiling they decide merging (§11.5).
 * REQUIRE_NON_RESIZABLE and ALLOW_FAULTS are not kept: `VmAddressRegionDispatcher::Map` clears
 * them once checked (step 10), so they never keep two mappings apart.
 */
const KEPT_MAPPING_FLAGS =
  VmarFlags.SPECIFIC |
  VmarFlags.SPECIFIC_OVERWRITE |
  VmarFlags.OFFSET_IS_UPPER_LIMIT |
  VmarFlags.FAULT_BEYOND_STREAM_SIZE;
/** PERM_* shifted left by 7 are the matching CAN_MAP_* flags. */
const PERM_TO_CAN_MAP_SHIFT = 7;

/**
 * `zx_vmar_map` (§11.2), steps in order, first failure wins. JavaScript-only bad values (flags
 * outside `[0, 2^32)`, `vmarOffset` or `length` not a non-negative safe integer, `vmoOffset` not an
 * integer in `[0, 2^64)`) answer INVALID_ARGS right after the two handle lookups, before any
 * rights check.
 */
export function mapVmo(
  vmar: VmarAccess,
  flags: number,
  vmarOffset: number,
  vmo: Vmo,
  vmoOffset: number,
  length: number,
): Result<number> {
  // Step 1: VMAR handle (no right needed), then the VMO handle.
  const space = vmar.space;
  if (space === null) return failure(Status.BAD_HANDLE);
  if (!(vmo instanceof MemoryHandle) || vmo.space !== space) return failure(Status.BAD_HANDLE);
  if (!(vmo instanceof MemoryVmo)) return failure(Status.WRONG_TYPE);
  if (!isUint32(flags) || !isUsize(vmarOffset) || !isUint64(vmoOffset) || !isUsize(length)) {
    return failure(Status.INVALID_ARGS);
  }
  const options = checkedMapOptions(vmar, vmo, flags);
  if (options < 0) return failure(options);
  const owner = vmar.node;
  // Step 13: the VMO offset is checked, the length rounded up. Both are safe integers, so neither
  // the rounding nor vmo_offset + len can pass 2^64: Zircon's OUT_OF_RANGE cannot arise here.
  if (vmoOffset % PAGE_SIZE !== 0) return failure(Status.INVALID_ARGS);
  const lengthPages = pagesRoundedUp(length);
  // Steps 14–16: as §2.3 step 6 with size = the rounded length and the ceiling (what both handles
  // allow, step 7) as the CAN_MAP_* flags asked for.
  const basePage = absoluteBasePage(space, owner);
  if (basePage < 0) return failure(Status.BAD_STATE);
  const ceiling = ((vmar.rights & vmo.rights) >>> PERM_TO_RIGHTS_SHIFT) & PERM_RWX;
  const canMapCeiling = ceiling << PERM_TO_CAN_MAP_SHIFT;
  const mappingOffset = placeSubRegion(
    space,
    owner,
    basePage,
    options | canMapCeiling,
    vmarOffset,
    lengthPages,
  );
  if (mappingOffset < 0) return failure(mappingOffset);
  // Step 15, SPECIFIC_OVERWRITE: any sub-VMAR in the range refuses; else its mappings go.
  if ((options & VmarFlags.SPECIFIC_OVERWRITE) !== 0) {
    const status = clearRange(space, owner, mappingOffset, mappingOffset + lengthPages);
    if (status !== Status.OK) return failure(status);
  }
  // The OFFSET_IS_UPPER_LIMIT quirk: the mapping gets VMO offset 0 (§11.2).
  const region = new MappingNode(
    owner,
    mappingOffset,
    lengthPages,
    vmo.object,
    (options & VmarFlags.OFFSET_IS_UPPER_LIMIT) !== 0 ? 0 : vmoOffset,
    (options & KEPT_MAPPING_FLAGS) | canMapCeiling,
    ceiling,
    singleRange(options & PERM_RWX),
  );
  attachRegion(space, owner, region);
  // Step 18: MAP_RANGE only populates page tables, which are not emulated; then merging.
  markMergeableAndMerge(space, owner, region);
  return { ok: true, value: (basePage + mappingOffset) * PAGE_SIZE };
}

/**
 * Steps 2–12 of `zx_vmar_map` (§11.2), in order: the options as the rest of the call uses them
 * (PERM_READ_IF_XOM_UNSUPPORTED resolved, MAP_RANGE cleared), or the negative status of the first
 * check that fails. Past step 9 the ALIGN exponent is at most 32, so valid options are never
 * negative.
 */
function checkedMapOptions(vmar: VmarAccess, vmo: MemoryVmo, flags: number): number {
  // Step 2.
  if ((vmo.rights & Rights.MAP) === 0) return Status.ACCESS_DENIED;
  // Step 3.
  let options = withXomFallback(flags);
  // Step 4.
  if (writeOrExecuteWithoutRead(options)) return Status.INVALID_ARGS;
  // Step 5.
  const mapRange = (options & VmarFlags.MAP_RANGE) !== 0;
  options &= ~VmarFlags.MAP_RANGE;
  if (mapRange && (options & VmarFlags.SPECIFIC_OVERWRITE) !== 0) return Status.INVALID_ARGS;
  // Step 6.
  if ((options & CAN_MAP_RWX) !== 0) return Status.INVALID_ARGS;
  // Step 7: each PERM needs the matching right on both handles.
  const perms = options & PERM_RWX;
  const requiredRights = perms << PERM_TO_RIGHTS_SHIFT;
  if (
    (vmar.rights & requiredRights) !== requiredRights ||
    (vmo.rights & requiredRights) !== requiredRights
  ) {
    return Status.ACCESS_DENIED;
  }
  // Step 8: every VMO made by `zx_vmo_create` has a stream (content) size.
  if (
    (options & VmarFlags.FAULT_BEYOND_STREAM_SIZE) !== 0 &&
    (options & VmarFlags.ALLOW_FAULTS) === 0
  ) {
    return Status.INVALID_ARGS;
  }
  // Step 9.
  if ((options & UNKNOWN_OPTION_BITS) !== 0) return Status.INVALID_ARGS;
  if (!isValidAlignment(options >>> 24)) return Status.INVALID_ARGS;
  // Step 10: the VMO's RESIZABLE and DISCARDABLE create options (§11.1) matter here.
  const vmoOptions = vmo.object.options;
  if (
    (options & VmarFlags.REQUIRE_NON_RESIZABLE) !== 0 &&
    (vmoOptions & VmoOptions.RESIZABLE) !== 0
  ) {
    return Status.NOT_SUPPORTED;
  }
  if ((vmoOptions & VmoOptions.DISCARDABLE) !== 0 && (options & VmarFlags.ALLOW_FAULTS) === 0) {
    return Status.NOT_SUPPORTED;
  }
  // Step 11.
  if ((options & (VmarFlags.COMPACT | VmarFlags.CAN_MAP_SPECIFIC)) !== 0) {
    return Status.INVALID_ARGS;
  }
  // Step 12.
  if (((perms << PERM_TO_CAN_MAP_SHIFT) & ~vmar.node.flags) !== 0) return Status.ACCESS_DENIED;
  return options;
}

/**
 * §11.2 step 15 for SPECIFIC_OVERWRITE: pages `[start, end)` of `owner` are cleared for the new
 * mapping. A sub-VMAR meeting them refuses the whole call (INVALID_ARGS, nothing changed);
 * otherwise the mappings there lose those pages.
 */
function clearRange(space: AddressSpaceState, owner: VmarNode, start: number, end: number): Status {
  const replaced: RegionNode[] = [];
  collectRange(owner, start, end, replaced);
  for (const region of replaced) {
    if ((region.flags & REGION_MAPPING) === 0) return Status.INVALID_ARGS;
  }
  for (const region of replaced) unmapPages(space, owner, region as MappingNode, start, end);
  return Status.OK;
}
