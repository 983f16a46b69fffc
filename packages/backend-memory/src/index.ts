export type {
  AddressSpaceLayout,
  AddressSpaceRegion,
  Architecture,
} from './address-space-layout.js';
export { addressSpaceLayout } from './address-space-layout.js';
export type { MemoryBackend, MemoryBackendOptions } from './memory-backend.js';
export { memoryBackend } from './memory-backend.js';
