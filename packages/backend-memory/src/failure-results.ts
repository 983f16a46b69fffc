import type { Result, Status } from '@vmars/address-space';

const failuresByStatus = new Map<Status, Result<never>>();

/**
 * The failed `Result` for `status`: one frozen object per status, made once, so that the failure
 * paths (a probe of a full VMAR is the common one) allocate nothing.
 */
export function failure(status: Status): Result<never> {
  let result = failuresByStatus.get(status);
  if (result === undefined) {
    result = Object.freeze({ ok: false, status });
    failuresByStatus.set(status, result);
  }
  return result;
}
