import type { AddressSpaceBackend } from '@vmars/address-space';
import { describe } from 'vitest';
import { createCaseRegistry, type SuiteOptions } from './case-registry.js';

/** Placeholder until the port lands in the next commit. */
export function describeZirconVmarTests(
  name: string,
  makeBackend: () => AddressSpaceBackend,
  options?: SuiteOptions,
): void {
  describe(`${name}: zircon/system/utest/core/vmar/vmar.cc`, () => {
    const { finish } = createCaseRegistry(options);
    void makeBackend;
    finish();
  });
}
