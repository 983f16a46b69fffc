import { Rights, Status, type Vmar, VmarFlags } from '@vmars/address-space';
import { describe, expect, it } from 'vitest';
import { memoryBackend } from './index.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const PAGE = 4096;
const COMPACT_FLAGS = 0x1c8;
const PROBE_FLAGS = 0x80;

function child(parent: Vmar, offset: number, size: number, flags: number) {
  const result = parent.allocate(offset, size, flags);
  if (!result.ok) throw new Error(`allocate failed with ${result.status}`);
  return result.value;
}

function setup(options: Parameters<typeof memoryBackend>[0] = {}) {
  const backend = memoryBackend({ seed: 11, ...options });
  const root = backend.rootVmar();
  const compact = child(root, 0, GiB, COMPACT_FLAGS);
  return { backend, root, compact };
}

describe('allocate: §2.3 order of checks', () => {
  it('answers BAD_HANDLE on a closed handle before anything else', () => {
    const { compact } = setup();
    expect(compact.vmar.close()).toBe(Status.OK);
    expect(compact.vmar.allocate(Number.NaN, -1, 2 ** 40)).toEqual({
      ok: false,
      status: Status.BAD_HANDLE,
    });
  });

  it.each([
    ['NaN offset', Number.NaN, PAGE, 0],
    ['negative size', 0, -PAGE, 0],
    ['fractional size', 0, 1.5, 0],
    ['unsafe size', 0, 2 ** 53, 0],
    ['string size', 0, '4096', 0],
    ['undefined flags', 0, PAGE, undefined],
    ['flags 2^32', 0, PAGE, 2 ** 32],
    ['negative flags', 0, PAGE, -1],
  ])(
    'answers INVALID_ARGS for %s, before the rights check, changing nothing',
    (_, offset, size, flags) => {
      const { backend, compact } = setup();
      // The probe handle lacks WRITE, so a rights check first would say ACCESS_DENIED.
      const probe = child(compact.vmar, 0, 32 * MiB, PROBE_FLAGS);
      const before = backend.openHandleCount();
      const result = probe.vmar.allocate(
        offset as number,
        size as number,
        (flags as number) | 0x100,
      );
      const direct = probe.vmar.allocate(offset as number, size as number, flags as number);
      expect(direct).toEqual({ ok: false, status: Status.INVALID_ARGS });
      if (typeof flags === 'number' && Number.isInteger(flags) && flags >= 0 && flags < 2 ** 32) {
        expect(result).toEqual({ ok: false, status: Status.INVALID_ARGS });
      }
      expect(backend.openHandleCount()).toBe(before);
      expect(probe.vmar.maps(0)).toMatchObject({ ok: true, value: { avail: 1 } });
    },
  );

  it('step 2: ACCESS_DENIED for CAN_MAP_WRITE through a handle without WRITE', () => {
    const { compact } = setup();
    const probe = child(compact.vmar, 0, 32 * MiB, PROBE_FLAGS);
    expect(probe.vmar.allocate(0, PAGE, VmarFlags.CAN_MAP_WRITE)).toEqual({
      ok: false,
      status: Status.ACCESS_DENIED,
    });
    // Rights come before the flag checks: an unknown bit still says ACCESS_DENIED.
    expect(probe.vmar.allocate(0, PAGE, VmarFlags.CAN_MAP_WRITE | 0x10000).ok).toBe(false);
    expect(probe.vmar.allocate(0, PAGE, VmarFlags.CAN_MAP_WRITE | 0x10000)).toMatchObject({
      status: Status.ACCESS_DENIED,
    });
  });

  it.each([
    ['MAP_RANGE', VmarFlags.MAP_RANGE],
    ['bit 16', 1 << 16],
    ['bit 23', 1 << 23],
    ['ALIGN 9', 9 * 2 ** 24],
    ['ALIGN 33', 33 * 2 ** 24],
    ['ALIGN 1', 1 * 2 ** 24],
    ['PERM_READ', VmarFlags.PERM_READ],
    ['SPECIFIC_OVERWRITE', VmarFlags.SPECIFIC_OVERWRITE],
    ['REQUIRE_NON_RESIZABLE', VmarFlags.REQUIRE_NON_RESIZABLE],
    ['ALLOW_FAULTS', VmarFlags.ALLOW_FAULTS],
    ['FAULT_BEYOND_STREAM_SIZE', VmarFlags.FAULT_BEYOND_STREAM_SIZE],
  ])('steps 3–5: INVALID_ARGS for %s', (_, flags) => {
    const { compact } = setup();
    expect(compact.vmar.allocate(0, PAGE, flags)).toEqual({
      ok: false,
      status: Status.INVALID_ARGS,
    });
  });

  it('drops PERM_READ_IF_XOM_UNSUPPORTED silently (step 3)', () => {
    const { compact } = setup();
    expect(compact.vmar.allocate(0, PAGE, VmarFlags.PERM_READ_IF_XOM_UNSUPPORTED).ok).toBe(true);
  });

  it('step 5 before 6a: an unaligned size on a destroyed VMAR is INVALID_ARGS; size 0 is BAD_STATE', () => {
    const { compact } = setup();
    expect(compact.vmar.destroy()).toBe(Status.OK);
    expect(compact.vmar.allocate(0, 100, 0)).toMatchObject({ status: Status.INVALID_ARGS });
    expect(compact.vmar.allocate(0, 0, 0)).toMatchObject({ status: Status.BAD_STATE });
    expect(compact.vmar.allocate(0, PAGE, 0)).toMatchObject({ status: Status.BAD_STATE });
  });

  it('6b–6h in order', () => {
    const { root, compact } = setup();
    const noSpecific = child(root, 0, GiB, VmarFlags.CAN_MAP_READ);
    const probe = child(compact.vmar, 0, 32 * MiB, PROBE_FLAGS);
    expect(compact.vmar.allocate(0, 0, 0)).toMatchObject({ status: Status.INVALID_ARGS });
    // 6c: a duplicate with every right cannot lend a CAN_MAP the VMAR lacks.
    const wide = probe.vmar.duplicate(Rights.SAME_RIGHTS);
    expect(wide.ok).toBe(true);
    const rootAll = root.duplicate(Rights.SAME_RIGHTS);
    expect(rootAll.ok).toBe(true);
    expect(compact.vmar.allocate(0, PAGE, VmarFlags.CAN_MAP_EXECUTE)).toMatchObject({
      status: Status.ACCESS_DENIED,
    });
    const both = VmarFlags.SPECIFIC | VmarFlags.OFFSET_IS_UPPER_LIMIT;
    expect(compact.vmar.allocate(0, PAGE, both)).toMatchObject({ status: Status.INVALID_ARGS });
    expect(compact.vmar.allocate(PAGE, PAGE, 0)).toMatchObject({ status: Status.INVALID_ARGS });
    expect(compact.vmar.allocate(100, PAGE, VmarFlags.SPECIFIC)).toMatchObject({
      status: Status.INVALID_ARGS,
    });
    expect(noSpecific.vmar.allocate(0, PAGE, VmarFlags.SPECIFIC)).toMatchObject({
      status: Status.ACCESS_DENIED,
    });
    expect(noSpecific.vmar.allocate(GiB, PAGE, VmarFlags.OFFSET_IS_UPPER_LIMIT)).toMatchObject({
      status: Status.ACCESS_DENIED,
    });
    // 6h: bounds.
    expect(compact.vmar.allocate(0, 2 * GiB, 0)).toMatchObject({ status: Status.INVALID_ARGS });
    expect(compact.vmar.allocate(GiB, PAGE, VmarFlags.SPECIFIC)).toMatchObject({
      status: Status.INVALID_ARGS,
    });
    expect(compact.vmar.allocate(GiB - PAGE, 2 * PAGE, VmarFlags.SPECIFIC)).toMatchObject({
      status: Status.INVALID_ARGS,
    });
    expect(compact.vmar.allocate(GiB + PAGE, PAGE, VmarFlags.OFFSET_IS_UPPER_LIMIT)).toMatchObject({
      status: Status.INVALID_ARGS,
    });
    expect(compact.vmar.allocate(PAGE, 2 * PAGE, VmarFlags.OFFSET_IS_UPPER_LIMIT)).toMatchObject({
      status: Status.INVALID_ARGS,
    });
    // CAN_MAP_SPECIFIC on the child is free even where the parent lacks it.
    expect(noSpecific.vmar.allocate(0, PAGE, VmarFlags.CAN_MAP_SPECIFIC).ok).toBe(true);
  });

  it('6i: SPECIFIC places at the offset, checks ALIGN, and reports ALREADY_EXISTS on overlap', () => {
    const { compact } = setup();
    const placed = child(compact.vmar, 64 * MiB, 2 * MiB, VmarFlags.SPECIFIC);
    expect(placed.address).toBe(compact.address + 64 * MiB);
    expect(compact.vmar.allocate(64 * MiB + 1 * MiB, 4 * MiB, VmarFlags.SPECIFIC)).toMatchObject({
      status: Status.ALREADY_EXISTS,
    });
    expect(compact.vmar.allocate(66 * MiB, PAGE, VmarFlags.SPECIFIC).ok).toBe(true);
    const offset = (compact.address + PAGE) % (4 * GiB) === 0 ? 2 * PAGE : PAGE;
    expect(compact.vmar.allocate(offset, PAGE, VmarFlags.SPECIFIC | VmarFlags.ALIGN_4GB)).toEqual({
      ok: false,
      status: Status.INVALID_ARGS,
    });
    expect(compact.vmar.allocate(PAGE, PAGE, VmarFlags.SPECIFIC | VmarFlags.ALIGN_2KB).ok).toBe(
      true,
    );
  });

  it('6j: non-specific placement honours ALIGN_* on the absolute address', () => {
    const { compact } = setup();
    child(compact.vmar, 0, PAGE, 0);
    for (const [flag, alignment] of [
      [VmarFlags.ALIGN_1KB, PAGE],
      [VmarFlags.ALIGN_64KB, 64 * 1024],
      [VmarFlags.ALIGN_2MB, 2 * MiB],
      [VmarFlags.ALIGN_1GB, GiB],
    ] as const) {
      const result = compact.vmar.allocate(0, PAGE, flag);
      // The first aligned address at or after the VMAR's base (past the one-page child).
      const expected = Math.ceil((compact.address + PAGE) / alignment) * alignment;
      if (expected + PAGE > compact.address + GiB) {
        expect(result).toMatchObject({ status: Status.NO_RESOURCES });
      } else {
        expect(result).toMatchObject({ ok: true, value: { address: expected } });
      }
    }
  });

  it('OFFSET_IS_UPPER_LIMIT keeps the child below the limit', () => {
    const { compact } = setup();
    const low = child(compact.vmar, 16 * MiB, 16 * MiB, VmarFlags.OFFSET_IS_UPPER_LIMIT);
    expect(low.address).toBe(compact.address);
    expect(compact.vmar.allocate(16 * MiB, PAGE, VmarFlags.OFFSET_IS_UPPER_LIMIT)).toMatchObject({
      status: Status.NO_RESOURCES,
    });
    const high = child(compact.vmar, 64 * MiB, 16 * MiB, VmarFlags.OFFSET_IS_UPPER_LIMIT);
    expect(high.address).toBe(compact.address + 16 * MiB);
  });

  it('names children "useralloc" and lists them pre-order', () => {
    const { compact } = setup();
    const a = child(compact.vmar, 0, 8 * PAGE, COMPACT_FLAGS);
    const inner = child(a.vmar, 0, PAGE, PROBE_FLAGS);
    const b = child(compact.vmar, 0, PAGE, PROBE_FLAGS);
    const maps = compact.vmar.maps(10);
    expect(maps).toEqual({
      ok: true,
      value: {
        actual: 4,
        avail: 4,
        entries: [
          { name: 'useralloc', base: compact.address, size: GiB, depth: 0, type: 2 },
          { name: 'useralloc', base: a.address, size: 8 * PAGE, depth: 1, type: 2 },
          { name: 'useralloc', base: inner.address, size: PAGE, depth: 2, type: 2 },
          { name: 'useralloc', base: b.address, size: PAGE, depth: 1, type: 2 },
        ],
      },
    });
    expect(compact.vmar.maps(2)).toMatchObject({ ok: true, value: { actual: 2, avail: 4 } });
    expect(compact.vmar.maps(0)).toEqual({ ok: true, value: { entries: [], actual: 0, avail: 4 } });
    expect(compact.vmar.maps(-1)).toEqual({ ok: false, status: Status.INVALID_ARGS });
    expect(compact.vmar.maps(1.5)).toEqual({ ok: false, status: Status.INVALID_ARGS });
  });
});

