/**
 * The knobs the policy lab turns, each off by default so that the seed's tests
 * (`growable-vmars.test.ts`) hold as the seed wrote them: alignment of each compact VMAR, a probe
 * of an exact size, releasing empty VMARs beyond k spare, and one list shared by the three block
 * kinds.
 */
import { type Vmar, VmarFlags } from '@vmars/address-space';
import { memoryBackend } from '@vmars/backend-memory';
import { PROBE_FLAGS } from '@vmars/compact-vmar';
import { describe, expect, it } from 'vitest';
import { GrowableVmars, ThreadCreateVmars } from './index.js';
import { expectCode } from './test-support/expect-code.js';
import { dropAll, entries, fillVmar } from './test-support/vmar-helpers.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const PAGE = 4096;

function setup(seed = 5) {
  const backend = memoryBackend({ region: 'shared', seed });
  return { backend, root: backend.rootVmar() };
}

/** Allocates a child of `size` with libc's block flags: a thread's block, as far as the list sees. */
function block(vmar: Vmar, size: number): Vmar {
  const child = vmar.allocate(0, size, 0x1c0);
  if (!child.ok) throw new Error(`no room for ${String(size)}`);
  return child.value.vmar;
}

describe('option "align"', () => {
  it('every compact VMAR the list allocates is 1 GiB aligned with ALIGN_1GB', () => {
    for (const seed of [1, 2, 3]) {
      const { root } = setup(seed);
      const vmars = new GrowableVmars(root, { align: VmarFlags.ALIGN_1GB });
      for (let index = 0; index < 6; index++) fillVmar(vmars.probe());
      expect(vmars.length).toBe(6);
      for (const compact of vmars.vmars) expect(compact.address % GiB).toBe(0);
    }
  });

  it('rejects a value that is not an ALIGN_* flag', () => {
    const { root } = setup();
    expectCode(() => new GrowableVmars(root, { align: GiB }), 'INVALID_ARGUMENT');
    expectCode(() => new ThreadCreateVmars(root, { align: 7 }), 'INVALID_ARGUMENT');
  });
});

describe('probe(size): a probe of the exact size libc will carve', () => {
  it('answers yes exactly when a child of that size fits', () => {
    const { root } = setup();
    const vmars = new GrowableVmars(root, { vmarSize: 16 * MiB, probeSize: 16 * MiB });
    const first = vmars.probe();
    // Leave exactly 2 MiB + 1 page free.
    block(first, 14 * MiB - PAGE);
    expect(vmars.probe(2 * MiB + PAGE)).toBe(first);
    expect(vmars.length).toBe(1);
    // One page more does not fit: a new VMAR.
    const second = vmars.probe(2 * MiB + 2 * PAGE);
    expect(second).not.toBe(first);
    expect(vmars.length).toBe(2);
    // And the default size (16 MiB) is still the list's own.
    block(second, PAGE);
    expect(vmars.probe()).not.toBe(second);
  });

  it('rejects a size that is not positive or exceeds vmarSize, changing nothing', () => {
    const { root } = setup();
    const vmars = new GrowableVmars(root, { vmarSize: 64 * MiB, probeSize: 32 * MiB });
    expectCode(() => vmars.probe(0), 'INVALID_ARGUMENT');
    expectCode(() => vmars.probe(128 * MiB), 'INVALID_ARGUMENT');
    expect(vmars.length).toBe(0);
  });
});

