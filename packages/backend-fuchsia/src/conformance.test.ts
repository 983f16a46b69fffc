import { memoryBackend } from '@vmars/backend-memory';
import {
  describeBackendConformance,
  describeModelBasedTests,
  describeZirconVmarTests,
} from '@vmars/testing';
import { afterAll, expect } from 'vitest';
import {
  attachTestDouble,
  compileTestDouble,
  forwardToBackend,
  type TestDoubleInstance,
} from '../test-double/test-double.js';
import { fuchsiaBackend } from './fuchsia-backend.js';

/**
 * The whole conformance suite through the FFI: every case builds a `fuchsiaBackend` bound to its
 * own copy of the C test double, whose zx entry points answer from a fresh `memoryBackend()`.
 * What this proves and what it does not: README.md, "How it is tested".
 */
const compiled = compileTestDouble();
const doubles: TestDoubleInstance[] = [];

function backendOverTestDouble(options?: Parameters<typeof memoryBackend>[0]) {
  const double = attachTestDouble(compiled, forwardToBackend(memoryBackend(options)));
  doubles.push(double);
  return fuchsiaBackend({ libraries: double.libraries });
}

afterAll(() => {
  // A callback that threw answered ZX_ERR_INTERNAL; none may have.
  expect(doubles.flatMap((double) => double.errors)).toEqual([]);
  compiled.remove();
});

// First fit everywhere: placements are deterministic, so every case runs, none skipped.
describeBackendConformance('fuchsia (test double, aslr off)', () =>
  backendOverTestDouble({ aslr: false }),
);

// With ASLR, as the memory backend runs it.
describeBackendConformance('fuchsia (test double)', () => backendOverTestDouble());

// Zircon's own vmar.cc tests, ported, through the FFI.
describeZirconVmarTests('fuchsia (test double)', () => backendOverTestDouble());

// Each run loads one more copy of the library, so fewer runs than the memory backend's 1,000.
describeModelBasedTests('fuchsia (test double)', () => backendOverTestDouble(), { runs: 150 });
