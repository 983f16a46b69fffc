import type { Vmar } from '@vmars/address-space';
import { ThreadCreateVmars } from '@vmars/growable-vmars';
import type { CreateHandles } from './libc-thread-storage.js';
import type { BlockKind } from './thread-layout.js';

/**
 * The built-in policies, by name: `compact` — the VMARs `ThreadCreateVmars` probes for (Starnix
 * today, semantics §8); `root` — the root VMAR for all three, placed by ASLR (Starnix before
 * ThreadCreateVmars existed, when libc's handles were `zx_vmar_root_self()`).
 */
export type PolicyName = 'compact' | 'root';
export const POLICY_NAMES: readonly PolicyName[] = ['compact', 'root'];

/**
 * The list a compact VMAR belongs to: a block kind, or `shared` when one list serves all three
 * (the lab's `shared-list` policy).
 */
export type CompactVmarList = BlockKind | 'shared';

/** A compact VMAR and the list (the block kind) it belongs to. */
export interface CompactVmarRecord {
  readonly list: CompactVmarList;
  readonly base: number;
  readonly size: number;
}

/**
 * One policy, bound to a root VMAR: where each new thread's three blocks are carved from. The
 * engine calls `createHandles` once per creation, then libc's allocations happen in the VMARs it
 * returned; `compactVmarCount` is read after every event (keep it O(1)), `compactVmars` only when
 * that count changes and at samples.
 */
export interface ThreadVmarPolicy {
  readonly name: string;
  /**
   * The three VMAR handles for the next thread (libc's `thrd_zx_create_handles_t`).
   * @throws Errno `ENOMEM` when a list can neither find room nor grow (the creation fails).
   */
  createHandles(): CreateHandles;
  /** The compact VMARs the policy holds now, per list, front first. Empty for `root`. */
  compactVmars(): readonly CompactVmarRecord[];
  compactVmarCount(): number;
  /** Releases what the policy holds; throws if a thread's blocks are still inside. */
  dispose(): void;
}

export interface PolicyOptions {
  readonly vmarSize: number;
  readonly probeSize: number;
}

/**
 * A policy the engine can run: a name (the report's `policy`) and how to bind it to a root. The
 * built-in ones are in `POLICIES`; a caller may pass its own to `runWorkload`.
 */
export interface ThreadVmarPolicyDefinition {
  readonly name: string;
  create(root: Vmar, options: PolicyOptions): ThreadVmarPolicy;
}

/** The built-in policies. */
export const POLICIES: Readonly<Record<PolicyName, ThreadVmarPolicyDefinition>> = {
  compact: { name: 'compact', create: (root, options) => compactPolicy(root, options) },
  root: { name: 'root', create: (root) => rootPolicy(root) },
};

/** The built-in policy named `name`, carving from `root`. */
export function createPolicy(
  name: PolicyName,
  root: Vmar,
  options: PolicyOptions,
): ThreadVmarPolicy {
  return POLICIES[name].create(root, options);
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
