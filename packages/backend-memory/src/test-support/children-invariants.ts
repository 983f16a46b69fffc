import { gapCandidates } from '../candidate-counts.js';
import { CANDIDATE_COUNT_CAP, type CandidateIndex } from '../candidate-index.js';
import { BRANCH_CAPACITY, ChildBlock, LEAF_CAPACITY } from '../child-block.js';
import type { RegionNode, VmarNode } from '../region-node.js';
import { lastLeaf } from '../tree-structure.js';

/*
 * The invariants of a VMAR's children list (region-tree.ts), checked from scratch: the structure
 * the region tree's and the candidate counts' tests hold every update against. Used only by tests.
 */

/**
 * The page after `owner`'s last child (0 when it has none), by walking to it: what `lastEnd`,
 * which every insertion and removal keeps, must equal.
 */
export function endOfLast(owner: VmarNode): number {
  const children = owner.children;
  if (children === null) return 0;
  if (!(children instanceof ChildBlock)) return children.offset + children.size;
  const leaf = lastLeaf(children);
  return leaf.numbers[leaf.capacity + leaf.length - 1] as number;
}

/** What `checkChildren` found. */
export interface ChildrenCheck {
  /** The children in the order the list keeps them. */
  readonly regions: RegionNode[];
  /** Every broken invariant, spelled out; empty when the list is sound. */
  readonly problems: string[];
  /** Branch entries whose count of slot 0 is saturated at `CANDIDATE_COUNT_CAP`. */
  readonly saturated: number;
}

/**
 * Checks `owner`'s children list: one child kept inline, or a B+tree whose leaves all lie at one
 * depth, whose blocks other than the root are at least a quarter full (a root leaf holds two
 * children or more, a root branch two blocks or more), whose back pointers (`leaf`, `parent`,
 * `position`) and leaf links agree with the structure, whose leaf entries are each child's offset
 * and end, in ascending order, after the end each leaf keeps for the child before it, and whose
 * branch entries are each block's first offset, largest gap and, for the slots in use, its
 * candidate count recounted from its gaps (saturated). Also checks the owner's `lastEnd`.
 */
export function checkChildren(owner: VmarNode): ChildrenCheck {
  const walk = new ChildrenWalk(owner.candidateIndex);
  const children = owner.children;
  if (children instanceof ChildBlock) {
    if (children.parent !== null) walk.problems.push('the root block has a parent');
    const { largest } = walk.block(children, 0, true);
    const remembered = children.rootLargestGap;
    if (remembered !== -1 && remembered !== largest) {
      walk.problems.push(`the root remembers a largest gap of ${remembered}, not ${largest}`);
    }
    walk.checkLeafLinks();
  } else if (children !== null) {
    walk.regions.push(children);
    if (children.leaf !== null) walk.problems.push('the only child points at a leaf');
    walk.previousEnd = children.offset + children.size;
  }
  if (owner.lastEnd !== walk.previousEnd) {
    walk.problems.push(`lastEnd is ${owner.lastEnd}, not ${walk.previousEnd}`);
  }
  return { regions: walk.regions, problems: walk.problems, saturated: walk.saturated };
}

/** What a block holds, recounted: candidates per slot (unsaturated) and its largest gap. */
interface BlockSummary {
  readonly count0: number;
  readonly count1: number;
  readonly largest: number;
}

/** One walk of a children list in address order, gathering what `checkChildren` answers. */
class ChildrenWalk {
  readonly regions: RegionNode[] = [];
  readonly problems: string[] = [];
  readonly leaves: ChildBlock[] = [];
  saturated = 0;
  /** The depth of the first leaf met; -1 before it. */
  leafDepth = -1;
  /** The end of the last child met (0 before the first). */
  previousEnd = 0;

  constructor(readonly counts: CandidateIndex | null) {}

  /** Checks `block` and everything below it. */
  block(block: ChildBlock, depth: number, isRoot: boolean): BlockSummary {
    const where = `${block.isLeaf ? 'leaf' : 'branch'} at depth ${depth}`;
    const capacity = block.isLeaf ? LEAF_CAPACITY : BRANCH_CAPACITY;
    if (block.length > block.capacity || block.capacity > capacity) {
      this.problems.push(`${where}: length ${block.length}, capacity ${block.capacity}`);
    }
    const minimum = isRoot ? 2 : capacity / 4;
    if (block.length < minimum) this.problems.push(`${where}: only ${block.length} entries`);
    for (let at = block.length; at < block.items.length; at++) {
      if (block.items[at] !== undefined) this.problems.push(`${where}: stale item at ${at}`);
    }
    return block.isLeaf ? this.leaf(block, depth, where) : this.branch(block, depth, where);
  }

