import { type Result, Status } from '@vmars/address-space';

/**
 * The failed `Result` of every status, indexed by `-status` (failure statuses are small negative
 * integers, §1.3): one frozen object per status, made once, so that the failure paths (a probe of
 * a full VMAR is the common one) allocate nothing and cost one array load. Never written after
 * this line; the array itself is not frozen, because V8 reads a frozen array's elements by a
 * slower path (about 90 instructions more per failed probe, counted with cachegrind).
 */
const FAILURES_BY_STATUS: readonly (Result<never> | undefined)[] = Object.values(Status).reduce<
  (Result<never> | undefined)[]
>((table, status) => {
  if (status < 0) table[-status] = Object.freeze({ ok: false, status });
  return table;
}, []);

/** The failed `Result` for `status`, shared (see `FAILURES_BY_STATUS`). */
export function failure(status: Status): Result<never> {
  return FAILURES_BY_STATUS[-status] ?? Object.freeze({ ok: false, status });
}
