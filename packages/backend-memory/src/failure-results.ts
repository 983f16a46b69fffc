import type { Result, Status } from '@vmars/address-space';

/** Indexed by `-status`: failure statuses are small negative integers (§1.3). */
const failuresByStatus: (Result<never> | undefined)[] = [];

/**
 * The failed `Result` for `status`: one frozen object per status, made once, so that the failure
 * paths (a probe of a full VMAR is the common one) allocate nothing and cost one array load.
 */
export function failure(status: Status): Result<never> {
  let result = failuresByStatus[-status];
  if (result === undefined) {
    result = Object.freeze({ ok: false, status });
    failuresByStatus[-status] = result;
  }
  return result;
}
