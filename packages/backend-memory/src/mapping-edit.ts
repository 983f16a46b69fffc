import { PAGE_SIZE } from '@vmars/address-space';
import type { AddressSpaceState } from './address-space-state.js';
import { concatRanges, sliceRanges } from './protection-ranges.js';
import { findEndingAtOrBefore, findStartingAtOrAfter } from './range-queries.js';
import { attachRegion, destroyRegion, detachRegion } from './region-lifecycle.js';
import { MappingNode, REGION_MAPPING, type RegionNode, type VmarNode } from './region-node.js';

/** A new mapping region in `owner` at `offset` pages, `size` pages, with `ranges`. */
function newMappingRegion(
  owner: VmarNode,
  offset: number,
  size: number,
  template: MappingNode,
  vmoOffset: number,
  ranges: readonly number[],
): MappingNode {
  const region = new MappingNode(
    owner,
    offset,
    size,
    template.vmo,
    vmoOffset,
    template.mapFlags,
    template.ceiling,
    ranges,
  );
  if (template.mergeable) region.markMergeable();
  return region;
}

/**
 * Removes pages `[start, end)` (offsets in `owner`) from the mapping `region` (§11.3 step 9,
 * [MAPPING] `UnmapLocked`): a wholly covered mapping is destroyed; otherwise the pages left become
 * one or two mappings, the left keeping base and VMO offset, the right starting at `end` with the
 * VMO offset moved along, protection ranges split with them. `owner` is a VMAR of `space`.
 */
export function unmapPages(
  space: AddressSpaceState,
  owner: VmarNode,
  region: MappingNode,
  start: number,
  end: number,
): void {
  const regionStart = region.offset;
  const regionSize = region.size;
  destroyRegion(space, region);
  if (start > regionStart) attachPiece(space, owner, region, regionStart, 0, start - regionStart);
  if (end < regionStart + regionSize) {
    attachPiece(space, owner, region, regionStart, end - regionStart, regionSize);
  }
}

/**
 * Attaches pages `[from, to)` of a mapping being cut (pages relative to its first page,
 * `regionStart` in `owner`) as a mapping of their own, the VMO offset and the protection ranges
 * moved along.
 */
function attachPiece(
  space: AddressSpaceState,
  owner: VmarNode,
  mapping: MappingNode,
  regionStart: number,
  from: number,
  to: number,
): void {
  attachRegion(
    space,
    owner,
    newMappingRegion(
      owner,
      regionStart + from,
      to - from,
      mapping,
      mapping.vmoOffset + from * PAGE_SIZE,
      sliceRanges(mapping.ranges, from, to),
    ),
  );
}

/** True when `right` directly continues `left` and may merge with it (§11.5). */
function canMerge(left: RegionNode, right: RegionNode): boolean {
  if ((left.flags & right.flags & REGION_MAPPING) === 0) return false;
  const leftMapping = left as MappingNode;
  const rightMapping = right as MappingNode;
  return (
    leftMapping.mergeable &&
    rightMapping.mergeable &&
    left.offset + left.size === right.offset &&
    leftMapping.vmo === rightMapping.vmo &&
    leftMapping.mapFlags === rightMapping.mapFlags &&
    leftMapping.vmoOffset + left.size * PAGE_SIZE === rightMapping.vmoOffset
  );
}

/** Replaces the adjacent mappings `left` and `right` of `owner` by one. */
function merge(
  space: AddressSpaceState,
  owner: VmarNode,
  left: MappingNode,
  right: MappingNode,
): MappingNode {
  detachRegion(space, owner, left);
  detachRegion(space, owner, right);
  const merged = newMappingRegion(
    owner,
    left.offset,
    left.size + right.size,
    left,
    left.vmoOffset,
    concatRanges(left.ranges, left.size, right.ranges),
  );
  attachRegion(space, owner, merged);
  return merged;
}

/**
 * After a successful `zx_vmar_map` (`MarkMergeable`, `TryMergeRightNeighborLocked`, §11.5): the new
 * mapping merges with a left and a right neighbour in the same VMAR that map the same VMO at
 * contiguous addresses and offsets with identical flags. `owner` is a VMAR of `space`.
 */
export function markMergeableAndMerge(
  space: AddressSpaceState,
  owner: VmarNode,
  region: MappingNode,
): void {
  region.markMergeable();
  let current = region;
  const left = findEndingAtOrBefore(owner, current.offset);
  if (left !== null && canMerge(left, current)) {
    current = merge(space, owner, left as MappingNode, current);
  }
  const right = findStartingAtOrAfter(owner, current.offset + current.size);
  if (right !== null && canMerge(current, right))
    merge(space, owner, current, right as MappingNode);
}
