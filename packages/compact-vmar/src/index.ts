export type { CompactVmarOptions } from './compact-vmar.js';
export { alignFlag, CompactVmar } from './compact-vmar.js';
export type { CompactVmarErrorCode } from './compact-vmar-error.js';
export { CompactVmarError } from './compact-vmar-error.js';
export { COMPACT_VMAR_FLAGS, PROBE_FLAGS, PROBE_SIZE, VMAR_SIZE } from './constants.js';
