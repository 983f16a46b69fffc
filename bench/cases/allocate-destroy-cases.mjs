// @ts-check
import { expect } from '../bench-error.mjs';
import { allocateAnywhere, benchBackend, createCompact, packChildren } from '../fixtures.mjs';
import { Status, VmarFlags } from '../packages.mjs';

/** @typedef {import('../measure-case.mjs').BenchCase} BenchCase */

/** The populations of the growth curve. */
export const GROWTH_POPULATIONS = [10, 1_000, 100_000];

/**
 * The growth curve: allocate a one-page child (CAN_MAP_READ, placed by the kernel), destroy it
 * and close its handle, in a 1 GiB COMPACT VMAR that already holds `population` one-page
 * children packed first fit from its base (their handles closed, as libc leaves its blocks). The
 * new child lands just past them, so a search that walks the children pays for every one.
 * @returns {BenchCase[]}
 */
export function allocateDestroyCases() {
  const backend = benchBackend();
  const pageSize = backend.pageSize;
  return GROWTH_POPULATIONS.map((population) => {
    const compact = createCompact(backend);
    for (const child of packChildren(compact.vmar, population, pageSize)) child.close();
    const expectedAddress = compact.address + population * pageSize;
    const probeChild = allocateAnywhere(compact.vmar, pageSize);
    const info = probeChild.info();
    expect(
      info.ok && info.value.base === expectedAddress,
      'first fit did not land past the children',
    );
    probeChild.destroy();
    probeChild.close();
    const parent = compact.vmar;
    return {
      id: `allocate-destroy-${population}`,
      name: `allocate + destroy + close, ${population.toLocaleString('en-US')} children`,
      /** @param {number} count */
      measure(count) {
        let done = 0;
        const start = process.hrtime.bigint();
        for (let index = 0; index < count; index++) {
          const allocated = parent.allocate(0, pageSize, VmarFlags.CAN_MAP_READ);
          if (!allocated.ok) continue;
          const child = allocated.value.vmar;
          if (allocated.value.address === expectedAddress && child.destroy() === Status.OK) done++;
          child.close();
        }
        const elapsed = process.hrtime.bigint() - start;
        expect(done === count, 'an allocate or destroy failed, or landed at the wrong address');
        return Number(elapsed);
      },
    };
  });
}
