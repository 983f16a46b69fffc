import { VmarFlags } from '@vmars/address-space';
import { describe, expect, it } from 'vitest';
import { memoryBackend } from './index.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Builds a backend with a populated tree, drops it, and returns a weak reference to a node. With
 * `endWithPlacement`, its last call is a placement (a search, which remembers the leaf it ended
 * in, then the insertion) into a second, random-placing VMAR.
 */
function populateAndDrop(endWithPlacement = false): WeakRef<object> {
  const backend = memoryBackend({ seed: 5 });
  const compact = backend.rootVmar().allocate(0, 2 ** 30, 0x1c8);
  if (!compact.ok) throw new Error('setup');
  const children = [];
  for (let index = 0; index < 1_000; index++) {
    const child = compact.value.vmar.allocate(0, 4096, VmarFlags.CAN_MAP_READ);
    if (!child.ok) throw new Error('setup');
    children.push(child.value.vmar);
  }
  // Removals walk the tree too.
  for (const child of children.slice(0, 500)) child.destroy();
  const last = children.at(-1) as unknown as { node: object };
  if (endWithPlacement) {
    const random = backend.rootVmar().allocate(0, 2 ** 32, VmarFlags.CAN_MAP_READ);
    if (!random.ok) throw new Error('setup');
    for (let index = 0; index < 100; index++) {
      if (!random.value.vmar.allocate(0, 2 ** 21, VmarFlags.CAN_MAP_READ).ok)
        throw new Error('setup');
    }
  }
  return new WeakRef(last.node);
}

/**
 * Builds a backend, unmaps `count` of its child VMARs in one `unmap` (its last call), drops it,
 * and returns a weak reference to an unmapped child: what an unmap meets passes through an array
 * that every unmap shares.
 */
function unmapAndDrop(count: number): WeakRef<object> {
  const backend = memoryBackend({ seed: 6 });
  const compact = backend.rootVmar().allocate(0, 2 ** 30, 0x1c8);
  if (!compact.ok) throw new Error('setup');
  let first: { address: number; vmar: unknown } | undefined;
  for (let index = 0; index < count; index++) {
    const child = compact.value.vmar.allocate(0, 4096, VmarFlags.CAN_MAP_READ);
    if (!child.ok) throw new Error('setup');
    first ??= child.value;
  }
  if (first === undefined) throw new Error('setup');
  if (compact.value.vmar.unmap(first.address, count * 4096) !== 0) throw new Error('unmap');
  return new WeakRef((first.vmar as { node: object }).node);
}

/** Collects garbage between two turns of the event loop and expects `reference` gone. */
async function expectCollected(reference: WeakRef<object>): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  expect(gc, 'run with --expose-gc (vitest.config.ts execArgv)').toBeTypeOf('function');
  await tick();
  gc?.();
  await tick();
  expect(reference.deref()).toBeUndefined();
}

describe('retention', () => {
  it('keeps nothing of a dropped backend reachable (the tree walks clear their scratch path)', async () => {
    await expectCollected(populateAndDrop());
  });

  it('keeps nothing reachable after a placement either (the search hint goes with its insertion)', async () => {
    await expectCollected(populateAndDrop(true));
  });

  it.each([3, 100])(
    'keeps nothing reachable after an unmap of %i children either',
    async (count) => {
      await expectCollected(unmapAndDrop(count));
    },
  );
});
