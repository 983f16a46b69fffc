import { defineUsageError } from '@vmars/cli-support';

/**
 * A bad command line or bad input: an unknown option, a missing `--out`, no command after `--`,
 * an input that cannot be read or is not a trace. The CLI prints `vmars-trace: <message>` on one
 * line and exits with status 2. Marked `Symbol.for('vmars.trace.UsageError')`.
 */
export const UsageError = defineUsageError('trace');
export type UsageError = InstanceType<typeof UsageError>;
