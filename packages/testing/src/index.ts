export { BAD_NUMBERS } from './bad-numbers.js';
export type { SuiteOptions } from './case-registry.js';
export type { BackendConformanceOptions } from './describe-backend-conformance.js';
export { describeBackendConformance } from './describe-backend-conformance.js';
export type { ModelBasedTestOptions } from './describe-model-based-tests.js';
export { describeModelBasedTests, runModelSteps } from './describe-model-based-tests.js';
export { describeZirconVmarTests } from './describe-zircon-vmar-tests.js';
export type {
  FaultCall,
  FaultOperation,
  FaultRule,
  FaultyBackend,
} from './faulty-backend.js';
export { faultyBackend } from './faulty-backend.js';
export { ModelMismatchError } from './model-based/model-mismatch.js';
export type { DuplicateMode, ModelStep } from './model-based/model-steps.js';
export { modelStepArbitrary } from './model-based/model-steps.js';