describe('placement (§3)', () => {
  it('is first fit in COMPACT VMARs and with aslr: false', () => {
    const backend = memoryBackend({ aslr: false });
    const root = backend.rootVmar();
    const first = child(root, 0, GiB, COMPACT_FLAGS);
    expect(first.address).toBe(0x200000);
    const second = child(root, 0, GiB, 0);
    expect(second.address).toBe(0x200000 + GiB);
  });

  it('is reproducible from the seed, and differs between seeds', () => {
    const addresses = (seed: number) => {
      const root = memoryBackend({ seed }).rootVmar();
      return Array.from({ length: 8 }, () => child(root, 0, GiB, COMPACT_FLAGS).address);
    };
    expect(addresses(1234)).toEqual(addresses(1234));
    expect(addresses(1234)).not.toEqual(addresses(4321));
    const backend = memoryBackend();
    const replay = memoryBackend({ seed: backend.seed });
    expect(child(backend.rootVmar(), 0, GiB, 0).address).toBe(
      child(replay.rootVmar(), 0, GiB, 0).address,
    );
  });

  it('spreads non-compact placements uniformly over the first min(2^entropy, M) candidates', () => {
    // A 64-page non-compact parent and 1-page children: M = 64 candidates at entropy 30, and the
    // first 2^4 = 16 at entropy 4.
    for (const [entropyBits, candidates] of [
      [30, 64],
      [4, 16],
    ] as const) {
      const backend = memoryBackend({ seed: 99, entropyBits });
      const parent = child(backend.rootVmar(), 0, 64 * PAGE, VmarFlags.CAN_MAP_READ);
      const counts = new Array<number>(64).fill(0);
      const draws = 64 * 200;
      for (let draw = 0; draw < draws; draw++) {
        const placed = child(parent.vmar, 0, PAGE, 0);
        const slot = (placed.address - parent.address) / PAGE;
        counts[slot] = (counts[slot] ?? 0) + 1;
        placed.vmar.destroy();
        placed.vmar.close();
      }
      const expected = draws / candidates;
      let chiSquare = 0;
      for (let index = 0; index < 64; index++) {
        const count = counts[index] as number;
        if (index >= candidates) {
          expect(count).toBe(0);
        } else {
          chiSquare += (count - expected) ** 2 / expected;
        }
      }
      // 99.9th percentile of chi-square with 63 (resp. 15) degrees of freedom: 103.4 (37.7).
      expect(chiSquare).toBeLessThan(candidates === 64 ? 103.4 : 37.7);
    }
  });

  it('uses the entropy of the VMAR allocated into (compactEntropyBits inside COMPACT)', () => {
    const backend = memoryBackend({ seed: 5, compactEntropyBits: 3 });
    const compact = child(backend.rootVmar(), 0, 64 * PAGE, COMPACT_FLAGS);
    const seen = new Set<number>();
    for (let draw = 0; draw < 400; draw++) {
      const placed = child(compact.vmar, 0, PAGE, 0);
      seen.add((placed.address - compact.address) / PAGE);
      placed.vmar.destroy();
      placed.vmar.close();
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('draws indices beyond 2^32 when the entropy allows it', () => {
    // Entropy 36 in the x86_64 process root (2^35 pages): some of 64 placements must land above
    // 2^32 pages' worth of candidates' first half, which 32 random bits could never reach.
    const backend = memoryBackend({ seed: 8, entropyBits: 36 });
    const root = backend.rootVmar();
    let high = 0;
    for (let draw = 0; draw < 64; draw++) {
      const placed = child(root, 0, PAGE, 0);
      if (placed.address - 0x200000 >= 2 ** 32 * PAGE) high++;
      placed.vmar.destroy();
      placed.vmar.close();
    }
    expect(high).toBeGreaterThan(0);
  });
});

describe('NO_RESOURCES and the probe loop', () => {
  it('answers NO_RESOURCES with the same frozen result each time', () => {
    const { compact } = setup();
    for (let index = 0; index < 32; index++) child(compact.vmar, 0, 32 * MiB, PROBE_FLAGS);
    const first = compact.vmar.allocate(0, 32 * MiB, PROBE_FLAGS);
    expect(first).toEqual({ ok: false, status: Status.NO_RESOURCES });
    expect(Object.isFrozen(first)).toBe(true);
    expect(compact.vmar.allocate(0, PAGE, 0)).toBe(first);
  });

  it('brings the open handle count back after 100,000 probes', () => {
    const { backend, compact } = setup();
    const before = backend.openHandleCount();
    for (let index = 0; index < 100_000; index++) {
      const result = compact.vmar.allocate(0, 32 * MiB, PROBE_FLAGS);
      if (!result.ok) throw new Error('probe failed');
      expect(result.value.address).toBe(compact.address);
      result.value.vmar.destroy();
      result.value.vmar.close();
    }
    expect(backend.openHandleCount()).toBe(before);
    expect(compact.vmar.maps(0)).toMatchObject({ ok: true, value: { avail: 1 } });
  });
});