describe('releaseEmpty and option "keepSpare"', () => {
  /** A list of `count` VMARs, each holding one block, front first; returns the blocks. */
  function listOf(count: number) {
    const { root } = setup();
    const vmars = new GrowableVmars(root, { vmarSize: 64 * MiB, probeSize: 32 * MiB });
    const blocks: Vmar[] = [];
    for (let index = 0; index < count; index++) {
      const vmar = vmars.probe();
      blocks.push(block(vmar, 33 * MiB)); // leaves 31 MiB: the next probe grows the list
    }
    return { root, vmars, blocks };
  }

  it('destroys only empty VMARs, never the front, keeping `keep` spares in list order', () => {
    const { root, vmars, blocks } = listOf(5);
    const before = vmars.vmars.map((compact) => compact.address);
    // Empty the 2nd, 3rd and 5th VMARs in list order (blocks are in creation order: the front is
    // the newest).
    dropAll([blocks[3], blocks[2], blocks[0]] as Vmar[]);
    const rootEntries = entries(root).length;
    expect(vmars.releaseEmpty(1)).toBe(2);
    // The first empty one after the front is kept as the spare; the others are gone.
    expect(vmars.vmars.map((compact) => compact.address)).toEqual([
      before[0],
      before[1],
      before[3],
    ]);
    expect(entries(root).length).toBe(rootEntries - 2);
    expect(vmars.releaseEmpty(0)).toBe(1);
    expect(vmars.vmars.map((compact) => compact.address)).toEqual([before[0], before[3]]);
  });

  it('keeps an empty front: it is what the last probe returned', () => {
    const { vmars, blocks } = listOf(3);
    dropAll(blocks);
    expect(vmars.releaseEmpty(0)).toBe(2);
    expect(vmars.length).toBe(1);
  });

  it('with keepSpare, probe releases first; at random, no VMAR holding a block is ever destroyed', () => {
    const { root } = setup(17);
    const vmars = new GrowableVmars(root, {
      vmarSize: 16 * MiB,
      probeSize: 4 * MiB,
      keepSpare: 0,
    });
    let state = 12345;
    const random = (bound: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 16) % bound;
    };
    const live: { parent: Vmar; child: Vmar }[] = [];
    let maxLength = 0;
    for (let step = 0; step < 3000; step++) {
      if (live.length < 40 && (live.length === 0 || random(2) === 0)) {
        const parent = vmars.probe();
        live.push({ parent, child: block(parent, 2 * MiB + PAGE) });
      } else {
        const index = random(live.length);
        const [gone] = live.splice(index, 1);
        gone?.child.destroy();
        gone?.child.close();
      }
      maxLength = Math.max(maxLength, vmars.length);
      // Every live block's compact VMAR is still there and still in the list.
      const addresses = new Set(vmars.vmars.map((compact) => compact.vmar));
      for (const { parent } of live) {
        expect(addresses.has(parent)).toBe(true);
        expect(parent.info().ok).toBe(true);
      }
    }
    expect(maxLength).toBeGreaterThan(5);
    for (const { child } of live) child.destroy();
    vmars.probe();
    // All empty now: only the front is left.
    expect(vmars.length).toBe(1);
  });

  it('without keepSpare the list never shrinks (the seed)', () => {
    const { vmars, blocks } = listOf(4);
    dropAll(blocks);
    vmars.probe();
    expect(vmars.length).toBe(4);
  });

  it('rejects a bad keep or keepSpare', () => {
    const { root } = setup();
    expectCode(() => new GrowableVmars(root, { keepSpare: -1 }), 'INVALID_ARGUMENT');
    expectCode(() => new GrowableVmars(root, { keepSpare: 1.5 }), 'INVALID_ARGUMENT');
    expectCode(() => new GrowableVmars(root).releaseEmpty(-2), 'INVALID_ARGUMENT');
  });
});

describe('option "sharedList"', () => {
  it('makes the three block kinds share one list', () => {
    const { root } = setup();
    const tcv = new ThreadCreateVmars(root, { sharedList: true });
    expect(tcv.sharedList).toBe(true);
    expect(tcv.securityStack).toBe(tcv.machineStack);
    expect(tcv.threadBlock).toBe(tcv.machineStack);
    const machine = tcv.machineStack.probe();
    expect(tcv.securityStack.probe()).toBe(machine);
    expect(tcv.threadBlock.probe()).toBe(machine);
    expect(tcv.machineStack.length).toBe(1);
  });

  it('disposes the shared list once, and refuses while a block is inside', () => {
    const { root } = setup();
    const empty = entries(root);
    const tcv = new ThreadCreateVmars(root, { sharedList: true });
    const vmar = tcv.threadBlock.probe();
    const child = block(vmar, 3 * PAGE);
    expectCode(() => tcv[Symbol.dispose](), 'IN_USE');
    child.destroy();
    tcv[Symbol.dispose]();
    expect(entries(root)).toEqual(empty);
  });

  it('defaults to three lists and rejects a value that is not a boolean', () => {
    const { root } = setup();
    const tcv = new ThreadCreateVmars(root);
    expect(tcv.sharedList).toBe(false);
    expect(new Set(tcv.lists).size).toBe(3);
    expectCode(
      () => new ThreadCreateVmars(root, { sharedList: 'yes' as unknown as boolean }),
      'INVALID_ARGUMENT',
    );
    expectCode(
      () => new ThreadCreateVmars(root, { shared: true } as unknown as { sharedList: boolean }),
      'INVALID_ARGUMENT',
    );
  });

  it('passes the list options to the shared list', () => {
    const { root } = setup();
    const tcv = new ThreadCreateVmars(root, {
      sharedList: true,
      vmarSize: 64 * MiB,
      probeSize: 16 * MiB,
      align: VmarFlags.ALIGN_1GB,
    });
    const vmar = tcv.machineStack.probe();
    expect(vmar.info()).toMatchObject({ ok: true, value: { len: 64 * MiB } });
    expect((tcv.machineStack.vmars[0]?.address ?? 1) % GiB).toBe(0);
    expect(vmar.allocate(0, 48 * MiB + PAGE, PROBE_FLAGS).ok).toBe(true);
    expect(tcv.securityStack.probe()).not.toBe(vmar);
  });
});
