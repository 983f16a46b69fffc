const marker = Symbol.for('vmars.lab.UsageError');

/**
 * A bad command line or sweep spec: an unknown policy, knob, workload or value, an empty sweep, a
 * bad `--shard`, results of different sweeps to merge. The CLI prints `vmars-lab: <message>` on
 * one line and exits with status 2.
 */
export class UsageError extends Error {
  readonly [marker] = true;
  override readonly name = 'UsageError';

  /** True for a `UsageError` from any copy of this module. */
  static isInstance(error: unknown): error is UsageError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
