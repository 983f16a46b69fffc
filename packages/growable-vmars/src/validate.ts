import { CompactVmarError } from '@vmars/compact-vmar';

/**
 * The error this layer throws for an option or argument it refuses, typed as
 * `@vmars/compact-vmar`'s own (`CompactVmarError` with `INVALID_ARGUMENT`) so that both layers
 * refuse bad options alike. Passed to `@vmars/address-space`'s option checks, which word the
 * message.
 */
export function invalidArgument(message: string): CompactVmarError {
  return new CompactVmarError('INVALID_ARGUMENT', message);
}
