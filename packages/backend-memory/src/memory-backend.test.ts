import {
  DEFAULT_VMAR_RIGHTS,
  MapsType,
  Rights,
  Status,
  type Vmar,
  VmarFlags,
  ZxError,
} from '@vmars/address-space';
import { describe, expect, it } from 'vitest';
import { addressSpaceLayout, memoryBackend } from './index.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const COMPACT_FLAGS = 0x1c8;
const PROBE_FLAGS = 0x80;

/** The rights of a handle, read with ZX_INFO_HANDLE_BASIC. */
function rightsOf(handle: Vmar): number {
  const info = handle.basicInfo();
  if (!info.ok) throw new ZxError(info.status, 'basicInfo');
  return info.value.rights;
}

function allocateOrThrow(parent: Vmar, offset: number, size: number, flags: number) {
  const result = parent.allocate(offset, size, flags);
  if (!result.ok) throw new ZxError(result.status, 'allocate');
  return result.value;
}

describe('memoryBackend options', () => {
  it('defaults to an x86_64 process root with a random, reported seed', () => {
    const backend = memoryBackend();
    expect(backend.name).toBe('memory');
    expect(backend.pageSize).toBe(4096);
    expect(backend.arch).toBe('x86_64');
    expect(backend.region).toBe('process');
    expect(Number.isSafeInteger(backend.seed)).toBe(true);
    expect(backend.entropyBits).toBe(30);
    expect(backend.compactEntropyBits).toBe(0);
    expect(backend.openHandleCount()).toBe(1);
  });

  it.each([
    [{ arch: 'mips' }, /arch/],
    [{ region: 'kernel' }, /region/],
    [{ seed: -1 }, /seed/],
    [{ seed: 1.5 }, /seed/],
    [{ aslr: 'yes' }, /aslr/],
    [{ entropyBits: 37 }, /entropyBits/],
    [{ compactEntropyBits: -1 }, /compactEntropyBits/],
    [{ entropy: 3 }, /unknown option/],
  ])('refuses %o with a ZxError INVALID_ARGS', (options, detail) => {
    let caught: unknown;
    try {
      memoryBackend(options as never);
    } catch (error) {
      caught = error;
    }
    expect(ZxError.isInstance(caught)).toBe(true);
    const error = caught as ZxError;
    expect(error.status).toBe(Status.INVALID_ARGS);
    expect(error.operation).toBe('memoryBackend');
    expect(error.message).toMatch(detail);
  });
});

describe('root VMAR (§6)', () => {
  it.each([
    ['x86_64', 'process', 0x200000, 0x7fffffdff000],
    ['arm64', 'process', 0x200000, 0xfffffee00000],
    ['riscv64', 'process', 0x200000, 2 ** 38 - 0x200000],
    ['x86_64', 'shared', 0x400000001000, 0x3fffffffe000],
    ['arm64', 'shared', 0x800000001000, 0x7ffffefff000],
    ['riscv64', 'shared', 0x2000001000, 0x1ffffff000],
  ] as const)('%s %s: base %i', (arch, region, base, size) => {
    expect(addressSpaceLayout(arch, region)).toEqual({ base, size });
    const backend = memoryBackend({ arch, region, seed: 1 });
    const root = backend.rootVmar();
    expect(root).toBe(backend.rootVmar());
    expect(root.info()).toEqual({ ok: true, value: { base, len: size } });
    const maps = root.maps(4);
    expect(maps).toEqual({
      ok: true,
      value: {
        entries: [{ name: 'root', base, size, depth: 0, type: MapsType.VMAR }],
        actual: 1,
        avail: 1,
      },
    });
    expect(root.destroy()).toBe(Status.NOT_SUPPORTED);
  });
});

