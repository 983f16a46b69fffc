import { PAGE_SIZE } from '@vmars/address-space';
import type { AddressSpaceState } from './address-space-state.js';
import { REGION_DEAD, REGION_MAPPING, type RegionNode, type VmarNode } from './region-node.js';
import { insertRegion, removeRegion } from './region-tree.js';

/*
 * Adding regions to and removing them from a VMAR of the address space `space`, keeping every
 * ancestor's ZX_INFO_VMAR_MAPS entry count (`entries`) exact, and liveness. The space's spot
 * search goes with every change to its children lists (region-tree.ts).
 */

/** Makes `child` (not overlapping any sibling) a live child of `owner`. */
export function attachRegion(space: AddressSpaceState, owner: VmarNode, child: RegionNode): void {
  insertRegion(owner, child, space.spotSearch);
  adjustEntries(owner, child.entries);
}

/** Takes `child` out of `owner`'s children (its range is free at once) without changing its state. */
export function detachRegion(space: AddressSpaceState, owner: VmarNode, child: RegionNode): void {
  removeRegion(owner, child, space.spotSearch);
  adjustEntries(owner, -child.entries);
}

/**
 * Changes the entry count of `region` and of every ancestor by `delta`: a child coming or going,
 * or a mapping gaining or losing protection ranges.
 */
export function adjustEntries(region: RegionNode, delta: number): void {
  for (let ancestor: RegionNode | null = region; ancestor !== null; ancestor = ancestor.owner) {
    ancestor.entries += delta;
  }
}

/**
 * `zx_vmar_destroy` of a live, non-root region (§4.1): it leaves its parent's tree, so its range
 * is free at once, and becomes DEAD. Its descendants are dead too, because liveness is checked by
 * walking up (`absoluteBasePage`); their subtrees are dropped here, so that only handles keep
 * them.
 */
export function destroyRegion(space: AddressSpaceState, region: RegionNode): void {
  detachRegion(space, region.owner as VmarNode, region);
  region.flags |= REGION_DEAD;
  if ((region.flags & REGION_MAPPING) === 0) (region as VmarNode).children = null;
}

/**
 * The absolute first page of `region`, or -1 when it or an ancestor was destroyed (BAD_STATE).
 */
export function absoluteBasePage(space: AddressSpaceState, region: RegionNode): number {
  let page = space.rootBasePage;
  for (let node: RegionNode | null = region; node !== null; node = node.owner) {
    if ((node.flags & REGION_DEAD) !== 0) return -1;
    page += node.offset;
  }
  return page;
}

/** The absolute base address of `region`, dead or alive (ZX_INFO_VMAR works on both, §5.2). */
export function absoluteBase(space: AddressSpaceState, region: RegionNode): number {
  let page = space.rootBasePage;
  for (let node: RegionNode | null = region; node !== null; node = node.owner) {
    page += node.offset;
  }
  return page * PAGE_SIZE;
}
