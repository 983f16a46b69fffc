// @ts-check
import { expect } from '../bench-error.mjs';
import { benchBackend } from '../fixtures.mjs';
import {
  BLOCK_MAP_FLAGS,
  BLOCK_VMAR_FLAGS,
  Status,
  ThreadCreateVmars,
  threadLayout,
} from '../packages.mjs';

/** @typedef {import('../measure-case.mjs').BenchCase} BenchCase */
/** @typedef {import('../../packages/address-space/dist/index.js').Vmar} Vmar */
/** @typedef {import('../../packages/address-space/dist/index.js').Vmo} Vmo */
/** @typedef {import('../../packages/growable-vmars/dist/index.js').GrowableVmars} GrowableVmars */

/**
 * What the thread lifecycles run on: a `ThreadCreateVmars` on a bench backend, and the demo's
 * x86-64 layout (§7): 2 MiB machine and security stacks with a guard page below, then a thread
 * block of one page between two guards, one VMO for all three; largest first, in the order of
 * the three lists.
 */
function threadFixture() {
  const backend = benchBackend();
  const threads = new ThreadCreateVmars(backend.rootVmar());
  const layout = threadLayout({
    architecture: 'x86_64',
    pageSize: backend.pageSize,
    stackSize: 2 * 1024 * 1024,
    tlsSize: 1024,
  });
  return {
    backend,
    blocks: layout.blocks,
    vmoSize: layout.vmoSize,
    lists: [threads.machineStack, threads.securityStack, threads.threadBlock],
    /** The addresses of the current thread's three blocks. */
    addresses: [0, 0, 0],
    /** @type {Vmar[]} the VMARs the current thread's three probes answered */
    parents: [],
  };
}

/**
 * One thread's create and exit with `vmo`; answers whether every call answered OK.
 * @param {ReturnType<typeof threadFixture>} fixture
 * @param {Vmo} vmo
 */
function lifecycle({ blocks, lists, addresses, parents }, vmo) {
  for (let index = 0; index < 3; index++) {
    parents[index] = /** @type {GrowableVmars} */ (lists[index]).probe();
  }
  let good = 0;
  for (let index = 0; index < 3; index++) {
    const block = /** @type {(typeof blocks)[number]} */ (blocks[index]);
    const allocated = /** @type {Vmar} */ (parents[index]).allocate(
      0,
      block.wholeSize,
      BLOCK_VMAR_FLAGS,
    );
    if (!allocated.ok) return false;
    const child = allocated.value.vmar;
    const mapped = child.map(BLOCK_MAP_FLAGS, block.guardBelow, vmo, block.vmoOffset, block.size);
    if (mapped.ok && mapped.value === allocated.value.address + block.guardBelow) good++;
    if (child.close() === Status.OK) good++;
    addresses[index] = allocated.value.address;
  }
  for (let index = 0; index < 3; index++) {
    const block = /** @type {(typeof blocks)[number]} */ (blocks[index]);
    const parent = /** @type {Vmar} */ (parents[index]);
    if (parent.unmap(/** @type {number} */ (addresses[index]), block.wholeSize) === Status.OK) {
      good++;
    }
  }
  return good === 9;
}

/**
 * One thread's life as the demo runs it, on a `ThreadCreateVmars` whose three lists each hold
 * one compact VMAR: Starnix probes the three lists (`GrowableVmars.probe()`); libc creates the
 * thread's VMO, and for each block allocates a child VMAR (flags 0x1C0, guard + block + guard),
 * maps the VMO into it SPECIFIC at the guard's offset, closes the child's handle, then closes the
 * VMO's handle; at exit it unmaps each whole block through the parent handle, which destroys the
 * child VMAR (§4.3). The second case reuses one VMO for every thread, to show what
 * `zx_vmo_create` and its close cost inside the first.
 * @returns {BenchCase[]}
 */
export function threadLifecycleCases() {
  const fixture = threadFixture();
  const { backend, vmoSize } = fixture;
  const created = backend.createVmo(vmoSize);
  expect(created.ok, 'zx_vmo_create failed');
  const sharedVmo = created.value;
  expect(lifecycle(fixture, sharedVmo), 'the first thread lifecycle failed');
  const handlesBefore = backend.openHandleCount();

  return [
    {
      id: 'thread-lifecycle',
      name: 'thread lifecycle (3 probes, 3 blocks, VMO per thread)',
      measure(count) {
        let succeeded = 0;
        const start = process.hrtime.bigint();
        for (let index = 0; index < count; index++) {
          const vmo = backend.createVmo(vmoSize);
          if (!vmo.ok) continue;
          const lived = lifecycle(fixture, vmo.value);
          if (vmo.value.close() === Status.OK && lived) succeeded++;
        }
        const elapsed = process.hrtime.bigint() - start;
        expect(succeeded === count, 'a thread lifecycle failed');
        expect(backend.openHandleCount() === handlesBefore, 'a thread lifecycle leaked handles');
        return Number(elapsed);
      },
    },
    {
      id: 'thread-lifecycle-shared-vmo',
      name: 'thread lifecycle, one VMO for all threads',
      measure(count) {
        let succeeded = 0;
        const start = process.hrtime.bigint();
        for (let index = 0; index < count; index++) if (lifecycle(fixture, sharedVmo)) succeeded++;
        const elapsed = process.hrtime.bigint() - start;
        expect(succeeded === count, 'a thread lifecycle failed');
        return Number(elapsed);
      },
    },
  ];
}