describe('allocate and destroy', () => {
  it('packs COMPACT children first fit and frees ranges at once', () => {
    const backend = memoryBackend({ seed: 7 });
    const root = backend.rootVmar();
    const compact = allocateOrThrow(root, 0, GiB, COMPACT_FLAGS);
    const a = allocateOrThrow(compact.vmar, 0, 32 * MiB, PROBE_FLAGS);
    const b = allocateOrThrow(compact.vmar, 0, 32 * MiB, PROBE_FLAGS);
    expect(a.address).toBe(compact.address);
    expect(b.address).toBe(compact.address + 32 * MiB);
    expect(a.vmar.destroy()).toBe(Status.OK);
    const c = allocateOrThrow(compact.vmar, 0, 32 * MiB, PROBE_FLAGS);
    expect(c.address).toBe(compact.address);
    expect(a.vmar.destroy()).toBe(Status.BAD_STATE);
    expect(a.vmar.info()).toEqual({ ok: true, value: { base: compact.address, len: 32 * MiB } });
    expect(compact.vmar.maps(0)).toEqual({ ok: true, value: { entries: [], actual: 0, avail: 3 } });
  });

  it('gives child handles 0x208003 plus READ/WRITE/EXECUTE per CAN_MAP flag', () => {
    const backend = memoryBackend({ seed: 3 });
    const child = allocateOrThrow(backend.rootVmar(), 0, GiB, COMPACT_FLAGS);
    expect(rightsOf(child.vmar)).toBe(0x20800f);
    const probe = allocateOrThrow(child.vmar, 0, 32 * MiB, PROBE_FLAGS);
    expect(rightsOf(probe.vmar)).toBe(DEFAULT_VMAR_RIGHTS | 0x4);
    const duplicate = probe.vmar.duplicate(Rights.SAME_RIGHTS);
    expect(duplicate.ok).toBe(true);
  });

  it('places the same in two backends used in turn as in each used alone', () => {
    // Random placement in a non-COMPACT VMAR (entropy 30), with destroys between: each backend
    // keeps its own placement state (the PRNG, the candidate counts, the spot search and the
    // place it found), so using two in turn changes neither's placements.
    function* placements(seed: number): Generator<number> {
      const backend = memoryBackend({ seed });
      const parent = allocateOrThrow(backend.rootVmar(), 0, GiB, 0x1c0);
      yield parent.address;
      const children: Vmar[] = [];
      for (let step = 0; step < 600; step++) {
        if (step % 3 === 2) {
          const victim = children.splice((step * 7) % children.length, 1)[0] as Vmar;
          expect(victim.destroy()).toBe(Status.OK);
        }
        const child = allocateOrThrow(parent.vmar, 0, (1 + (step % 4)) * 65_536, PROBE_FLAGS);
        children.push(child.vmar);
        yield child.address;
      }
    }
    const alone = [[...placements(11)], [...placements(12)]];
    const inTurn: number[][] = [[], []];
    const both = [placements(11), placements(12)];
    for (let done = false; !done; ) {
      done = true;
      for (const [which, sequence] of both.entries()) {
        const next = sequence.next();
        if (!next.done) (inTurn[which] as number[]).push(next.value);
        done &&= next.done === true;
      }
    }
    expect(inTurn).toEqual(alone);
    expect(alone[0]).not.toEqual(alone[1]);
  });

  it('answers NO_RESOURCES in a full VMAR without changing anything', () => {
    const backend = memoryBackend({ seed: 5 });
    const compact = allocateOrThrow(backend.rootVmar(), 0, GiB, COMPACT_FLAGS);
    for (let index = 0; index < 32; index++)
      allocateOrThrow(compact.vmar, 0, 32 * MiB, PROBE_FLAGS);
    const before = backend.openHandleCount();
    const failed = compact.vmar.allocate(0, 32 * MiB, PROBE_FLAGS);
    expect(failed).toEqual({ ok: false, status: Status.NO_RESOURCES });
    expect(compact.vmar.allocate(0, 4096, PROBE_FLAGS)).toBe(failed);
    expect(backend.openHandleCount()).toBe(before);
    expect(VmarFlags.COMPACT).toBe(8);
  });
});
