import type { Vmar } from '@vmars/address-space';
import { GrowableVmars, type GrowableVmarsOptions } from './growable-vmars.js';

/**
 * VMARs suitable for creating new threads: one `GrowableVmars` for each of the three allocations
 * libc performs on thread creation (see `thrd_zx_create_handles_t` in `zircon/threads.h`,
 * semantics §7). The port of the seed's `ThreadCreateVmars`.
 */
export class ThreadCreateVmars {
  /** VMARs for the machine stack. */
  readonly machineStack: GrowableVmars;
  /** VMARs for the security stack (unsafe stack on x86, shadow call stack on others). */
  readonly securityStack: GrowableVmars;
  /** VMARs for the thread control block and thread-local storage. */
  readonly threadBlock: GrowableVmars;

  /**
   * Creates a `ThreadCreateVmars` with empty VMAR lists, all carving from `parent`.
   *
   * @throws CompactVmarError `INVALID_ARGUMENT` for a bad parent or option.
   */
  constructor(parent: Vmar, options?: GrowableVmarsOptions) {
    this.machineStack = new GrowableVmars(parent, options);
    this.securityStack = new GrowableVmars(parent, options);
    this.threadBlock = new GrowableVmars(parent, options);
  }

  /** The three lists, in the order of `thrd_zx_create_handles_t`. */
  get lists(): readonly [GrowableVmars, GrowableVmars, GrowableVmars] {
    return [this.machineStack, this.securityStack, this.threadBlock];
  }

  /**
   * Destroys every compact VMAR of the three lists, after checking that all are empty: if a
   * thread's block is still inside one, this throws a `CompactVmarError` (`IN_USE`) and every
   * VMAR stays in place.
   */
  [Symbol.dispose](): void {
    for (const list of this.lists) list.assertEmpty();
    for (const list of this.lists) list[Symbol.dispose]();
  }
}
