/**
 * Zircon status codes (`zx_status_t`), with Zircon's values.
 *
 * Source: `zircon/system/public/zircon/errors.h` (generated from `zircon/vdso/errors.fidl`);
 * see zircon-vmar-semantics.md §1.3. Names drop the `ZX_ERR_` prefix; `statusName()` gives the
 * full C name back.
 */
export const Status = {
  OK: 0,
  INTERNAL: -1,
  NOT_SUPPORTED: -2,
  NO_RESOURCES: -3,
  NO_MEMORY: -4,
  INTERNAL_INTR_RETRY: -6,
  INVALID_ARGS: -10,
  BAD_HANDLE: -11,
  WRONG_TYPE: -12,
  BAD_SYSCALL: -13,
  OUT_OF_RANGE: -14,
  BUFFER_TOO_SMALL: -15,
  BAD_STATE: -20,
  TIMED_OUT: -21,
  SHOULD_WAIT: -22,
  CANCELED: -23,
  PEER_CLOSED: -24,
  NOT_FOUND: -25,
  ALREADY_EXISTS: -26,
  ALREADY_BOUND: -27,
  UNAVAILABLE: -28,
  ACCESS_DENIED: -30,
  IO: -40,
  IO_REFUSED: -41,
  IO_DATA_INTEGRITY: -42,
  IO_DATA_LOSS: -43,
  IO_NOT_PRESENT: -44,
  IO_OVERRUN: -45,
  IO_MISSED_DEADLINE: -46,
  IO_INVALID: -47,
  BAD_PATH: -50,
  NOT_DIR: -51,
  NOT_FILE: -52,
  FILE_BIG: -53,
  NO_SPACE: -54,
  NOT_EMPTY: -55,
  STOP: -60,
  NEXT: -61,
  ASYNC: -62,
  PROTOCOL_NOT_SUPPORTED: -70,
  ADDRESS_UNREACHABLE: -71,
  ADDRESS_IN_USE: -72,
  NOT_CONNECTED: -73,
  CONNECTION_REFUSED: -74,
  CONNECTION_RESET: -75,
  CONNECTION_ABORTED: -76,
} as const;

/** The name of a `Status` constant (`NO_RESOURCES`), as `statusName` gives it without `ZX_ERR_`. */
export type StatusKey = keyof typeof Status;
/** A `zx_status_t` value. Backends may return codes outside `Status` (the native one passes them on). */
export type Status = number;

const namesByValue = new Map<number, string>(
  Object.entries(Status).map(([key, value]) => [value, value === 0 ? 'ZX_OK' : `ZX_ERR_${key}`]),
);

/**
 * The C name of a status: `statusName(-3)` is `"ZX_ERR_NO_RESOURCES"`, `statusName(0)` is
 * `"ZX_OK"`. A value Zircon does not define reads `"ZX_ERR_UNKNOWN(<value>)"`, so a message built
 * from it still says what came back.
 */
export function statusName(status: number): string {
  return namesByValue.get(status) ?? `ZX_ERR_UNKNOWN(${String(status)})`;
}
