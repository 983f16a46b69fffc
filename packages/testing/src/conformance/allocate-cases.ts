/**
 * Test-case catalogue: the conformance cases of §2.3 allocate, each step in order;
 * `registerAllocateCases` only registers cases, one per rule, each self-contained. Its helpers
 * live in ../backend-assertions.ts.
 */
import type { AddressSpaceBackend } from '@vmars/address-space';
import { DEFAULT_VMAR_RIGHTS, MapsType, Rights, Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import {
  arena,
  CAN_MAP_RW,
  destroyedChild,
  expectInfo,
  expectOk,
  expectStatus,
  mapShape,
  roundUp,
  vmoOf,
  withRights,
} from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';

const { CAN_MAP_READ, CAN_MAP_WRITE, CAN_MAP_EXECUTE, SPECIFIC, COMPACT } = VmarFlags;
const UPPER_LIMIT = VmarFlags.OFFSET_IS_UPPER_LIMIT;
const KIB64 = 64 * 1024;

/** §2.3: every step of `zx_vmar_allocate`, in order, with pairs showing the earlier step wins. */
export function registerAllocateCases(
  register: RegisterCase,
  makeBackend: () => AddressSpaceBackend,
): void {
  // ---- §2.3 steps 1–2: rights and the handle --------------------------------------------------

  register('§2.3 step 2: allocate on a closed handle is BAD_HANDLE', () => {
    const a = arena(makeBackend());
    const copy = withRights(a.vmar, Rights.SAME_RIGHTS);
    expectStatus(copy.close(), Status.OK);
    expectStatus(copy.allocate(0, a.page, CAN_MAP_READ), Status.BAD_HANDLE);
  });

  register('§2.3 step 1: CAN_MAP_READ needs READ on the handle (ACCESS_DENIED)', () => {
    const a = arena(makeBackend());
    const noRead = withRights(a.vmar, DEFAULT_VMAR_RIGHTS | Rights.WRITE);
    expectStatus(noRead.allocate(0, a.page, CAN_MAP_READ), Status.ACCESS_DENIED);
    expectOk(noRead.allocate(0, a.page, CAN_MAP_WRITE));
  });

  register('§2.3 step 1: CAN_MAP_WRITE needs WRITE on the handle (ACCESS_DENIED)', () => {
    const a = arena(makeBackend());
    const noWrite = withRights(a.vmar, DEFAULT_VMAR_RIGHTS | Rights.READ);
    expectStatus(noWrite.allocate(0, a.page, CAN_MAP_WRITE), Status.ACCESS_DENIED);
    expectOk(noWrite.allocate(0, a.page, CAN_MAP_READ));
  });

  register('§2.3 step 1: CAN_MAP_EXECUTE needs EXECUTE on the handle (ACCESS_DENIED)', () => {
    const backend = makeBackend();
    const root = backend.rootVmar();
    const noExecute = withRights(root, DEFAULT_VMAR_RIGHTS | Rights.READ | Rights.WRITE);
    expectStatus(noExecute.allocate(0, backend.pageSize, CAN_MAP_EXECUTE), Status.ACCESS_DENIED);
    expectOk(root.allocate(0, backend.pageSize, CAN_MAP_EXECUTE));
  });

  register('§2.3 step 1: allocate without CAN_MAP_* needs no right at all (§2.2)', () => {
    const a = arena(makeBackend());
    const bare = withRights(a.vmar, Rights.NONE);
    const { address } = expectOk(bare.allocate(0, a.page, 0));
    expect(address).toBe(a.base);
  });

  register('§2.3 step 2 before step 3: BAD_HANDLE beats unknown flag bits', () => {
    const a = arena(makeBackend());
    const copy = withRights(a.vmar, Rights.SAME_RIGHTS);
    copy.close();
    expectStatus(copy.allocate(0, a.page, CAN_MAP_READ | (2 ** 16)), Status.BAD_HANDLE);
  });

  register('§2.3 step 2 before step 3: ACCESS_DENIED beats unknown flag bits', () => {
    const a = arena(makeBackend());
    const noRead = withRights(a.vmar, DEFAULT_VMAR_RIGHTS);
    expectStatus(noRead.allocate(0, a.page, CAN_MAP_READ | (2 ** 16)), Status.ACCESS_DENIED);
  });

  register('§2.3 step 2 before step 6b: ACCESS_DENIED beats size 0', () => {
    const a = arena(makeBackend());
    const noWrite = withRights(a.vmar, DEFAULT_VMAR_RIGHTS | Rights.READ);
    expectStatus(noWrite.allocate(0, 0, CAN_MAP_WRITE), Status.ACCESS_DENIED);
  });

  // ---- §2.3 step 3: flag bits and alignment ------------------------------------------------

  register('§2.3 step 3: MAP_RANGE and bits 16..23 are INVALID_ARGS', () => {
    const a = arena(makeBackend());
    for (const bit of [VmarFlags.MAP_RANGE, 2 ** 16, 2 ** 20, 2 ** 23]) {
      expectStatus(a.vmar.allocate(0, a.page, CAN_MAP_READ | bit), Status.INVALID_ARGS);
    }
    expect(mapShape(a.vmar)).toHaveLength(1);
  });

  register('§2.3 step 3: alignment 1..9 or above 32 is INVALID_ARGS', () => {
    const a = arena(makeBackend());
    for (const exponent of [1, 9, 33, 255]) {
      expectStatus(
        a.vmar.allocate(0, a.page, CAN_MAP_READ + exponent * 2 ** 24),
        Status.INVALID_ARGS,
      );
    }
    expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ + 12 * 2 ** 24));
  });

  register('§2.3 step 3: PERM_READ_IF_XOM_UNSUPPORTED is dropped silently', () => {
    const a = arena(makeBackend());
    const { address } = expectOk(
      a.vmar.allocate(0, a.page, CAN_MAP_READ | VmarFlags.PERM_READ_IF_XOM_UNSUPPORTED),
    );
    expect(address).toBe(a.base);
  });

  register(
    '§2.3 step 3 before step 6a: unknown flag bits on a destroyed VMAR are INVALID_ARGS',
    () => {
      const a = arena(makeBackend());
      const dead = destroyedChild(a.vmar, 4 * a.page, CAN_MAP_RW);
      expectStatus(dead.allocate(0, a.page, CAN_MAP_READ | (2 ** 17)), Status.INVALID_ARGS);
      expectStatus(dead.allocate(0, a.page, CAN_MAP_READ + 40 * 2 ** 24), Status.INVALID_ARGS);
      expectStatus(dead.allocate(0, a.page, CAN_MAP_READ), Status.BAD_STATE);
    },
  );

  // ---- §2.3 step 4: PERM_* -------------------------------------------------------------------

  register('§2.3 step 4: PERM_READ, PERM_WRITE or PERM_EXECUTE is INVALID_ARGS', () => {
    const a = arena(makeBackend());
    for (const perm of [VmarFlags.PERM_READ, VmarFlags.PERM_WRITE, VmarFlags.PERM_EXECUTE]) {
      expectStatus(a.vmar.allocate(0, a.page, CAN_MAP_READ | perm), Status.INVALID_ARGS);
    }
  });

  register('§2.3 step 4 before step 6a: PERM_READ on a destroyed VMAR is INVALID_ARGS', () => {
    const a = arena(makeBackend());
    const dead = destroyedChild(a.vmar, 4 * a.page, CAN_MAP_RW);
    expectStatus(dead.allocate(0, a.page, CAN_MAP_READ | VmarFlags.PERM_READ), Status.INVALID_ARGS);
  });

  // ---- §2.3 step 5: size alignment and VMAR-only flags ----------------------------------------

  register('§2.3 step 5: a size that is not page-aligned is INVALID_ARGS (never rounded)', () => {
    const a = arena(makeBackend());
    for (const size of [1, a.page - 1, a.page + 1, 2 * a.page - 1]) {
      expectStatus(a.vmar.allocate(0, size, CAN_MAP_READ), Status.INVALID_ARGS);
    }
    expect(mapShape(a.vmar)).toHaveLength(1);
  });

  register(
    '§2.3 step 5 before step 6a: an unaligned size on a destroyed VMAR is INVALID_ARGS',
    () => {
      const a = arena(makeBackend());
      const dead = destroyedChild(a.vmar, 4 * a.page, CAN_MAP_RW);
      expectStatus(dead.allocate(0, a.page + 1, CAN_MAP_READ), Status.INVALID_ARGS);
    },
  );

  register(
    '§2.3 step 5: SPECIFIC_OVERWRITE, REQUIRE_NON_RESIZABLE, ALLOW_FAULTS, FAULT_BEYOND_STREAM_SIZE are INVALID_ARGS',
    () => {
      const a = arena(makeBackend());
      for (const flag of [
        VmarFlags.SPECIFIC_OVERWRITE,
        VmarFlags.REQUIRE_NON_RESIZABLE,
        VmarFlags.ALLOW_FAULTS,
        VmarFlags.FAULT_BEYOND_STREAM_SIZE,
      ]) {
        expectStatus(a.vmar.allocate(0, a.page, CAN_MAP_READ | flag), Status.INVALID_ARGS);
      }
    },
  );

  register(
    '§2.3 step 5 before step 6a: SPECIFIC_OVERWRITE on a destroyed VMAR is INVALID_ARGS',
    () => {
      const a = arena(makeBackend());
      const dead = destroyedChild(a.vmar, 4 * a.page, CAN_MAP_RW);
      expectStatus(
        dead.allocate(0, a.page, CAN_MAP_READ | VmarFlags.SPECIFIC_OVERWRITE),
        Status.INVALID_ARGS,
      );
    },
  );

  // ---- §2.3 step 6 ---------------------------------------------------------------------------

  register('§2.3 step 6a: allocate on a destroyed VMAR is BAD_STATE', () => {
    const a = arena(makeBackend());
    const dead = destroyedChild(a.vmar, 4 * a.page, CAN_MAP_RW);
    expectStatus(dead.allocate(0, a.page, CAN_MAP_READ), Status.BAD_STATE);
  });

  register('§2.3 step 6a before step 6b: size 0 on a destroyed VMAR is BAD_STATE', () => {
    const a = arena(makeBackend());
    const dead = destroyedChild(a.vmar, 4 * a.page, CAN_MAP_RW);
    expectStatus(dead.allocate(0, 0, CAN_MAP_READ), Status.BAD_STATE);
  });

  register('§2.3 step 6a before step 6e: a nonzero offset on a destroyed VMAR is BAD_STATE', () => {
    const a = arena(makeBackend());
    const dead = destroyedChild(a.vmar, 4 * a.page, CAN_MAP_RW);
    expectStatus(dead.allocate(a.page, a.page, CAN_MAP_READ), Status.BAD_STATE);
  });

  register('§2.3 step 6b: size 0 is INVALID_ARGS', () => {
    const a = arena(makeBackend());
    expectStatus(a.vmar.allocate(0, 0, CAN_MAP_READ), Status.INVALID_ARGS);
    expectStatus(a.vmar.allocate(0, 0, 0), Status.INVALID_ARGS);
  });

  register(
    '§2.3 step 6b before step 6g: size 0 with SPECIFIC where CAN_MAP_SPECIFIC is missing is INVALID_ARGS',
    () => {
      const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_RW);
      expectStatus(a.vmar.allocate(0, 0, CAN_MAP_READ | SPECIFIC), Status.INVALID_ARGS);
      expectStatus(a.vmar.allocate(0, a.page, CAN_MAP_READ | SPECIFIC), Status.ACCESS_DENIED);
    },
  );

  // A handle's READ/WRITE/EXECUTE mirror its VMAR's CAN_MAP_* (§1.2) and `duplicate` only drops
  // rights (§11.6), so the handle check of step 2 refuses these before step 6c is reached: step 6c
  // cannot be told apart through the contract, and the case is named after step 2.
  register('§2.3 step 2: a child cannot get a CAN_MAP_* its parent lacks (ACCESS_DENIED)', () => {
    const a = arena(makeBackend());
    const { vmar: readOnly } = expectOk(a.vmar.allocate(0, 8 * a.page, CAN_MAP_READ));
    expectStatus(readOnly.allocate(0, a.page, CAN_MAP_WRITE), Status.ACCESS_DENIED);
    expectStatus(readOnly.allocate(0, a.page, CAN_MAP_RW), Status.ACCESS_DENIED);
    expectStatus(a.vmar.allocate(0, a.page, CAN_MAP_EXECUTE), Status.ACCESS_DENIED);
    expectOk(readOnly.allocate(0, a.page, CAN_MAP_READ));
  });

  register('§2.3 step 6d: SPECIFIC with OFFSET_IS_UPPER_LIMIT is INVALID_ARGS', () => {
    const a = arena(makeBackend());
    expectStatus(
      a.vmar.allocate(4 * a.page, a.page, CAN_MAP_READ | SPECIFIC | UPPER_LIMIT),
      Status.INVALID_ARGS,
    );
  });

  register(
    '§2.3 step 6d before step 6g: SPECIFIC with OFFSET_IS_UPPER_LIMIT where CAN_MAP_SPECIFIC is missing is INVALID_ARGS',
    () => {
      const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_RW);
      expectStatus(
        a.vmar.allocate(4 * a.page, a.page, CAN_MAP_READ | SPECIFIC | UPPER_LIMIT),
        Status.INVALID_ARGS,
      );
    },
  );

  register(
    '§2.3 step 6e: a nonzero offset without SPECIFIC or OFFSET_IS_UPPER_LIMIT is INVALID_ARGS',
    () => {
      const a = arena(makeBackend());
      expectStatus(a.vmar.allocate(a.page, a.page, CAN_MAP_READ), Status.INVALID_ARGS);
      expectStatus(a.vmar.allocate(1, a.page, CAN_MAP_READ), Status.INVALID_ARGS);
    },
  );

  register('§2.3 step 6e before step 6j: a nonzero offset in a full VMAR is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 4);
    expectOk(a.vmar.allocate(0, a.size, CAN_MAP_READ));
    expectStatus(a.vmar.allocate(a.page, a.page, CAN_MAP_READ), Status.INVALID_ARGS);
    expectStatus(a.vmar.allocate(0, a.page, CAN_MAP_READ), Status.NO_RESOURCES);
  });

  register('§2.3 step 6f: an offset that is not page-aligned is INVALID_ARGS', () => {
    const a = arena(makeBackend());
    expectStatus(a.vmar.allocate(a.page / 2, a.page, CAN_MAP_READ | SPECIFIC), Status.INVALID_ARGS);
    expectStatus(
      a.vmar.allocate(8 * a.page + 1, a.page, CAN_MAP_READ | UPPER_LIMIT),
      Status.INVALID_ARGS,
    );
  });

  register(
    '§2.3 step 6f before step 6g: an unaligned SPECIFIC offset where CAN_MAP_SPECIFIC is missing is INVALID_ARGS',
    () => {
      const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_RW);
      expectStatus(
        a.vmar.allocate(a.page - 1, a.page, CAN_MAP_READ | SPECIFIC),
        Status.INVALID_ARGS,
      );
    },
  );

  register('§2.3 step 6g: SPECIFIC needs the parent’s CAN_MAP_SPECIFIC (ACCESS_DENIED)', () => {
    const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_RW);
    expectStatus(a.vmar.allocate(a.page, a.page, CAN_MAP_READ | SPECIFIC), Status.ACCESS_DENIED);
    expectStatus(a.vmar.allocate(0, a.page, SPECIFIC), Status.ACCESS_DENIED);
  });

  register(
    '§2.3 step 6g: OFFSET_IS_UPPER_LIMIT needs the parent’s CAN_MAP_SPECIFIC (ACCESS_DENIED)',
    () => {
      const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_RW);
      expectStatus(
        a.vmar.allocate(8 * a.page, a.page, CAN_MAP_READ | UPPER_LIMIT),
        Status.ACCESS_DENIED,
      );
    },
  );

  register(
    '§2.3 step 6g before step 6h: SPECIFIC out of bounds where CAN_MAP_SPECIFIC is missing is ACCESS_DENIED',
    () => {
      const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_RW);
      expectStatus(a.vmar.allocate(a.size, a.page, CAN_MAP_READ | SPECIFIC), Status.ACCESS_DENIED);
    },
  );

  register('§2.3 step 6h: a SPECIFIC offset at or past the end is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    expectStatus(a.vmar.allocate(a.size, a.page, CAN_MAP_READ | SPECIFIC), Status.INVALID_ARGS);
    expectStatus(
      a.vmar.allocate(a.size + a.page, a.page, CAN_MAP_READ | SPECIFIC),
      Status.INVALID_ARGS,
    );
  });

  register('§2.3 step 6h: a SPECIFIC range running past the end is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    expectStatus(
      a.vmar.allocate(a.size - a.page, 2 * a.page, CAN_MAP_READ | SPECIFIC),
      Status.INVALID_ARGS,
    );
    const { address } = expectOk(a.vmar.allocate(a.size - a.page, a.page, CAN_MAP_READ | SPECIFIC));
    expect(address).toBe(a.base + a.size - a.page);
  });

  register('§2.3 step 6h: a size larger than the parent is INVALID_ARGS, not NO_RESOURCES', () => {
    const a = arena(makeBackend(), 16);
    expectStatus(a.vmar.allocate(0, a.size + a.page, CAN_MAP_READ), Status.INVALID_ARGS);
    const { address } = expectOk(a.vmar.allocate(0, a.size, CAN_MAP_READ));
    expect(address).toBe(a.base);
  });

  register(
    '§2.3 step 6h: OFFSET_IS_UPPER_LIMIT bounds (offset > size, size > offset) are INVALID_ARGS',
    () => {
      const a = arena(makeBackend(), 16);
      const flags = CAN_MAP_READ | UPPER_LIMIT;
      expectStatus(a.vmar.allocate(a.size + a.page, a.page, flags), Status.INVALID_ARGS);
      expectStatus(a.vmar.allocate(a.page, 2 * a.page, flags), Status.INVALID_ARGS);
      expectStatus(a.vmar.allocate(a.size, a.size + a.page, flags), Status.INVALID_ARGS);
      const { address } = expectOk(a.vmar.allocate(a.size, a.size, flags));
      expect(address).toBe(a.base);
    },
  );

  register('§2.3 step 6h before step 6i: out of bounds and overlapping is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    expectOk(a.vmar.allocate(a.size - 2 * a.page, 2 * a.page, CAN_MAP_READ | SPECIFIC));
    expectStatus(
      a.vmar.allocate(a.size - 2 * a.page, 4 * a.page, CAN_MAP_READ | SPECIFIC),
      Status.INVALID_ARGS,
    );
  });

  register('§2.3 step 6h before step 6j: a too large size in a full VMAR is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 4);
    expectOk(a.vmar.allocate(0, a.size, CAN_MAP_READ));
    expectStatus(a.vmar.allocate(0, a.size + a.page, CAN_MAP_READ), Status.INVALID_ARGS);
  });

  register('§2.3 step 6i: SPECIFIC places the child at parent base + offset', () => {
    const a = arena(makeBackend(), 16);
    const { vmar, address } = expectOk(
      a.vmar.allocate(5 * a.page, 3 * a.page, CAN_MAP_READ | SPECIFIC),
    );
    expect(address).toBe(a.base + 5 * a.page);
    expect(expectInfo(vmar)).toEqual({ base: a.base + 5 * a.page, len: 3 * a.page });
  });

  register('§2.3 step 6i: SPECIFIC at a spot misaligned for its ALIGN_* is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 64);
    const aligned = roundUp(a.base + a.page, KIB64) - a.base;
    const flags = CAN_MAP_READ | SPECIFIC | VmarFlags.ALIGN_64KB;
    expectStatus(a.vmar.allocate(aligned + a.page, a.page, flags), Status.INVALID_ARGS);
    const { address } = expectOk(a.vmar.allocate(aligned, a.page, flags));
    expect(address % KIB64).toBe(0);
  });

  register('§2.3 step 6i: ALIGN_1KB and ALIGN_2KB never fail for SPECIFIC', () => {
    const a = arena(makeBackend(), 16);
    expectOk(a.vmar.allocate(a.page, a.page, CAN_MAP_READ | SPECIFIC | VmarFlags.ALIGN_1KB));
    expectOk(a.vmar.allocate(3 * a.page, a.page, CAN_MAP_READ | SPECIFIC | VmarFlags.ALIGN_2KB));
  });

  register('§2.3 step 6i: SPECIFIC overlapping a child is ALREADY_EXISTS', () => {
    const a = arena(makeBackend(), 16);
    const flags = CAN_MAP_READ | SPECIFIC;
    expectOk(a.vmar.allocate(4 * a.page, 4 * a.page, flags));
    const before = mapShape(a.vmar);
    for (const [offset, size] of [
      [4, 4],
      [3, 2],
      [7, 2],
      [5, 1],
      [2, 8],
    ] as const) {
      expectStatus(a.vmar.allocate(offset * a.page, size * a.page, flags), Status.ALREADY_EXISTS);
    }
    expect(mapShape(a.vmar)).toEqual(before);
  });

  register('§2.3 step 6i: SPECIFIC overlapping a mapping is ALREADY_EXISTS', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 2);
    expectOk(a.vmar.map(VmarFlags.PERM_READ | SPECIFIC, 2 * a.page, vmo, 0, 2 * a.page));
    expectStatus(
      a.vmar.allocate(3 * a.page, a.page, CAN_MAP_READ | SPECIFIC),
      Status.ALREADY_EXISTS,
    );
  });

  register('§2.3 step 6i: SPECIFIC right next to a child is fine (no guard gap)', () => {
    const a = arena(makeBackend(), 16);
    const flags = CAN_MAP_READ | SPECIFIC;
    expectOk(a.vmar.allocate(4 * a.page, 4 * a.page, flags));
    expect(expectOk(a.vmar.allocate(3 * a.page, a.page, flags)).address).toBe(a.base + 3 * a.page);
    expect(expectOk(a.vmar.allocate(8 * a.page, a.page, flags)).address).toBe(a.base + 8 * a.page);
  });

  register('§2.3 step 6i: misalignment is found before overlap (INVALID_ARGS)', () => {
    const a = arena(makeBackend(), 64);
    expectOk(a.vmar.allocate(0, a.size, CAN_MAP_READ | SPECIFIC));
    const misaligned = roundUp(a.base + a.page, KIB64) - a.base + a.page;
    expectStatus(
      a.vmar.allocate(misaligned, a.page, CAN_MAP_READ | SPECIFIC | VmarFlags.ALIGN_64KB),
      Status.INVALID_ARGS,
    );
  });

  register('§2.3 step 6j: no spot left is NO_RESOURCES', () => {
    const a = arena(makeBackend(), 8);
    expectOk(a.vmar.allocate(0, a.size, CAN_MAP_READ));
    expectStatus(a.vmar.allocate(0, a.page, CAN_MAP_READ), Status.NO_RESOURCES);
  });

  register('§2.3 step 6l: allocated VMARs are named "useralloc"; the root is "root"', () => {
    const backend = makeBackend();
    const a = arena(backend, 8);
    expectOk(a.vmar.allocate(0, a.page, CAN_MAP_READ));
    const entries = expectOk(a.vmar.maps(10)).entries;
    expect(entries.map((entry) => [entry.name, entry.depth, entry.type])).toEqual([
      ['useralloc', 0, MapsType.VMAR],
      ['useralloc', 1, MapsType.VMAR],
    ]);
    expect(expectOk(a.root.maps(1)).entries[0]?.name).toBe('root');
  });

  register('§2.3: the result is the absolute base of the child, as info reports it', () => {
    const a = arena(makeBackend(), 16);
    const { vmar, address } = expectOk(a.vmar.allocate(0, 2 * a.page, CAN_MAP_READ));
    expect(address % a.page).toBe(0);
    expect(address).toBeGreaterThanOrEqual(a.base);
    expect(expectInfo(vmar)).toEqual({ base: address, len: 2 * a.page });
  });
}
