import type { Vmar } from '@vmars/address-space';
import { ThreadCreateVmars } from '@vmars/growable-vmars';
import type { CreateHandles } from './libc-thread-storage.js';
import type { BlockKind } from './thread-layout.js';

/**
 * Where a new thread's blocks come from: `compact` — the VMARs `ThreadCreateVmars` probes for
 * (Starnix today, semantics §8); `root` — the root VMAR for all three, placed by ASLR (Starnix
 * before ThreadCreateVmars existed, when libc's handles were `zx_vmar_root_self()`).
 */
export type PolicyName = 'compact' | 'root';
export const POLICY_NAMES: readonly PolicyName[] = ['compact', 'root'];

/** A compact VMAR and the list (the block kind) it belongs to. */
export interface CompactVmarRecord {
  readonly list: BlockKind;
  readonly base: number;
  readonly size: number;
}

/** One policy, bound to a root VMAR. */
export interface ThreadVmarPolicy {
  readonly name: PolicyName;
  /**
   * The three VMAR handles for the next thread (libc's `thrd_zx_create_handles_t`).
   * @throws Errno `ENOMEM` when a list can neither find room nor grow (the creation fails).
   */
  createHandles(): CreateHandles;
  /** The compact VMARs so far, per list, front first. Empty for `root`. */
  compactVmars(): readonly CompactVmarRecord[];
  compactVmarCount(): number;
  /** Releases what the policy holds; throws if a thread's blocks are still inside. */
  dispose(): void;
}

export interface PolicyOptions {
  readonly vmarSize: number;
  readonly probeSize: number;
}

/** The policy named `name`, carving from `root`. */
export function createPolicy(
  name: PolicyName,
  root: Vmar,
  options: PolicyOptions,
): ThreadVmarPolicy {
  return name === 'compact' ? compactPolicy(root, options) : rootPolicy(root);
}

function compactPolicy(root: Vmar, options: PolicyOptions): ThreadVmarPolicy {
  // One ThreadCreateVmars for the whole "kernel", as Starnix keeps one in `kernel.expando` (§8).
  const vmars = new ThreadCreateVmars(root, {
    vmarSize: options.vmarSize,
    probeSize: options.probeSize,
  });
  const lists: readonly [BlockKind, typeof vmars.machineStack][] = [
    ['machine-stack', vmars.machineStack],
    ['security-stack', vmars.securityStack],
    ['thread-block', vmars.threadBlock],
  ];
  return {
    name: 'compact',
    createHandles() {
      // The order of Starnix's `execute_task`; the first probe that throws aborts the creation.
      const machineStack = vmars.machineStack.probe();
      const securityStack = vmars.securityStack.probe();
      const threadBlock = vmars.threadBlock.probe();
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
      return vmars.machineStack.length + vmars.securityStack.length + vmars.threadBlock.length;
    },
    dispose() {
      vmars[Symbol.dispose]();
    },
  };
}

function rootPolicy(root: Vmar): ThreadVmarPolicy {
  const handles: CreateHandles = {
    'machine-stack': root,
    'security-stack': root,
    'thread-block': root,
  };
  return {
    name: 'root',
    createHandles: () => handles,
    compactVmars: () => [],
    compactVmarCount: () => 0,
    dispose() {},
  };
}
