export type { SuiteOptions } from './case-registry.js';
export type { BackendConformanceOptions } from './describe-backend-conformance.js';
export { describeBackendConformance } from './describe-backend-conformance.js';
