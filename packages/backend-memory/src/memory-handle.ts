import {
  type HandleBasicInfo,
  ObjectType,
  type Result,
  Rights,
  Status,
} from '@vmars/address-space';
import type { AddressSpaceState } from './address-space-state.js';
import { failure } from './failure-results.js';
import { isUint32 } from './validate-arguments.js';

/**
 * What VMAR and VMO handles share: the owning address space (null once closed), the raw value,
 * the rights (§11.6) and the object's koid (§5.3).
 *
 * Fields are declared, then assigned in the constructors (base first), as in region-node.ts: class
 * fields would be defined one by one after `super()` returns, and a handle is made by every
 * `allocate` and `createVmo` (the line calling `super` was 6 % of a CPU profile of steady churn).
 */
export abstract class MemoryHandle {
  abstract readonly type: 'vmar' | 'vmo';
  /**
   * The address space this handle belongs to; null after `close()`. A handle is valid for a call
   * exactly when this is the callee's space, so closed handles and handles of another backend
   * both answer BAD_HANDLE.
   */
  declare space: AddressSpaceState | null;
  /** `zx_handle_t` as an int32 (a small integer for V8); `handle` gives the unsigned value. */
  declare private readonly rawValue: number;
  /** `zx_rights_t`. */
  declare readonly rights: number;
  /**
   * The koid of the object this handle refers to (§5.3). It lives on the handle, not the object:
   * a new object gets one from its space's counter together with its first handle, and every
   * other handle to it is a `duplicate`, which copies it. So all handles to one object share it,
   * and, the counter only ever counting up, no two objects do, even after one is gone.
   */
  declare readonly koid: number;

  constructor(space: AddressSpaceState, rights: number, koid: number) {
    this.space = space;
    this.rawValue = space.newHandleValue();
    this.rights = rights;
    this.koid = koid;
  }

  /** The raw `zx_handle_t`: nonzero, low two bits set, below 2^32 (§11.6). */
  get handle(): number {
    return this.rawValue >>> 0;
  }

  /**
   * ZX_INFO_HANDLE_BASIC (§5.3): needs no right and answers for a destroyed VMAR too, as
   * `Dispatcher::GetHandleInfo` checks neither; BAD_HANDLE once closed. `relatedKoid` is 0:
   * neither VMARs nor VMOs override `SoloDispatcher::get_related_koid`.
   */
  basicInfo(): Result<HandleBasicInfo> {
    if (this.space === null) return failure(Status.BAD_HANDLE);
    return {
      ok: true,
      value: {
        koid: this.koid,
        rights: this.rights,
        type: this.type === 'vmar' ? ObjectType.VMAR : ObjectType.VMO,
        relatedKoid: 0,
      },
    };
  }

  /** `zx_handle_close`: BAD_HANDLE when already closed (§11.6). */
  close(): Status {
    const space = this.space;
    if (space === null) return Status.BAD_HANDLE;
    this.space = null;
    space.releaseHandleValue(this.rawValue);
    return Status.OK;
  }

  [Symbol.dispose](): void {
    if (this.space !== null) this.close();
  }

  /**
   * The rights of a `zx_handle_duplicate(rights)` of this handle (§11.6), or a negative status:
   * BAD_HANDLE; then a `rights` value no C caller could pass (INVALID_ARGS); then no DUPLICATE
   * right (ACCESS_DENIED); then SAME_RIGHTS, or rights that must be a subset of this handle's
   * (INVALID_ARGS otherwise).
   */
  protected duplicatedRights(requested: number): number {
    if (this.space === null) return Status.BAD_HANDLE;
    if (!isUint32(requested)) return Status.INVALID_ARGS;
    if ((this.rights & Rights.DUPLICATE) === 0) return Status.ACCESS_DENIED;
    if (requested === Rights.SAME_RIGHTS) return this.rights;
    // SAME_RIGHTS with other bits is not a subset either: no handle holds bit 31.
    if ((requested & ~this.rights) !== 0) return Status.INVALID_ARGS;
    return requested;
  }
}
