import { PERM_RWX } from '@vmars/address-space';
import type { CandidateIndex } from './candidate-index.js';
import type { ChildBlock } from './child-block.js';
import type { VmoObject } from './vmo-object.js';

/** `node.flags` bit: the region was destroyed (state DEAD, §4.1). Above every `zx_vm_option_t` bit used. */
export const REGION_DEAD = 1 << 24;
/** `node.flags` bit: the region is a mapping (type 3 in ZX_INFO_VMAR_MAPS), not a VMAR. */
export const REGION_MAPPING = 1 << 25;
/** A mapping's `flags` bit: set after a successful `zx_vmar_map` (`MarkMergeable`, §11.5). */
export const REGION_MERGEABLE = 1 << 26;

/** The number fields that are given null first, to be tagged (see the `RegionNode` constructor). */
interface TaggedNumbers {
  offset: null;
  size: null;
  lastEnd: null;
}

/**
 * One VMAR or one mapping, and at the same time one entry of the parent VMAR's children list
 * (the kernel's `RegionList`, §3.1; here a B+tree, see region-tree.ts). The list keeps each
 * child's offset and end in its own arrays (the gaps follow from them), so a region holds only a
 * pointer back to the leaf it sits in: a live child VMAR has 9 fields, a mapping 10.
 *
 * Positions are in pages relative to the parent VMAR's base (`owner`), not absolute bytes: page
 * counts below 2^31 are V8 small integers, stored in the object itself, while absolute addresses
 * (up to 2^48) would each need a boxed heap number. Absolute addresses are recomputed by walking
 * `owner` up to the root, which is two or three steps in practice.
 *
 * Fields are declared, then assigned in the constructors (base first) in declaration order, rather
 * than given class-field initializers: V8 then builds both kinds of region with plain stores (the
 * initializers of a base class with two subclasses cost several times as much, measured), and
 * field order is memory order.
 */
export abstract class RegionNode {
  /** Pages from the owner's base (0 for the root, whose base the address space keeps). */
  declare offset: number;
  /** Length in pages (0 for the root, whose size the address space keeps). */
  declare size: number;
  /**
   * The leaf of the owner's children list that holds this region; null while it is the owner's
   * only child (held by the owner itself) or in no list.
   */
  declare leaf: ChildBlock | null;
  /**
   * For a VMAR: its `COMPACT`, `CAN_MAP_SPECIFIC` and `CAN_MAP_*` option bits; for a mapping:
   * `REGION_MAPPING`, its ceiling (PERM_READ/WRITE/EXECUTE bits) and `REGION_MERGEABLE`; for
   * either, `REGION_DEAD` once destroyed.
   */
  declare flags: number;
  /**
   * `ZX_INFO_VMAR_MAPS` entries this region contributes: for a VMAR, itself plus all its live
   * descendants' entries (so `maps(0)` answers `avail` at once, §5.1); for a mapping, its number of
   * protection ranges (§11.4).
   */
  declare entries: number;
  /**
   * The VMAR this region is a child of; null only for the root. A destroyed region keeps its
   * owner, so `info()` still finds its base (§5.2), and any region below a destroyed one is dead
   * too: liveness is checked by walking up.
   */
  declare readonly owner: VmarNode | null;

  constructor(
    owner: VmarNode | null,
    offset: number,
    size: number,
    flags: number,
    entries: number,
  ) {
    // Offsets and sizes in the root VMAR can pass 2^31 pages, beyond V8's small integers. V8
    // gives a field the representation of the first value ever stored in it: small integers
    // first, then one larger number, and that field is boxed in every region from then on (16
    // bytes a field and region, measured). Storing null first makes these fields tagged, where
    // small integers stay inline and only a large value is boxed.
    const tagged = this as unknown as TaggedNumbers;
    tagged.offset = null;
    this.offset = offset;
    tagged.size = null;
    this.size = size;
    this.leaf = null;
    this.flags = flags;
    this.entries = entries;
    this.owner = owner;
  }
}

