import type { Architecture } from '@vmars/address-space';
import { securityStackGrowsUp } from './architecture.js';

/** The three blocks libc allocates for a thread (semantics §7). */
export type BlockKind = 'machine-stack' | 'security-stack' | 'thread-block';
/** Every `BlockKind`, in the order of the thread's VMO. */
export const BLOCK_KINDS: readonly BlockKind[] = [
  'machine-stack',
  'security-stack',
  'thread-block',
];

/**
 * `sizeof(Thread)` (libc's `struct __pthread`, which holds the TSD slots among other things). The
 * semantics doc does not give it; 2 KiB is an estimate. It only matters when TLS plus this crosses
 * a page boundary.
 */
export const THREAD_STRUCT_SIZE = 2048;

/** One block: its size, its guard pages and where in the thread's VMO its pages come from. */
export interface BlockLayout {
  readonly kind: BlockKind;
  /** The mapped bytes (a whole number of pages). */
  readonly size: number;
  readonly guardBelow: number;
  readonly guardAbove: number;
  /** The child VMAR's size: guard below + block + guard above. */
  readonly wholeSize: number;
  /** Where the block's pages sit in the thread's one VMO. */
  readonly vmoOffset: number;
  /** Which way the block grows as it is used, for `--touched stack-top`. */
  readonly grows: 'down' | 'up' | 'not';
}

/** What libc allocates for every thread: its blocks in allocation order, and the VMO's size. */
export interface ThreadLayout {
  /** Largest first: libc allocates "the largest blocks first to minimize fragmentation" (§7). */
  readonly blocks: readonly BlockLayout[];
  readonly vmoSize: number;
  readonly mappedPerThread: number;
  readonly reservedPerThread: number;
}

/** What `threadLayout` needs: the architecture, the backend's page size, and libc's sizes. */
export interface ThreadLayoutOptions {
  readonly architecture: Architecture;
  readonly pageSize: number;
  /** The machine stack's size; the security stack gets the same (§7). */
  readonly stackSize: number;
  readonly tlsSize: number;
  /** Guard pages below a stack; musl's default is one page (§7). */
  readonly stackGuardSize?: number;
}

/**
 * The blocks of one thread as Fuchsia's libc lays them out (semantics §7): the machine stack with
 * its guard below; the security stack of the same size, guard below on x86-64 (SafeStack grows
 * down) and above elsewhere (ShadowCallStack grows up); the thread block (page-rounded TLS plus
 * the thread struct) with one guard page on each side. One VMO backs all three, in that order.
 */
export function threadLayout(options: ThreadLayoutOptions): ThreadLayout {
  const { architecture, pageSize, stackSize, tlsSize } = options;
  const guard = options.stackGuardSize ?? pageSize;
  const roundUp = (bytes: number): number => Math.ceil(bytes / pageSize) * pageSize;
  const stack = roundUp(stackSize);
  const threadBlock = roundUp(tlsSize + THREAD_STRUCT_SIZE);
  const securityUp = securityStackGrowsUp(architecture);

  const machineStack: BlockLayout = {
    kind: 'machine-stack',
    size: stack,
    guardBelow: guard,
    guardAbove: 0,
    wholeSize: guard + stack,
    vmoOffset: 0,
    grows: 'down',
  };
  const securityStack: BlockLayout = {
    kind: 'security-stack',
    size: stack,
    guardBelow: securityUp ? 0 : guard,
    guardAbove: securityUp ? guard : 0,
    wholeSize: guard + stack,
    vmoOffset: stack,
    grows: securityUp ? 'up' : 'down',
  };
  const block: BlockLayout = {
    kind: 'thread-block',
    size: threadBlock,
    guardBelow: pageSize,
    guardAbove: pageSize,
    wholeSize: pageSize + threadBlock + pageSize,
    vmoOffset: 2 * stack,
    grows: 'not',
  };
  // "Thread block first only if it is ≥ the stack size" (§7); the sort is stable otherwise.
  const blocks =
    threadBlock >= stack
      ? [block, machineStack, securityStack]
      : [machineStack, securityStack, block];
  return {
    blocks,
    vmoSize: 2 * stack + threadBlock,
    mappedPerThread: 2 * stack + threadBlock,
    reservedPerThread: blocks.reduce((sum, each) => sum + each.wholeSize, 0),
  };
}

/** The block a mapping belongs to, told by where its pages sit in the thread's VMO. */
export function blockAtVmoOffset(layout: ThreadLayout, vmoOffset: number): BlockLayout | undefined {
  return layout.blocks.find(
    (block) => vmoOffset >= block.vmoOffset && vmoOffset < block.vmoOffset + block.size,
  );
}
