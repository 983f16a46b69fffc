import type { CandidateIndex } from './candidate-index.js';
import type { VmoObject } from './vmo-object.js';

/** `node.flags` bit: the region was destroyed (state DEAD, §4.1). Above every `zx_vm_option_t` bit used. */
export const REGION_DEAD = 1 << 24;
/** `node.flags` bit: the region is a mapping (type 3 in ZX_INFO_VMAR_MAPS), not a VMAR. */
export const REGION_MAPPING = 1 << 25;

/** The number fields that are given null first, to be tagged (see the `RegionNode` constructor). */
interface TaggedNumbers {
  offset: null;
  size: null;
  gapBefore: null;
  maxGap: null;
  lastEnd: null;
}

/**
 * One VMAR or one mapping, and at the same time its node in the parent VMAR's children tree
 * (the kernel's `RegionList`, a WAVL tree keyed by base and augmented with its subtree's first
 * byte, last byte and largest gap, §3.1). Making the region its own tree node, instead of
 * wrapping it, keeps a live child VMAR at 15 fields and a mapping at 18.
 *
 * Positions are in pages relative to the parent VMAR's base (`owner`), not absolute bytes: page
 * counts below 2^31 are V8 small integers, stored in the object itself, while absolute addresses
 * (up to 2^48) would each need a boxed heap number. Absolute addresses are recomputed by walking
 * `owner` up to the root, which is two or three steps in practice.
 *
 * The tree is a treap (see region-tree.ts); its shape differs from the kernel's WAVL tree, but
 * placement only depends on the ascending order of gaps, which is the same.
 *
 * Fields are declared, then assigned in the constructors (base first) in declaration order, rather
 * than given class-field initializers: V8 then builds both kinds of region with plain stores (the
 * initializers of a base class with two subclasses cost several times as much, measured), and
 * field order is memory order. The fields a descent reads (children,
 * offset, size, gap, left counts) come first, so that a node read in a tree too large for the
 * caches costs as few cache lines as it can; random placement in 100,000 children measured about
 * 15 % faster this way than with `priority` and `maxGap` in between.
 */
export abstract class RegionNode {
  /** Left and right subtrees in the owner's children tree. */
  declare left: RegionNode | null;
  declare right: RegionNode | null;
  /** Pages from the owner's base (0 for the root, whose base the address space keeps). */
  declare offset: number;
  /** Length in pages (0 for the root, whose size the address space keeps). */
  declare size: number;
  /**
   * Pages of free space right before this region: from the end of the previous sibling (or from
   * the owner's start, for the first child). Every gap of §3.2 except the last one is the
   * `gapBefore` of the sibling after it.
   */
  declare gapBefore: number;
  /**
   * Augmentation for random placement (§3.2, §3.3; see candidate-index.ts): while slot 0 (1) of the
   * owner's `candidateIndex` is in use, the number of candidate spots that request has in the gaps
   * of this node's LEFT subtree, saturated at `CANDIDATE_COUNT_CAP` (a left count, so that a
   * descent reads no node off its path). Unread otherwise. Small integers, stored in the node like
   * the fields above.
   */
  declare leftCandidates0: number;
  declare leftCandidates1: number;
  /**
   * Augmentation (§3.1): the largest `gapBefore` in this subtree. The kernel keeps the first byte,
   * last byte and largest inner gap of each subtree instead; keeping each region's own gap gives
   * the same pruning of the search with two fields fewer, and lets tree updates stop early.
   */
  declare maxGap: number;
  /** Treap priority: a parent's is never below its children's (set on insertion). */
  declare priority: number;
  /**
   * For a VMAR: its `COMPACT`, `CAN_MAP_SPECIFIC` and `CAN_MAP_*` option bits; plus `REGION_DEAD`
   * and `REGION_MAPPING`.
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
    // Offsets, sizes and gaps in the root VMAR can pass 2^31 pages, beyond V8's small integers. V8
    // gives a field the representation of the first value ever stored in it: small integers
    // first, then one larger number, and that field is boxed in every region from then on (16
    // bytes each; 144 -> 224 bytes per child, measured). Storing null first makes these fields
    // tagged, where small integers stay inline and only a large value is boxed.
    const tagged = this as unknown as TaggedNumbers;
    this.left = null;
    this.right = null;
    tagged.offset = null;
    this.offset = offset;
    tagged.size = null;
    this.size = size;
    tagged.gapBefore = null;
    this.gapBefore = 0;
    this.leftCandidates0 = 0;
    this.leftCandidates1 = 0;
    tagged.maxGap = null;
    this.maxGap = 0;
    this.priority = 0;
    this.flags = flags;
    this.entries = entries;
    this.owner = owner;
  }
}

/**
 * A VMAR: the root, or a child allocated by `zx_vmar_allocate`. Its own fields come after the tree
 * fields of `RegionNode`, so that both kinds of region keep those at the same place in memory and
 * a tree walk reads them the same way from either.
 */
export class VmarNode extends RegionNode {
  /** The root of its children tree (sub-VMARs and mappings, never overlapping). */
  declare children: RegionNode | null;
  /**
   * For a VMAR other than the root: the page after its last child, 0 when it has none — where the
   * trailing gap of §3.2 starts. Kept by every insertion and removal, so that a search (above all
   * a probe that finds no room) reads it here instead of walking down to the last child. Always a
   * small integer (see `keepLastEnd` in region-tree.ts).
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
  /** The PERM_READ/WRITE/EXECUTE bits both handles allowed at map time: `protect` stays within them (§11.2 step 7). */
  declare readonly ceiling: number;
  /** Set after a successful `zx_vmar_map` (`MarkMergeable`, §11.5). */
  declare mergeable: boolean;
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
    super(owner, offset, size, REGION_MAPPING, ranges.length / 2);
    this.vmo = vmo;
    this.vmoOffset = vmoOffset;
    this.mapFlags = mapFlags;
    this.ceiling = ceiling;
    this.mergeable = false;
    this.ranges = ranges;
  }

  /** The number of protection ranges (ZX_INFO_VMAR_MAPS entries of this mapping). */
  get rangeCount(): number {
    return this.ranges.length / 2;
  }
}
