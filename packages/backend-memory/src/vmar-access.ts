import type { AddressSpaceState } from './address-space-state.js';
import type { VmarNode } from './region-node.js';

/**
 * What `zx_vmar_map`, `zx_vmar_unmap` and `zx_vmar_protect` (vmar-map.ts, vmar-unmap.ts,
 * vmar-protect.ts) read of the VMAR handle they are called on: a `MemoryVmar` (memory-vmar.ts),
 * named by this type so that those modules do not import the handle's class, which imports them.
 */
export interface VmarAccess {
  /** The handle's address space; null once closed (BAD_HANDLE). */
  readonly space: AddressSpaceState | null;
  /** The VMAR the handle refers to. */
  readonly node: VmarNode;
  /** The handle's `zx_rights_t`. */
  readonly rights: number;
}
