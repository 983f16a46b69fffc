/**
 * Faults in the policy (a backend wrapper from @vmars/testing makes chosen calls fail): after a
 * failed probe() the list holds the same VMARs in the same order, no half-made VMAR is left in
 * the parent, and the next probe() works once the fault is gone.
 */
import { ENOMEM, Errno, Status } from '@vmars/address-space';
import { memoryBackend } from '@vmars/backend-memory';
import { COMPACT_VMAR_FLAGS, CompactVmarError, VMAR_SIZE } from '@vmars/compact-vmar';
import { type FaultRule, faultyBackend } from '@vmars/testing';
import { describe, expect, it } from 'vitest';
import { GrowableVmars, ThreadCreateVmars } from './index.js';
import { dropAll, entries, fillVmar } from './test-support/vmar-helpers.js';

function setup() {
  const backend = faultyBackend(memoryBackend({ region: 'shared', seed: 3 }));
  return { backend, root: backend.rootVmar() };
}

const handles = (vmars: GrowableVmars) => vmars.vmars.map((compact) => compact.vmar.handle);

/** Fails the allocation of a new compact VMAR (the 1 GiB COMPACT one), never a probe. */
const newVmarFails = (status: number): FaultRule => ({
  operation: 'allocate',
  status,
  times: 1,
  when: (call) => call.args[1] === VMAR_SIZE && call.args[2] === COMPACT_VMAR_FLAGS,
});

describe('GrowableVmars under injected faults', () => {
  it('a failed allocation of a new VMAR throws ENOMEM and loses nothing; the next probe works', () => {
    const { backend, root } = setup();
    const vmars = new GrowableVmars(root);
    const first = vmars.probe();
    const filled = fillVmar(first);
    const second = vmars.probe();
    fillVmar(second);
    const order = handles(vmars);
    const rootBefore = entries(root);

    backend.inject(newVmarFails(Status.NO_MEMORY));
    let thrown: unknown;
    try {
      vmars.probe();
    } catch (error) {
      thrown = error;
    }
    expect(Errno.isInstance(thrown)).toBe(true);
    expect((thrown as Errno).code).toBe(ENOMEM);
    expect((thrown as Errno).message).toContain('ZX_ERR_NO_MEMORY');
    expect(backend.injected).toBe(1);
    expect(handles(vmars)).toEqual(order);
    expect(entries(root)).toEqual(rootBefore); // no half-made VMAR in the parent

    // The fault is gone: the next probe allocates a third VMAR at the front.
    const third = vmars.probe();
    expect(handles(vmars)).toEqual([third.handle, ...order]);
    expect(entries(root)).toHaveLength(rootBefore.length + 1);
    dropAll(filled);
  });

  it('a failed probe allocation counts as "full" (as in the seed) and the list stays consistent', () => {
    const { backend, root } = setup();
    const vmars = new GrowableVmars(root);
    const first = vmars.probe();
    // The next probe of `first` answers NO_MEMORY: the policy moves on and allocates a new VMAR.
    backend.inject({
      operation: 'allocate',
      status: Status.NO_MEMORY,
      times: 1,
      when: (call) => call.handle === first.handle,
    });
    const second = vmars.probe();
    expect(second).not.toBe(first);
    expect(handles(vmars)).toEqual([second.handle, first.handle]);
    // `first` was not harmed: once `second` is full, probing finds it again.
    fillVmar(second);
    expect(vmars.probe()).toBe(first);
    expect(handles(vmars)).toEqual([first.handle, second.handle]);
  });

  it('every call failing with each status leaves the list and the parent unchanged', () => {
    for (const status of [Status.NO_MEMORY, Status.NO_RESOURCES, Status.BAD_STATE]) {
      const { backend, root } = setup();
      const vmars = new GrowableVmars(root);
      fillVmar(vmars.probe());
      const order = handles(vmars);
      const rootBefore = entries(root);
      backend.inject({ operation: 'allocate', status });
      expect(() => vmars.probe()).toThrow(Errno);
      backend.clear();
      expect(handles(vmars)).toEqual(order);
      expect(entries(root)).toEqual(rootBefore);
      expect(() => vmars.probe()).not.toThrow();
    }
  });

  it('ThreadCreateVmars: a fault in one list leaves the other lists and the parent as they were', () => {
    const { backend, root } = setup();
    const tcv = new ThreadCreateVmars(root);
    const machine = tcv.machineStack.probe();
    const rootBefore = entries(root);
    backend.inject(newVmarFails(Status.NO_MEMORY));
    expect(() => tcv.securityStack.probe()).toThrow(Errno);
    expect(tcv.securityStack.length).toBe(0);
    expect(entries(root)).toEqual(rootBefore);
    expect(tcv.machineStack.probe()).toBe(machine);
    expect(() => tcv.securityStack.probe()).not.toThrow();
  });

  it('disposal whose maps query fails throws INFO_FAILED and destroys nothing', () => {
    const { backend, root } = setup();
    const tcv = new ThreadCreateVmars(root);
    for (const list of tcv.lists) list.probe();
    const rootBefore = entries(root);
    const block = tcv.threadBlock.vmars[0]?.vmar;
    backend.inject({
      operation: 'maps',
      status: Status.ACCESS_DENIED,
      times: 1,
      when: (call) => call.handle === block?.handle,
    });
    let thrown: unknown;
    try {
      tcv[Symbol.dispose]();
    } catch (error) {
      thrown = error;
    }
    expect(CompactVmarError.isInstance(thrown)).toBe(true);
    expect((thrown as CompactVmarError).code).toBe('INFO_FAILED');
    expect(entries(root)).toEqual(rootBefore);
    tcv[Symbol.dispose]();
    expect(entries(root)).toHaveLength(rootBefore.length - 3);
  });
});
