import { type MapInfo, Rights, Status, type Vmar, VmarFlags, type Vmo } from '@vmars/address-space';
import { describe, expect, it } from 'vitest';
import { memoryBackend } from './index.js';

const GiB = 2 ** 30;
const PAGE = 4096;
const R = VmarFlags.PERM_READ;
const RW = VmarFlags.PERM_READ | VmarFlags.PERM_WRITE;
const SPECIFIC = VmarFlags.SPECIFIC;

function setup() {
  const backend = memoryBackend({ seed: 31 });
  const result = backend.rootVmar().allocate(0, GiB, 0x1c8);
  if (!result.ok) throw new Error('allocate failed');
  const vmo = backend.createVmo(16 * PAGE);
  if (!vmo.ok) throw new Error('createVmo failed');
  return { backend, vmar: result.value.vmar, base: result.value.address, vmo: vmo.value };
}

function mappings(vmar: Vmar): MapInfo[] {
  const result = vmar.maps(100);
  if (!result.ok) throw new Error('maps failed');
  return result.value.entries.filter((entry) => entry.type === 3);
}

function summary(vmar: Vmar, base: number) {
  return mappings(vmar).map((entry) => [
    (entry.base - base) / PAGE,
    entry.size / PAGE,
    entry.mapping?.mmuFlags,
    (entry.mapping?.vmoOffset ?? 0) / PAGE,
  ]);
}

