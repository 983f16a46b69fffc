import { type Handle, ObjectType, Rights, Status, type Vmar } from '@vmars/address-space';
import { describe, expect, it } from 'vitest';
import { memoryBackend } from './index.js';

const GiB = 2 ** 30;
const PAGE = 4096;

function child(parent: Vmar, size: number, flags: number) {
  const result = parent.allocate(0, size, flags);
  if (!result.ok) throw new Error(`allocate failed with ${result.status}`);
  return result.value;
}

describe('handles (§11.6)', () => {
  it('have nonzero values below 2^32 with the low two bits set, distinct while open', () => {
    const backend = memoryBackend({ seed: 21 });
    const root = backend.rootVmar();
    const values = new Set<number>([root.handle]);
    for (let index = 0; index < 1000; index++) {
      const vmar = child(root, PAGE, 0).vmar;
      expect(vmar.handle).toBeGreaterThan(0);
      expect(vmar.handle).toBeLessThan(2 ** 32);
      expect(vmar.handle % 4).toBe(3);
      values.add(vmar.handle);
    }
    expect(values.size).toBe(1001);
  });

  it('reuse the values of closed handles, never one that is still open', () => {
    const backend = memoryBackend({ seed: 23 });
    const compact = child(backend.rootVmar(), GiB, 0x1c8).vmar;
    const open = new Map<number, Vmar>();
    const made = Array.from({ length: 1000 }, () => child(compact, PAGE, 0).vmar);
    for (const [index, vmar] of made.entries()) {
      if (index % 2 === 0) vmar.close();
      else open.set(vmar.handle, vmar);
    }
    // A closed handle's value comes back, as a handle table reuses its entries.
    const reused = child(compact, PAGE, 0).vmar;
    expect(made.filter((_vmar, index) => index % 2 === 0).map((vmar) => vmar.handle)).toContain(
      reused.handle,
    );
    open.set(reused.handle, reused);
    for (let index = 0; index < 1500; index++) {
      const vmar = child(compact, PAGE, 0).vmar;
      expect(open.has(vmar.handle)).toBe(false);
      open.set(vmar.handle, vmar);
    }
    expect(open.size).toBe(500 + 1 + 1500);
    expect(backend.openHandleCount()).toBe(open.size + 2);
  });

  it('answer BAD_HANDLE once closed, and close twice is BAD_HANDLE', () => {
    const backend = memoryBackend({ seed: 22 });
    const vmar = child(backend.rootVmar(), GiB, 0x1c8).vmar;
    expect(backend.openHandleCount()).toBe(2);
    expect(vmar.close()).toBe(Status.OK);
    expect(backend.openHandleCount()).toBe(1);
    expect(vmar.close()).toBe(Status.BAD_HANDLE);
    expect(vmar.destroy()).toBe(Status.BAD_HANDLE);
    expect(vmar.info()).toEqual({ ok: false, status: Status.BAD_HANDLE });
    expect(vmar.maps(0)).toEqual({ ok: false, status: Status.BAD_HANDLE });
    expect(vmar.duplicate(Rights.SAME_RIGHTS)).toEqual({ ok: false, status: Status.BAD_HANDLE });
    expect(vmar.unmap(0, PAGE)).toBe(Status.BAD_HANDLE);
    expect(vmar.protect(0, 0, PAGE)).toBe(Status.BAD_HANDLE);
    expect(backend.openHandleCount()).toBe(1);
  });

  it('dispose closes an open handle and never throws', () => {
    const backend = memoryBackend({ seed: 23 });
    {
      using vmar = child(backend.rootVmar(), GiB, 0x1c8).vmar;
      expect(vmar.info().ok).toBe(true);
      expect(backend.openHandleCount()).toBe(2);
    }
    expect(backend.openHandleCount()).toBe(1);
    const vmar = child(backend.rootVmar(), GiB, 0x1c8).vmar;
    vmar.close();
    expect(() => vmar[Symbol.dispose]()).not.toThrow();
    expect(backend.openHandleCount()).toBe(1);
  });

  it('closing leaves the region allocated (§4.2)', () => {
    const backend = memoryBackend({ seed: 24 });
    const root = backend.rootVmar();
    const vmar = child(root, GiB, 0x1c8).vmar;
    vmar.close();
    expect(root.maps(0)).toMatchObject({ ok: true, value: { avail: 2 } });
  });

  it('of another backend answer BAD_HANDLE; a VMAR where a VMO belongs answers WRONG_TYPE', () => {
    const one = memoryBackend({ seed: 1 });
    const two = memoryBackend({ seed: 1 });
    const vmo = two.createVmo(PAGE);
    if (!vmo.ok) throw new Error('createVmo failed');
    const root = one.rootVmar();
    expect(root.map(1, 0, vmo.value, 0, PAGE)).toEqual({ ok: false, status: Status.BAD_HANDLE });
    const ownVmo = one.createVmo(PAGE);
    if (!ownVmo.ok) throw new Error('createVmo failed');
    expect(root.map(1, 0, root as never, 0, PAGE)).toEqual({
      ok: false,
      status: Status.WRONG_TYPE,
    });
    expect(root.map(1, 0, {} as never, 0, PAGE)).toEqual({ ok: false, status: Status.BAD_HANDLE });
    ownVmo.value.close();
    expect(root.map(1, 0, ownVmo.value, 0, PAGE)).toEqual({ ok: false, status: Status.BAD_HANDLE });
  });

  it('duplicate: DUPLICATE needed, SAME_RIGHTS, subsets only', () => {
    const backend = memoryBackend({ seed: 25 });
    const root = backend.rootVmar();
    const same = root.duplicate(Rights.SAME_RIGHTS);
    expect(same.ok).toBe(true);
    if (!same.ok) return;
    expect(same.value.handle).not.toBe(root.handle);
    expect(backend.openHandleCount()).toBe(2);
    expect(root.duplicate(Rights.SAME_RIGHTS | Rights.READ)).toEqual({
      ok: false,
      status: Status.INVALID_ARGS,
    });
    expect(root.duplicate(Rights.RESIZE)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    expect(root.duplicate(-1)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    const readOnly = root.duplicate(Rights.READ | Rights.INSPECT);
    expect(readOnly.ok).toBe(true);
    if (!readOnly.ok) return;
    expect(readOnly.value.duplicate(Rights.SAME_RIGHTS)).toEqual({
      ok: false,
      status: Status.ACCESS_DENIED,
    });
    // Rights are enforced per handle: no OP_CHILDREN, no destroy; INSPECT allows info.
    expect(readOnly.value.info().ok).toBe(true);
    const noInspect = root.duplicate(Rights.DUPLICATE);
    expect(noInspect.ok && noInspect.value.info()).toEqual({
      ok: false,
      status: Status.ACCESS_DENIED,
    });
    expect(noInspect.ok && noInspect.value.maps(0)).toEqual({
      ok: false,
      status: Status.ACCESS_DENIED,
    });
    const sub = child(root, GiB, 0x1c8);
    const noChildren = sub.vmar.duplicate(Rights.DUPLICATE | Rights.INSPECT);
    expect(noChildren.ok && noChildren.value.destroy()).toBe(Status.ACCESS_DENIED);
    expect(sub.vmar.destroy()).toBe(Status.OK);
  });
});

describe('basicInfo: ZX_INFO_HANDLE_BASIC (§5.3)', () => {
  const koidOf = (handle: Handle): number => {
    const info = handle.basicInfo();
    if (!info.ok) throw new Error(`basicInfo failed with ${info.status}`);
    return info.value.koid;
  };

  it('numbers objects from ZX_KOID_FIRST (1024) in creation order, VMARs and VMOs alike', () => {
    const backend = memoryBackend({ seed: 27 });
    const root = backend.rootVmar();
    expect(root.basicInfo()).toEqual({
      ok: true,
      value: { koid: 1024, rights: 0x20801f, type: ObjectType.VMAR, relatedKoid: 0 },
    });
    const first = child(root, PAGE, 0).vmar;
    const vmo = backend.createVmo(PAGE);
    if (!vmo.ok) throw new Error('createVmo failed');
    const second = child(first, PAGE, 0).vmar;
    expect([koidOf(first), koidOf(vmo.value), koidOf(second)]).toEqual([1025, 1026, 1027]);
  });

  it('spends no koid on a failed call or a duplicate, and never reuses one', () => {
    const backend = memoryBackend({ seed: 28 });
    const root = backend.rootVmar();
    const full = child(root, PAGE, 0x1c8).vmar;
    const inner = child(full, PAGE, 0).vmar;
    expect(full.allocate(0, PAGE, 0)).toEqual({ ok: false, status: Status.NO_RESOURCES });
    expect(backend.createVmo(PAGE, 0x1)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    const copy = inner.duplicate(Rights.SAME_RIGHTS);
    expect(copy.ok && koidOf(copy.value)).toBe(1026);
    expect([koidOf(full), koidOf(inner)]).toEqual([1025, 1026]);
    expect(inner.destroy()).toBe(Status.OK);
    expect(inner.close()).toBe(Status.OK);
    if (copy.ok) expect(copy.value.close()).toBe(Status.OK);
    // The range and the handle values are free again; the koid is not.
    const next = child(full, PAGE, 0).vmar;
    expect(koidOf(next)).toBe(1027);
  });
});

describe('destroy (§4.1)', () => {
  it('is recursive: descendants answer BAD_STATE, info still works, root is NOT_SUPPORTED', () => {
    const backend = memoryBackend({ seed: 26 });
    const root = backend.rootVmar();
    const outer = child(root, GiB, 0x1c8);
    const middle = child(outer.vmar, 16 * PAGE, 0x1c8);
    const inner = child(middle.vmar, PAGE, 0x80);
    const vmo = backend.createVmo(PAGE);
    if (!vmo.ok) throw new Error('createVmo failed');
    expect(middle.vmar.map(1, 0, vmo.value, 0, PAGE).ok).toBe(true);
    expect(outer.vmar.destroy()).toBe(Status.OK);
    for (const vmar of [outer.vmar, middle.vmar, inner.vmar]) {
      expect(vmar.allocate(0, PAGE, 0)).toEqual({ ok: false, status: Status.BAD_STATE });
      expect(vmar.map(1, 0, vmo.value, 0, PAGE)).toEqual({ ok: false, status: Status.BAD_STATE });
      expect(vmar.destroy()).toBe(Status.BAD_STATE);
      expect(vmar.maps(0)).toEqual({ ok: false, status: Status.BAD_STATE });
      expect(vmar.unmap(outer.address, PAGE)).toBe(Status.BAD_STATE);
      expect(vmar.protect(1, outer.address, PAGE)).toBe(Status.BAD_STATE);
    }
    expect(inner.vmar.info()).toEqual({ ok: true, value: { base: inner.address, len: PAGE } });
    expect(root.maps(0)).toMatchObject({ ok: true, value: { avail: 1 } });
    expect(root.destroy()).toBe(Status.NOT_SUPPORTED);
    // The range is free at once.
    const again = root.allocate(outer.address - 0x200000, GiB, 0x10);
    expect(again.ok).toBe(true);
  });
});
