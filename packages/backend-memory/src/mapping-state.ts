import type { VmoObject } from './vmo-object.js';

/**
 * What a mapping maps: the VMO, where in it, its flags, and its protection ranges (§11.2–§11.5).
 */
export class MappingState {
  readonly vmo: VmoObject;
  /** The VMO offset, in bytes, at the mapping's first page. */
  vmoOffset: number;
  /**
   * The mapping's VMAR flags as the kernel keeps them (SPECIFIC, SPECIFIC_OVERWRITE,
   * OFFSET_IS_UPPER_LIMIT, FAULT_BEYOND_STREAM_SIZE; not REQUIRE_NON_RESIZABLE nor ALLOW_FAULTS,
   * which the dispatcher clears) plus the CAN_MAP_* ceiling: two mappings merge only when these
   * are equal (§11.5).
   */
  readonly flags: number;
  /** The PERM_READ/WRITE/EXECUTE bits both handles allowed at map time: `protect` stays within them (§11.2 step 7). */
  readonly ceiling: number;
  /** Set after a successful `zx_vmar_map` (`MarkMergeable`, §11.5). */
  mergeable = false;
  /**
   * Protection ranges, flat: `[firstPage, mmuFlags, firstPage, mmuFlags, ...]`, pages relative to
   * the mapping's first page, ascending, the first at 0; neighbours always differ in flags (§11.4).
   */
  ranges: number[];

  constructor(vmo: VmoObject, vmoOffset: number, flags: number, ceiling: number, ranges: number[]) {
    this.vmo = vmo;
    this.vmoOffset = vmoOffset;
    this.flags = flags;
    this.ceiling = ceiling;
    this.ranges = ranges;
  }

  /** The number of protection ranges (ZX_INFO_VMAR_MAPS entries of this mapping). */
  get rangeCount(): number {
    return this.ranges.length / 2;
  }
}
