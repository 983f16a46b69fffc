// @ts-check
import { expect } from '../bench-error.mjs';
import { BENCH_SEED } from '../fixtures.mjs';
import { memoryBackend, Status, VmarFlags } from '../packages.mjs';

/** @typedef {import('../measure-case.mjs').BenchCase} BenchCase */

/** The populations compared by the random-placement target. */
export const RANDOM_POPULATIONS = [10, 100_000];

/** 2 MiB: a thread stack's size, and the low end of the sizes libc allocates in the root. */
const CHILD_SIZE = 2 * 2 ** 20;

/**
 * Random placement (§3.3): allocate a 2 MiB child (CAN_MAP_READ, placed by the kernel), destroy it
 * and close its handle, in the root VMAR of a Starnix shared region (64 TiB, not COMPACT, so the
 * spot is uniform over the first min(2^30, M) candidates) that already holds `population` 2 MiB
 * children placed the same way (their handles closed). One backend per population, so each tree
 * holds only its own children. The candidate index is drawn anew each time, so a search that walks
 * the gaps up to it pays for about half the children on average.
 * @returns {BenchCase[]}
 */
export function randomPlacementCases() {
  return RANDOM_POPULATIONS.map((population) => {
    const backend = memoryBackend({ seed: BENCH_SEED, region: 'shared' });
    const root = backend.rootVmar();
    const rootInfo = root.info();
    expect(rootInfo.ok, 'the root VMAR has no info');
    const rootBase = rootInfo.value.base;
    const rootEnd = rootBase + rootInfo.value.len;
    for (let index = 0; index < population; index++) {
      const allocated = root.allocate(0, CHILD_SIZE, VmarFlags.CAN_MAP_READ);
      expect(allocated.ok, `random placement ${index} failed`);
      expect(allocated.value.vmar.close() === Status.OK, 'closing a child handle failed');
    }
    const pageSize = backend.pageSize;
    return {
      id: `random-placement-${population}`,
      name: `random placement: allocate + destroy + close, ${population.toLocaleString('en-US')} children`,
      /** @param {number} count */
      measure(count) {
        let done = 0;
        const start = process.hrtime.bigint();
        for (let index = 0; index < count; index++) {
          const allocated = root.allocate(0, CHILD_SIZE, VmarFlags.CAN_MAP_READ);
          if (!allocated.ok) continue;
          const child = allocated.value.vmar;
          const address = allocated.value.address;
          if (
            address % pageSize === 0 &&
            address >= rootBase &&
            address + CHILD_SIZE <= rootEnd &&
            child.destroy() === Status.OK
          ) {
            done++;
          }
          child.close();
        }
        const elapsed = process.hrtime.bigint() - start;
        expect(done === count, 'an allocate or destroy failed, or landed outside the root');
        return Number(elapsed);
      },
    };
  });
}