  /** Checks a leaf's depth, its entries against its children, and their order. */
  private leaf(block: ChildBlock, depth: number, where: string): BlockSummary {
    const numbers = block.numbers;
    const counts = this.counts;
    if (this.leafDepth === -1) this.leafDepth = depth;
    if (depth !== this.leafDepth) {
      this.problems.push(`${where}: leaves at depths ${this.leafDepth} and ${depth}`);
    }
    this.leaves.push(block);
    if (numbers[2 * block.capacity] !== this.previousEnd) {
      const kept = numbers[2 * block.capacity];
      this.problems.push(`${where}: keeps ${kept} as the end before it, not ${this.previousEnd}`);
    }
    let count0 = 0;
    let count1 = 0;
    let largest = 0;
    for (let at = 0; at < block.length; at++) {
      const region = block.items[at] as RegionNode;
      this.regions.push(region);
      if (region.leaf !== block) this.problems.push(`${where}: child ${at} points at another leaf`);
      const offset = numbers[at] as number;
      const gap = offset - this.previousEnd;
      if (offset !== region.offset || numbers[block.capacity + at] !== offset + region.size) {
        this.problems.push(`${where}: child ${at} stored as ${offset}, not ${region.offset}`);
      }
      if (gap < 0) {
        this.problems.push(`${where}: child ${at} at ${offset} overlaps ${this.previousEnd}`);
      }
      this.previousEnd = offset + region.size;
      if (gap > largest) largest = gap;
      if (counts !== null) {
        count0 += gapCandidates(offset - gap, offset, counts.size0, counts.align0, counts.phase0);
        count1 += gapCandidates(offset - gap, offset, counts.size1, counts.align1, counts.phase1);
      }
    }
    return { count0, count1, largest };
  }

  /** Checks a branch's back pointers and entries against its blocks, recounted. */
  private branch(block: ChildBlock, depth: number, where: string): BlockSummary {
    const numbers = block.numbers;
    const capacity = block.capacity;
    let count0 = 0;
    let count1 = 0;
    let largest = 0;
    for (let at = 0; at < block.length; at++) {
      const child = block.items[at] as ChildBlock;
      if (!(child instanceof ChildBlock) || child.parent !== block || child.position !== at) {
        this.problems.push(`${where}: block ${at} does not point back`);
        continue;
      }
      const summary = this.block(child, depth + 1, false);
      const entry = `${where}, entry ${at}`;
      if (numbers[at] !== child.numbers[0]) this.problems.push(`${entry}: stale first offset`);
      if (numbers[capacity + at] !== summary.largest) {
        this.problems.push(`${entry}: largest gap stale`);
      }
      this.checkCount(entry, 0, numbers[2 * capacity + at] as number, summary.count0);
      this.checkCount(entry, 1, numbers[3 * capacity + at] as number, summary.count1);
      count0 += summary.count0;
      count1 += summary.count1;
      if (summary.largest > largest) largest = summary.largest;
    }
    return { count0, count1, largest };
  }

  /** Checks the `stored` count of `slot` (when in use) against `exact`, saturated. */
  private checkCount(entry: string, slot: number, stored: number, exact: number): void {
    const counts = this.counts;
    if (counts === null || (slot === 0 ? counts.size0 : counts.size1) === 0) return;
    if (stored !== Math.min(exact, CANDIDATE_COUNT_CAP)) {
      this.problems.push(`${entry}: count of slot ${slot} is ${stored}, not ${exact}`);
    }
    if (slot === 0 && stored === CANDIDATE_COUNT_CAP) this.saturated++;
  }

  /** Checks that the leaves met link to each other in address order. */
  checkLeafLinks(): void {
    const leaves = this.leaves;
    for (let index = 0; index < leaves.length; index++) {
      const leaf = leaves[index] as ChildBlock;
      if (
        leaf.previous !== (leaves[index - 1] ?? null) ||
        leaf.next !== (leaves[index + 1] ?? null)
      ) {
        this.problems.push(`leaf ${index} of ${leaves.length} is linked out of order`);
      }
    }
  }
}
