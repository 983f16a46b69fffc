import type { Vmar } from '@vmars/address-space';
import type { CreateHandles } from './libc-thread-storage.js';
import type { BlockKind } from './thread-layout.js';

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
  /** How many compact VMARs the policy holds now (read after every event: keep it O(1)). */
  compactVmarCount(): number;
  /** Releases what the policy holds; throws if a thread's blocks are still inside. */
  dispose(): void;
}

/** The sizes a policy's compact VMARs take: `runWorkload`'s `vmarSize` and `probeSize`. */
export interface PolicyOptions {
  readonly vmarSize: number;
  readonly probeSize: number;
}

/**
 * A policy the engine can run: a name (the report's `policy`) and how to bind it to a root. The
 * built-in ones are named in `NAMED_POLICY_NAMES` (`namedPolicy` makes one); a caller may pass its
 * own to `runWorkload`.
 */
export interface ThreadVmarPolicyDefinition {
  readonly name: string;
  /** Binds the policy to `root`, the VMAR it carves from, for one run. */
  create(root: Vmar, options: PolicyOptions): ThreadVmarPolicy;
}
