/*
 * One node of a VMAR's children list (region-tree.ts), a B+tree: a leaf holds up to
 * `LEAF_CAPACITY` children in address order, a branch up to `BRANCH_CAPACITY` leaves or branches.
 * One class for both, so that every access to a block sees one object shape.
 *
 * What a search reads sits in one array of doubles per block, column after column, so that a
 * scan over a block's offsets (or ends, or counts) reads consecutive memory instead of one object
 * per child. Doubles, unboxed (V8's double elements), because the root VMAR's page offsets pass
 * 2^31, where a small integer would become a boxed number; every such array is created with double
 * elements (`doubleArray`), so that each access site sees one elements kind. A plain array, not a
 * `Float64Array`: a typed array costs a JSTypedArray and a JSArrayBuffer object more (176 bytes
 * per block, measured) and an allocation outside the heap, slow to make and to free.
 *
 * This module imports nothing, so that region-node.ts can name `ChildBlock`: what a leaf holds is
 * described here by what the blocks need of it (`LeafItem`), which `RegionNode` is.
 */

/** A child as a leaf holds it (a `RegionNode`): the list keeps only its back pointer up to date. */
export interface LeafItem {
  /** The leaf holding it; null while it is its owner's only child, or in no list. */
  leaf: ChildBlock | null;
}

/** `length` zeros as a double-elements array (filled with a fraction first, which fixes the kind). */
export function doubleArray(length: number): number[] {
  const array = new Array<number>(length).fill(0.5);
  array.fill(0);
  return array;
}

/** Children per leaf at most. A leaf grows to it from `FIRST_LEAF_CAPACITY`, doubling. */
export const LEAF_CAPACITY = 32;
/** Children (blocks) per branch at most. */
export const BRANCH_CAPACITY = 32;
/** A leaf's capacity when a VMAR gets its second child (one child needs no block, see region-tree.ts). */
export const FIRST_LEAF_CAPACITY = 4;

/**
 * Leaf columns: the child's offset and its end (offset + size). The gap before a child runs from
 * the end before it (the previous entry's, or the one the leaf keeps after its columns) to its
 * offset.
 */
export const LEAF_COLUMNS = 2;
/**
 * Branch columns, per child block: the first offset in it, the largest gap before any child in
 * it, and its candidate counts for slots 0 and 1 of the owner's `CandidateIndex`
 * (candidate-index.ts), saturated at `CANDIDATE_COUNT_CAP`.
 */
export const BRANCH_COLUMNS = 4;

export class ChildBlock {
  /** The branch holding this block; null for the root block. */
  declare parent: ChildBlock | null;
  /**
   * Where this block sits in its parent's `items`: kept when a branch's entries move, so that an
   * update walks up without searching the parents (whose `items` are likely out of cache).
   */
  declare position: number;
  /** Entries in use: `[0, length)` of every column and of `items`. */
  declare length: number;
  /** Entries the block has room for: each column is this long. */
  declare capacity: number;
  declare isLeaf: boolean;
  /**
   * Leaf: offsets at `[0, capacity)`, ends at `[capacity, 2 capacity)`, and at `2 capacity` the
   * end of the child before its first one, in the previous leaf (0 for the first leaf), where the
   * first child's gap starts (kept in the array, unboxed, because the root VMAR's pass 2^31).
   * Branch: first offsets, largest gaps, counts of slot 0, counts of slot 1, in that order, each
   * `capacity` long. Pages, relative to the owner's base.
   */
  declare numbers: number[];
  /** Leaf: the children (`RegionNode`s); branch: the child blocks. Unused entries are undefined. */
  declare items: (LeafItem | ChildBlock | undefined)[];
  /** Neighbouring leaves in address order (null at either end, and in a branch). */
  declare previous: ChildBlock | null;
  declare next: ChildBlock | null;
  /**
   * While this block is the root of its list: the largest gap in it, once a search has computed
   * it since the list last changed; -1 otherwise. A probe of a full VMAR (every failed
   * `GrowableVmars.probe()` passes over some) then answers "no room" without reading the block:
   * a root has no branch entry above it to hold its largest gap, and scanning a full leaf of 32
   * children doubled the cost of a failed probe.
   */
  declare rootLargestGap: number;

  constructor(isLeaf: boolean, capacity: number) {
    this.parent = null;
    this.position = 0;
    this.length = 0;
    this.capacity = capacity;
    this.isLeaf = isLeaf;
    this.numbers = doubleArray(isLeaf ? capacity * LEAF_COLUMNS + 1 : capacity * BRANCH_COLUMNS);
    this.items = new Array(capacity).fill(undefined);
    this.previous = null;
    this.next = null;
    this.rootLargestGap = -1;
  }
}

/**
 * `value` (a whole number of pages), as a V8 small integer when it is below 2^31. A number read
 * from a double array, and arithmetic on it, comes out of unoptimized code as a boxed heap number
 * even when whole; stored in an object field that held small integers, it makes V8 box that field
 * in every object of the class from then on (a 16-byte box per field and object: it happened to
 * `offset` and `lastEnd` of every `VmarNode`, 32 bytes per VMAR, measured). Every page count
 * leaving the children list for a field passes here. `| 0` yields a small integer, and only values of 2^31 and more (the root VMAR's) stay
 * doubles.
 */
export function smallInteger(value: number): number {
  return value < 0x80000000 ? value | 0 : value;
}
