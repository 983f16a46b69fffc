/**
 * A VMO: only what the VMAR rules need (no contents are emulated; see the README). Fields are
 * declared and assigned in the constructor, as in region-node.ts.
 */
export class VmoObject {
  /**
   * The kernel object id: `basicInfo().koid` of every handle to this VMO, and `vmoKoid` of its
   * mappings in ZX_INFO_VMAR_MAPS (§5.3, §11.5).
   */
  declare readonly koid: number;
  /** The `zx_vmo_create` options: `VmoOptions` bits. */
  declare readonly options: number;
  /** The VMO's name; `zx_vmo_create` sets none, so it is empty (§11.1). */
  declare readonly name: string;

  constructor(koid: number, options: number) {
    this.koid = koid;
    this.options = options;
    this.name = '';
  }
}
