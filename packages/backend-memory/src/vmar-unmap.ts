import { PAGE_SIZE, Rights, Status } from '@vmars/address-space';
import type { AddressSpaceState } from './address-space-state.js';
import { unmapPages } from './mapping-edit.js';
import { collectRange } from './range-queries.js';
import { absoluteBasePage, destroyRegion } from './region-lifecycle.js';
import { type MappingNode, REGION_MAPPING, type RegionNode } from './region-node.js';
import { isUsize } from './validate-arguments.js';
import { pagesRoundedUp } from './vm-options.js';
import type { VmarAccess } from './vmar-access.js';

/**
 * The most children an unmap may leave room for in its space's `unmapScratch`: the array is
 * emptied after each unmap, and let go of after one that met more, so that one large unmap does
 * not keep a large array for good.
 */
const KEPT_TOUCHED = 64;

/**
 * `zx_vmar_unmap` (§11.3, §4.3). Order: BAD_HANDLE (no right needed); JavaScript-only bad values
 * (INVALID_ARGS); `address` unaligned → INVALID_ARGS; `length` rounded up, 0 → INVALID_ARGS;
 * destroyed → BAD_STATE; range not inside the VMAR → INVALID_ARGS (never clipped); then every
 * direct sub-VMAR meeting the range must lie wholly inside it and the handle must have
 * OP_CHILDREN (INVALID_ARGS otherwise), all checked before anything changes; then mappings are
 * trimmed or removed and sub-VMARs destroyed. Holes are fine (ZX_OK).
 */
export function unmapRange(vmar: VmarAccess, address: number, length: number): Status {
  const space = vmar.space;
  if (space === null) return Status.BAD_HANDLE;
  if (!isUsize(address) || !isUsize(length)) return Status.INVALID_ARGS;
  if (address % PAGE_SIZE !== 0) return Status.INVALID_ARGS;
  const lengthPages = pagesRoundedUp(length);
  if (lengthPages === 0) return Status.INVALID_ARGS;
  const node = vmar.node;
  const basePage = absoluteBasePage(space, node);
  if (basePage < 0) return Status.BAD_STATE;
  const start = address / PAGE_SIZE - basePage;
  const end = start + lengthPages;
  if (start < 0 || end > space.sizeOf(node)) return Status.INVALID_ARGS;
  if (node.children === null) return Status.OK;
  const touched = space.unmapScratch;
  const count = collectRange(node, start, end, touched);
  const status = unmapTouched(space, vmar, touched, start, end, count);
  // Cleared, so that no destroyed region stays reachable from here.
  if (count > KEPT_TOUCHED) touched.length = 0;
  else touched.fill(undefined, 0, count);
  return status;
}

/** The checks, then the changes, of `unmapRange` over its `count` children in `touched`. */
function unmapTouched(
  space: AddressSpaceState,
  vmar: VmarAccess,
  touched: readonly (RegionNode | undefined)[],
  start: number,
  end: number,
  count: number,
): Status {
  const node = vmar.node;
  const opChildren = (vmar.rights & Rights.OP_CHILDREN) !== 0;
  for (let index = 0; index < count; index++) {
    const child = touched[index] as RegionNode;
    if ((child.flags & REGION_MAPPING) !== 0) continue;
    if (!opChildren) return Status.INVALID_ARGS;
    if (child.offset < start || child.offset + child.size > end) return Status.INVALID_ARGS;
  }
  for (let index = 0; index < count; index++) {
    const child = touched[index] as RegionNode;
    if ((child.flags & REGION_MAPPING) !== 0) {
      unmapPages(space, node, child as MappingNode, start, end);
    } else {
      destroyRegion(space, child);
    }
  }
  return Status.OK;
}
