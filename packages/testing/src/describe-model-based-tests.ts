import type { AddressSpaceBackend } from '@vmars/address-space';
import fc from 'fast-check';
import { describe } from 'vitest';
import { createCaseRegistry, type SuiteOptions } from './case-registry.js';
import { compareMaps } from './model-based/model-mismatch.js';
import { checkHandles, startModelRun } from './model-based/model-run.js';
import { type ModelStep, modelStepArbitrary } from './model-based/model-steps.js';
import { runStep } from './model-based/step-runners.js';

/** Options of `describeModelBasedTests`. */
export interface ModelBasedTestOptions extends SuiteOptions {
  /** fast-check runs (default 1,000). */
  readonly runs?: number;
  /** Most steps per run (default 200). */
  readonly maxSteps?: number;
  /** fast-check seed, to replay a failure. */
  readonly seed?: number;
}

/**
 * Runs `steps` on a fresh backend against the reference model, checking after every step.
 * Throws a `ModelMismatchError` naming the step and what differed.
 */
export function runModelSteps(backend: AddressSpaceBackend, steps: readonly ModelStep[]): void {
  const run = startModelRun(backend);
  const { root, rootNode, observers } = run;
  steps.forEach((step, index) => {
    const touched = runStep(run, step, index);
    // After every step: the root's listing (every live VMAR and mapping of the run) and the
    // listing of each VMAR the step changed.
    compareMaps(index, 'the root', root, rootNode);
    for (const vmar of touched) {
      const observer = observers.get(vmar);
      if (observer !== undefined && vmar.alive)
        compareMaps(index, `VMAR ${vmar.base.toString(16)}`, observer, vmar);
    }
    if (step.op === 'destroy' || step.op === 'unmap') checkHandles(index, run);
  });
  checkHandles(steps.length, run);
  for (const [vmar, observer] of observers) {
    if (vmar.alive) compareMaps(steps.length, `VMAR ${vmar.base.toString(16)}`, observer, vmar);
  }
}

/**
 * Registers the model-based tests: fast-check generates sequences of allocate (random sizes, and
 * flags including SPECIFIC, OFFSET_IS_UPPER_LIMIT, COMPACT and alignment), map, unmap, destroy,
 * close and duplicate; each runs on a fresh backend and against the reference model, with the
 * checks of `runModelSteps` after every step. A failure is shrunk to a minimal sequence, printed
 * with fast-check's seed and path so that it can be replayed.
 */
export function describeModelBasedTests(
  name: string,
  makeBackend: () => AddressSpaceBackend,
  options?: ModelBasedTestOptions,
): void {
  const runs = options?.runs ?? 1000;
  const maxSteps = options?.maxSteps ?? 200;
  describe(`${name}: model-based tests against a reference model`, () => {
    const { register, finish } = createCaseRegistry(options);
    register(
      `§2.3–§5, §11: ${runs} random runs of up to ${maxSteps} steps agree with the reference model`,
      () => {
        fc.assert(
          fc.property(
            fc.array(modelStepArbitrary, { maxLength: maxSteps, size: 'max' }),
            (steps) => {
              runModelSteps(makeBackend(), steps);
            },
          ),
          { numRuns: runs, ...(options?.seed === undefined ? {} : { seed: options.seed }) },
        );
      },
      600_000,
    );
    finish();
  });
}
