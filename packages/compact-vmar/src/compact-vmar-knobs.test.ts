/**
 * The knobs the policy lab turns, beyond the seed: an alignment flag for the compact VMAR, and
 * `isEmpty()`, the seed's `Drop` check answered instead of thrown. The seed's own behaviour is what
 * `compact-vmar.test.ts` holds.
 */
import { type AllocateResult, type Result, type Vmar, VmarFlags } from '@vmars/address-space';
import { memoryBackend } from '@vmars/backend-memory';
import { describe, expect, it } from 'vitest';
import {
  alignFlag,
  COMPACT_VMAR_FLAGS,
  CompactVmar,
  CompactVmarError,
  PROBE_FLAGS,
  VMAR_SIZE,
} from './index.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function setup(seed = 7) {
  const backend = memoryBackend({ region: 'shared', seed });
  return { backend, root: backend.rootVmar() };
}

/** A VMAR whose `allocate` flags are recorded, forwarding to `inner`. */
function recordingFlags(inner: Vmar) {
  const flags: number[] = [];
  const vmar = new Proxy(inner, {
    get(target, property) {
      if (property === 'allocate') {
        return (offset: number, size: number, options: number): Result<AllocateResult> => {
          flags.push(options);
          return target.allocate(offset, size, options);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { vmar, flags };
}

describe('CompactVmar option "align"', () => {
  it('defaults to no alignment flag: exactly the seed’s 0x1C8', () => {
    const { root } = setup();
    const { vmar, flags } = recordingFlags(root);
    CompactVmar.create(vmar);
    CompactVmar.create(vmar, { align: 0 });
    expect(flags).toEqual([COMPACT_VMAR_FLAGS, COMPACT_VMAR_FLAGS]);
  });

  it('adds ALIGN_1GB to the flags and every VMAR’s base is 1 GiB aligned', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { root } = setup(seed);
      const { vmar, flags } = recordingFlags(root);
      for (let index = 0; index < 8; index++) {
        const compact = CompactVmar.create(vmar, { align: VmarFlags.ALIGN_1GB });
        expect(compact).toBeDefined();
        expect((compact as CompactVmar).address % GiB).toBe(0);
        expect((compact as CompactVmar).size).toBe(VMAR_SIZE);
      }
      expect(new Set(flags)).toEqual(new Set([COMPACT_VMAR_FLAGS | VmarFlags.ALIGN_1GB]));
    }
  });

  it('without the flag, ASLR in the root usually leaves a 1 GiB VMAR straddling two 1 GiB regions', () => {
    const { root } = setup(9);
    let straddling = 0;
    for (let index = 0; index < 20; index++) {
      const compact = CompactVmar.create(root) as CompactVmar;
      if (Math.floor(compact.address / GiB) !== Math.floor((compact.address + GiB - 1) / GiB)) {
        straddling += 1;
      }
    }
    expect(straddling).toBeGreaterThan(15);
  });

  it.each([
    ['a size in bytes', GiB],
    ['an alignment below 1 KiB', 9 << 24],
    ['an alignment above 4 GiB', 33 << 24],
    ['other flag bits', VmarFlags.ALIGN_1GB | PROBE_FLAGS],
    ['a negative number', -1],
    ['a string', '1GiB'],
  ])('rejects %s with INVALID_ARGUMENT and allocates nothing', (_name, align) => {
    const { root } = setup();
    const before = root.maps(0);
    expect(() => CompactVmar.create(root, { align: align as number })).toThrow(CompactVmarError);
    expect(root.maps(0)).toEqual(before);
  });

  it('alignFlag accepts 0 and every ALIGN_* from 1 KiB to 4 GiB', () => {
    expect(alignFlag(0, 'x')).toBe(0);
    for (let exponent = 10; exponent <= 32; exponent++) {
      expect(alignFlag(exponent << 24, 'x')).toBe(exponent << 24);
    }
  });
});

describe('CompactVmar.isEmpty', () => {
  it('is true when nothing is inside, false while a child is, and true again after', () => {
    const { root } = setup();
    const compact = CompactVmar.create(root, { size: 64 * MiB }) as CompactVmar;
    expect(compact.isEmpty()).toBe(true);
    // A probe leaves nothing behind.
    expect(compact.probe(32 * MiB)).toBe(true);
    expect(compact.isEmpty()).toBe(true);
    const child = compact.vmar.allocate(0, 2 * MiB, PROBE_FLAGS);
    if (!child.ok) throw new Error('setup');
    expect(compact.isEmpty()).toBe(false);
    child.value.vmar.destroy();
    expect(compact.isEmpty()).toBe(true);
  });

  it('is false when the maps query fails, so nothing is destroyed on a guess', () => {
    const { root } = setup();
    const parent = root.allocate(0, 4 * GiB, COMPACT_VMAR_FLAGS);
    if (!parent.ok) throw new Error('setup');
    const compact = CompactVmar.create(parent.value.vmar) as CompactVmar;
    parent.value.vmar.destroy();
    expect(compact.isEmpty()).toBe(false);
  });

  it('throws DISPOSED after disposal', () => {
    const { root } = setup();
    const compact = CompactVmar.create(root) as CompactVmar;
    compact[Symbol.dispose]();
    expect(() => compact.isEmpty()).toThrow(CompactVmarError);
  });
});
