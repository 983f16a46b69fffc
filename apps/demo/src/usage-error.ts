import { defineUsageError } from '@vmars/cli-support';

/**
 * A bad command line: an unknown option or an option value that cannot be used. The CLI prints
 * `vmars-demo: <message>` on one line and exits with status 2. Marked
 * `Symbol.for('vmars.demo.UsageError')`.
 */
export const UsageError = defineUsageError('demo');
export type UsageError = InstanceType<typeof UsageError>;
