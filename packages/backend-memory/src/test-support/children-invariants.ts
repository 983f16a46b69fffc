import { gapCandidates } from '../candidate-counts.js';
import { CANDIDATE_COUNT_CAP } from '../candidate-index.js';
import { BRANCH_CAPACITY, ChildBlock, LEAF_CAPACITY } from '../child-block.js';
import type { RegionNode, VmarNode } from '../region-node.js';
import { lastLeaf } from '../tree-structure.js';

/*
 * The invariants of a VMAR's children list (region-tree.ts), checked from scratch: the structure
 * the region tree's and the candidate index's tests hold every update against. Used only by tests.
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
 * candidate count recounted from its gaps (saturated). Also checks the owner's `lastEnd` (except
 * in the root VMAR).
 */
export function checkChildren(owner: VmarNode): ChildrenCheck {
  const regions: RegionNode[] = [];
  const problems: string[] = [];
  let saturated = 0;
  const counts = owner.candidateIndex;
  const children = owner.children;
  const leaves: ChildBlock[] = [];
  let leafDepth = -1;
  let previousEnd = 0;

  /** Exact candidates per slot, largest gap and first offset of the block; records its leaves. */
  function walk(block: ChildBlock, depth: number, isRoot: boolean): [number, number, number] {
    const where = `${block.isLeaf ? 'leaf' : 'branch'} at depth ${depth}`;
    const capacity = block.isLeaf ? LEAF_CAPACITY : BRANCH_CAPACITY;
    if (block.length > block.capacity || block.capacity > capacity) {
      problems.push(`${where}: length ${block.length}, capacity ${block.capacity}`);
    }
    const minimum = isRoot ? 2 : capacity / 4;
    if (block.length < minimum) problems.push(`${where}: only ${block.length} entries`);
    for (let at = block.length; at < block.items.length; at++) {
      if (block.items[at] !== undefined) problems.push(`${where}: stale item at ${at}`);
    }
    const numbers = block.numbers;
    let count0 = 0;
    let count1 = 0;
    let maxGap = 0;
    if (block.isLeaf) {
      if (leafDepth === -1) leafDepth = depth;
      if (depth !== leafDepth)
        problems.push(`${where}: leaves at depths ${leafDepth} and ${depth}`);
      leaves.push(block);
      if (numbers[2 * block.capacity] !== previousEnd) {
        problems.push(
          `${where}: keeps ${numbers[2 * block.capacity]} as the end before it, not ${previousEnd}`,
        );
      }
      for (let at = 0; at < block.length; at++) {
        const region = block.items[at] as RegionNode;
        regions.push(region);
        if (region.leaf !== block) problems.push(`${where}: child ${at} points at another leaf`);
        const offset = numbers[at] as number;
        const gap = offset - previousEnd;
        if (offset !== region.offset || numbers[block.capacity + at] !== offset + region.size) {
          problems.push(`${where}: child ${at} stored as ${offset}, not ${region.offset}`);
        }
        if (gap < 0) problems.push(`${where}: child ${at} at ${offset} overlaps ${previousEnd}`);
        previousEnd = offset + region.size;
        if (gap > maxGap) maxGap = gap;
        if (counts !== null) {
          count0 += gapCandidates(offset - gap, offset, counts.size0, counts.align0, counts.phase0);
          count1 += gapCandidates(offset - gap, offset, counts.size1, counts.align1, counts.phase1);
        }
      }
      return [count0, count1, maxGap];
    }
    const capacityOf = block.capacity;
    for (let at = 0; at < block.length; at++) {
      const child = block.items[at] as ChildBlock;
      if (!(child instanceof ChildBlock) || child.parent !== block || child.position !== at) {
        problems.push(`${where}: block ${at} does not point back`);
        continue;
      }
      const [child0, child1, childMax] = walk(child, depth + 1, false);
      const entry = `${where}, entry ${at}`;
      if (numbers[at] !== child.numbers[0]) problems.push(`${entry}: stale first offset`);
      if (numbers[capacityOf + at] !== childMax) problems.push(`${entry}: largest gap stale`);
      if (counts !== null && counts.size0 !== 0) {
        const stored = numbers[2 * capacityOf + at] as number;
        if (stored !== Math.min(child0, CANDIDATE_COUNT_CAP)) {
          problems.push(`${entry}: count of slot 0 is ${stored}, not ${child0}`);
        }
        if (stored === CANDIDATE_COUNT_CAP) saturated++;
      }
      if (counts !== null && counts.size1 !== 0) {
        const stored = numbers[3 * capacityOf + at] as number;
        if (stored !== Math.min(child1, CANDIDATE_COUNT_CAP)) {
          problems.push(`${entry}: count of slot 1 is ${stored}, not ${child1}`);
        }
      }
      count0 += child0;
      count1 += child1;
      if (childMax > maxGap) maxGap = childMax;
    }
    return [count0, count1, maxGap];
  }

  if (children instanceof ChildBlock) {
    if (children.parent !== null) problems.push('the root block has a parent');
    const [, , rootMax] = walk(children, 0, true);
    const remembered = children.rootLargestGap;
    if (remembered !== -1 && remembered !== rootMax) {
      problems.push(`the root remembers a largest gap of ${remembered}, not ${rootMax}`);
    }
    for (let index = 0; index < leaves.length; index++) {
      const leaf = leaves[index] as ChildBlock;
      if (
        leaf.previous !== (leaves[index - 1] ?? null) ||
        leaf.next !== (leaves[index + 1] ?? null)
      ) {
        problems.push(`leaf ${index} of ${leaves.length} is linked out of order`);
      }
    }
  } else if (children !== null) {
    regions.push(children);
    if (children.leaf !== null) problems.push('the only child points at a leaf');
    previousEnd = children.offset + children.size;
  }
  if (owner.lastEnd !== previousEnd) {
    problems.push(`lastEnd is ${owner.lastEnd}, not ${previousEnd}`);
  }
  return { regions, problems, saturated };
}
