import {
  describeBackendConformance,
  describeModelBasedTests,
  describeZirconVmarTests,
} from '@vmars/testing';
import { memoryBackend } from './index.js';

describeBackendConformance('memory', () => memoryBackend(), {
  skip: {
    // The memory backend takes `vmo_offset` as a uint64 (any integer below 2^64, so that Zircon's
    // InvalidArgsTest offsets 2^64 - 8192 / 2^64 - 4096 can be expressed); the suite holds every
    // argument to the contract's exact-number range (< 2^53). To be settled in the contract.
    '§11.2 bad input: map vmoOffset = 2^53 is INVALID_ARGS':
      'vmo_offset is a uint64 in this backend (Zircon InvalidArgsTest), not limited to 2^53',
  },
});
describeZirconVmarTests('memory', () => memoryBackend());
describeModelBasedTests('memory', () => memoryBackend());
// First fit everywhere: the root's placements are deterministic too, so a shrunk counterexample
// replays exactly.
describeModelBasedTests('memory (aslr off)', () => memoryBackend({ aslr: false }), { runs: 300 });
