export {
  assertLinuxCheckSupported,
  checkLinux,
  LINUX_CHECK_TOLERANCE,
  type LinuxCheckOptions,
  type LinuxCheckReport,
  type LinuxPolicyCheck,
  MEMORY_SHARE,
  OWN_MAPPINGS_HEADROOM,
  replayInLinuxProcess,
  type UnmappedBlock,
} from './check-linux.js';
export { LinuxCheckError, type LinuxCheckErrorCode } from './linux-check-error.js';
export { architectureOfMachine, type LinuxHost, readLinuxHost } from './linux-host.js';
export {
  REPLAY_PAGE_SIZE,
  type ReplayBlock,
  type ReplayPlan,
  replayPlans,
} from './replay-plan.js';
