/**
 * Handle rights (`zx_rights_t`) with Zircon's values.
 *
 * Source: `zircon/system/public/zircon/rights.h`; zircon-vmar-semantics.md §1.2 and §11.1.
 */
export const Rights = {
  NONE: 0,
  DUPLICATE: 1 << 0,
  TRANSFER: 1 << 1,
  READ: 1 << 2,
  WRITE: 1 << 3,
  EXECUTE: 1 << 4,
  MAP: 1 << 5,
  GET_PROPERTY: 1 << 6,
  SET_PROPERTY: 1 << 7,
  ENUMERATE: 1 << 8,
  DESTROY: 1 << 9,
  SET_POLICY: 1 << 10,
  GET_POLICY: 1 << 11,
  SIGNAL: 1 << 12,
  SIGNAL_PEER: 1 << 13,
  WAIT: 1 << 14,
  INSPECT: 1 << 15,
  MANAGE_JOB: 1 << 16,
  MANAGE_PROCESS: 1 << 17,
  MANAGE_THREAD: 1 << 18,
  APPLY_PROFILE: 1 << 19,
  MANAGE_SOCKET: 1 << 20,
  OP_CHILDREN: 1 << 21,
  RESIZE: 1 << 22,
  ATTACH_VMO: 1 << 23,
  MANAGE_VMO: 1 << 24,
  /**
   * @deprecated Zircon has no right of this name: bit 24 is `ZX_RIGHT_MANAGE_VMO`. Use
   * `MANAGE_VMO`; this alias goes in the next minor version.
   */
  WAKE_VMO: 1 << 24,
  /** `ZX_RIGHT_SAME_RIGHTS` (1 << 31): "keep the rights the source has", for `duplicate`. */
  SAME_RIGHTS: 2 ** 31,
} as const;

export type Rights = number;

/** `ZX_RIGHTS_BASIC` = TRANSFER | DUPLICATE | WAIT | INSPECT. */
export const RIGHTS_BASIC = Rights.TRANSFER | Rights.DUPLICATE | Rights.WAIT | Rights.INSPECT;
/** `ZX_RIGHTS_IO` = READ | WRITE. */
export const RIGHTS_IO = Rights.READ | Rights.WRITE;
/** `ZX_RIGHTS_PROPERTY` = GET_PROPERTY | SET_PROPERTY. */
export const RIGHTS_PROPERTY = Rights.GET_PROPERTY | Rights.SET_PROPERTY;

/**
 * `ZX_DEFAULT_VMAR_RIGHTS` = (BASIC & ~WAIT) | OP_CHILDREN = 0x208003. A new VMAR handle gets
 * these plus READ / WRITE / EXECUTE for each CAN_MAP_READ / WRITE / EXECUTE flag of the VMAR.
 */
export const DEFAULT_VMAR_RIGHTS = (RIGHTS_BASIC & ~Rights.WAIT) | Rights.OP_CHILDREN;

/** `ZX_DEFAULT_VMO_RIGHTS` = BASIC | IO | PROPERTY | MAP | SIGNAL = 0xD0EF (no EXECUTE). */
export const DEFAULT_VMO_RIGHTS =
  RIGHTS_BASIC | RIGHTS_IO | RIGHTS_PROPERTY | Rights.MAP | Rights.SIGNAL;
