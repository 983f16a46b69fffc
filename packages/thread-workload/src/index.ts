export { ARCHITECTURES, type Architecture } from '@vmars/address-space';
export { PAGING_LEVELS, type PagingLevel } from './architecture.js';
export {
  type AllocatedBlock,
  allocateThreadStorage,
  BLOCK_MAP_FLAGS,
  BLOCK_VMAR_FLAGS,
  type CreateHandles,
  releaseThreadStorage,
  type StorageFailure,
  type StorageObserver,
  type StorageResult,
} from './libc-thread-storage.js';
export type { SampledBlock, SampleListener } from './live-blocks.js';
export {
  type MapsSnapshot,
  type SnapshotContext,
  snapshotFromMaps,
} from './maps-snapshot.js';
export { PageTableAccounting } from './page-table-accounting.js';
export {
  type AddressRange,
  countPageTables,
  type LevelCount,
  type PageTableCount,
} from './page-tables.js';
export {
  alignFlagOf,
  type BlockSizes,
  blockSizes,
  type CompactKnobs,
  knobPolicy,
  SEED_KNOBS,
} from './policies/knob-policy.js';
export {
  isNamedPolicyName,
  NAMED_POLICY_NAMES,
  type NamedPolicyName,
  namedPolicy,
  namedPolicyKnobs,
} from './policies/named-policies.js';
export { runWorkload } from './run-workload.js';
export type { RunWorkloadOptions } from './run-workload-options.js';
export { SeededRandom } from './seeded-random.js';
export {
  BLOCK_KINDS,
  type BlockKind,
  type BlockLayout,
  blockAtVmoOffset,
  THREAD_STRUCT_SIZE,
  type ThreadLayout,
  type ThreadLayoutOptions,
  threadLayout,
} from './thread-layout.js';
export type {
  CompactVmarList,
  CompactVmarRecord,
  PolicyOptions,
  ThreadVmarPolicy,
  ThreadVmarPolicyDefinition,
} from './thread-vmar-policy.js';
export {
  STACK_TOP_TOUCHED_PAGES,
  TOUCHED_PAGES,
  type TouchedPages,
  type TouchedWindow,
  touchedRanges,
  touchedWindow,
} from './touched-ranges.js';
export {
  TRACE_REPLAY_NOTE,
  type TraceSummary,
  type TraceWorkload,
  type TraceWorkloadOptions,
  workloadFromTrace,
} from './trace-workload.js';
export {
  CHURN_PATTERNS,
  type ChurnPattern,
  decodeEvent,
  type GeneratedWorkload,
  generateWorkload,
  LONG_LIVED_ONE_IN,
  WORKLOAD_PATTERNS,
  type Workload,
  type WorkloadOptions,
  type WorkloadPattern,
} from './workload.js';
export { MAX_SAMPLES, MAX_THREADS, WORKLOAD_DEFAULTS } from './workload-defaults.js';
export { WorkloadError, type WorkloadErrorCode } from './workload-error.js';
export type { WorkloadEvents } from './workload-events.js';
export type {
  BlockRecord,
  GeneratedWorkloadSection,
  PolicyReport,
  Sample,
  TraceWorkloadSection,
  WorkloadReport,
} from './workload-report.js';
export {
  SUITE_ARCHITECTURES,
  type SuiteWorkload,
  scaleSuiteWorkload,
  suiteWorkload,
  WORKLOAD_SUITE,
} from './workload-suite.js';
