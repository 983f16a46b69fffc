import {
  describeBackendConformance,
  describeModelBasedTests,
  describeZirconVmarTests,
} from '@vmars/testing';
import { memoryBackend } from './index.js';

describeBackendConformance('memory', () => memoryBackend());
describeZirconVmarTests('memory', () => memoryBackend());
describeModelBasedTests('memory', () => memoryBackend());
// First fit everywhere: the root's placements are deterministic too, so a shrunk counterexample
// replays exactly.
describeModelBasedTests('memory (aslr off)', () => memoryBackend({ aslr: false }), { runs: 300 });
