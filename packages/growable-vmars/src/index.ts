// The compact layer's names a user of this package needs (errors, constants), so that importing
// this package alone is enough.
export type { CompactVmarErrorCode } from '@vmars/compact-vmar';
export { CompactVmar, CompactVmarError, PROBE_SIZE, VMAR_SIZE } from '@vmars/compact-vmar';
export type { GrowableVmarsOptions } from './growable-vmars.js';
export { GrowableVmars } from './growable-vmars.js';
export type { ThreadCreateVmarsOptions } from './thread-create-vmars.js';
export { ThreadCreateVmars } from './thread-create-vmars.js';
