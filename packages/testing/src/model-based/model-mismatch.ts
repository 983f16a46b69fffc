import type { Result, Status, Vmar } from '@vmars/address-space';
import { statusName } from '@vmars/address-space';
import { statusOf } from '../backend-assertions.js';
import {
  encodeEntry,
  expectedMaps,
  type ModelVmar,
  type Plan,
  structuralProblem,
} from '../reference-model.js';

/** A failed check inside a run: fast-check shrinks the steps that led to it. */
export class ModelMismatchError extends Error {
  override readonly name = 'ModelMismatchError';
}

/** Fails the run at `step` with `message`. */
export function mismatch(step: number, message: string): never {
  throw new ModelMismatchError(`step ${step}: ${message}`);
}

/** Fails the run at `step` unless `actual` carries `expected`. */
export function expectStatusAt(
  step: number,
  what: string,
  actual: Status | Result<unknown>,
  expected: Status,
): void {
  const status = statusOf(actual);
  if (status !== expected) {
    mismatch(step, `${what}: expected ${statusName(expected)}, got ${statusName(status)}`);
  }
}

/**
 * Holds the backend's answer to `what` against the model's `plan`: the planned failure status,
 * or success at an address the plan accepts. The address, or undefined when the call failed.
 */
export function checkPlan(
  step: number,
  what: string,
  plan: Plan,
  result: Result<number>,
): number | undefined {
  if (!plan.ok) {
    expectStatusAt(step, what, result, plan.status);
    return undefined;
  }
  if (!result.ok) mismatch(step, `${what}: expected ZX_OK, got ${statusName(result.status)}`);
  const problem = plan.check(result.value);
  if (problem !== undefined) mismatch(step, `${what}: ${problem}`);
  return result.value;
}

/** The entries `vmar` reports, encoded, after checking the listing's structure. */
function actualMaps(step: number, vmar: Vmar): string[] {
  const count = vmar.maps(0);
  if (!count.ok) mismatch(step, `maps(0) of a live VMAR failed: ${statusName(count.status)}`);
  const result = vmar.maps(count.value.avail);
  if (!result.ok) mismatch(step, `maps failed: ${statusName(result.status)}`);
  if (
    result.value.actual !== count.value.avail ||
    result.value.entries.length !== result.value.actual
  ) {
    mismatch(step, 'maps: actual, avail and the entries disagree');
  }
  const problem = structuralProblem(result.value.entries);
  if (problem !== undefined) mismatch(step, problem);
  return result.value.entries.map((entry) => encodeEntry(entry));
}

/** Fails the run at `step` unless `vmar` lists exactly what the model's `node` expects. */
export function compareMaps(step: number, label: string, vmar: Vmar, node: ModelVmar): void {
  const actual = actualMaps(step, vmar);
  const expected = expectedMaps(node);
  if (actual.join('\n') !== expected.join('\n')) {
    mismatch(
      step,
      `maps of ${label} differ\nexpected:\n${expected.join('\n')}\nactual:\n${actual.join('\n')}`,
    );
  }
}
