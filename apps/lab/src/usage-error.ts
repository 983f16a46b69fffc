import { defineUsageError } from '@vmars/cli-support';

/**
 * A bad command line or sweep spec: an unknown policy, knob, workload or value, an empty sweep, a
 * bad `--shard`, results of different sweeps to merge. The CLI prints `vmars-lab: <message>` on
 * one line and exits with status 2. Marked `Symbol.for('vmars.lab.UsageError')`.
 */
export const UsageError = defineUsageError('lab');
export type UsageError = InstanceType<typeof UsageError>;
