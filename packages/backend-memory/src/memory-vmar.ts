import {
  type AllocateResult,
  CAN_MAP_RWX,
  DEFAULT_VMAR_RIGHTS,
  type MapsResult,
  PAGE_SIZE,
  type Result,
  Rights,
  Status,
  type Vmar,
  VmarFlags,
  type VmarInfo,
  type Vmo,
} from '@vmars/address-space';
import type { AddressSpaceState } from './address-space-state.js';
import { failure } from './failure-results.js';
import { MemoryHandle } from './memory-handle.js';
import { placeSubRegion } from './place-sub-region.js';
import { absoluteBase, absoluteBasePage, attachRegion, destroyRegion } from './region-lifecycle.js';
import { VmarNode } from './region-node.js';
import { isUint32, isUsize } from './validate-arguments.js';
import { isValidAlignment } from './vm-options.js';
import { mapVmo } from './vmar-map.js';
import { listMaps } from './vmar-maps.js';
import { protectRange } from './vmar-protect.js';
import { unmapRange } from './vmar-unmap.js';

const BAD_HANDLE = failure(Status.BAD_HANDLE);
const INVALID_ARGS = failure(Status.INVALID_ARGS);
const ACCESS_DENIED = failure(Status.ACCESS_DENIED);
const BAD_STATE = failure(Status.BAD_STATE);

/** §2.3 step 3: bits 0..23 that `split_syscall_flags` does not know (MAP_RANGE, bits 16..23). */
const UNKNOWN_OPTION_BITS = 0xff0000 | VmarFlags.MAP_RANGE;
/** §2.3 step 5: VMAR flags that `CreateSubVmar` refuses. */
const NOT_FOR_SUB_VMAR =
  VmarFlags.SPECIFIC_OVERWRITE |
  VmarFlags.REQUIRE_NON_RESIZABLE |
  VmarFlags.ALLOW_FAULTS |
  VmarFlags.FAULT_BEYOND_STREAM_SIZE;
/** The flags a VMAR keeps: what later allocations and maps into it consult. */
const KEPT_VMAR_FLAGS = VmarFlags.COMPACT | VmarFlags.CAN_MAP_SPECIFIC | CAN_MAP_RWX;
/** CAN_MAP_READ/WRITE/EXECUTE (bits 7..9) shifted right by 5 are the READ/WRITE/EXECUTE rights (bits 2..4). */
const CAN_MAP_TO_RIGHTS_SHIFT = 5;

/** A VMAR handle of the memory backend. */
export class MemoryVmar extends MemoryHandle implements Vmar {
  declare readonly type: 'vmar';
  /** The VMAR this handle refers to. */
  declare readonly node: VmarNode;

  /** `koid`: the VMAR's (see `MemoryHandle.koid`); a new VMAR takes the next from `space`. */
  constructor(space: AddressSpaceState, node: VmarNode, rights: number, koid: number) {
    super(space, rights, koid);
    this.type = 'vmar';
    this.node = node;
  }

  /**
   * `zx_vmar_allocate`, every step of §2.3 in order (first failure wins).
   *
   * Where the JavaScript-only checks sit: after the handle lookup (BAD_HANDLE; WRONG_TYPE cannot
   * happen on `this`) and before the rights check (ACCESS_DENIED). An `offset` or `size` that is
   * not a non-negative safe integer, or `flags` outside `[0, 2^32)`, answers INVALID_ARGS and
   * changes nothing. Failures return shared frozen results and allocate nothing.
   */
  allocate(offset: number, size: number, flags: number): Result<AllocateResult> {
    // §2.3 step 2: handle lookup.
    const space = this.space;
    if (space === null) return BAD_HANDLE;
    if (!isUsize(offset) || !isUsize(size) || !isUint32(flags)) return INVALID_ARGS;
    // Steps 1–2: READ / WRITE / EXECUTE rights per CAN_MAP_READ / WRITE / EXECUTE.
    const requiredRights = (flags & CAN_MAP_RWX) >>> CAN_MAP_TO_RIGHTS_SHIFT;
    if ((this.rights & requiredRights) !== requiredRights) return ACCESS_DENIED;
    // Step 3: unknown bits, and the alignment exponent (0 = default, else 10..32).
    if ((flags & UNKNOWN_OPTION_BITS) !== 0) return INVALID_ARGS;
    if (!isValidAlignment(flags >>> 24)) return INVALID_ARGS;
    // Step 4: PERM_* (PERM_READ_IF_XOM_UNSUPPORTED was dropped silently at step 3).
    if ((flags & (VmarFlags.PERM_READ | VmarFlags.PERM_WRITE | VmarFlags.PERM_EXECUTE)) !== 0) {
      return INVALID_ARGS;
    }
    // Step 5: size is never rounded; mapping-only flags are refused.
    if (size % PAGE_SIZE !== 0) return INVALID_ARGS;
    if ((flags & NOT_FOR_SUB_VMAR) !== 0) return INVALID_ARGS;
    const parent = this.node;
    // Step 6a: the parent (and so every ancestor) must be alive.
    const parentBasePage = absoluteBasePage(space, parent);
    if (parentBasePage < 0) return BAD_STATE;
    // 6b–6j.
    const sizePages = size / PAGE_SIZE;
    const childOffset = placeSubRegion(space, parent, parentBasePage, flags, offset, sizePages);
    if (childOffset < 0) return failure(childOffset);
    // 6l: the new VMAR ("useralloc"), inserted into the parent's tree, alive.
    const child = new VmarNode(parent, childOffset, sizePages, flags & KEPT_VMAR_FLAGS, 1);
    attachRegion(space, parent, child);
    // Step 7 and §1.2: ZX_DEFAULT_VMAR_RIGHTS plus READ/WRITE/EXECUTE per CAN_MAP flag.
    const vmar = new MemoryVmar(
      space,
      child,
      DEFAULT_VMAR_RIGHTS | requiredRights,
      space.newKoid(),
    );
    return { ok: true, value: { vmar, address: (parentBasePage + childOffset) * PAGE_SIZE } };
  }

