import { ENOMEM, Errno, statusName, type Vmar, ZxError } from '@vmars/address-space';
import {
  assertVmar,
  CompactVmar,
  CompactVmarError,
  optionsObject,
  PROBE_SIZE,
  positiveSize,
  VMAR_SIZE,
} from '@vmars/compact-vmar';

/** Options of `GrowableVmars` and `ThreadCreateVmars`. The defaults are the seed's. */
export interface GrowableVmarsOptions {
  /** Size of each compact VMAR; default `VMAR_SIZE` (1 GiB). */
  readonly vmarSize?: number;
  /** Size each VMAR is probed with; default `PROBE_SIZE` (32 MiB). At most `vmarSize`. */
  readonly probeSize?: number;
}

const optionKeys = ['vmarSize', 'probeSize'] as const;

/** Checked, defaulted options; shared with `ThreadCreateVmars`. */
export function resolveGrowableVmarsOptions(options: unknown): Required<GrowableVmarsOptions> {
  const { vmarSize = VMAR_SIZE, probeSize = PROBE_SIZE } = optionsObject(
    options,
    optionKeys,
    'GrowableVmars options',
  );
  const checkedVmarSize = positiveSize(vmarSize, 'GrowableVmars option "vmarSize"');
  const checkedProbeSize = positiveSize(probeSize, 'GrowableVmars option "probeSize"');
  if (checkedProbeSize > checkedVmarSize) {
    // Every probe would fail and every call would allocate a new VMAR until ENOMEM.
    throw new CompactVmarError(
      'INVALID_ARGUMENT',
      `GrowableVmars option "probeSize" (${String(checkedProbeSize)}) must not exceed "vmarSize" (${String(checkedVmarSize)})`,
    );
  }
  return { vmarSize: checkedVmarSize, probeSize: checkedProbeSize };
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
    assertVmar(parent, 'GrowableVmars parent');
    const resolved = resolveGrowableVmarsOptions(options);
    this.#parent = parent;
    this.#vmarSize = resolved.vmarSize;
    this.#probeSize = resolved.probeSize;
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
   * @throws Errno `ENOMEM` when every VMAR is full and no new one can be allocated; the list is
   *   then unchanged. `CompactVmarError` `DISPOSED` after disposal.
   */
  probe(): Vmar {
    if (this.#disposed) {
      throw new CompactVmarError('DISPOSED', 'this GrowableVmars was already disposed');
    }
    const ring = this.#ring;
    const length = ring.length;
    for (let index = 0; index < length; index++) {
      const position = (this.#head + index) % length;
      const candidate = ring[position] as CompactVmar;
      if (candidate.probe(this.#probeSize)) {
        // VecDeque::rotate_left(index): the VMARs passed over move to the back, in order.
        this.#head = position;
        return candidate.vmar;
      }
    }
    // All the VMARs were full. Allocate a new VMAR to return.
    const created = CompactVmar.tryCreate(this.#parent, { size: this.#vmarSize });
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
}
