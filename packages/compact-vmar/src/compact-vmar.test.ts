import {
  type AllocateResult,
  type MapInfo,
  type Result,
  Status,
  type Vmar,
  VmarFlags,
} from '@vmars/address-space';
import { memoryBackend } from '@vmars/backend-memory';
import { describe, expect, it } from 'vitest';
import {
  COMPACT_VMAR_FLAGS,
  CompactVmar,
  CompactVmarError,
  PROBE_FLAGS,
  PROBE_SIZE,
  VMAR_SIZE,
} from './index.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function setup() {
  const backend = memoryBackend({ region: 'shared', seed: 7 });
  return { backend, root: backend.rootVmar() };
}

/** A VMAR whose `allocate` calls are recorded, forwarding to `inner`. */
function recording(inner: Vmar) {
  const calls: [number, number, number][] = [];
  const allocate = (offset: number, size: number, flags: number): Result<AllocateResult> => {
    calls.push([offset, size, flags]);
    return inner.allocate(offset, size, flags);
  };
  // A proxy that binds every other method to the real handle (backends may use private fields).
  const vmar = new Proxy(inner, {
    get(target, property) {
      if (property === 'allocate') return allocate;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { vmar, calls };
}

function entries(vmar: Vmar): readonly MapInfo[] {
  const result = vmar.maps(1_000);
  if (!result.ok) throw new Error(`maps failed: ${result.status}`);
  return result.value.entries;
}

function expectError(action: () => unknown, code: CompactVmarError['code']): CompactVmarError {
  try {
    action();
  } catch (error) {
    expect(CompactVmarError.isInstance(error)).toBe(true);
    expect((error as CompactVmarError).code).toBe(code);
    return error as CompactVmarError;
  }
  throw new Error(`expected a CompactVmarError ${code}`);
}

describe('constants', () => {
  it('are the seed values', () => {
    expect(VMAR_SIZE).toBe(1 << 30);
    expect(PROBE_SIZE).toBe(32 << 20);
    expect(COMPACT_VMAR_FLAGS).toBe(0x1c8);
    expect(PROBE_FLAGS).toBe(0x80);
  });
});

describe('CompactVmar.create', () => {
  it('allocates VMAR_SIZE from the parent with exactly CAN_MAP_READ|WRITE|SPECIFIC|COMPACT', () => {
    const { root } = setup();
    const { vmar, calls } = recording(root);
    const compact = CompactVmar.create(vmar);
    expect(compact).toBeDefined();
    expect(calls).toEqual([[0, VMAR_SIZE, 0x1c8]]);
    const info = compact?.vmar.info();
    expect(info).toEqual({ ok: true, value: { base: compact?.address, len: VMAR_SIZE } });
    expect(compact?.size).toBe(VMAR_SIZE);
  });

  it('honours the size option', () => {
    const { root } = setup();
    const compact = CompactVmar.create(root, { size: 64 * MiB });
    expect(compact?.size).toBe(64 * MiB);
    expect(compact?.vmar.info()).toMatchObject({ ok: true, value: { len: 64 * MiB } });
  });

  it('returns undefined when the parent cannot allocate it, and tryCreate keeps the status', () => {
    const { root } = setup();
    const small = root.allocate(0, 512 * MiB, COMPACT_VMAR_FLAGS);
    if (!small.ok) throw new Error('setup');
    // Larger than the parent: Zircon answers INVALID_ARGS (§2.3 step 6h).
    expect(CompactVmar.create(small.value.vmar)).toBeUndefined();
    expect(CompactVmar.tryCreate(small.value.vmar)).toEqual({
      ok: false,
      status: Status.INVALID_ARGS,
    });
    // Fits the parent's size but not its free space: NO_RESOURCES.
    const parent = root.allocate(0, 2 * GiB, COMPACT_VMAR_FLAGS);
    if (!parent.ok) throw new Error('setup');
    expect(parent.value.vmar.allocate(0, GiB + 4096, PROBE_FLAGS).ok).toBe(true);
    expect(CompactVmar.tryCreate(parent.value.vmar)).toEqual({
      ok: false,
      status: Status.NO_RESOURCES,
    });
  });

  it('makes a COMPACT VMAR: first-fit placement inside, CAN_MAP_SPECIFIC, no CAN_MAP_EXECUTE', () => {
    const { root } = setup();
    const compact = CompactVmar.create(root);
    if (compact === undefined) throw new Error('setup');
    const first = compact.vmar.allocate(0, 4096, PROBE_FLAGS);
    const second = compact.vmar.allocate(0, 4096, VmarFlags.CAN_MAP_WRITE);
    expect(first.ok && first.value.address).toBe(compact.address);
    expect(second.ok && second.value.address).toBe(compact.address + 4096);
    expect(compact.vmar.allocate(8192, 4096, VmarFlags.SPECIFIC).ok).toBe(true);
    expect(compact.vmar.allocate(0, 4096, VmarFlags.CAN_MAP_EXECUTE)).toEqual({
      ok: false,
      status: Status.ACCESS_DENIED,
    });
  });
});

describe('CompactVmar.probe', () => {
  it('is true when a child of that size fits, and leaves nothing behind', () => {
    const { backend, root } = setup();
    const compact = CompactVmar.create(root);
    if (compact === undefined) throw new Error('setup');
    const handles = backend.openHandleCount();
    const { vmar, calls } = recording(compact.vmar);
    Object.defineProperty(compact, 'vmar', { value: vmar });
    expect(compact.probe(PROBE_SIZE)).toBe(true);
    expect(calls).toEqual([[0, PROBE_SIZE, 0x80]]);
    expect(compact.vmar.maps(0)).toMatchObject({ ok: true, value: { avail: 1 } });
    expect(backend.openHandleCount()).toBe(handles);
  });

  it('is false when no child of that size fits', () => {
    const { root } = setup();
    const compact = CompactVmar.create(root, { size: 64 * MiB });
    if (compact === undefined) throw new Error('setup');
    const filler = compact.vmar.allocate(0, 33 * MiB, PROBE_FLAGS);
    expect(filler.ok).toBe(true);
    expect(compact.probe(PROBE_SIZE)).toBe(false);
    expect(compact.probe(31 * MiB)).toBe(true);
    expect(compact.vmar.maps(0)).toMatchObject({ ok: true, value: { avail: 2 } });
  });

  it('is false, as in the seed, for any status from allocate (a size larger than the VMAR)', () => {
    const { root } = setup();
    const compact = CompactVmar.create(root, { size: 16 * MiB });
    expect(compact?.probe(PROBE_SIZE)).toBe(false);
  });
});

describe('disposal', () => {
  it('destroys an empty VMAR, freeing its range in the parent, and closes its handle', () => {
    const { backend, root } = setup();
    const before = entries(root);
    const handles = backend.openHandleCount();
    const compact = CompactVmar.create(root);
    if (compact === undefined) throw new Error('setup');
    expect(entries(root)).toHaveLength(before.length + 1);
    compact[Symbol.dispose]();
    expect(compact.disposed).toBe(true);
    expect(entries(root)).toEqual(before);
    expect(backend.openHandleCount()).toBe(handles);
    expect(compact.vmar.info()).toEqual({ ok: false, status: Status.BAD_HANDLE });
    compact[Symbol.dispose](); // twice: nothing happens
    expectError(() => compact.probe(PROBE_SIZE), 'DISPOSED');
  });

  it('works with `using`', () => {
    const { root } = setup();
    const before = entries(root);
    {
      using compact = CompactVmar.create(root);
      expect(compact?.probe(PROBE_SIZE)).toBe(true);
      expect(entries(root)).toHaveLength(before.length + 1);
    }
    expect(entries(root)).toEqual(before);
  });

  it('throws IN_USE and destroys nothing while a child is inside', () => {
    const { root } = setup();
    const compact = CompactVmar.create(root);
    if (compact === undefined) throw new Error('setup');
    const child = compact.vmar.allocate(0, 2 * MiB, PROBE_FLAGS);
    if (!child.ok) throw new Error('setup');
    const rootBefore = entries(root);
    const error = expectError(() => compact[Symbol.dispose](), 'IN_USE');
    expect(error.message).toContain('found 2');
    expect(compact.disposed).toBe(false);
    expect(entries(root)).toEqual(rootBefore);
    expect(entries(compact.vmar).map((entry) => [entry.base, entry.size, entry.depth])).toEqual([
      [compact.address, VMAR_SIZE, 0],
      [child.value.address, 2 * MiB, 1],
    ]);
    // Once the child is gone, disposal goes through.
    expect(child.value.vmar.destroy()).toBe(Status.OK);
    compact[Symbol.dispose]();
    expect(compact.disposed).toBe(true);
  });

  it('throws INFO_FAILED when maps fails (the VMAR was destroyed under it)', () => {
    const { root } = setup();
    const parent = root.allocate(0, 4 * GiB, COMPACT_VMAR_FLAGS);
    if (!parent.ok) throw new Error('setup');
    const compact = CompactVmar.create(parent.value.vmar);
    if (compact === undefined) throw new Error('setup');
    expect(parent.value.vmar.destroy()).toBe(Status.OK);
    const error = expectError(() => compact[Symbol.dispose](), 'INFO_FAILED');
    expect(error.message).toContain('ZX_ERR_BAD_STATE');
  });
});

describe('bad input changes nothing', () => {
  const badNumbers: readonly [string, unknown][] = [
    ['NaN', Number.NaN],
    ['-1', -1],
    ['1.5', 1.5],
    ['2^53', 2 ** 53],
    ['a string', '4096'],
    ['undefined', undefined],
    ['zero', 0],
    ['Infinity', Number.POSITIVE_INFINITY],
  ];

  it.each(badNumbers.filter(([name]) => name !== 'undefined'))(
    'CompactVmar.create with size %s throws INVALID_ARGUMENT',
    (_name, size) => {
      const { root } = setup();
      const before = entries(root);
      expectError(() => CompactVmar.create(root, { size } as { size: number }), 'INVALID_ARGUMENT');
      expect(entries(root)).toEqual(before);
    },
  );

  it.each(badNumbers)('probe(%s) throws INVALID_ARGUMENT', (_name, size) => {
    const { root } = setup();
    const compact = CompactVmar.create(root);
    if (compact === undefined) throw new Error('setup');
    const before = entries(root);
    expectError(() => compact.probe(size as number), 'INVALID_ARGUMENT');
    expect(entries(root)).toEqual(before);
    expect(entries(compact.vmar)).toHaveLength(1);
  });

  it.each([
    ['a string', 'root'],
    ['undefined', undefined],
    ['null', null],
    ['an object that is not a VMAR', { handle: 3 }],
  ])('CompactVmar.create with %s as parent throws INVALID_ARGUMENT', (_name, parent) => {
    expectError(() => CompactVmar.create(parent as unknown as Vmar), 'INVALID_ARGUMENT');
  });

  it('rejects unknown options and non-object options', () => {
    const { root } = setup();
    const before = entries(root);
    expectError(
      () => CompactVmar.create(root, { sise: GiB } as unknown as { size: number }),
      'INVALID_ARGUMENT',
    );
    expectError(
      () => CompactVmar.create(root, 5 as unknown as { size: number }),
      'INVALID_ARGUMENT',
    );
    expect(entries(root)).toEqual(before);
  });

  it('a page-misaligned size gets Zircon’s answer through tryCreate (INVALID_ARGS)', () => {
    const { root } = setup();
    const before = entries(root);
    expect(CompactVmar.tryCreate(root, { size: GiB + 1 })).toEqual({
      ok: false,
      status: Status.INVALID_ARGS,
    });
    expect(entries(root)).toEqual(before);
  });
});
