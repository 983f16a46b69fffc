/**
 * Kernel object types (`zx_obj_type_t`) with Zircon's values: the `type` of
 * `HandleBasicInfo`. Names drop the `ZX_OBJ_TYPE_` prefix.
 *
 * Source: `zircon/system/public/zircon/types.h` (misttech/fuchsia 03230340a3a9). A backend hands
 * out only VMO and VMAR handles; the others are here so that a `type` read from a real kernel can
 * be named. Values 7, 8, 10 and 13 are unused in the header.
 */
export const ObjectType = {
  NONE: 0,
  PROCESS: 1,
  THREAD: 2,
  VMO: 3,
  CHANNEL: 4,
  EVENT: 5,
  PORT: 6,
  INTERRUPT: 9,
  PCI_DEVICE: 11,
  DEBUGLOG: 12,
  SOCKET: 14,
  RESOURCE: 15,
  EVENTPAIR: 16,
  JOB: 17,
  VMAR: 18,
  FIFO: 19,
  GUEST: 20,
  VCPU: 21,
  TIMER: 22,
  IOMMU: 23,
  BTI: 24,
  PROFILE: 25,
  PMT: 26,
  SUSPEND_TOKEN: 27,
  PAGER: 28,
  EXCEPTION: 29,
  CLOCK: 30,
  STREAM: 31,
  MSI: 32,
  IOB: 33,
  COUNTER: 34,
  IOB_SHARED_REGION: 35,
} as const;

/**
 * A `zx_obj_type_t` value. A kernel newer than this list may answer a type it does not name
 * (the ABI allows up to `ZX_OBJ_TYPE_UPPER_BOUND`, 64), so this is a number, as `Status` is.
 */
export type ObjectType = number;
