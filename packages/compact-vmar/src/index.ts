export type { CompactVmarOptions } from './compact-vmar.js';
export { alignFlag, assertVmar, CompactVmar } from './compact-vmar.js';
export type { CompactVmarErrorCode } from './compact-vmar-error.js';
export { CompactVmarError } from './compact-vmar-error.js';
export { COMPACT_VMAR_FLAGS, PROBE_FLAGS, PROBE_SIZE, VMAR_SIZE } from './constants.js';
/** @internal Shared with @vmars/growable-vmars so that both layers check options alike. */
export { optionsObject, positiveSize } from './validate.js';