/**
 * A VMAR: the root, or a child allocated by `zx_vmar_allocate`.
 */
export class VmarNode extends RegionNode {
  /**
   * Its children (sub-VMARs and mappings, never overlapping), as region-tree.ts keeps them: null
   * when it has none, the child itself when it has one, else the root block of a B+tree.
   */
  declare children: RegionNode | ChildBlock | null;
  /**
   * The page after its last child, 0 when it has none — where the trailing gap of §3.2 starts.
   * Kept by every insertion and removal, so that a search (above all a probe that finds no room)
   * reads it here instead of walking down to the last child. A small integer except in the root
   * VMAR, whose page offsets can pass 2^31 (a tagged field, so only that value is boxed).
   */
  declare lastEnd: number;
  /**
   * Which requests its children tree counts candidates for; null until the first
   * placement into it at a random index (never, in a COMPACT VMAR with compact entropy 0, §3.4).
   */
  declare candidateIndex: CandidateIndex | null;

  constructor(
    owner: VmarNode | null,
    offset: number,
    size: number,
    flags: number,
    entries: number,
  ) {
    super(owner, offset, size, flags, entries);
    this.children = null;
    // Tagged, as the fields of `RegionNode` (see there).
    (this as unknown as TaggedNumbers).lastEnd = null;
    this.lastEnd = 0;
    this.candidateIndex = null;
  }
}

/**
 * A mapping (§11.2–§11.5): the region itself, and what it maps (the VMO, where in it, its flags and
 * its protection ranges), in one object: a region pointing at a separate record cost 80 bytes more
 * per mapping.
 */
export class MappingNode extends RegionNode {
  declare readonly vmo: VmoObject;
  /** The VMO offset, in bytes, at the mapping's first page. */
  declare readonly vmoOffset: number;
  /**
   * The mapping's VMAR flags as the kernel keeps them (SPECIFIC, SPECIFIC_OVERWRITE,
   * OFFSET_IS_UPPER_LIMIT, FAULT_BEYOND_STREAM_SIZE; not REQUIRE_NON_RESIZABLE nor ALLOW_FAULTS,
   * which the dispatcher clears) plus the CAN_MAP_* ceiling: two mappings merge only when these
   * are equal (§11.5).
   */
  declare readonly mapFlags: number;
  /**
   * Protection ranges, flat: `[firstPage, mmuFlags, firstPage, mmuFlags, ...]`, pages relative to
   * the mapping's first page, ascending, the first at 0; neighbours always differ in flags (§11.4).
   * Never changed in place, only replaced, so mappings with one range share one frozen array per
   * flags value (`singleRange` in protection-ranges.ts).
   */
  declare ranges: readonly number[];

  constructor(
    owner: VmarNode,
    offset: number,
    size: number,
    vmo: VmoObject,
    vmoOffset: number,
    mapFlags: number,
    ceiling: number,
    ranges: readonly number[],
  ) {
    super(owner, offset, size, REGION_MAPPING | (ceiling & PERM_RWX), ranges.length / 2);
    this.vmo = vmo;
    this.vmoOffset = vmoOffset;
    this.mapFlags = mapFlags;
    this.ranges = ranges;
  }

  /**
   * The PERM_READ/WRITE/EXECUTE bits both handles allowed at map time: `protect` stays within
   * them (§11.2 step 7). Kept in `flags`, as is `mergeable`: two fields fewer per mapping.
   */
  get ceiling(): number {
    return this.flags & PERM_RWX;
  }

  /** Set after a successful `zx_vmar_map` (`MarkMergeable`, §11.5). */
  get mergeable(): boolean {
    return (this.flags & REGION_MERGEABLE) !== 0;
  }

  /** Sets `mergeable`. */
  markMergeable(): void {
    this.flags |= REGION_MERGEABLE;
  }

  /** The number of protection ranges (ZX_INFO_VMAR_MAPS entries of this mapping). */
  get rangeCount(): number {
    return this.ranges.length / 2;
  }
}
