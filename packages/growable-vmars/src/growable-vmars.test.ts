import { ENOMEM, Errno, Status, type Vmar, ZxError } from '@vmars/address-space';
import { memoryBackend } from '@vmars/backend-memory';
import { COMPACT_VMAR_FLAGS, PROBE_FLAGS } from '@vmars/compact-vmar';
import { describe, expect, it } from 'vitest';
import { GrowableVmars, ThreadCreateVmars } from './index.js';
import { expectCode } from './test-support/expect-code.js';
import { dropAll, entries, fillVmar } from './test-support/vmar-helpers.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function setup(seed = 11) {
  const backend = memoryBackend({ region: 'shared', seed });
  return { backend, root: backend.rootVmar() };
}

const handles = (vmars: GrowableVmars) => vmars.vmars.map((compact) => compact.vmar.handle);

function expectEnomem(action: () => unknown): Errno {
  try {
    action();
  } catch (error) {
    expect(Errno.isInstance(error)).toBe(true);
    expect((error as Errno).code).toBe(ENOMEM);
    return error as Errno;
  }
  throw new Error('expected Errno ENOMEM');
}

describe('the seed tests, ported one to one', () => {
  it('test_thread_create_vmars_init', () => {
    const { root } = setup();
    const tcv = new ThreadCreateVmars(root);
    // Just verify we can probe each.
    expect(() => tcv.machineStack.probe()).not.toThrow();
    expect(() => tcv.securityStack.probe()).not.toThrow();
    expect(() => tcv.threadBlock.probe()).not.toThrow();
  });

  it('test_probe_growth_and_rotation', () => {
    const { root } = setup();
    const vmars = new GrowableVmars(root);

    // Probe for an initial VMAR.
    const h1 = vmars.probe();
    const h1Raw = h1.handle;

    // Exhaust the provided VMAR.
    const allocs1 = fillVmar(h1);

    // Probing should yield a new VMAR.
    const h2 = vmars.probe();
    const h2Raw = h2.handle;
    expect(h2Raw).not.toBe(h1Raw);
    expect(vmars.vmars).toHaveLength(2);
    // Current order should be [h2, h1] because h1 failed and h2 is new.
    expect(vmars.vmars[0]?.vmar.handle).toBe(h2Raw);
    expect(vmars.vmars[1]?.vmar.handle).toBe(h1Raw);

    // Now exhaust this VMAR.
    fillVmar(h2);

    // Once again, probing should yield another VMAR.
    const h3 = vmars.probe();
    const h3Raw = h3.handle;
    expect(h3Raw).not.toBe(h1Raw);
    expect(h3Raw).not.toBe(h2Raw);
    expect(vmars.vmars).toHaveLength(3);
    expect(vmars.vmars[0]?.vmar.handle).toBe(h3Raw);

    // Exhaust this VMAR.
    fillVmar(h3);

    // Free our allocations from the original VMAR.
    dropAll(allocs1);

    // Probing should now find h1 again, and not allocate a new VMAR. A consequence of searching
    // should therefore leave the vmars in the order [h1, h3, h2].
    const hRotated = vmars.probe();
    expect(hRotated.handle).toBe(h1Raw);
    expect(vmars.vmars[0]?.vmar.handle).toBe(h1Raw);
    expect(vmars.vmars[1]?.vmar.handle).toBe(h3Raw);
    expect(vmars.vmars[2]?.vmar.handle).toBe(h2Raw);
  });
});

