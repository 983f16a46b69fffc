import {
  checkOptionsObject,
  checkPositiveSize,
  checkVmarHandle,
  fail,
  isAlignExponent,
  ok,
  type Result,
  statusName,
  VM_ALIGN_BASE,
  VM_ALIGN_MASK,
  type Vmar,
} from '@vmars/address-space';
import { CompactVmarError } from './compact-vmar-error.js';
import { COMPACT_VMAR_FLAGS, PROBE_FLAGS, VMAR_SIZE } from './constants.js';
import { invalidArgument } from './validate.js';

/** Options of `CompactVmar.create`. The defaults are the seed's. */
export interface CompactVmarOptions {
  /** Size of the VMAR in bytes; default `VMAR_SIZE` (1 GiB). */
  readonly size?: number;
  /**
   * A `ZX_VM_ALIGN_*` flag (`VmarFlags.ALIGN_1GB`, …) added to the allocation, or 0 (default): no
   * alignment flag, as the seed's `CompactVmar::new`. Without it a 1 GiB VMAR usually straddles two
   * 1 GiB page-directory regions; Fuchsia's audio mixer aligns its compact VMAR for that reason.
   */
  readonly align?: number;
}

const optionKeys = ['size', 'align'] as const;

/**
 * A COMPACT VMAR allocated from a parent, that can be probed for room: the port of the seed's
 * `CompactVmar`.
 *
 * Disposal (`using`, or `[Symbol.dispose]()`) destroys the VMAR, but only after checking through
 * `ZX_INFO_VMAR_MAPS` that nothing is inside it; where the Rust `Drop` panics, this throws a
 * `CompactVmarError` and destroys nothing.
 */
export class CompactVmar {
  /** The VMAR's handle: what `GrowableVmars.probe()` hands to libc. */
  readonly vmar: Vmar;
  /** The VMAR's absolute base address. */
  readonly address: number;
  /** The VMAR's size in bytes. */
  readonly size: number;
  #disposed = false;

  private constructor(vmar: Vmar, address: number, size: number) {
    this.vmar = vmar;
    this.address = address;
    this.size = size;
  }

  /**
   * Allocates a COMPACT child of `parent` (flags `COMPACT_VMAR_FLAGS`, 0x1C8, placed by the
   * kernel), or returns the status the allocation failed with.
   *
   * @throws CompactVmarError `INVALID_ARGUMENT` if `parent` is not a VMAR handle or an option is
   *   not a positive safe integer; nothing is allocated then.
   */
  static tryCreate(parent: Vmar, options?: CompactVmarOptions): Result<CompactVmar> {
    const { size = VMAR_SIZE, align = 0 } = checkOptionsObject(
      options,
      optionKeys,
      'CompactVmar options',
      invalidArgument,
    );
    const checkedSize = checkPositiveSize(size, 'CompactVmar option "size"', invalidArgument);
    const checkedAlign = alignFlag(align, 'CompactVmar option "align"');
    checkVmarHandle(parent, 'CompactVmar parent', invalidArgument);
    const allocated = parent.allocate(0, checkedSize, COMPACT_VMAR_FLAGS | checkedAlign);
    if (!allocated.ok) return fail(allocated.status);
    return ok(new CompactVmar(allocated.value.vmar, allocated.value.address, checkedSize));
  }

  /**
   * The seed's `CompactVmar::new()`: the new VMAR, or `undefined` if the parent could not
   * allocate it (Rust's `Option`, which drops the status; `tryCreate` keeps it).
   */
  static create(parent: Vmar, options?: CompactVmarOptions): CompactVmar | undefined {
    const created = CompactVmar.tryCreate(parent, options);
    return created.ok ? created.value : undefined;
  }

