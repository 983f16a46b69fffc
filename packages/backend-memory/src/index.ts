export type { Architecture } from '@vmars/address-space';
export type { AddressSpaceLayout, AddressSpaceRegion } from './address-space-layout.js';
export { addressSpaceLayout } from './address-space-layout.js';
export type { MemoryBackend, MemoryBackendOptions } from './memory-backend.js';
export { memoryBackend } from './memory-backend.js';
