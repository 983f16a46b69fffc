/** A VMO: only what the VMAR rules need (no contents are emulated; see the README). */
export class VmoObject {
  /** The kernel object id reported as `vmoKoid` in ZX_INFO_VMAR_MAPS (§11.5). */
  readonly koid: number;
  /** The `zx_vmo_create` options (RESIZABLE 0x2, DISCARDABLE 0x4, UNBOUNDED 0x10). */
  readonly options: number;
  /** The VMO's name; `zx_vmo_create` sets none, so it is empty (§11.1). */
  readonly name: string = '';

  constructor(koid: number, options: number) {
    this.koid = koid;
    this.options = options;
  }
}