describe('createVmo (§11.1)', () => {
  it('rounds sizes up, checks options, and gives 0xD0EF (+RESIZE) rights', () => {
    const backend = memoryBackend({ seed: 1 });
    const plain = backend.createVmo(1);
    expect(plain.ok && plain.value.basicInfo()).toEqual({
      ok: true,
      value: expect.objectContaining({ rights: 0xd0ef }),
    });
    const resizable = backend.createVmo(0, 0x2);
    expect(resizable.ok && resizable.value.basicInfo()).toEqual({
      ok: true,
      value: expect.objectContaining({ rights: 0x40d0ef }),
    });
    expect(backend.createVmo(PAGE, 0x2 | 0x10)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    expect(backend.createVmo(PAGE, 0x8)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    expect(backend.createVmo(PAGE, 0x1)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    // Sizes are safe integers: Zircon's OUT_OF_RANGE (a size past MAX_SIZE, which beats a bad
    // flag) is out of reach; a size of 2^53 or more is a bad JS value.
    expect(backend.createVmo(2 ** 64 - 2 ** 12, 0x8)).toEqual({
      ok: false,
      status: Status.INVALID_ARGS,
    });
    expect(backend.createVmo(2 ** 53)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    expect(backend.createVmo(2 ** 53 - 1).ok).toBe(true);
    expect(backend.createVmo(-1)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    expect(backend.createVmo(2 ** 64)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    expect(backend.openHandleCount()).toBe(4);
  });
});

describe('map (§11.2)', () => {
  it('maps with the same allocator, rounds the length up, and lists one entry', () => {
    const { vmar, base, vmo } = setup();
    const mapped = vmar.map(RW, 0, vmo, 0, 3 * PAGE + 1);
    expect(mapped).toEqual({ ok: true, value: base });
    const [entry] = mappings(vmar);
    expect(entry).toMatchObject({ name: '', base, size: 4 * PAGE, depth: 1, type: 3 });
    expect(entry?.mapping).toMatchObject({ mmuFlags: RW, vmoOffset: 0, committedBytes: 0 });
    // First fit after it.
    expect(vmar.allocate(0, PAGE, 0)).toMatchObject({
      ok: true,
      value: { address: base + 4 * PAGE },
    });
  });

  it('checks in order: MAP right, W without R, MAP_RANGE+OVERWRITE, CAN_MAP, rights of both handles', () => {
    const { vmar, vmo } = setup();
    const noMap = vmo.duplicate(Rights.READ | Rights.WRITE | Rights.DUPLICATE);
    if (!noMap.ok) throw new Error('duplicate failed');
    expect(vmar.map(VmarFlags.PERM_WRITE, 0, noMap.value, 0, PAGE)).toMatchObject({
      status: Status.ACCESS_DENIED,
    });
    expect(vmar.map(VmarFlags.PERM_WRITE, 0, vmo, 0, PAGE)).toMatchObject({
      status: Status.INVALID_ARGS,
    });
    expect(
      vmar.map(R | VmarFlags.MAP_RANGE | VmarFlags.SPECIFIC_OVERWRITE, 0, vmo, 0, PAGE),
    ).toMatchObject({ status: Status.INVALID_ARGS });
    expect(vmar.map(R | VmarFlags.CAN_MAP_READ, 0, vmo, 0, PAGE)).toMatchObject({
      status: Status.INVALID_ARGS,
    });
    // The VMO has no EXECUTE right.
    expect(vmar.map(R | VmarFlags.PERM_EXECUTE, 0, vmo, 0, PAGE)).toMatchObject({
      status: Status.ACCESS_DENIED,
    });
    expect(vmar.map(R | VmarFlags.COMPACT, 0, vmo, 0, PAGE)).toMatchObject({
      status: Status.INVALID_ARGS,
    });
    expect(vmar.map(R, 0, vmo, 100, PAGE)).toMatchObject({ status: Status.INVALID_ARGS });
    // vmo_offset is a safe integer: Zircon's overflow (OUT_OF_RANGE at 2^64 - PAGE) is out of
    // reach, and offsets past the VMO's end map (§11.2 quirk).
    expect(vmar.map(R, 0, vmo, 2 ** 64 - PAGE, PAGE)).toMatchObject({
      status: Status.INVALID_ARGS,
    });
    expect(vmar.map(R, 0, vmo, 2 ** 53, PAGE)).toMatchObject({ status: Status.INVALID_ARGS });
    expect(vmar.map(R, 0, vmo, 2 ** 53 - 2 * PAGE, PAGE).ok).toBe(true);
    expect(vmar.map(R, 0, vmo, 0, 0)).toMatchObject({ status: Status.INVALID_ARGS });
    expect(vmar.map(R, PAGE, vmo, 0, PAGE)).toMatchObject({ status: Status.INVALID_ARGS });
    expect(vmar.map(R, 0, vmo, 0, 2 * GiB)).toMatchObject({ status: Status.INVALID_ARGS });
    // Options 0 (no PERM) is legal.
    expect(vmar.map(0, 0, vmo, 0, PAGE).ok).toBe(true);
  });

  it('SPECIFIC: ALREADY_EXISTS on overlap; SPECIFIC_OVERWRITE replaces mappings, refuses sub-VMARs', () => {
    const { vmar, base, vmo } = setup();
    expect(vmar.map(R | SPECIFIC, 4 * PAGE, vmo, 0, 4 * PAGE).ok).toBe(true);
    expect(vmar.map(R | SPECIFIC, 6 * PAGE, vmo, 0, 4 * PAGE)).toMatchObject({
      status: Status.ALREADY_EXISTS,
    });
    expect(vmar.map(RW | VmarFlags.SPECIFIC_OVERWRITE, 5 * PAGE, vmo, 8 * PAGE, 2 * PAGE)).toEqual({
      ok: true,
      value: base + 5 * PAGE,
    });
    expect(summary(vmar, base)).toEqual([
      [4, 1, R, 0],
      [5, 2, RW, 8],
      [7, 1, R, 3],
    ]);
    expect(vmar.allocate(20 * PAGE, PAGE, SPECIFIC).ok).toBe(true);
    expect(vmar.map(R | VmarFlags.SPECIFIC_OVERWRITE, 19 * PAGE, vmo, 0, 2 * PAGE)).toMatchObject({
      status: Status.INVALID_ARGS,
    });
  });

  it('OFFSET_IS_UPPER_LIMIT maps below the limit with VMO offset 0', () => {
    const { vmar, base, vmo } = setup();
    expect(vmar.map(R | VmarFlags.OFFSET_IS_UPPER_LIMIT, 8 * PAGE, vmo, 4 * PAGE, PAGE)).toEqual({
      ok: true,
      value: base,
    });
    expect(summary(vmar, base)).toEqual([[0, 1, R, 0]]);
  });

  it('merges back-to-back maps of one VMO with consecutive offsets (§11.5)', () => {
    const { backend, vmar, base, vmo } = setup();
    expect(vmar.map(R | SPECIFIC, 0, vmo, 0, 2 * PAGE).ok).toBe(true);
    expect(vmar.map(R | SPECIFIC, 2 * PAGE, vmo, 2 * PAGE, 2 * PAGE).ok).toBe(true);
    expect(summary(vmar, base)).toEqual([[0, 4, R, 0]]);
    // Not contiguous in the VMO: no merge.
    expect(vmar.map(R | SPECIFIC, 4 * PAGE, vmo, 8 * PAGE, PAGE).ok).toBe(true);
    // Another VMO: no merge.
    const other = backend.createVmo(PAGE);
    if (!other.ok) throw new Error('createVmo failed');
    expect(vmar.map(R | SPECIFIC, 5 * PAGE, other.value, 0, PAGE).ok).toBe(true);
    expect(summary(vmar, base).length).toBe(3);
    // A map filling a hole merges on both sides.
    expect(vmar.map(R | SPECIFIC, 10 * PAGE, vmo, 0, PAGE).ok).toBe(true);
    expect(vmar.map(R | SPECIFIC, 12 * PAGE, vmo, 2 * PAGE, PAGE).ok).toBe(true);
    expect(vmar.map(RW | SPECIFIC, 11 * PAGE, vmo, PAGE, PAGE).ok).toBe(true);
    expect(summary(vmar, base).slice(3)).toEqual([
      [10, 1, R, 0],
      [11, 1, RW, 1],
      [12, 1, R, 2],
    ]);
    expect(vmar.maps(0)).toMatchObject({ ok: true, value: { avail: 7 } });
  });
});

describe('unmap (§11.3)', () => {
  it('splits partly covered mappings and accepts holes', () => {
    const { vmar, base, vmo } = setup();
    expect(vmar.map(R | SPECIFIC, 0, vmo, 0, 8 * PAGE).ok).toBe(true);
    expect(vmar.unmap(base + 2 * PAGE, 3 * PAGE - 1)).toBe(Status.OK);
    expect(summary(vmar, base)).toEqual([
      [0, 2, R, 0],
      [5, 3, R, 5],
    ]);
    expect(vmar.unmap(base + 100 * PAGE, PAGE)).toBe(Status.OK);
    expect(vmar.unmap(base + 1, PAGE)).toBe(Status.INVALID_ARGS);
    expect(vmar.unmap(base, 0)).toBe(Status.INVALID_ARGS);
    expect(vmar.unmap(base - PAGE, 2 * PAGE)).toBe(Status.INVALID_ARGS);
    expect(vmar.unmap(base + GiB - PAGE, 2 * PAGE)).toBe(Status.INVALID_ARGS);
  });

  it('destroys wholly covered sub-VMARs with OP_CHILDREN, refuses partial ones before changing anything', () => {
    const { vmar, base, vmo } = setup();
    expect(vmar.map(R | SPECIFIC, 0, vmo, 0, PAGE).ok).toBe(true);
    const sub = vmar.allocate(2 * PAGE, 2 * PAGE, SPECIFIC | VmarFlags.CAN_MAP_READ);
    if (!sub.ok) throw new Error('allocate failed');
    expect(vmar.unmap(base, 3 * PAGE)).toBe(Status.INVALID_ARGS);
    expect(summary(vmar, base)).toEqual([[0, 1, R, 0]]);
    const noChildren = vmar.duplicate(Rights.READ | Rights.INSPECT | Rights.DUPLICATE);
    if (!noChildren.ok) throw new Error('duplicate failed');
    expect(noChildren.value.unmap(base, 4 * PAGE)).toBe(Status.INVALID_ARGS);
    // Mappings alone need no right at all.
    expect(noChildren.value.unmap(base, PAGE)).toBe(Status.OK);
    expect(vmar.unmap(base, 4 * PAGE)).toBe(Status.OK);
    expect(sub.value.vmar.allocate(0, PAGE, 0)).toMatchObject({ status: Status.BAD_STATE });
    expect(vmar.maps(0)).toMatchObject({ ok: true, value: { avail: 1 } });
  });
});

describe('protect (§11.4)', () => {
  it('keeps one entry per protection range and coalesces equal neighbours', () => {
    const { vmar, base, vmo } = setup();
    expect(vmar.map(RW | SPECIFIC, 0, vmo, 0, 4 * PAGE).ok).toBe(true);
    expect(vmar.protect(R, base + PAGE, PAGE)).toBe(Status.OK);
    expect(summary(vmar, base)).toEqual([
      [0, 1, RW, 0],
      [1, 1, R, 1],
      [2, 2, RW, 2],
    ]);
    expect(vmar.maps(0)).toMatchObject({ ok: true, value: { avail: 4 } });
    expect(vmar.protect(RW, base + PAGE, PAGE)).toBe(Status.OK);
    expect(summary(vmar, base)).toEqual([[0, 4, RW, 0]]);
    expect(vmar.maps(0)).toMatchObject({ ok: true, value: { avail: 2 } });
  });

  it('checks rights, flags, holes and ceilings, all before changing anything', () => {
    const { vmar, base, vmo } = setup();
    const readOnlyVmo = vmo.duplicate(Rights.READ | Rights.MAP) as { ok: true; value: Vmo };
    expect(vmar.map(R | SPECIFIC, 0, readOnlyVmo.value, 0, 2 * PAGE).ok).toBe(true);
    expect(vmar.map(R | SPECIFIC, 3 * PAGE, vmo, 0, PAGE).ok).toBe(true);
    expect(vmar.protect(VmarFlags.PERM_WRITE, base, PAGE)).toBe(Status.INVALID_ARGS);
    expect(vmar.protect(R | VmarFlags.CAN_MAP_WRITE, base, PAGE)).toBe(Status.INVALID_ARGS);
    expect(vmar.protect(R | VmarFlags.ALIGN_64KB, base, PAGE)).toBe(Status.INVALID_ARGS);
    expect(vmar.protect(R, base + 1, PAGE)).toBe(Status.INVALID_ARGS);
    expect(vmar.protect(R, base, 0)).toBe(Status.INVALID_ARGS);
    expect(vmar.protect(R, base, 4 * PAGE)).toBe(Status.NOT_FOUND);
    expect(vmar.protect(RW, base, 2 * PAGE)).toBe(Status.ACCESS_DENIED);
    expect(vmar.protect(RW, base + 3 * PAGE, PAGE)).toBe(Status.OK);
    expect(vmar.protect(0, base, 2 * PAGE)).toBe(Status.OK);
    expect(summary(vmar, base)).toEqual([
      [0, 2, 0, 0],
      [3, 1, RW, 0],
    ]);
    const noWrite = vmar.duplicate(Rights.READ | Rights.DUPLICATE) as { ok: true; value: Vmar };
    expect(noWrite.value.protect(RW, base + 3 * PAGE, PAGE)).toBe(Status.ACCESS_DENIED);
  });

  it('reaches mappings in sub-VMARs only with OP_CHILDREN and never adds permissions there', () => {
    const { vmar, base, vmo } = setup();
    const sub = vmar.allocate(0, 4 * PAGE, 0x1c0);
    if (!sub.ok) throw new Error('allocate failed');
    expect(sub.value.vmar.map(R | SPECIFIC, 0, vmo, 0, 4 * PAGE).ok).toBe(true);
    expect(vmar.protect(RW, base, PAGE)).toBe(Status.ACCESS_DENIED);
    expect(vmar.protect(0, base, PAGE)).toBe(Status.OK);
    const noChildren = vmar.duplicate(Rights.READ | Rights.DUPLICATE) as { ok: true; value: Vmar };
    expect(noChildren.value.protect(0, base, PAGE)).toBe(Status.INVALID_ARGS);
    expect(summary(sub.value.vmar, base)).toEqual([
      [0, 1, 0, 0],
      [1, 3, R, 1],
    ]);
    // An empty sub-VMAR is a hole.
    const empty = vmar.allocate(8 * PAGE, PAGE, SPECIFIC | 0x80);
    expect(empty.ok).toBe(true);
    expect(vmar.protect(0, base + 8 * PAGE, PAGE)).toBe(Status.NOT_FOUND);
  });
});
