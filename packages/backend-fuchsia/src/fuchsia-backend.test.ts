import { MapsType, ObjectType, Rights, Status, VmarFlags, ZxError } from '@vmars/address-space';
import { BAD_NUMBERS } from '@vmars/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachTestDouble,
  type CompiledTestDouble,
  compileTestDouble,
  type TestDoubleInstance,
  type TestDoubleMapEntry,
  type TestDoubleOps,
} from '../test-double/test-double.js';
import { fuchsiaBackend } from './fuchsia-backend.js';

/**
 * The FFI path against scripted answers: every zx entry point the C test double exports is
 * answered by a script that records the arguments C passed, so these tests see exactly what
 * crossed the boundary in each direction.
 */

const ROOT = 0x1003;
const CHILD = 0x2007;
const VMO = 0x300b;
const ROOT_COPY = 0x400f;

interface Call {
  readonly name: keyof TestDoubleOps;
  readonly args: readonly unknown[];
}

function scripted(overrides: Partial<TestDoubleOps>, calls: Call[]): TestDoubleOps {
  const unexpected = (name: keyof TestDoubleOps) => (): never => {
    throw new Error(`unexpected call of ${name}`);
  };
  const base: TestDoubleOps = {
    vmarRootSelf: () => ROOT,
    systemGetPageSize: () => 4096,
    vmarAllocate: unexpected('vmarAllocate'),
    vmarDestroy: unexpected('vmarDestroy'),
    vmarMap: unexpected('vmarMap'),
    vmarUnmap: unexpected('vmarUnmap'),
    vmarProtect: unexpected('vmarProtect'),
    vmoCreate: () => ({ ok: true, value: VMO }),
    handleClose: () => Status.OK,
    handleDuplicate: (handle) => ({
      ok: true,
      value: handle === ROOT ? ROOT_COPY : handle + 0x100,
    }),
    vmarInfo: unexpected('vmarInfo'),
    vmarMaps: unexpected('vmarMaps'),
    handleBasic: unexpected('handleBasic'),
  };
  const merged = { ...base, ...overrides };
  return Object.fromEntries(
    Object.entries(merged).map(([name, method]) => [
      name,
      (...args: unknown[]) => {
        calls.push({ name: name as keyof TestDoubleOps, args });
        return (method as (...inner: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as TestDoubleOps;
}

let compiled: CompiledTestDouble;
beforeAll(() => {
  compiled = compileTestDouble();
});
afterAll(() => compiled.remove());

function setup(overrides: Partial<TestDoubleOps> = {}) {
  const calls: Call[] = [];
  const double: TestDoubleInstance = attachTestDouble(compiled, scripted(overrides, calls));
  const backend = fuchsiaBackend({ libraries: double.libraries });
  return { backend, calls, double };
}

describe('fuchsiaBackend over the C test double (scripted answers)', () => {
  it('asks zx_system_get_page_size and duplicates zx_vmar_root_self once', () => {
    const { backend, calls } = setup({ systemGetPageSize: () => 16384 });
    expect(backend.name).toBe('fuchsia');
    expect(backend.pageSize).toBe(16384);
    const root = backend.rootVmar();
    expect(root.handle).toBe(ROOT_COPY);
    expect(backend.rootVmar()).toBe(root);
    expect(calls.map((call) => call.name)).toEqual([
      'systemGetPageSize',
      'vmarRootSelf',
      'handleDuplicate',
    ]);
    expect(calls[2]?.args).toEqual([ROOT, Rights.SAME_RIGHTS]);
  });

  it('passes every argument of zx_vmar_allocate exactly and reads both out-parameters', () => {
    const { backend, calls } = setup({
      vmarAllocate: () => ({ ok: true, value: { handle: CHILD, address: 2 ** 53 - 4096 } }),
    });
    const root = backend.rootVmar();
    // Bit 31 set: the kernel would refuse it (§2.3 step 3), but it must cross the FFI unsigned.
    const flags = VmarFlags.CAN_MAP_READ + 2 ** 31;
    const result = root.allocate(2 ** 53 - 1, 2 ** 40, flags);
    expect(result.ok && result.value.address).toBe(2 ** 53 - 4096);
    expect(result.ok && result.value.vmar.handle).toBe(CHILD);
    expect(result.ok && result.value.vmar.type).toBe('vmar');
    const call = calls.find((entry) => entry.name === 'vmarAllocate');
    expect(call?.args).toEqual([ROOT_COPY, 2 ** 31 + 0x80, 2 ** 53 - 1, 2 ** 40]);
  });

  it('passes the kernel status through and leaves no handle behind on failure', () => {
    const { backend } = setup({ vmarAllocate: () => ({ ok: false, status: Status.NO_RESOURCES }) });
    expect(backend.rootVmar().allocate(0, 4096, VmarFlags.CAN_MAP_READ)).toEqual({
      ok: false,
      status: Status.NO_RESOURCES,
    });
  });

  // The contract's bad numbers (the conformance suite's), and a bigint, which koffi would take
  // for a uint64_t.
  it.each([...BAD_NUMBERS, ['a bigint', 4096n]])(
    'answers INVALID_ARGS for %s without calling the kernel',
    (_label, bad) => {
      const { backend, double } = setup();
      const root = backend.rootVmar();
      const vmo = backend.createVmo(4096);
      if (!vmo.ok) throw new Error('createVmo failed');
      const before = double.callCount();
      const value = bad as number;
      expect(root.allocate(value, 4096, 0)).toEqual({ ok: false, status: Status.INVALID_ARGS });
      expect(root.allocate(0, value, 0)).toEqual({ ok: false, status: Status.INVALID_ARGS });
      expect(root.allocate(0, 4096, value)).toEqual({ ok: false, status: Status.INVALID_ARGS });
      expect(root.map(value, 0, vmo.value, 0, 4096)).toEqual({
        ok: false,
        status: Status.INVALID_ARGS,
      });
      expect(root.map(0, value, vmo.value, 0, 4096)).toEqual({
        ok: false,
        status: Status.INVALID_ARGS,
      });
      expect(root.map(0, 0, vmo.value, value, 4096)).toEqual({
        ok: false,
        status: Status.INVALID_ARGS,
      });
      expect(root.map(0, 0, vmo.value, 0, value)).toEqual({
        ok: false,
        status: Status.INVALID_ARGS,
      });
      expect(root.unmap(value, 4096)).toBe(Status.INVALID_ARGS);
      expect(root.unmap(0, value)).toBe(Status.INVALID_ARGS);
      expect(root.protect(value, 0, 4096)).toBe(Status.INVALID_ARGS);
      expect(root.protect(0, value, 4096)).toBe(Status.INVALID_ARGS);
      expect(root.protect(0, 0, value)).toBe(Status.INVALID_ARGS);
      expect(root.maps(value)).toEqual({ ok: false, status: Status.INVALID_ARGS });
      expect(root.duplicate(value)).toEqual({ ok: false, status: Status.INVALID_ARGS });
      expect(vmo.value.duplicate(value)).toEqual({ ok: false, status: Status.INVALID_ARGS });
      expect(backend.createVmo(value)).toEqual({ ok: false, status: Status.INVALID_ARGS });
      // `options` is optional: undefined means "not given", which is 0.
      if (value !== undefined) {
        expect(backend.createVmo(4096, value)).toEqual({ ok: false, status: Status.INVALID_ARGS });
      }
      expect(double.callCount()).toBe(before);
    },
  );

  it('answers INVALID_ARGS for a u32 argument of 2^32 (koffi would pass 0)', () => {
    const { backend, double } = setup();
    const root = backend.rootVmar();
    const before = double.callCount();
    expect(root.allocate(0, 4096, 2 ** 32)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    expect(root.duplicate(2 ** 32 + Rights.DUPLICATE)).toEqual({
      ok: false,
      status: Status.INVALID_ARGS,
    });
    expect(double.callCount()).toBe(before);
  });

  it('checks the handles before the numbers, without calling the kernel', () => {
    const { backend, double } = setup();
    const other = setup();
    const root = backend.rootVmar();
    const vmo = backend.createVmo(4096);
    const foreignVmo = other.backend.createVmo(4096);
    if (!vmo.ok || !foreignVmo.ok) throw new Error('createVmo failed');
    const before = double.callCount();
    // A VMO of another backend is BAD_HANDLE, a VMAR in the VMO's place WRONG_TYPE (§11.2 step 1).
    expect(root.map(0, 0, foreignVmo.value, Number.NaN, 4096)).toEqual({
      ok: false,
      status: Status.BAD_HANDLE,
    });
    expect(root.map(0, 0, root as never, Number.NaN, 4096)).toEqual({
      ok: false,
      status: Status.WRONG_TYPE,
    });
    expect(double.callCount()).toBe(before);
    // A closed wrapper never reaches the kernel again: its value may name a new object by now.
    expect(vmo.value.close()).toBe(Status.OK);
    const afterClose = double.callCount();
    expect(vmo.value.close()).toBe(Status.BAD_HANDLE);
    expect(root.map(0, 0, vmo.value, Number.NaN, 4096)).toEqual({
      ok: false,
      status: Status.BAD_HANDLE,
    });
    expect(vmo.value.duplicate(Rights.SAME_RIGHTS)).toEqual({
      ok: false,
      status: Status.BAD_HANDLE,
    });
    expect(root.close()).toBe(Status.OK);
    expect(root.allocate(Number.NaN, 4096, 0)).toEqual({ ok: false, status: Status.BAD_HANDLE });
    expect(root.destroy()).toBe(Status.BAD_HANDLE);
    expect(root.info()).toEqual({ ok: false, status: Status.BAD_HANDLE });
    expect(root.maps(0)).toEqual({ ok: false, status: Status.BAD_HANDLE });
    expect(double.callCount()).toBe(afterClose + 1);
  });

  it('closes the duplicate, never the unowned zx_vmar_root_self handle', () => {
    const { backend, calls } = setup();
    const root = backend.rootVmar();
    root[Symbol.dispose]();
    root[Symbol.dispose]();
    const closes = calls.filter((call) => call.name === 'handleClose');
    expect(closes.map((call) => call.args)).toEqual([[ROOT_COPY]]);
  });

  it('refuses a 64-bit address a JS number cannot hold, and undoes the allocation', () => {
    const { backend, calls } = setup({
      vmarAllocate: () => ({ ok: true, value: { handle: CHILD, address: 2n ** 60n + 4096n } }),
      vmarDestroy: () => Status.OK,
    });
    const root = backend.rootVmar();
    let thrown: unknown;
    try {
      root.allocate(0, 4096, VmarFlags.CAN_MAP_READ);
    } catch (error) {
      thrown = error;
    }
    expect(ZxError.isInstance(thrown)).toBe(true);
    expect((thrown as ZxError).status).toBe(Status.OUT_OF_RANGE);
    expect((thrown as ZxError).message).toContain('0x1000000000001000');
    const cleanup = calls.slice(-2).map((call) => [call.name, ...call.args]);
    expect(cleanup).toEqual([
      ['vmarDestroy', CHILD],
      ['handleClose', CHILD],
    ]);
  });

  it('refuses a mapped address above 2^53 and unmaps it', () => {
    const { backend, calls } = setup({
      vmarMap: () => ({ ok: true, value: 2n ** 53n }),
      vmarUnmap: () => Status.OK,
    });
    const root = backend.rootVmar();
    const vmo = backend.createVmo(4096);
    if (!vmo.ok) throw new Error('createVmo failed');
    expect(() => root.map(VmarFlags.PERM_READ, 0, vmo.value, 0, 4096)).toThrow(
      /mapped_addr 0x20000000000000/,
    );
    const map = calls.find((call) => call.name === 'vmarMap');
    expect(map?.args).toEqual([ROOT_COPY, VmarFlags.PERM_READ, 0, VMO, 0, 4096]);
    const unmap = calls.find((call) => call.name === 'vmarUnmap');
    expect(unmap?.args).toEqual([ROOT_COPY, 2 ** 53, 4096]);
  });

  it('reads zx_info_vmar_t from the buffer and refuses a base above 2^53', () => {
    let base: number | bigint = 0x1_0000_0000;
    const { backend } = setup({ vmarInfo: () => ({ ok: true, value: { base, len: 2 ** 46 } }) });
    const root = backend.rootVmar();
    expect(root.info()).toEqual({ ok: true, value: { base: 0x1_0000_0000, len: 2 ** 46 } });
    base = 2n ** 64n - 4096n;
    expect(() => root.info()).toThrow(/zx_info_vmar_t.base 0xfffffffffffff000/);
  });

  describe('ZX_INFO_HANDLE_BASIC', () => {
    it('reads koid, rights, type and related_koid at their offsets in zx_info_handle_basic_t', () => {
      const { backend, calls } = setup({
        handleBasic: (handle) =>
          handle === VMO
            ? { ok: true, value: { koid: 2 ** 53 - 1, rights: 0xd0ef, type: 3, relatedKoid: 0 } }
            : {
                ok: true,
                // Bit 31 set and every field distinct: a field read at another offset shows.
                value: {
                  koid: 0x1234_5678_9abc,
                  rights: 2 ** 31 + 0x20801f,
                  type: 18,
                  relatedKoid: 77,
                },
              },
      });
      const root = backend.rootVmar();
      expect(root.basicInfo()).toEqual({
        ok: true,
        value: {
          koid: 0x1234_5678_9abc,
          rights: 2 ** 31 + 0x20801f,
          type: ObjectType.VMAR,
          relatedKoid: 77,
        },
      });
      const vmo = backend.createVmo(4096);
      if (!vmo.ok) throw new Error('createVmo failed');
      expect(vmo.value.basicInfo()).toEqual({
        ok: true,
        value: { koid: 2 ** 53 - 1, rights: 0xd0ef, type: ObjectType.VMO, relatedKoid: 0 },
      });
      const asked = calls.filter((call) => call.name === 'handleBasic').map((call) => call.args);
      expect(asked).toEqual([[ROOT_COPY], [VMO]]);
    });

    it('refuses a koid above 2^53 - 1 instead of rounding it', () => {
      const { backend } = setup({
        handleBasic: () => ({
          ok: true,
          value: { koid: 2n ** 62n + 1n, rights: 0, type: 18, relatedKoid: 0 },
        }),
      });
      let thrown: unknown;
      try {
        backend.rootVmar().basicInfo();
      } catch (error) {
        thrown = error;
      }
      expect(ZxError.isInstance(thrown)).toBe(true);
      expect((thrown as ZxError).status).toBe(Status.OUT_OF_RANGE);
      expect((thrown as ZxError).message).toContain(
        'zx_info_handle_basic_t.koid 0x4000000000000001',
      );
    });

    it('passes the kernel status through, and answers BAD_HANDLE once closed without a call', () => {
      const { backend, double } = setup({
        handleBasic: () => ({ ok: false, status: Status.BAD_HANDLE }),
      });
      const root = backend.rootVmar();
      expect(root.basicInfo()).toEqual({ ok: false, status: Status.BAD_HANDLE });
      root.close();
      const afterClose = double.callCount();
      expect(root.basicInfo()).toEqual({ ok: false, status: Status.BAD_HANDLE });
      expect(double.callCount()).toBe(afterClose);
    });
  });

  it('passes statuses of zx_vmar_unmap, zx_vmar_protect, zx_vmar_destroy and zx_handle_close', () => {
    const { backend, calls } = setup({
      vmarUnmap: () => Status.INVALID_ARGS,
      vmarProtect: () => Status.NOT_FOUND,
      vmarDestroy: () => Status.BAD_STATE,
      handleClose: () => Status.BAD_HANDLE,
    });
    const root = backend.rootVmar();
    expect(root.unmap(0x1000, 2 ** 53 - 1)).toBe(Status.INVALID_ARGS);
    expect(root.protect(VmarFlags.PERM_READ | VmarFlags.PERM_WRITE, 0x2000, 8192)).toBe(
      Status.NOT_FOUND,
    );
    expect(root.destroy()).toBe(Status.BAD_STATE);
    expect(root.close()).toBe(Status.BAD_HANDLE);
    const seen = calls.slice(-4).map((call) => [call.name, ...call.args]);
    expect(seen).toEqual([
      ['vmarUnmap', ROOT_COPY, 0x1000, 2 ** 53 - 1],
      ['vmarProtect', ROOT_COPY, 3, 0x2000, 8192],
      ['vmarDestroy', ROOT_COPY],
      ['handleClose', ROOT_COPY],
    ]);
  });

  it('passes zx_vmo_create size and options, and duplicate rights', () => {
    const { backend, calls } = setup();
    const vmo = backend.createVmo(2 ** 53 - 1, 0x2);
    expect(vmo.ok && vmo.value.handle).toBe(VMO);
    expect(vmo.ok && vmo.value.type).toBe('vmo');
    const copy = vmo.ok ? vmo.value.duplicate(Rights.MAP | Rights.READ) : undefined;
    expect(copy?.ok && copy.value.handle).toBe(VMO + 0x100);
    expect(calls.find((call) => call.name === 'vmoCreate')?.args).toEqual([2 ** 53 - 1, 2]);
    expect(calls.at(-1)?.args).toEqual([VMO, Rights.MAP | Rights.READ]);
  });

  describe('ZX_INFO_VMAR_MAPS', () => {
    const mapping = (index: number) => ({
      mmuFlags: VmarFlags.PERM_READ | VmarFlags.PERM_WRITE,
      vmoKoid: 1000 + index,
      vmoOffset: index * 4096,
      committedBytes: 1,
      populatedBytes: 2,
      committedPrivateBytes: 3,
      populatedPrivateBytes: 4,
      committedScaledBytes: 5,
      populatedScaledBytes: 6,
      committedFractionalScaledBytes: 0,
      populatedFractionalScaledBytes: 0,
    });
    const tree: TestDoubleMapEntry[] = [
      { name: 'root', base: 0x20_0000, size: 2 ** 46, depth: 0, type: MapsType.VMAR },
      { name: 'useralloc', base: 0x40_0000, size: 2 ** 30, depth: 1, type: MapsType.VMAR },
      {
        name: 'stack: thread 1 ☃',
        base: 0x40_1000,
        size: 8192,
        depth: 2,
        type: MapsType.MAPPING,
        mapping: mapping(1),
      },
      {
        name: 'x'.repeat(40),
        base: 0x50_0000,
        size: 4096,
        depth: 1,
        type: MapsType.MAPPING,
        mapping: mapping(2),
      },
    ];
    const answer = (capacity: number) => ({
      ok: true as const,
      value: { entries: tree.slice(0, capacity), avail: tree.length },
    });

    it('decodes name, base, size, depth, type and the mapping record of each entry', () => {
      const { backend } = setup({ vmarMaps: (_handle, capacity) => answer(capacity) });
      const result = backend.rootVmar().maps(10);
      if (!result.ok) throw new Error(`maps failed: ${String(result.status)}`);
      expect(result.value.actual).toBe(4);
      expect(result.value.avail).toBe(4);
      // Each entry comes back as the C side wrote it, but for the long name: ZX_MAX_NAME_LEN is 32
      // with the NUL, so 31 characters survive.
      expect(result.value.entries).toEqual([
        ...tree.slice(0, 3),
        { ...tree[3], name: 'x'.repeat(31) },
      ]);
    });

    it('returns ZX_OK with actual = min(capacity, avail), also for capacity 0 (§5.1)', () => {
      const { backend, calls } = setup({ vmarMaps: (_handle, capacity) => answer(capacity) });
      const root = backend.rootVmar();
      expect(root.maps(0)).toEqual({ ok: true, value: { entries: [], actual: 0, avail: 4 } });
      const two = root.maps(2);
      expect(two.ok && two.value.actual).toBe(2);
      expect(two.ok && two.value.entries.map((entry) => entry.name)).toEqual(['root', 'useralloc']);
      // The C side saw buffer_size / sizeof(zx_info_maps_t) as its capacity.
      expect(calls.filter((call) => call.name === 'vmarMaps').map((call) => call.args[1])).toEqual([
        0, 2,
      ]);
    });

    it('clamps a huge capacity to avail instead of allocating capacity * 152 bytes', () => {
      const { backend, calls } = setup({ vmarMaps: (_handle, capacity) => answer(capacity) });
      const result = backend.rootVmar().maps(2 ** 40);
      expect(result.ok && result.value.actual).toBe(4);
      expect(calls.filter((call) => call.name === 'vmarMaps').map((call) => call.args[1])).toEqual([
        0, 4,
      ]);
    });

    it('passes a failing status through (BAD_STATE on a destroyed VMAR)', () => {
      const { backend } = setup({ vmarMaps: () => ({ ok: false, status: Status.BAD_STATE }) });
      expect(backend.rootVmar().maps(1)).toEqual({ ok: false, status: Status.BAD_STATE });
    });

    it('refuses a 64-bit field a JS number cannot hold', () => {
      const big = {
        ...tree[2],
        mapping: { ...mapping(1), populatedScaledBytes: 2n ** 63n },
      };
      const { backend } = setup({
        vmarMaps: () => ({ ok: true, value: { entries: [big as TestDoubleMapEntry], avail: 1 } }),
      });
      expect(() => backend.rootVmar().maps(1)).toThrow(
        /zx_info_maps_mapping_t.populated_scaled_bytes 0x8000000000000000/,
      );
    });

    it('reads the fractional byte counts as 63-bit fixed point (0x800… is one byte)', () => {
      const raw = {
        ...tree[2],
        mapping: {
          ...mapping(1),
          committedFractionalScaledBytes: 2n ** 62n,
          populatedFractionalScaledBytes: 2n ** 64n - 1n,
        },
      };
      const { backend } = setup({
        vmarMaps: () => ({ ok: true, value: { entries: [raw as TestDoubleMapEntry], avail: 1 } }),
      });
      const result = backend.rootVmar().maps(1);
      const details = result.ok ? result.value.entries[0]?.mapping : undefined;
      expect(details?.committedFractionalScaledBytes).toBe(0.5);
      expect(details?.populatedFractionalScaledBytes).toBe(2);
    });
  });

  it('records no exception in any callback', () => {
    const { backend, double } = setup({
      vmarInfo: () => ({ ok: true, value: { base: 0, len: 0 } }),
    });
    backend.rootVmar().info();
    expect(double.errors).toEqual([]);
  });
});