  map(
    flags: number,
    vmarOffset: number,
    vmo: Vmo,
    vmoOffset: number,
    length: number,
  ): Result<number> {
    return mapVmo(this, flags, vmarOffset, vmo, vmoOffset, length);
  }

  unmap(address: number, length: number): Status {
    return unmapRange(this, address, length);
  }

  protect(flags: number, address: number, length: number): Status {
    return protectRange(this, flags, address, length);
  }

  /**
   * `zx_vmar_destroy` (§4.1): OP_CHILDREN needed (ACCESS_DENIED); the root answers NOT_SUPPORTED;
   * a destroyed VMAR BAD_STATE. Frees the range in the parent at once; the handle stays open.
   */
  destroy(): Status {
    const space = this.space;
    if (space === null) return Status.BAD_HANDLE;
    if ((this.rights & Rights.OP_CHILDREN) === 0) return Status.ACCESS_DENIED;
    const node = this.node;
    if (node.owner === null) return Status.NOT_SUPPORTED;
    if (absoluteBasePage(space, node) < 0) return Status.BAD_STATE;
    destroyRegion(space, node);
    return Status.OK;
  }

  /** ZX_INFO_VMAR (§5.2): needs INSPECT; answers for a destroyed VMAR too. */
  info(): Result<VmarInfo> {
    const space = this.space;
    if (space === null) return BAD_HANDLE;
    if ((this.rights & Rights.INSPECT) === 0) return ACCESS_DENIED;
    const node = this.node;
    return {
      ok: true,
      value: { base: absoluteBase(space, node), len: space.sizeOf(node) * PAGE_SIZE },
    };
  }

  /**
   * ZX_INFO_VMAR_MAPS (§5.1): BAD_HANDLE; `capacity` not a non-negative safe integer →
   * INVALID_ARGS (the JavaScript check sits before the rights check, as in `allocate`); no
   * INSPECT → ACCESS_DENIED; destroyed → BAD_STATE. Otherwise ZX_OK with
   * `actual = min(capacity, avail)`, even for capacity 0; `avail` is kept counted, so `maps(0)`
   * costs O(1).
   */
  maps(capacity: number): Result<MapsResult> {
    const space = this.space;
    if (space === null) return BAD_HANDLE;
    if (!isUsize(capacity)) return INVALID_ARGS;
    if ((this.rights & Rights.INSPECT) === 0) return ACCESS_DENIED;
    const node = this.node;
    const basePage = absoluteBasePage(space, node);
    if (basePage < 0) return BAD_STATE;
    const avail = node.entries;
    const actual = Math.min(capacity, avail);
    const entries = listMaps(space, node, basePage, actual);
    return { ok: true, value: { entries, actual, avail } };
  }

  /** `zx_handle_duplicate` (§11.6); see `duplicatedRights` for the order of checks. */
  duplicate(rights: number): Result<Vmar> {
    const newRights = this.duplicatedRights(rights);
    if (newRights < 0) return failure(newRights);
    return {
      ok: true,
      value: new MemoryVmar(this.space as AddressSpaceState, this.node, newRights, this.koid),
    };
  }
}