  /** True once disposed. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Sees whether this VMAR can hold an allocation of `size` bytes: allocates a child of that size
   * with CAN_MAP_READ (0x80), destroys it at once and closes its handle. Any allocation failure
   * answers `false`, as in the seed.
   *
   * @throws CompactVmarError `INVALID_ARGUMENT` if `size` is not a positive safe integer,
   *   `DISPOSED` after disposal.
   */
  probe(size: number): boolean {
    const checkedSize = checkPositiveSize(size, 'probe size', invalidArgument);
    this.#assertLive();
    const allocated = this.vmar.allocate(0, checkedSize, PROBE_FLAGS);
    if (!allocated.ok) return false;
    const child = allocated.value.vmar;
    // The seed ignores destroy's status ("just allocated this"). Rust closes the child's handle
    // when it drops; TypeScript has none, so close it here or the handle table grows per probe.
    child.destroy();
    child.close();
    return true;
  }

  /**
   * Whether the VMAR is empty: the check the seed's `Drop` makes (`maps(0)` succeeds with
   * `avail === 1`, only the VMAR itself; semantics §5.1), answered instead of thrown. A failed
   * query answers `false`, so that nothing is destroyed on a guess.
   *
   * @throws CompactVmarError `DISPOSED` after disposal.
   */
  isEmpty(): boolean {
    this.#assertLive();
    const maps = this.vmar.maps(0);
    return maps.ok && maps.value.avail === 1;
  }

  /**
   * Throws unless the VMAR is empty, i.e. `maps(0)` succeeds with `avail === 1` (only the VMAR
   * itself; semantics §5.1). This is the check the seed's `Drop` makes before destroying.
   *
   * @throws CompactVmarError `IN_USE` if children or mappings remain, `INFO_FAILED` if the maps
   *   query fails, `DISPOSED` after disposal.
   */
  assertEmpty(): void {
    this.#assertLive();
    const maps = this.vmar.maps(0);
    if (!maps.ok) {
      throw new CompactVmarError(
        'INFO_FAILED',
        `Failed to retrieve vmar maps info of the compact VMAR at 0x${this.address.toString(16)}: ${statusName(maps.status)}`,
      );
    }
    if (maps.value.avail !== 1) {
      throw new CompactVmarError(
        'IN_USE',
        `Vmar has unexpected allocations (found ${String(maps.value.avail)}) in the compact VMAR at 0x${this.address.toString(16)}. Destroying is likely to cause threads to crash`,
      );
    }
  }

  /**
   * Destroys the VMAR after `assertEmpty()` and closes its handle. Disposing twice does nothing.
   *
   * @throws CompactVmarError `IN_USE` or `INFO_FAILED` (see `assertEmpty`); nothing is destroyed.
   */
  [Symbol.dispose](): void {
    if (this.#disposed) return;
    this.assertEmpty();
    // The seed ignores destroy's status too: the check above is what guards the threads.
    this.vmar.destroy();
    this.vmar.close();
    this.#disposed = true;
  }

  #assertLive(): void {
    if (this.#disposed) {
      throw new CompactVmarError(
        'DISPOSED',
        `the compact VMAR at 0x${this.address.toString(16)} was already disposed`,
      );
    }
  }
}

/**
 * Checks that `value` is 0 or exactly one `ZX_VM_ALIGN_*` flag (`log2(bytes) << 24`, 10 to 32:
 * `VmarFlags.ALIGN_1KB` to `ALIGN_4GB`) and returns it; throws `INVALID_ARGUMENT` otherwise.
 */
export function alignFlag(value: unknown, what: string): number {
  if (value === 0) return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) {
    const exponent = value >>> VM_ALIGN_BASE;
    if ((value & ~VM_ALIGN_MASK) === 0 && isAlignExponent(exponent)) return value;
  }
  throw new CompactVmarError(
    'INVALID_ARGUMENT',
    `${what} must be 0 or a ZX_VM_ALIGN_* flag (VmarFlags.ALIGN_1KB to ALIGN_4GB), got ${typeof value === 'number' ? `0x${value.toString(16)}` : String(value)}`,
  );
}
