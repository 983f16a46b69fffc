// @ts-check
/**
 * The built workspace packages the benchmarks measure, in one place.
 *
 * bench/ is not a workspace package (pnpm-workspace.yaml lists packages/* and apps/*), so it
 * imports each package's built entry point (`dist/index.js`, the file its `exports` map names)
 * by path. That is the code users get; `pnpm bench` builds it first.
 */
export {
  PAGE_SIZE,
  Status,
  statusName,
  VmarFlags,
} from '../packages/address-space/dist/index.js';
export { memoryBackend } from '../packages/backend-memory/dist/index.js';
export {
  CompactVmar,
  PROBE_FLAGS,
  PROBE_SIZE,
  VMAR_SIZE,
} from '../packages/compact-vmar/dist/index.js';
export { GrowableVmars, ThreadCreateVmars } from '../packages/growable-vmars/dist/index.js';
export { readTraceFile, writeTraceFile } from '../packages/thread-traces/dist/node.js';
export {
  BLOCK_MAP_FLAGS,
  BLOCK_VMAR_FLAGS,
  generateWorkload,
  runWorkload,
  SeededRandom,
  threadLayout,
  workloadFromTrace,
} from '../packages/thread-workload/dist/index.js';
