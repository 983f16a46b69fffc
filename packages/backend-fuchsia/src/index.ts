export type { FuchsiaBackend, FuchsiaBackendOptions } from './fuchsia-backend.js';
export { fuchsiaBackend } from './fuchsia-backend.js';
export type {
  FuchsiaUnavailableErrorOptions,
  FuchsiaUnavailableReason,
} from './fuchsia-unavailable-error.js';
export { FuchsiaUnavailableError } from './fuchsia-unavailable-error.js';