describe('GrowableVmars.probe', () => {
  it('keeps returning the front VMAR while it has room, allocating nothing new', () => {
    const { root } = setup();
    const vmars = new GrowableVmars(root);
    const first = vmars.probe();
    const children = [];
    for (let index = 0; index < 31; index++) {
      expect(vmars.probe()).toBe(first);
      const child = first.allocate(0, PROBE_SIZE_MINUS_PAGE, PROBE_FLAGS);
      expect(child.ok).toBe(true);
      children.push(child);
    }
    expect(vmars.length).toBe(1);
  });

  it('rotates exactly as VecDeque::rotate_left: the full VMARs passed over go to the back in order', () => {
    const { root } = setup();
    const vmars = new GrowableVmars(root);
    const made: Vmar[] = [];
    const fills: Vmar[][] = [];
    for (let index = 0; index < 5; index++) {
      made.unshift(vmars.probe());
      fills.unshift(fillVmar(made[0] as Vmar));
    }
    // Front to back: v4 v3 v2 v1 v0, all full. Free v1 (index 3).
    expect(handles(vmars)).toEqual(made.map((vmar) => vmar.handle));
    dropAll(fills[3] as Vmar[]);
    expect(vmars.probe()).toBe(made[3]);
    const [v4, v3, v2, v1, v0] = made.map((vmar) => vmar.handle);
    expect(handles(vmars)).toEqual([v1, v0, v4, v3, v2]);
    // Room in the front: no rotation.
    expect(vmars.probe().handle).toBe(v1);
    expect(handles(vmars)).toEqual([v1, v0, v4, v3, v2]);
  });

  it('throws Errno ENOMEM when every VMAR is full and the parent has no room, changing nothing', () => {
    const { root } = setup();
    const parent = root.allocate(0, GiB + GiB / 2, COMPACT_VMAR_FLAGS);
    if (!parent.ok) throw new Error('setup');
    const vmars = new GrowableVmars(parent.value.vmar);
    const only = vmars.probe();
    const filled = fillVmar(only);
    const before = entries(parent.value.vmar);
    const order = handles(vmars);
    const error = expectEnomem(() => vmars.probe());
    expect(error.message).toContain('ZX_ERR_NO_RESOURCES');
    expect(ZxError.isInstance(error.cause)).toBe(true);
    expect((error.cause as ZxError).status).toBe(Status.NO_RESOURCES);
    expect(handles(vmars)).toEqual(order);
    expect(entries(parent.value.vmar)).toEqual(before);
    // Once there is room again, probe works and returns the old VMAR.
    dropAll(filled.slice(0, 1));
    expect(vmars.probe()).toBe(only);
  });

  it('throws ENOMEM when the parent is destroyed (any allocate failure is ENOMEM)', () => {
    const { root } = setup();
    const parent = root.allocate(0, 4 * GiB, COMPACT_VMAR_FLAGS);
    if (!parent.ok) throw new Error('setup');
    const vmars = new GrowableVmars(parent.value.vmar);
    parent.value.vmar.destroy();
    expect(expectEnomem(() => vmars.probe()).message).toContain('ZX_ERR_BAD_STATE');
    expect(vmars.length).toBe(0);
  });

  it('honours vmarSize and probeSize', () => {
    const { root } = setup();
    const vmars = new GrowableVmars(root, { vmarSize: 64 * MiB, probeSize: 16 * MiB });
    const vmar = vmars.probe();
    expect(vmar.info()).toMatchObject({ ok: true, value: { len: 64 * MiB } });
    expect(vmar.allocate(0, 48 * MiB + 4096, PROBE_FLAGS).ok).toBe(true);
    // 16 MiB - 4 KiB left: the probe fails, a second VMAR comes.
    expect(vmars.probe()).not.toBe(vmar);
    expect(vmars.length).toBe(2);
  });

  it('leaves the backend’s count of open handles where it was after 100,000 probes', () => {
    const { backend, root } = setup();
    const vmars = new GrowableVmars(root);
    vmars.probe();
    const before = backend.openHandleCount();
    for (let index = 0; index < 100_000; index++) vmars.probe();
    expect(backend.openHandleCount()).toBe(before);
    expect(vmars.length).toBe(1);
  });
});

const PROBE_SIZE_MINUS_PAGE = 32 * MiB - 4096;

