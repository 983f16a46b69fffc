import { CompactVmarError } from './compact-vmar-error.js';

/**
 * The error this package throws for an option or argument it refuses: `CompactVmarError` with
 * `INVALID_ARGUMENT`. Passed to `@vmars/address-space`'s option checks, which word the message.
 */
export function invalidArgument(message: string): CompactVmarError {
  return new CompactVmarError('INVALID_ARGUMENT', message);
}
