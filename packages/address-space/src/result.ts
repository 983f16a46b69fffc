import { Status } from './status.js';
import { ZxError } from './zx-error.js';

/**
 * The answer of a backend call: a value, or the `zx_status_t` Zircon gave instead.
 *
 * Results, not exceptions, at this layer: a probe of a full VMAR is an ordinary answer
 * (NO_RESOURCES), and building an `Error` with its stack costs microseconds where a status costs
 * nothing (architecture.md, "The contract").
 */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: Status };

/** A successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A failed result carrying `status` (never `Status.OK`). */
export function fail<T = never>(status: Status): Result<T> {
  return { ok: false, status };
}

/**
 * The value of `result`, or a thrown `ZxError` with its status. `operation` names the call in the
 * error's message (for example `"zx_vmar_allocate"`).
 */
export function unwrap<T>(result: Result<T>, operation = 'zx call'): T {
  if (result.ok) return result.value;
  throw new ZxError(result.status, operation);
}

/** Throws a `ZxError` unless `status` is `Status.OK`. */
export function check(status: Status, operation = 'zx call'): void {
  if (status !== Status.OK) throw new ZxError(status, operation);
}
