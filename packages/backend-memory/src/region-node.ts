import type { CandidateIndex } from './candidate-index.js';
import type { MappingState } from './mapping-state.js';

/** `node.flags` bit: the region was destroyed (state DEAD, §4.1). Above every `zx_vm_option_t` bit used. */
export const REGION_DEAD = 1 << 24;
/** `node.flags` bit: the region is a mapping (type 3 in ZX_INFO_VMAR_MAPS), not a VMAR. */
export const REGION_MAPPING = 1 << 25;

/**
 * One VMAR or one mapping, and at the same time its node in the parent VMAR's children tree
 * (the kernel's `RegionList`, a WAVL tree keyed by base and augmented with its subtree's first
 * byte, last byte and largest gap, §3.1). Making the region its own tree node, instead of
 * wrapping it, keeps a live child VMAR at about 16 fields.
 *
 * Positions are in pages relative to the parent VMAR's base (`owner`), not absolute bytes: page
 * counts below 2^31 are V8 small integers, stored in the object itself, while absolute addresses
 * (up to 2^48) would each need a boxed heap number. Absolute addresses are recomputed by walking
 * `owner` up to the root, which is two or three steps in practice.
 *
 * The tree is a treap (see region-tree.ts); its shape differs from the kernel's WAVL tree, but
 * placement only depends on the ascending order of gaps, which is the same.
 *
 * Field order is memory order in V8 (declaration order): the fields a descent reads (children,
 * offset, size, gap, left counts) come first, so that a node read in a tree too large for the
 * caches costs as few cache lines as it can; random placement in 100,000 children measured about
 * 15 % faster this way than with `priority` and `maxGap` in between.
 */
export class RegionNode {
  /** Left and right subtrees in the owner's children tree. */
  left: RegionNode | null = null;
  right: RegionNode | null = null;
  /** Pages from the owner's base (0 for the root, whose base the address space keeps). */
  offset: number;
  /** Length in pages (0 for the root, whose size the address space keeps). */
  size: number;
  /**
   * Pages of free space right before this region: from the end of the previous sibling (or from
   * the owner's start, for the first child). Every gap of §3.2 except the last one is the
   * `gapBefore` of the sibling after it.
   */
  gapBefore = 0;
  /**
   * Augmentation for random placement (§3.2, §3.3; see candidate-index.ts): while slot 0 (1) of the
   * owner's `candidateIndex` is in use, the number of candidate spots that request has in the gaps
   * of this node's LEFT subtree, saturated at `CANDIDATE_COUNT_CAP` (a left count, so that a
   * descent reads no node off its path). Unread otherwise. Small integers, stored in the node like
   * the fields above.
   */
  leftCandidates0 = 0;
  leftCandidates1 = 0;
  /**
   * Augmentation (§3.1): the largest `gapBefore` in this subtree. The kernel keeps the first byte,
   * last byte and largest inner gap of each subtree instead; keeping each region's own gap gives
   * the same pruning of the search with two fields fewer, and lets tree updates stop early.
   */
  maxGap = 0;
  /** Treap priority: a parent's is never below its children's (set on insertion). */
  priority = 0;
  /**
   * For a VMAR: which requests its children tree counts candidates for; null until the first
   * placement into it at a random index (never, in a COMPACT VMAR with compact entropy 0, §3.4).
   */
  candidateIndex: CandidateIndex | null = null;
  /**
   * For a VMAR: its `COMPACT`, `CAN_MAP_SPECIFIC` and `CAN_MAP_*` option bits; plus `REGION_DEAD`
   * and `REGION_MAPPING`.
   */
  flags: number;
  /**
   * `ZX_INFO_VMAR_MAPS` entries this region contributes: for a VMAR, itself plus all its live
   * descendants' entries (so `maps(0)` answers `avail` at once, §5.1); for a mapping, its number of
   * protection ranges (§11.4).
   */
  entries: number;
  /**
   * The VMAR this region is a child of; null only for the root. A destroyed region keeps its
   * owner, so `info()` still finds its base (§5.2), and any region below a destroyed one is dead
   * too: liveness is checked by walking up.
   */
  owner: RegionNode | null;
  /** For a VMAR: the root of its children tree (sub-VMARs and mappings, never overlapping). */
  children: RegionNode | null = null;
  /**
   * For a VMAR other than the root: the page after its last child, 0 when it has none — where the
   * trailing gap of §3.2 starts. Kept by every insertion and removal, so that a search (above all
   * a probe that finds no room) reads it here instead of walking down to the last child. Always a
   * small integer (see `keepLastEnd` in region-tree.ts).
   */
  lastEnd = 0;
  /** For a mapping: what is mapped. */
  mapping: MappingState | null;

  constructor(
    owner: RegionNode | null,
    offset: number,
    size: number,
    flags: number,
    entries: number,
    mapping: MappingState | null,
  ) {
    this.owner = owner;
    this.offset = offset;
    this.size = size;
    this.flags = flags;
    this.entries = entries;
    this.mapping = mapping;
  }
}
