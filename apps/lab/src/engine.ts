// The engine's names the lab uses, in one place.
export {
  type Architecture,
  namedPolicy,
  runWorkload,
  type ThreadVmarPolicyDefinition,
  threadLayout,
  WORKLOAD_DEFAULTS,
  type Workload,
  type WorkloadReport,
} from '@vmars/thread-workload';

/** The seed's PROBE_SIZE: what a run without a probe-size knob passes (the engine checks it). */
export const PROBE_SIZE_DEFAULT = 32 * 2 ** 20;
