// @ts-check
import { expect } from './bench-error.mjs';
import {
  BLOCK_MAP_FLAGS,
  BLOCK_VMAR_FLAGS,
  generateWorkload,
  memoryBackend,
  SeededRandom,
  Status,
  ThreadCreateVmars,
  threadLayout,
} from './packages.mjs';

/** @typedef {import('../packages/address-space/dist/index.js').Vmar} Vmar */
/** @typedef {import('../packages/address-space/dist/index.js').AddressSpaceBackend} AddressSpaceBackend */
/** @typedef {import('../packages/thread-workload/dist/index.js').Workload} Workload */

/** The memory backend the demo runs on: Starnix's shared region, x86_64, seeded. */
export function sharedRegionBackend(/** @type {number} */ seed) {
  return memoryBackend({ arch: 'x86_64', region: 'shared', seed });
}

/**
 * The backend calls of the demo's compact policy and nothing else: per creation, the three
 * `GrowableVmars.probe()`s, one VMO, and per block (largest first) a child VMAR allocated, the VMO
 * mapped into it and the child's handle closed, then the VMO's handle closed; per exit, each
 * whole block unmapped through its parent. No accounting, no records: the floor that
 * `runWorkload`'s pipeline is held against.
 * @param {AddressSpaceBackend} backend
 */
export function bareThreads(backend) {
  const layout = threadLayout({
    architecture: 'x86_64',
    pageSize: backend.pageSize,
    stackSize: 2 * 2 ** 20,
    tlsSize: 1024,
  });
  const blocks = layout.blocks;
  const vmars = new ThreadCreateVmars(backend.rootVmar());
  const lists = [vmars.machineStack, vmars.securityStack, vmars.threadBlock];
  const listOf = blocks.map((block) =>
    block.kind === 'machine-stack' ? 0 : block.kind === 'security-stack' ? 1 : 2,
  );
  /** Per live thread: its three parents and three addresses, in `blocks` order. */
  /** @type {(Vmar | undefined)[]} */
  const parents = [];
  /** @type {number[]} */
  const addresses = [];
  /** @type {Vmar[]} */
  const probed = [];

  return {
    /**
     * Creates thread `slot`'s blocks; answers whether every call answered OK.
     * @param {number} slot
     */
    create(slot) {
      for (let list = 0; list < 3; list++) probed[list] = /** @type {any} */ (lists[list]).probe();
      const vmo = backend.createVmo(layout.vmoSize);
      if (!vmo.ok) return false;
      let good = 0;
      for (let index = 0; index < 3; index++) {
        const block = /** @type {(typeof blocks)[number]} */ (blocks[index]);
        const parent = /** @type {Vmar} */ (probed[/** @type {number} */ (listOf[index])]);
        const allocated = parent.allocate(0, block.wholeSize, BLOCK_VMAR_FLAGS);
        if (!allocated.ok) break;
        const child = allocated.value.vmar;
        if (
          child.map(BLOCK_MAP_FLAGS, block.guardBelow, vmo.value, block.vmoOffset, block.size).ok
        ) {
          good++;
        }
        child.close();
        parents[slot * 3 + index] = parent;
        addresses[slot * 3 + index] = allocated.value.address;
      }
      vmo.value.close();
      return good === 3;
    },
    /**
     * Ends thread `slot`; answers whether every unmap answered OK.
     * @param {number} slot
     */
    end(slot) {
      let good = 0;
      for (let index = 0; index < 3; index++) {
        const block = /** @type {(typeof blocks)[number]} */ (blocks[index]);
        const parent = /** @type {Vmar} */ (parents[slot * 3 + index]);
        const address = /** @type {number} */ (addresses[slot * 3 + index]);
        if (parent.unmap(address, block.wholeSize) === Status.OK) good++;
        parents[slot * 3 + index] = undefined;
      }
      return good === 3;
    },
    dispose() {
      vmars[Symbol.dispose]();
    },
  };
}

/**
 * Runs `workload` with `bareThreads` on a fresh shared-region backend; returns the nanoseconds.
 * @param {Workload} workload
 * @param {number} seed
 */
export function runBareWorkload(workload, seed) {
  const start = process.hrtime.bigint();
  const threads = bareThreads(sharedRegionBackend(seed));
  const events = workload.events;
  let good = 0;
  for (let index = 0; index < events.length; index++) {
    const event = /** @type {number} */ (events[index]);
    if (event >= 0 ? threads.create(event) : threads.end(~event)) good++;
  }
  threads.dispose();
  const elapsed = process.hrtime.bigint() - start;
  expect(good === events.length, 'a bare thread creation or exit failed');
  return Number(elapsed);
}

/**
 * Steady churn at `alive` live threads: `measure(count)` ends a random live thread and creates a
 * new one, `count` times (one lifecycle each), after an untimed ramp to `alive` and a warm-up of
 * as many lifecycles, so that the compact VMARs hold the holes that random exits leave.
 * @param {number} alive
 * @param {number} seed
 */
export function churnAt(alive, seed) {
  const threads = bareThreads(sharedRegionBackend(seed));
  const random = new SeededRandom(seed);
  /** Live slots; each slot index is reused by the thread that replaces it. */
  for (let slot = 0; slot < alive; slot++) expect(threads.create(slot), 'ramp-up failed');
  const lifecycle = () => {
    const slot = random.nextInt(alive);
    return threads.end(slot) && threads.create(slot);
  };
  for (let index = 0; index < Math.max(alive, 1_000); index++) {
    expect(lifecycle(), 'warm-up churn failed');
  }
  return {
    /** @param {number} count */
    measure(count) {
      let good = 0;
      const start = process.hrtime.bigint();
      for (let index = 0; index < count; index++) if (lifecycle()) good++;
      const elapsed = process.hrtime.bigint() - start;
      expect(good === count, 'a churn lifecycle failed');
      return Number(elapsed);
    },
  };
}

export { generateWorkload };
