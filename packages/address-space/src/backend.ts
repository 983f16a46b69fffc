import type { HandleBasicInfo, MapsResult, VmarInfo } from './info.js';
import type { Result } from './result.js';
import type { Status } from './status.js';

/**
 * The version of this contract, carried as data so that a backend built against another shape
 * can be told apart at run time.
 */
export const CONTRACT_VERSION = 'v1' as const;

/**
 * A Zircon handle: an object owned by one backend. `handle` is the raw `zx_handle_t` value
 * (nonzero, low two bits set). A handle from one backend passed to another answers BAD_HANDLE.
 */
export interface Handle {
  /** The raw `zx_handle_t` value. */
  readonly handle: number;
  /**
   * `zx_object_get_info(ZX_INFO_HANDLE_BASIC)`: the object's koid and type, this handle's rights
   * (§5.3). Needs no right; works on a destroyed VMAR; BAD_HANDLE once the handle is closed.
   */
  basicInfo(): Result<HandleBasicInfo>;
  /** `zx_handle_close`: drops this handle. BAD_HANDLE if it was already closed. */
  close(): Status;
  /** Closes the handle if it is still open, so that `using` scopes it; never throws. */
  [Symbol.dispose](): void;
}

/** The result of `Vmar.allocate`: the child's handle and its absolute base address. */
export interface AllocateResult {
  readonly vmar: Vmar;
  readonly address: number;
}

/**
 * A VMAR handle. Every method is the zx syscall of the same name on this handle; each returns
 * the status Zircon would return, in Zircon's order of checks (zircon-vmar-semantics.md).
 *
 * Numbers: every size, offset and address (`size_t`, `zx_vaddr_t`, `uint64_t`) is a JS number
 * that must be a non-negative safe integer (at most 2^53 - 1), and every flags or rights value an
 * integer in [0, 2^32). A double above 2^53 cannot say which integer was meant, so rather than
 * guess, a backend answers any other value (NaN, -1, 1.5, 2^53, a string, undefined) with
 * INVALID_ARGS and changes nothing. That check comes right after the handle lookup (BAD_HANDLE,
 * WRONG_TYPE) and before any other rule; Zircon's overflow answers (OUT_OF_RANGE for a
 * `vmo_offset + len` past 2^64) are therefore out of reach.
 */
export interface Vmar extends Handle {
  readonly type: 'vmar';

  /**
   * `zx_vmar_allocate(handle, flags, offset, size)`: a child VMAR. `flags` are `VmarFlags`;
   * `offset` must be 0 unless SPECIFIC or OFFSET_IS_UPPER_LIMIT; `size` must be page-aligned and
   * nonzero (it is not rounded). NO_RESOURCES when no spot fits (§2.3).
   */
  allocate(offset: number, size: number, flags: number): Result<AllocateResult>;

  /**
   * `zx_vmar_map(handle, flags, vmarOffset, vmo, vmoOffset, length)`: maps `length` bytes
   * (rounded up to pages) of `vmo`, returning the absolute address (§11.2).
   */
  map(
    flags: number,
    vmarOffset: number,
    vmo: Vmo,
    vmoOffset: number,
    length: number,
  ): Result<number>;

  /**
   * `zx_vmar_unmap(handle, address, length)`: unmaps mappings in the range, trimming partly
   * covered ones, and destroys sub-VMARs wholly inside it (needs OP_CHILDREN) (§4.3, §11.3).
   */
  unmap(address: number, length: number): Status;

  /** `zx_vmar_protect(handle, flags, address, length)` (§11.4). */
  protect(flags: number, address: number, length: number): Status;

  /**
   * `zx_vmar_destroy(handle)`: unmaps and destroys everything inside, and frees the range in the
   * parent at once. The handle stays open; later calls answer BAD_STATE (§4.1).
   */
  destroy(): Status;

  /** `zx_object_get_info(ZX_INFO_VMAR)`: base and length; works on a destroyed VMAR (§5.2). */
  info(): Result<VmarInfo>;

  /**
   * `zx_object_get_info(ZX_INFO_VMAR_MAPS)` with room for `capacity` entries: this VMAR first at
   * depth 0, then its descendants in pre-order; `actual = min(capacity, avail)` (§5.1).
   */
  maps(capacity: number): Result<MapsResult>;

  /** `zx_handle_duplicate(handle, rights)`: a new handle to the same VMAR (§11.6). */
  duplicate(rights: number): Result<Vmar>;
}

/** A VMO handle. */
export interface Vmo extends Handle {
  readonly type: 'vmo';
  /** `zx_handle_duplicate(handle, rights)`: a new handle to the same VMO (§11.6). */
  duplicate(rights: number): Result<Vmo>;
}

/**
 * A backend: one address space that VMARs are carved from. `@vmars/backend-memory` emulates
 * Zircon in-process; `@vmars/backend-fuchsia` calls the real syscalls.
 */
export interface AddressSpaceBackend {
  readonly specificationVersion: typeof CONTRACT_VERSION;
  /** `"memory"`, `"fuchsia"`, … */
  readonly name: string;
  /** `zx_system_get_page_size()`. */
  readonly pageSize: number;
  /** `zx_vmar_root_self()`: the root VMAR this backend hands out (always the same handle). */
  rootVmar(): Vmar;
  /**
   * `zx_vmo_create(size, options)`: size rounded up to pages; `options` are `VmoOptions` bits
   * (§11.1).
   */
  createVmo(size: number, options?: number): Result<Vmo>;
}
