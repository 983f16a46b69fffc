import type { Result, Vmo } from '@vmars/address-space';
import type { AddressSpaceState } from './address-space-state.js';
import { failure } from './failure-results.js';
import { MemoryHandle } from './memory-handle.js';
import type { VmoObject } from './vmo-object.js';

/** A VMO handle of the memory backend. */
export class MemoryVmo extends MemoryHandle implements Vmo {
  declare readonly type: 'vmo';
  /** The VMO this handle refers to. */
  declare readonly object: VmoObject;

  constructor(space: AddressSpaceState, object: VmoObject, rights: number) {
    super(space, rights, object.koid);
    this.type = 'vmo';
    this.object = object;
  }

  /** `zx_handle_duplicate` (§11.6); see `duplicatedRights` for the order of checks. */
  duplicate(rights: number): Result<Vmo> {
    const newRights = this.duplicatedRights(rights);
    if (newRights < 0) return failure(newRights);
    return {
      ok: true,
      value: new MemoryVmo(this.space as AddressSpaceState, this.object, newRights),
    };
  }
}
