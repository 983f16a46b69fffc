import { PAGE_SIZE } from '@vmars/address-space';
import { MappingState } from './mapping-state.js';
import { concatRanges, sliceRanges } from './protection-ranges.js';
import { attachRegion, destroyRegion, detachRegion } from './region-lifecycle.js';
import { REGION_MAPPING, RegionNode } from './region-node.js';
import { findEndingAtOrBefore, findStartingAtOrAfter } from './region-tree.js';

/** A new mapping region in `owner` at `offset` pages, `size` pages, with `ranges`. */
function newMappingRegion(
  owner: RegionNode,
  offset: number,
  size: number,
  template: MappingState,
  vmoOffset: number,
  ranges: number[],
): RegionNode {
  const state = new MappingState(template.vmo, vmoOffset, template.flags, template.ceiling, ranges);
  state.mergeable = template.mergeable;
  return new RegionNode(owner, offset, size, REGION_MAPPING, ranges.length / 2, state);
}

/**
 * Removes pages `[start, end)` (offsets in `owner`) from the mapping `region` (§11.3 step 9,
 * [MAPPING] `UnmapLocked`): a wholly covered mapping is destroyed; otherwise the pages left become
 * one or two mappings, the left keeping base and VMO offset, the right starting at `end` with the
 * VMO offset moved along, protection ranges split with them.
 */
export function unmapPages(
  owner: RegionNode,
  region: RegionNode,
  start: number,
  end: number,
): void {
  const mapping = region.mapping as MappingState;
  const regionStart = region.offset;
  const regionSize = region.size;
  destroyRegion(region);
  if (start > regionStart) attachPiece(owner, mapping, regionStart, 0, start - regionStart);
  if (end < regionStart + regionSize) {
    attachPiece(owner, mapping, regionStart, end - regionStart, regionSize);
  }
}

/**
 * Attaches pages `[from, to)` of a mapping being cut (pages relative to its first page,
 * `regionStart` in `owner`) as a mapping of their own, the VMO offset and the protection ranges
 * moved along.
 */
function attachPiece(
  owner: RegionNode,
  mapping: MappingState,
  regionStart: number,
  from: number,
  to: number,
): void {
  attachRegion(
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
  const leftMapping = left.mapping;
  const rightMapping = right.mapping;
  if (leftMapping === null || rightMapping === null) return false;
  return (
    leftMapping.mergeable &&
    rightMapping.mergeable &&
    left.offset + left.size === right.offset &&
    leftMapping.vmo === rightMapping.vmo &&
    leftMapping.flags === rightMapping.flags &&
    leftMapping.vmoOffset + left.size * PAGE_SIZE === rightMapping.vmoOffset
  );
}

/** Replaces the adjacent mappings `left` and `right` of `owner` by one. */
function merge(owner: RegionNode, left: RegionNode, right: RegionNode): RegionNode {
  const leftMapping = left.mapping as MappingState;
  const rightMapping = right.mapping as MappingState;
  detachRegion(owner, left);
  detachRegion(owner, right);
  const merged = newMappingRegion(
    owner,
    left.offset,
    left.size + right.size,
    leftMapping,
    leftMapping.vmoOffset,
    concatRanges(leftMapping.ranges, left.size, rightMapping.ranges),
  );
  attachRegion(owner, merged);
  return merged;
}

/**
 * After a successful `zx_vmar_map` (`MarkMergeable`, `TryMergeRightNeighborLocked`, §11.5): the new
 * mapping merges with a left and a right neighbour in the same VMAR that map the same VMO at
 * contiguous addresses and offsets with identical flags.
 */
export function markMergeableAndMerge(owner: RegionNode, region: RegionNode): void {
  (region.mapping as MappingState).mergeable = true;
  let current = region;
  const left = findEndingAtOrBefore(owner.children, current.offset);
  if (left !== null && canMerge(left, current)) current = merge(owner, left, current);
  const right = findStartingAtOrAfter(owner.children, current.offset + current.size);
  if (right !== null && canMerge(current, right)) merge(owner, current, right);
}