describe('disposal', () => {
  it('destroys every compact VMAR when all are empty', () => {
    const { root } = setup();
    const before = entries(root);
    const vmars = new GrowableVmars(root);
    const first = vmars.probe();
    const filled = fillVmar(first);
    vmars.probe();
    dropAll(filled);
    expect(entries(root)).toHaveLength(before.length + 2);
    vmars[Symbol.dispose]();
    expect(entries(root)).toEqual(before);
    expect(vmars.disposed).toBe(true);
    expectCode(() => vmars.probe(), 'DISPOSED');
    vmars[Symbol.dispose](); // twice: nothing happens
  });

  it('throws IN_USE and destroys nothing while one VMAR still holds a child', () => {
    const { root } = setup();
    const vmars = new GrowableVmars(root);
    const first = vmars.probe();
    const filled = fillVmar(first);
    vmars.probe(); // a second, empty VMAR at the front
    dropAll(filled.slice(1)); // the first keeps one child
    const rootBefore = entries(root);
    const order = handles(vmars);
    expectCode(() => vmars[Symbol.dispose](), 'IN_USE');
    expect(entries(root)).toEqual(rootBefore);
    expect(handles(vmars)).toEqual(order);
    expect(entries(first)).toHaveLength(2); // the child is still there
    expect(vmars.disposed).toBe(false);
  });
});

describe('ThreadCreateVmars', () => {
  it('has three independent lists', () => {
    const { root } = setup();
    const tcv = new ThreadCreateVmars(root);
    const machine = tcv.machineStack.probe();
    const security = tcv.securityStack.probe();
    const block = tcv.threadBlock.probe();
    expect(new Set([machine.handle, security.handle, block.handle]).size).toBe(3);
    expect(tcv.lists).toEqual([tcv.machineStack, tcv.securityStack, tcv.threadBlock]);
  });

  it('disposal throws and leaves every VMAR in place while a thread block is inside', () => {
    const { root } = setup();
    const empty = entries(root);
    const tcv = new ThreadCreateVmars(root);
    tcv.machineStack.probe();
    tcv.securityStack.probe();
    const blockVmar = tcv.threadBlock.probe();
    const block = blockVmar.allocate(0, 3 * 4096, 0x1c0);
    if (!block.ok) throw new Error('setup');
    const rootBefore = entries(root);
    expectCode(() => tcv[Symbol.dispose](), 'IN_USE');
    expect(entries(root)).toEqual(rootBefore);
    for (const list of tcv.lists) expect(list.disposed).toBe(false);
    // The thread exits: libc unmaps the whole block through the parent handle.
    expect(blockVmar.unmap(block.value.address, 3 * 4096)).toBe(Status.OK);
    tcv[Symbol.dispose]();
    expect(entries(root)).toEqual(empty);
  });
});

describe('bad input changes nothing', () => {
  const bad: readonly [string, unknown][] = [
    ['NaN', Number.NaN],
    ['-1', -1],
    ['1.5', 1.5],
    ['2^53', 2 ** 53],
    ['a string', '1GiB'],
    ['zero', 0],
    ['null', null],
  ];
  for (const option of ['vmarSize', 'probeSize'] as const) {
    it.each(bad)(`GrowableVmars option ${option} = %s throws INVALID_ARGUMENT`, (_name, value) => {
      const { root } = setup();
      const before = entries(root);
      expectCode(() => new GrowableVmars(root, { [option]: value }), 'INVALID_ARGUMENT');
      expectCode(() => new ThreadCreateVmars(root, { [option]: value }), 'INVALID_ARGUMENT');
      expect(entries(root)).toEqual(before);
    });
  }

  it('rejects probeSize larger than vmarSize, unknown options and a parent that is not a VMAR', () => {
    const { root } = setup();
    expectCode(
      () => new GrowableVmars(root, { vmarSize: 32 * MiB, probeSize: 64 * MiB }),
      'INVALID_ARGUMENT',
    );
    expectCode(
      () => new GrowableVmars(root, { probesize: MiB } as unknown as { probeSize: number }),
      'INVALID_ARGUMENT',
    );
    expectCode(() => new GrowableVmars(undefined as unknown as Vmar), 'INVALID_ARGUMENT');
    expectCode(() => new ThreadCreateVmars('root' as unknown as Vmar), 'INVALID_ARGUMENT');
  });

  it('undefined options take the seed defaults', () => {
    const { root } = setup();
    const vmars = new GrowableVmars(root, { vmarSize: undefined } as unknown as {
      vmarSize: number;
    });
    expect(vmars.probe().info()).toMatchObject({ ok: true, value: { len: GiB } });
  });
});
