/** A VMO: only what the VMAR rules need (no contents are emulated; see the README). */
export class VmoObject {
  /**
   * The kernel object id: `basicInfo().koid` of every handle to this VMO, and `vmoKoid` of its
   * mappings in ZX_INFO_VMAR_MAPS (§5.3, §11.5).
   */
  readonly koid: number;
  /** The `zx_vmo_create` options: `VmoOptions` bits. */
  readonly options: number;
  /** The VMO's name; `zx_vmo_create` sets none, so it is empty (§11.1). */
  readonly name: string = '';

  constructor(koid: number, options: number) {
    this.koid = koid;
    this.options = options;
  }
}
