import { type MapInfo, MapsType, PAGE_SIZE } from '@vmars/address-space';
import type { AddressSpaceState } from './address-space-state.js';
import { forEachChild } from './range-queries.js';
import { type MappingNode, REGION_MAPPING, type VmarNode } from './region-node.js';

/** Names of VMAR entries (§5.1): the root is "root", every `zx_vmar_allocate` child "useralloc". */
const ROOT_NAME = 'root';
const ALLOCATED_NAME = 'useralloc';

/**
 * The first `capacity` entries of ZX_INFO_VMAR_MAPS for the live VMAR `vmar` at absolute page
 * `basePage` (§5.1, §11.5): `vmar` itself at depth 0, then its children in ascending order, each
 * sub-VMAR followed by its own descendants (pre-order), one entry per protection range of each
 * mapping. Stops walking once `capacity` entries are written.
 */
export function listMaps(
  space: AddressSpaceState,
  vmar: VmarNode,
  basePage: number,
  capacity: number,
): MapInfo[] {
  const entries: MapInfo[] = [];
  if (capacity === 0) return entries;
  entries.push({
    name: vmar.owner === null ? ROOT_NAME : ALLOCATED_NAME,
    base: basePage * PAGE_SIZE,
    size: space.sizeOf(vmar) * PAGE_SIZE,
    depth: 0,
    type: MapsType.VMAR,
  });
  listChildren(vmar, basePage, 1, capacity, entries);
  return entries;
}

/** Appends the entries of `owner`'s children (a VMAR at `ownerBasePage`), in ascending order. */
function listChildren(
  owner: VmarNode,
  ownerBasePage: number,
  depth: number,
  capacity: number,
  entries: MapInfo[],
): void {
  forEachChild(owner, (child) => {
    if (entries.length >= capacity) return false;
    const basePage = ownerBasePage + child.offset;
    if ((child.flags & REGION_MAPPING) !== 0) {
      listMapping(child as MappingNode, basePage, depth, capacity, entries);
    } else {
      entries.push({
        name: ALLOCATED_NAME,
        base: basePage * PAGE_SIZE,
        size: child.size * PAGE_SIZE,
        depth,
        type: MapsType.VMAR,
      });
      listChildren(child as VmarNode, basePage, depth + 1, capacity, entries);
    }
    return true;
  });
}

/** One entry per protection range of the mapping `node` (§11.4, §11.5). */
function listMapping(
  mapping: MappingNode,
  basePage: number,
  depth: number,
  capacity: number,
  entries: MapInfo[],
): void {
  const ranges = mapping.ranges;
  for (let index = 0; index < ranges.length && entries.length < capacity; index += 2) {
    const firstPage = ranges[index] as number;
    const endPage = index + 2 < ranges.length ? (ranges[index + 2] as number) : mapping.size;
    entries.push({
      name: mapping.vmo.name,
      base: (basePage + firstPage) * PAGE_SIZE,
      size: (endPage - firstPage) * PAGE_SIZE,
      depth,
      type: MapsType.MAPPING,
      mapping: {
        mmuFlags: ranges[index + 1] as number,
        vmoKoid: mapping.vmo.koid,
        vmoOffset: mapping.vmoOffset + firstPage * PAGE_SIZE,
        // No memory contents are emulated, so no page is ever committed or populated.
        committedBytes: 0,
        populatedBytes: 0,
        committedPrivateBytes: 0,
        populatedPrivateBytes: 0,
        committedScaledBytes: 0,
        populatedScaledBytes: 0,
        committedFractionalScaledBytes: 0,
        populatedFractionalScaledBytes: 0,
      },
    });
  }
}
