import type { AddressSpaceBackend } from '@vmars/address-space';
import { describe } from 'vitest';
import { createCaseRegistry, type SuiteOptions } from './case-registry.js';
import { registerAllocateCases } from './conformance/allocate-cases.js';
import { registerBadInputCases } from './conformance/bad-input-cases.js';
import { registerInfoAndHandleCases } from './conformance/info-and-handle-cases.js';
import { registerLifetimeCases } from './conformance/lifetime-cases.js';
import { registerMapCases } from './conformance/map-cases.js';
import { registerPlacementCases } from './conformance/placement-cases.js';
import { registerProtectCases } from './conformance/protect-cases.js';

/** Options of `describeBackendConformance`. */
export type BackendConformanceOptions = SuiteOptions;

/**
 * Registers the backend conformance suite: one vitest case per rule of
 * zircon-vmar-semantics.md, each named after its section (`'§2.3 step 6b: size 0 is
 * INVALID_ARGS'`), each on a fresh backend from `makeBackend`.
 *
 * Placement is only checked where every backend must agree: inside a COMPACT VMAR (first fit,
 * §3.4) or with SPECIFIC. Cases never rely on where the (randomised) root puts a child.
 *
 * `options.skip` maps a case name to the reason the backend cannot pass it; the case is then
 * registered with `it.skip`, the reason in its name.
 */
export function describeBackendConformance(
  name: string,
  makeBackend: () => AddressSpaceBackend,
  options?: BackendConformanceOptions,
): void {
  describe(`${name}: backend conformance (zircon-vmar-semantics.md)`, () => {
    const { register, finish } = createCaseRegistry(options);
    registerAllocateCases(register, makeBackend);
    registerPlacementCases(register, makeBackend);
    registerLifetimeCases(register, makeBackend);
    registerInfoAndHandleCases(register, makeBackend);
    registerMapCases(register, makeBackend);
    registerProtectCases(register, makeBackend);
    registerBadInputCases(register, makeBackend);
    finish();
  });
}
