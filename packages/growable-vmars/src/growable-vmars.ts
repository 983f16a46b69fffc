import {
  checkOptionsObject,
  checkPositiveSize,
  checkVmarHandle,
  ENOMEM,
  Errno,
  statusName,
  type Vmar,
  ZxError,
} from '@vmars/address-space';
import {
  alignFlag,
  CompactVmar,
  CompactVmarError,
  PROBE_SIZE,
  VMAR_SIZE,
} from '@vmars/compact-vmar';
import { invalidArgument } from './validate.js';

/** Options of `GrowableVmars` and `ThreadCreateVmars`. The defaults are the seed's. */
export interface GrowableVmarsOptions {
  /** Size of each compact VMAR; default `VMAR_SIZE` (1 GiB). */
  readonly vmarSize?: number;
  /** Size each VMAR is probed with; default `PROBE_SIZE` (32 MiB). At most `vmarSize`. */
  readonly probeSize?: number;
  /**
   * A `ZX_VM_ALIGN_*` flag for each new compact VMAR (`VmarFlags.ALIGN_1GB`), or 0 (default): none,
   * as the seed. See `CompactVmarOptions.align`.
   */
  readonly align?: number;
  /**
   * If set, `probe()` first releases the empty compact VMARs beyond this many spare ones
   * (`releaseEmpty(keepSpare)`); default `undefined`: the list never shrinks, as the seed's.
   */
  readonly keepSpare?: number | undefined;
}

const optionKeys = ['vmarSize', 'probeSize', 'align', 'keepSpare'] as const;

/** Checked, defaulted options; shared with `ThreadCreateVmars`. */
export function resolveGrowableVmarsOptions(
  options: unknown,
): Required<Omit<GrowableVmarsOptions, 'keepSpare'>> & { readonly keepSpare: number | undefined } {
  const {
    vmarSize = VMAR_SIZE,
    probeSize = PROBE_SIZE,
    align = 0,
    keepSpare,
  } = checkOptionsObject(options, optionKeys, 'GrowableVmars options', invalidArgument);
  const checkedVmarSize = checkPositiveSize(
    vmarSize,
    'GrowableVmars option "vmarSize"',
    invalidArgument,
  );
  const checkedProbeSize = checkPositiveSize(
    probeSize,
    'GrowableVmars option "probeSize"',
    invalidArgument,
  );
  if (checkedProbeSize > checkedVmarSize) {
    // Every probe would fail and every call would allocate a new VMAR until ENOMEM.
    throw new CompactVmarError(
      'INVALID_ARGUMENT',
      `GrowableVmars option "probeSize" (${String(checkedProbeSize)}) must not exceed "vmarSize" (${String(checkedVmarSize)})`,
    );
  }
  return {
    vmarSize: checkedVmarSize,
    probeSize: checkedProbeSize,
    align: alignFlag(align, 'GrowableVmars option "align"'),
    keepSpare: keepSpare === undefined ? undefined : spareCount(keepSpare),
  };
}

function spareCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new CompactVmarError(
      'INVALID_ARGUMENT',
      `GrowableVmars option "keepSpare" must be a non-negative safe integer, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * A list of compact VMARs that grows, but never shrinks, to support additional allocations: the
 * port of the seed's `GrowableVmars`.
 *
 * It does not track allocations and frees; it probes just before each allocation for a VMAR that
 * has room. The list is a ring (the seed's `VecDeque`): `rotate_left` moves the head, so passing
 * over full VMARs costs no copying.
 */
export class GrowableVmars {
  readonly #parent: Vmar;
  readonly #vmarSize: number;
  readonly #probeSize: number;
  readonly #align: number;
  readonly #keepSpare: number | undefined;
  // Ring of exactly `#ring.length` VMARs; the front is `#ring[#head]`.
  #ring: CompactVmar[] = [];
  #head = 0;
  #disposed = false;

  /**
   * @param parent the VMAR the compact VMARs are allocated from (in Starnix, the root VMAR of the
   *   shared region, `zx_vmar_root_self()`).
   * @throws CompactVmarError `INVALID_ARGUMENT` for a parent that is not a VMAR handle or a bad
   *   option.
   */
  constructor(parent: Vmar, options?: GrowableVmarsOptions) {
    checkVmarHandle(parent, 'GrowableVmars parent', invalidArgument);
    const resolved = resolveGrowableVmarsOptions(options);
    this.#parent = parent;
    this.#vmarSize = resolved.vmarSize;
    this.#probeSize = resolved.probeSize;
    this.#align = resolved.align;
    this.#keepSpare = resolved.keepSpare;
  }

  /** The compact VMARs, front first (the order `probe()` searches them in); a snapshot. */
  get vmars(): readonly CompactVmar[] {
    const length = this.#ring.length;
    const ordered = new Array<CompactVmar>(length);
    for (let index = 0; index < length; index++) {
      ordered[index] = this.#ring[(this.#head + index) % length] as CompactVmar;
    }
    return Object.freeze(ordered);
  }

  /** How many compact VMARs the list holds. */
  get length(): number {
    return this.#ring.length;
  }

  /** True once disposed. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Returns the handle of a VMAR that has at least `probeSize` bytes free: the first in order
   * whose probe succeeds, rotated to the front (the full ones before it go to the back, in
   * order); if none has room, a new compact VMAR pushed to the front. The handle stays owned by
   * this list: pass it to libc, do not close it.
   *
   * @param size what to probe with instead of the list's `probeSize`, for a caller that knows the
   *   exact size libc will carve (guards included); at most `vmarSize`.
   * @throws Errno `ENOMEM` when every VMAR is full and no new one can be allocated; the list is
   *   then unchanged. `CompactVmarError` `DISPOSED` after disposal, `INVALID_ARGUMENT` for a bad
   *   `size`.
   */
  probe(size: number = this.#probeSize): Vmar {
    if (this.#disposed) {
      throw new CompactVmarError('DISPOSED', 'this GrowableVmars was already disposed');
    }
    const probeSize = size === this.#probeSize ? size : this.#checkedProbeSize(size);
    if (this.#keepSpare !== undefined) this.releaseEmpty(this.#keepSpare);
    const ring = this.#ring;
    const length = ring.length;
    for (let index = 0; index < length; index++) {
      const position = (this.#head + index) % length;
      const candidate = ring[position] as CompactVmar;
      if (candidate.probe(probeSize)) {
        // VecDeque::rotate_left(index): the VMARs passed over move to the back, in order.
        this.#head = position;
        return candidate.vmar;
      }
    }
    // All the VMARs were full. Allocate a new VMAR to return.
    const created = CompactVmar.tryCreate(this.#parent, {
      size: this.#vmarSize,
      align: this.#align,
    });
    if (!created.ok) {
      throw new Errno(
        ENOMEM,
        `no compact VMAR of ${String(this.#vmarSize)} bytes could be allocated from the parent (${statusName(created.status)})`,
        { cause: new ZxError(created.status, 'zx_vmar_allocate') },
      );
    }
    const ordered = this.vmars;
    this.#ring = [created.value, ...ordered];
    this.#head = 0;
    return created.value.vmar;
  }

  /**
   * Destroys the compact VMARs that are empty (`CompactVmar.isEmpty`, the seed's `Drop` check),
   * keeping the first `keep` empty ones in list order, and never the front one: the front is what
   * the last `probe()` returned, which libc may not have carved from yet (a creation probes every
   * list before libc allocates, and a shared list returns its front to all three). The others keep
   * their order. Returns how many were destroyed. The seed never shrinks; this is the lab's knob.
   *
   * @throws CompactVmarError `INVALID_ARGUMENT` for a bad `keep`, `DISPOSED` after disposal.
   */
  releaseEmpty(keep = 0): number {
    const checkedKeep = spareCount(keep);
    if (this.#disposed) {
      throw new CompactVmarError('DISPOSED', 'this GrowableVmars was already disposed');
    }
    const ordered = this.vmars;
    const kept: CompactVmar[] = [];
    let spare = 0;
    let released = 0;
    for (const [index, compact] of ordered.entries()) {
      const empty = compact.isEmpty();
      if (!empty || index === 0 || spare < checkedKeep) {
        if (empty) spare += 1;
        kept.push(compact);
      } else {
        compact[Symbol.dispose]();
        released += 1;
      }
    }
    if (released > 0) {
      this.#ring = kept;
      this.#head = 0;
    }
    return released;
  }

  /**
   * Throws unless every compact VMAR is empty (see `CompactVmar.assertEmpty`). Nothing changes.
   */
  assertEmpty(): void {
    if (this.#disposed) return;
    for (const compact of this.vmars) compact.assertEmpty();
  }

  /**
   * Destroys every compact VMAR, after checking that all of them are empty: if one still holds a
   * child or mapping, this throws a `CompactVmarError` (`IN_USE`) and destroys none of them.
   * Disposing twice does nothing.
   */
  [Symbol.dispose](): void {
    if (this.#disposed) return;
    this.assertEmpty();
    for (const compact of this.vmars) compact[Symbol.dispose]();
    this.#disposed = true;
  }

  #checkedProbeSize(size: unknown): number {
    const checked = checkPositiveSize(size, 'probe size', invalidArgument);
    if (checked > this.#vmarSize) {
      throw new CompactVmarError(
        'INVALID_ARGUMENT',
        `probe size (${String(checked)}) must not exceed "vmarSize" (${String(this.#vmarSize)})`,
      );
    }
    return checked;
  }
}
