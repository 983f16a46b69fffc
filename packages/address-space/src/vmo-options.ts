/**
 * `zx_vmo_create` options (`AddressSpaceBackend.createVmo(size, options)`) with Zircon's values.
 *
 * Source: `zircon/system/public/zircon/types.h`; zircon-vmar-semantics.md §11.1. RESIZABLE adds
 * `Rights.RESIZE` to the new handle; RESIZABLE with UNBOUNDED is INVALID_ARGS. `ZX_VMO_TRAP_DIRTY`
 * (0x8) is left out: it belongs to `zx_pager_create_vmo`, and `zx_vmo_create` refuses it.
 */
export const VmoOptions = {
  RESIZABLE: 1 << 1,
  DISCARDABLE: 1 << 2,
  UNBOUNDED: 1 << 4,
} as const;

/** A `zx_vmo_create` options value: the bits of `VmoOptions`, or'ed together. */
export type VmoOptions = number;
