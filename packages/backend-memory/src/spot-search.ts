import { indexedSpotAtIndex, trackedSlot } from './candidate-counts.js';
import { CANDIDATE_COUNT_CAP } from './candidate-index.js';
import { ChildBlock, smallInteger } from './child-block.js';
import type { VmarNode } from './region-node.js';
import { largestGap, lastLeaf } from './tree-structure.js';

/*
 * Zircon's spot search (`RegionList::FindSpotAtIndex`, §3.2) over a VMAR's children list
 * (region-tree.ts), and the place it found, which the insertion after it takes.
 *
 * One `SpotSearch` per address space (`AddressSpaceState.spotSearch`), made once and passed to
 * every search and every change of that space's lists: a search keeps its request, its progress
 * and its answer in the object's fields, so that it allocates nothing, and no state is shared
 * between address spaces. A search of one space never runs inside another search or change of
 * the same space, so one object is enough.
 */

/** A search over the children list of one VMAR, and the place of the last spot it found. */
export class SpotSearch {
  /** The request of the search under way: size and alignment in pages (absolute alignment). */
  declare private size: number;
  declare private align: number;
  /** The owner's absolute first page, which alignment is of. */
  declare private base: number;
  /** No spot may end past this offset in the owner (pages). */
  declare private limit: number;
  /** The index of the wanted candidate among those not yet passed. */
  declare private remaining: number;
  /** The spot found, -1 while none is. */
  declare private found: number;
  /**
   * Candidates counted: after a search that found no spot, M, the number of candidates there are
   * (§3.3 then chooses again among them).
   */
  declare candidateCount: number;
  /** Where the spot found lies while a search runs: its leaf (null: none yet) and entry there. */
  declare leaf: ChildBlock | null;
  declare position: number;
  /**
   * The place of the last spot found: the owner searched, the spot, the leaf and the entry a child
   * there becomes (the leaf null: none). Placement inserts the new child right after its search,
   * and then needs no second descent; every change to a list of the address space forgets it
   * (`forgetPlace`), so it is never stale, and an insertion elsewhere (another owner, another
   * offset) ignores it.
   */
  declare placeOwner: VmarNode | null;
  declare placeOffset: number;
  declare placeLeaf: ChildBlock | null;
  declare placePosition: number;

  constructor() {
    this.size = 0;
    this.align = 1;
    this.base = 0;
    this.limit = 0;
    this.remaining = 0;
    this.found = -1;
    this.candidateCount = 0;
    this.leaf = null;
    this.position = 0;
    this.placeOwner = null;
    this.placeOffset = -1;
    this.placeLeaf = null;
    this.placePosition = 0;
  }

  /**
   * `RegionList::FindSpotAtIndex` (§3.2) over the children of `owner`, a VMAR `ownerSize` pages
   * long whose base is absolute page `ownerBase`: the offset (in pages) of the `index`-th
   * candidate spot for `size` pages aligned to `align` pages (absolute), with every spot ending at
   * or before `upperLimit`; or -1, and then `candidateCount` is the number of candidates M.
   *
   * Candidates are numbered in ascending address order, gap by gap, exactly as §3.2's linear scan
   * numbers them (§13: the kernel's own tree walk may differ for a random index; this backend
   * keeps the linear scan's answer). First fit (index 0) walks the gaps (`scanForSpotAtIndex`),
   * which costs O(log n) as only blocks holding a large enough gap are entered. A random index is
   * found through the list's candidate counts (candidate-counts.ts) in one descent, O(log n), with
   * M from the same counts; a request the list does not count yet (or an index of 2^30 - 1 and
   * above, or a VMAR with a single child) walks the gaps, with the same answer.
   */
  findSpotAtIndex(
    owner: VmarNode,
    ownerSize: number,
    ownerBase: number,
    size: number,
    align: number,
    upperLimit: number,
    index: number,
  ): number {
    const children = owner.children;
    if (index !== 0 && index < CANDIDATE_COUNT_CAP && children !== null) {
      const phase = align === 1 ? 0 : ownerBase % align;
      const slot = trackedSlot(owner, size, align, phase);
      if (slot >= 0 && children instanceof ChildBlock) {
        const spot = indexedSpotAtIndex(
          children,
          slot,
          owner.lastEnd,
          ownerSize,
          size,
          align,
          phase,
          upperLimit,
          index,
          this,
        );
        this.candidateCount = spot < 0 ? -1 - spot : 0;
        if (spot < 0) return -1;
        this.rememberPlace(owner, spot);
        return smallInteger(spot);
      }
    }
    return this.scanForSpotAtIndex(owner, ownerSize, ownerBase, size, align, upperLimit, index);
  }

