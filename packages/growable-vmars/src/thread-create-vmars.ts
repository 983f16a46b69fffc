import { checkOptionsObject, type Vmar } from '@vmars/address-space';
import { CompactVmarError } from '@vmars/compact-vmar';
import { GrowableVmars, type GrowableVmarsOptions } from './growable-vmars.js';
import { invalidArgument } from './validate.js';

/** Options of `ThreadCreateVmars`: each list's, and whether the three share one list. */
export interface ThreadCreateVmarsOptions extends GrowableVmarsOptions {
  /**
   * One list for all three block kinds instead of three (`machineStack`, `securityStack` and
   * `threadBlock` are then the same `GrowableVmars`); default `false`, the seed's three lists.
   */
  readonly sharedList?: boolean;
}

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
  constructor(parent: Vmar, options?: ThreadCreateVmarsOptions) {
    const { sharedList = false, ...listOptions } = checkOptionsObject(
      options,
      ['vmarSize', 'probeSize', 'align', 'keepSpare', 'sharedList'],
      'ThreadCreateVmars options',
      invalidArgument,
    );
    if (typeof sharedList !== 'boolean') {
      throw new CompactVmarError(
        'INVALID_ARGUMENT',
        `ThreadCreateVmars option "sharedList" must be true or false, got ${String(sharedList)}`,
      );
    }
    // `undefined` values stay out, so that an absent option and an undefined one mean the same.
    const definedOptions = Object.fromEntries(
      Object.entries(listOptions).filter(([, value]) => value !== undefined),
    ) as GrowableVmarsOptions;
    this.machineStack = new GrowableVmars(parent, definedOptions);
    this.securityStack = sharedList ? this.machineStack : new GrowableVmars(parent, definedOptions);
    this.threadBlock = sharedList ? this.machineStack : new GrowableVmars(parent, definedOptions);
    this.sharedList = sharedList;
  }

  /** Whether the three block kinds share one list (the `sharedList` option). */
  readonly sharedList: boolean;

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
    // A shared list appears three times; disposing it once is enough (twice does nothing).
    for (const list of this.lists) list.assertEmpty();
    for (const list of this.lists) list[Symbol.dispose]();
  }
}
