import { MapsType, Status, unwrap, VmarFlags } from '@vmars/address-space';
import { memoryBackend } from '@vmars/backend-memory';
import { describe, expect, it } from 'vitest';
import { allocateThreadStorage, releaseThreadStorage } from './libc-thread-storage.js';
import { threadLayout } from './thread-layout.js';

const page = 4096;
const MiB = 2 ** 20;

describe('allocateThreadStorage / releaseThreadStorage (libc, §7)', () => {
  it.each([
    ['x86_64', page, 0],
    ['arm64', 0, page],
    ['riscv64', 0, page],
  ] as const)(
    'on %s: one child VMAR per block with its guards, one mapping each, handles dropped',
    (architecture, securityBelow, securityAbove) => {
      const backend = memoryBackend({ arch: architecture, region: 'shared', seed: 3 });
      const root = backend.rootVmar();
      const handlesBefore = backend.openHandleCount();
      const layout = threadLayout({
        architecture,
        pageSize: page,
        stackSize: 2 * MiB,
        tlsSize: page,
      });
      const result = allocateThreadStorage(backend, layout, {
        'machine-stack': root,
        'security-stack': root,
        'thread-block': root,
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      // Child VMAR and VMO handles are all closed: libc keeps none (§7).
      expect(backend.openHandleCount()).toBe(handlesBefore);

      const entries = unwrap(root.maps(64)).entries;
      const children = entries.filter((entry) => entry.depth === 1);
      const mappings = entries.filter((entry) => entry.depth === 2);
      expect(children.every((entry) => entry.type === MapsType.VMAR)).toBe(true);
      expect(mappings.every((entry) => entry.type === MapsType.MAPPING)).toBe(true);
      expect(children).toHaveLength(3);
      expect(mappings).toHaveLength(3);

      const expected = {
        'machine-stack': { below: page, size: 2 * MiB, above: 0, vmoOffset: 0 },
        'security-stack': {
          below: securityBelow,
          size: 2 * MiB,
          above: securityAbove,
          vmoOffset: 2 * MiB,
        },
        'thread-block': {
          below: page,
          size: layout.vmoSize - 4 * MiB,
          above: page,
          vmoOffset: 4 * MiB,
        },
      };
      for (const block of result.value) {
        const want = expected[block.kind];
        const child = children.find((entry) => entry.base === block.address);
        expect(child?.size).toBe(want.below + want.size + want.above);
        const mapping = mappings.find((entry) => entry.base === block.address + want.below);
        expect(mapping?.size).toBe(want.size);
        expect(mapping?.mapping?.vmoOffset).toBe(want.vmoOffset);
        expect(mapping?.mapping?.mmuFlags).toBe(VmarFlags.PERM_READ | VmarFlags.PERM_WRITE);
      }
      // Largest first (§7): the stacks before the thread block.
      expect(result.value.map((block) => block.kind)).toEqual([
        'machine-stack',
        'security-stack',
        'thread-block',
      ]);

      // Thread exit: unmapping each whole block through the parent destroys the child VMARs (§4.3).
      expect(releaseThreadStorage(result.value)).toBe(Status.OK);
      expect(unwrap(root.maps(0)).avail).toBe(1);
      expect(backend.openHandleCount()).toBe(handlesBefore);
    },
  );

  it('undoes what it made and tells which call failed when a block does not fit', () => {
    const backend = memoryBackend({ arch: 'x86_64', region: 'shared', seed: 3 });
    const root = backend.rootVmar();
    // A parent with room for the stacks but not for the thread block after them.
    const small = unwrap(
      root.allocate(
        0,
        2 * (2 * MiB + page) + page,
        VmarFlags.CAN_MAP_READ |
          VmarFlags.CAN_MAP_WRITE |
          VmarFlags.CAN_MAP_SPECIFIC |
          VmarFlags.COMPACT,
      ),
    ).vmar;
    const handlesBefore = backend.openHandleCount();
    const layout = threadLayout({
      architecture: 'x86_64',
      pageSize: page,
      stackSize: 2 * MiB,
      tlsSize: page,
    });
    const result = allocateThreadStorage(backend, layout, {
      'machine-stack': small,
      'security-stack': small,
      'thread-block': small,
    });
    expect(result).toEqual({
      ok: false,
      failure: { operation: 'zx_vmar_allocate', kind: 'thread-block', status: Status.NO_RESOURCES },
    });
    expect(unwrap(small.maps(0)).avail).toBe(1);
    expect(backend.openHandleCount()).toBe(handlesBefore);
  });
});