  /**
   * §3.2 as the kernel states it: visits the gaps between `owner`'s children in ascending order
   * (skipping blocks whose largest gap is below `size`, which hold no candidate) and counts
   * candidates until the `index`-th. Same inputs and answer as `findSpotAtIndex`; O(log n) for
   * index 0, O(gaps before the spot) otherwise. The reference that the candidate counts are tested
   * against.
   */
  scanForSpotAtIndex(
    owner: VmarNode,
    ownerSize: number,
    ownerBase: number,
    size: number,
    align: number,
    upperLimit: number,
    index: number,
  ): number {
    this.size = size;
    this.align = align;
    this.base = ownerBase;
    this.limit = upperLimit;
    this.remaining = index;
    this.candidateCount = 0;
    this.found = -1;
    this.leaf = null;
    const children = owner.children;
    let over = false;
    if (children instanceof ChildBlock) {
      let largest = children.rootLargestGap;
      // A root branch's largest gap is one pass over a column; a root leaf's, `scanLeaf` keeps.
      if (largest < 0 && !children.isLeaf) {
        largest = largestGap(children);
        children.rootLargestGap = largest;
      }
      if (largest < 0 || largest >= size) over = this.scanBlock(children);
    } else if (children !== null) {
      over = this.considerGap(0, children.offset);
    }
    if (!over) {
      this.considerGap(owner.lastEnd, ownerSize);
      // The last gap: a new child there goes after the last one.
      if (children instanceof ChildBlock) {
        const last = lastLeaf(children);
        this.leaf = last;
        this.position = last.length;
      }
    }
    const found = this.found;
    if (found < 0) {
      this.leaf = null;
      return found;
    }
    this.rememberPlace(owner, found);
    return smallInteger(found);
  }

  /** Forgets the place of the last spot found: a list of the address space changed. */
  forgetPlace(): void {
    this.placeOwner = null;
    this.placeLeaf = null;
  }

  /**
   * Keeps `leaf` and `position` as the place of the spot `offset` in `owner` (none when the leaf
   * is null), and lets go of the leaf, so that only the place keeps it reachable.
   */
  private rememberPlace(owner: VmarNode, offset: number): void {
    const leaf = this.leaf;
    this.placeOwner = leaf === null ? null : owner;
    this.placeOffset = offset;
    this.placeLeaf = leaf;
    this.placePosition = this.position;
    this.leaf = null;
  }

  /**
   * One gap of §3.2's loop, in pages: counts its candidate spots, or finds the wanted one.
   * Returns true when the search is over (spot found, or the gap starts at or past the limit).
   */
  private considerGap(start: number, end: number): boolean {
    const size = this.size;
    // A gap shorter than the size holds no spot; skipping its upper-limit test changes nothing,
    // because a later gap (or the end of the scan) ends the search with the same count.
    if (end - start < size) return false;
    const align = this.align;
    const limit = this.limit;
    // Alignment is of the absolute address: a = roundup(g, align).
    const remainder = (this.base + start) % align;
    const aligned = remainder === 0 ? start : start + (align - remainder);
    if (aligned >= limit) return true;
    let length = end - aligned;
    if (aligned + length > limit) length = limit - aligned;
    if (length < size) return false;
    const spots = Math.floor((length - size) / align) + 1;
    if (this.remaining < spots) {
      this.found = aligned + this.remaining * align;
      return true;
    }
    this.remaining -= spots;
    this.candidateCount += spots;
    return false;
  }

  /** Visits the gaps in `block` in ascending order, skipping blocks whose gaps are all too small. */
  private scanBlock(block: ChildBlock): boolean {
    if (block.isLeaf) return this.scanLeaf(block);
    const numbers = block.numbers;
    const maxGaps = block.capacity;
    const size = this.size;
    for (let at = 0; at < block.length; at++) {
      if (
        (numbers[maxGaps + at] as number) >= size &&
        this.scanBlock(block.items[at] as ChildBlock)
      ) {
        return true;
      }
    }
    return false;
  }

  /**
   * Visits the gaps in `leaf` in ascending order. A root leaf that gets through all of them
   * without ending the search remembers the largest as the root's: a search of a root leaf whose
   * largest gap is not known scans it once, instead of taking the largest gap first and scanning
   * again for the spot (a probe with room is mostly that, and the insertion after it forgets the
   * largest gap).
   */
  private scanLeaf(leaf: ChildBlock): boolean {
    const numbers = leaf.numbers;
    const capacity = leaf.capacity;
    const size = this.size;
    let previousEnd = numbers[2 * capacity] as number;
    let largest = 0;
    for (let at = 0; at < leaf.length; at++) {
      const offset = numbers[at] as number;
      const gap = offset - previousEnd;
      if (gap > largest) largest = gap;
      if (gap >= size && this.considerGap(previousEnd, offset)) {
        this.leaf = leaf;
        this.position = at;
        return true;
      }
      previousEnd = numbers[capacity + at] as number;
    }
    if (leaf.parent === null) leaf.rootLargestGap = largest;
    return false;
  }
}
