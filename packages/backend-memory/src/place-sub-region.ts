import { CAN_MAP_RWX, PAGE_SIZE, Status, VmarFlags } from '@vmars/address-space';
import type { AddressSpaceState } from './address-space-state.js';
import { overlapsRange } from './range-queries.js';
import type { VmarNode } from './region-node.js';

const PAGE_SHIFT = 12;

/**
 * `VmAddressRegion::CreateSubVmarInner` after its state check (§2.3 steps 6b–6j), which
 * `zx_vmar_allocate` and `zx_vmar_map` share (§11.2 steps 14–16): where a new child of the live
 * VMAR `owner` (absolute first page `ownerBasePage`) goes, or why it cannot.
 *
 * `vmarFlags` are the child's options as the kernel sees them: SPECIFIC, SPECIFIC_OVERWRITE,
 * OFFSET_IS_UPPER_LIMIT, the ALIGN_* exponent (already checked, §2.3 step 3) and the CAN_MAP_*
 * bits it asks for (for a mapping, its ceiling). `offset` is the caller's byte offset,
 * `sizePages` the size in pages.
 *
 * Returns the child's offset in `owner`, in pages, or a negative status. SPECIFIC_OVERWRITE
 * returns the range without looking at what occupies it: clearing it is the caller's part
 * (§11.2 step 15). Allocates nothing.
 */
export function placeSubRegion(
  space: AddressSpaceState,
  owner: VmarNode,
  ownerBasePage: number,
  vmarFlags: number,
  offset: number,
  sizePages: number,
): number {
  // 6b.
  if (sizePages === 0) return Status.INVALID_ARGS;
  // 6c: CAN_MAP_* the owner lacks.
  if ((vmarFlags & ~owner.flags & CAN_MAP_RWX) !== 0) return Status.ACCESS_DENIED;
  const overwrite = (vmarFlags & VmarFlags.SPECIFIC_OVERWRITE) !== 0;
  const specific = overwrite || (vmarFlags & VmarFlags.SPECIFIC) !== 0;
  const upperLimit = (vmarFlags & VmarFlags.OFFSET_IS_UPPER_LIMIT) !== 0;
  // 6d, 6e, 6f.
  if (specific && upperLimit) return Status.INVALID_ARGS;
  if (!specific && !upperLimit && offset !== 0) return Status.INVALID_ARGS;
  if (offset % PAGE_SIZE !== 0) return Status.INVALID_ARGS;
  // 6g.
  if ((specific || upperLimit) && (owner.flags & VmarFlags.CAN_MAP_SPECIFIC) === 0) {
    return Status.ACCESS_DENIED;
  }
  // 6h.
  const ownerSize = space.sizeOf(owner);
  const offsetPages = offset / PAGE_SIZE;
  if (isOutOfBounds(offsetPages, sizePages, ownerSize, upperLimit)) return Status.INVALID_ARGS;
  const alignPow2 = vmarFlags >>> 24;
  if (specific) {
    // 6i: the absolute base must honour ALIGN_* (1 KiB and 2 KiB always hold for a page).
    if (
      alignPow2 > PAGE_SHIFT &&
      (ownerBasePage + offsetPages) % 2 ** (alignPow2 - PAGE_SHIFT) !== 0
    ) {
      return Status.INVALID_ARGS;
    }
    // An occupied range asks for SPECIFIC_OVERWRITE first, so SPECIFIC | SPECIFIC_OVERWRITE
    // overwrites ([VAR.cc] `CreateSubVmarInner`).
    if (!overwrite && overlapsRange(owner, offsetPages, offsetPages + sizePages)) {
      return Status.ALREADY_EXISTS;
    }
    return offsetPages;
  }
  // 6j: §3 placement; alignment below a page is raised to a page.
  const alignPages = alignPow2 > PAGE_SHIFT ? 2 ** (alignPow2 - PAGE_SHIFT) : 1;
  const spot = space.chooseSpot(
    owner,
    ownerBasePage,
    sizePages,
    alignPages,
    upperLimit ? offsetPages : ownerSize,
  );
  return spot < 0 ? Status.NO_RESOURCES : spot;
}

/**
 * §2.3 step 6h, in pages (the offset is a page multiple by then): without OFFSET_IS_UPPER_LIMIT
 * the child must start inside the owner and end by its end; with it, the limit must lie within
 * the owner and leave room for the size below it.
 */
function isOutOfBounds(
  offsetPages: number,
  sizePages: number,
  ownerSize: number,
  upperLimit: boolean,
): boolean {
  if (upperLimit) {
    return offsetPages > ownerSize || sizePages > ownerSize || sizePages > offsetPages;
  }
  return offsetPages >= ownerSize || sizePages > ownerSize - offsetPages;
}
