import type { ObjectType } from './object-type.js';

/**
 * Records returned by `zx_object_get_info`: for any handle, and for VMARs.
 *
 * Source: `zircon/system/public/zircon/syscalls/object.h`; zircon-vmar-semantics.md §5.
 */

/**
 * `ZX_INFO_HANDLE_BASIC` (topic 2): `zx_info_handle_basic_t` without its `reserved` field and
 * padding (§5.3). Needs no right: any open handle answers it.
 */
export interface HandleBasicInfo {
  /**
   * The kernel object id: the same for every handle to one object, different for different
   * objects, never reused. A mapping's `vmoKoid` in ZX_INFO_VMAR_MAPS is its VMO's `koid`.
   */
  readonly koid: number;
  /** The rights this handle holds (`zx_rights_t`); duplicates of one object may differ. */
  readonly rights: number;
  /** The object's type: `ObjectType.VMAR` (18) or `ObjectType.VMO` (3) for the contract's handles. */
  readonly type: ObjectType;
  /**
   * The koid of a related object (a channel's peer, a thread's process), else 0. VMARs and VMOs
   * have none, so it is 0 for every handle of this contract (§5.3).
   */
  readonly relatedKoid: number;
}

/** `ZX_INFO_VMAR` (topic 7): `zx_info_vmar_t { base, len }`. */
export interface VmarInfo {
  readonly base: number;
  readonly len: number;
}

/** `zx_info_maps_type_t`. */
export const MapsType = {
  NONE: 0,
  ASPACE: 1,
  VMAR: 2,
  MAPPING: 3,
} as const;
export type MapsType = (typeof MapsType)[keyof typeof MapsType];

/** `zx_info_maps_mapping_t`: the details of a mapping entry. Byte counts are VMO attribution. */
export interface MappingDetails {
  /** `ZX_VM_PERM_READ | WRITE | EXECUTE` of this protection range (0 = no access). */
  readonly mmuFlags: number;
  readonly vmoKoid: number;
  /** The VMO offset at `base` of this entry. */
  readonly vmoOffset: number;
  readonly committedBytes: number;
  readonly populatedBytes: number;
  readonly committedPrivateBytes: number;
  readonly populatedPrivateBytes: number;
  readonly committedScaledBytes: number;
  readonly populatedScaledBytes: number;
  /**
   * The fractional bytes of `committedScaledBytes`, as a number of bytes in [0, 2]. Zircon keeps
   * them as a 63-bit fixed-point `uint64_t` where 0x8000000000000000 is one byte
   * (`zx_info_vmo_t` doc in RFC-0253's header change); this is that raw value / 2^63, rounded to
   * the nearest double.
   */
  readonly committedFractionalScaledBytes: number;
  /** The fractional bytes of `populatedScaledBytes`, as `committedFractionalScaledBytes`. */
  readonly populatedFractionalScaledBytes: number;
}

/**
 * One `zx_info_maps_t` entry of `ZX_INFO_VMAR_MAPS` (topic 36): the queried VMAR first at depth
 * 0, then its sub-VMARs and mappings in depth-first pre-order, base addresses ascending.
 */
export interface MapInfo {
  /** The VMAR's name (`"useralloc"` for allocated VMARs, `"root"` for the root) or the VMO's. */
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly depth: number;
  readonly type: MapsType;
  /** Present exactly when `type` is `MapsType.MAPPING`. */
  readonly mapping?: MappingDetails;
}

/** The answer of `Vmar.maps(capacity)`: `actual = min(capacity, avail)` entries, `avail` in all. */
export interface MapsResult {
  readonly entries: readonly MapInfo[];
  readonly actual: number;
  readonly avail: number;
}

/** `ZX_INFO_HANDLE_BASIC`. */
export const INFO_HANDLE_BASIC = 2;
/** `ZX_INFO_VMAR`. */
export const INFO_VMAR = 7;
/** `ZX_INFO_VMAR_MAPS`. */
export const INFO_VMAR_MAPS = 36;
