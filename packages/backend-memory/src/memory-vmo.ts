import { type Result, Rights, Status, type Vmo } from '@vmars/address-space';
import type { AddressSpaceState } from './address-space-state.js';
import { failure } from './failure-results.js';
import { MemoryHandle } from './memory-handle.js';
import { isUint32 } from './validate-arguments.js';
import type { VmoObject } from './vmo-object.js';

/** A VMO handle of the memory backend. */
export class MemoryVmo extends MemoryHandle implements Vmo {
  readonly type = 'vmo' as const;
  /** The VMO this handle refers to. */
  readonly object: VmoObject;

  constructor(space: AddressSpaceState, object: VmoObject, rights: number) {
    super(space, rights);
    this.object = object;
  }

  /**
   * `zx_handle_duplicate` (§11.6): BAD_HANDLE; then a `rights` value no C caller could pass
   * (INVALID_ARGS); then no DUPLICATE right (ACCESS_DENIED); then SAME_RIGHTS, or rights that
   * must be a subset of this handle's (INVALID_ARGS otherwise).
   */
  duplicate(rights: number): Result<Vmo> {
    const space = this.space;
    if (space === null) return failure(Status.BAD_HANDLE);
    if (!isUint32(rights)) return failure(Status.INVALID_ARGS);
    const newRights = duplicatedRights(this.rights, rights);
    if (newRights < 0) return failure(newRights);
    return { ok: true, value: new MemoryVmo(space, this.object, newRights) };
  }
}

/**
 * The rights of a duplicate of a handle with `sourceRights`, asked for `requested`; or a negative
 * status (ACCESS_DENIED without DUPLICATE, INVALID_ARGS for rights beyond the source's) (§11.6).
 */
export function duplicatedRights(sourceRights: number, requested: number): number {
  if ((sourceRights & Rights.DUPLICATE) === 0) return Status.ACCESS_DENIED;
  if (requested === Rights.SAME_RIGHTS) return sourceRights;
  // SAME_RIGHTS with other bits is not a subset either: no handle holds bit 31.
  if ((requested & ~sourceRights) !== 0) return Status.INVALID_ARGS;
  return requested;
}
