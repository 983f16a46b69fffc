import { isAlignExponent, type Vmar } from '@vmars/address-space';
import { type GrowableVmars, ThreadCreateVmars } from '@vmars/growable-vmars';
import type { CreateHandles } from '../libc-thread-storage.js';
import type { BlockKind, ThreadLayout } from '../thread-layout.js';
import type {
  CompactVmarList,
  PolicyOptions,
  ThreadVmarPolicy,
  ThreadVmarPolicyDefinition,
} from '../thread-vmar-policy.js';

/**
 * A point in the compact policy's knob space, beyond the run's `vmarSize` and `probeSize`
 * (`PolicyOptions`). `SEED_KNOBS` is the seed's point.
 */
export interface CompactKnobs {
  /** Alignment of each compact VMAR in bytes: 0 (none, the seed) or a power of two, 1 KiB to 4 GiB. */
  readonly align: number;
  /**
   * `fixed`: probe with the run's `probeSize` (the seed's 32 MiB); `exact`: with the size libc
   * will carve for that block kind, guards included (the policy must be given the layout).
   */
  readonly probe: 'fixed' | 'exact';
  /** `null`: lists never shrink (the seed); k: each probe first releases empty VMARs beyond k. */
  readonly keepSpare: number | null;
  /** One list for the three block kinds instead of three. */
  readonly sharedList: boolean;
}

/** The seed's point: no alignment, a fixed probe, lists that never shrink, three lists. */
export const SEED_KNOBS: CompactKnobs = Object.freeze({
  align: 0,
  probe: 'fixed',
  keepSpare: null,
  sharedList: false,
});

/** The whole size (guards included) libc carves for each block kind: an exact probe's sizes. */
export type BlockSizes = Readonly<Record<BlockKind, number>>;

/** Each block kind's whole size in `layout`. */
export function blockSizes(layout: ThreadLayout): BlockSizes {
  const sizes = Object.fromEntries(layout.blocks.map((block) => [block.kind, block.wholeSize]));
  return sizes as BlockSizes;
}

/** The `ZX_VM_ALIGN_*` flag for an alignment in bytes (0 for none). */
export function alignFlagOf(bytes: number): number {
  if (bytes === 0) return 0;
  const exponent = Math.log2(bytes);
  if (!isAlignExponent(exponent)) {
    throw new RangeError(
      `align must be 0 or a power of two from 1 KiB to 4 GiB, got ${String(bytes)}`,
    );
  }
  return exponent << 24;
}

/**
 * A compact policy at the point `knobs` (missing knobs take the seed's), named `name`. At
 * `SEED_KNOBS` it makes the seed's calls, call for call: it is the built-in `compact` policy. With
 * `probe: 'exact'` it needs `sizes` (see `blockSizes`), and probes each list with its block's
 * size: a yes is then exactly a place libc's allocation fits, because libc allocates with no
 * alignment flag, and a COMPACT VMAR has room for a size wherever any gap is that large.
 */
export function knobPolicy(
  name: string,
  knobs: Partial<CompactKnobs> = {},
  sizes?: BlockSizes,
): ThreadVmarPolicyDefinition {
  const point: CompactKnobs = { ...SEED_KNOBS, ...knobs };
  const align = alignFlagOf(point.align);
  if (point.probe === 'exact' && sizes === undefined) {
    throw new RangeError(`policy ${name}: an exact probe needs the block sizes`);
  }
  return {
    name,
    create: (root, options) => createKnobPolicy(name, root, options, point, align, sizes),
  };
}

function createKnobPolicy(
  name: string,
  root: Vmar,
  options: PolicyOptions,
  knobs: CompactKnobs,
  align: number,
  sizes: BlockSizes | undefined,
): ThreadVmarPolicy {
  // One ThreadCreateVmars for the whole "kernel", as Starnix keeps one in `kernel.expando` (§8).
  const vmars = new ThreadCreateVmars(root, {
    vmarSize: options.vmarSize,
    probeSize: options.probeSize,
    ...(align !== 0 && { align }),
    ...(knobs.keepSpare !== null && { keepSpare: knobs.keepSpare }),
    ...(knobs.sharedList && { sharedList: true }),
  });
  const lists: readonly [CompactVmarList, GrowableVmars][] = knobs.sharedList
    ? [['shared', vmars.machineStack]]
    : [
        ['machine-stack', vmars.machineStack],
        ['security-stack', vmars.securityStack],
        ['thread-block', vmars.threadBlock],
      ];
  const exact = knobs.probe === 'exact' ? sizes : undefined;
  const probe = (list: GrowableVmars, kind: BlockKind): Vmar =>
    exact === undefined ? list.probe() : list.probe(exact[kind]);
  return {
    name,
    createHandles(): CreateHandles {
      // The order of Starnix's `execute_task`; the first probe that throws aborts the creation.
      const machineStack = probe(vmars.machineStack, 'machine-stack');
      const securityStack = probe(vmars.securityStack, 'security-stack');
      const threadBlock = probe(vmars.threadBlock, 'thread-block');
      return {
        'machine-stack': machineStack,
        'security-stack': securityStack,
        'thread-block': threadBlock,
      };
    },
    compactVmars() {
      return lists.flatMap(([list, growable]) =>
        growable.vmars.map((compact) => ({ list, base: compact.address, size: compact.size })),
      );
    },
    compactVmarCount() {
      let count = 0;
      for (const [, growable] of lists) count += growable.length;
      return count;
    },
    dispose() {
      vmars[Symbol.dispose]();
    },
  };
}
