// The wrapper of counting-backend.ts through the conformance suite every backend runs: a wrapper
// that changed an answer, lost a handle or broke `map`'s VMOs would fail here.
import { memoryBackend } from '@vmars/backend-memory';
import { describeBackendConformance } from '@vmars/testing';
import { expect, it } from 'vitest';
import { countingBackend } from './counting-backend.js';

describeBackendConformance('counting(memory)', () => countingBackend(memoryBackend()));

it('counts what goes through it', () => {
  const backend = countingBackend(memoryBackend({ seed: 2 }));
  const root = backend.rootVmar();
  const child = root.allocate(0, 2 ** 20, 0x1c8);
  expect(child.ok).toBe(true);
  if (child.ok) child.value.vmar.destroy();
  root.info();
  expect(backend.counts()).toEqual({ rootVmar: 1, allocate: 1, destroy: 1, info: 1 });
});
