/**
 * Test-case catalogue: the conformance cases of §11.2 map, each step in order; `registerMapCases`
 * only registers cases, one per rule, each self-contained. Its helpers live in
 * ../backend-assertions.ts.
 */
import type { AddressSpaceBackend, Vmo } from '@vmars/address-space';
import { DEFAULT_VMAR_RIGHTS, Rights, Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import {
  arena,
  CAN_MAP_RW,
  destroyedChild,
  expectOk,
  expectStatus,
  mappingShape,
  mapShape,
  PERM_RW,
  roundUp,
  vmoOf,
} from '../backend-assertions.js';
import type { RegisterCase } from '../case-registry.js';

const {
  PERM_READ,
  PERM_WRITE,
  PERM_EXECUTE,
  SPECIFIC,
  SPECIFIC_OVERWRITE,
  MAP_RANGE,
  ALLOW_FAULTS,
  REQUIRE_NON_RESIZABLE,
  FAULT_BEYOND_STREAM_SIZE,
  COMPACT,
  CAN_MAP_SPECIFIC,
  CAN_MAP_READ,
} = VmarFlags;
const UPPER_LIMIT = VmarFlags.OFFSET_IS_UPPER_LIMIT;
const RESIZABLE = 0x2;
const DISCARDABLE = 0x4;

/** §11.2 map (each step in order). */
export function registerMapCases(
  register: RegisterCase,
  makeBackend: () => AddressSpaceBackend,
): void {
  // ---- §11.2 steps 1–2: handles and the MAP right ---------------------------------------------

  register('§11.2 step 1: a closed VMAR handle is BAD_HANDLE, before the VMO is looked at', () => {
    const a = arena(makeBackend(), 16);
    const copy = expectOk(a.vmar.duplicate(Rights.SAME_RIGHTS));
    copy.close();
    // The VMO argument is a VMAR: WRONG_TYPE, had the VMAR handle been looked up second.
    expectStatus(copy.map(PERM_READ, 0, a.vmar as unknown as Vmo, 0, a.page), Status.BAD_HANDLE);
  });

  register('§11.2 step 1: the VMAR needs no right for map itself (options 0)', () => {
    const a = arena(makeBackend(), 16);
    const bare = expectOk(a.vmar.duplicate(Rights.NONE));
    expect(expectOk(bare.map(0, 0, vmoOf(a.backend), 0, a.page))).toBe(a.base);
  });

  register('§11.2 step 2: a VMO handle without MAP is ACCESS_DENIED', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend);
    const noMap = expectOk(vmo.duplicate(Rights.READ | Rights.WRITE | Rights.DUPLICATE));
    expectStatus(a.vmar.map(PERM_READ, 0, noMap, 0, a.page), Status.ACCESS_DENIED);
    expectStatus(a.vmar.map(0, 0, noMap, 0, a.page), Status.ACCESS_DENIED);
  });

  register('§11.2 step 1 before step 2: WRONG_TYPE beats ACCESS_DENIED', () => {
    const a = arena(makeBackend(), 16);
    // A VMAR handle never has MAP, so ACCESS_DENIED would follow if the type were right.
    expectStatus(a.vmar.map(PERM_READ, 0, a.vmar as unknown as Vmo, 0, a.page), Status.WRONG_TYPE);
  });

  // ---- §11.2 steps 4–9: options ---------------------------------------------------------------

  register('§11.2 step 4: PERM_WRITE or PERM_EXECUTE without PERM_READ is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend);
    expectStatus(a.vmar.map(PERM_WRITE, 0, vmo, 0, a.page), Status.INVALID_ARGS);
    expectStatus(a.vmar.map(PERM_EXECUTE, 0, vmo, 0, a.page), Status.INVALID_ARGS);
  });

  register('§11.2 step 2 before step 4: no MAP right beats PERM_WRITE without PERM_READ', () => {
    const a = arena(makeBackend(), 16);
    const noMap = expectOk(vmoOf(a.backend).duplicate(Rights.READ | Rights.WRITE));
    expectStatus(a.vmar.map(PERM_WRITE, 0, noMap, 0, a.page), Status.ACCESS_DENIED);
  });

  register(
    '§11.2 step 4 before step 7: PERM_WRITE alone on a read-only VMAR is INVALID_ARGS',
    () => {
      const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_READ);
      expectStatus(a.vmar.map(PERM_WRITE, 0, vmoOf(a.backend), 0, a.page), Status.INVALID_ARGS);
    },
  );

  register(
    '§11.2 step 5: MAP_RANGE with SPECIFIC_OVERWRITE is INVALID_ARGS; MAP_RANGE alone is fine',
    () => {
      const a = arena(makeBackend(), 16);
      const vmo = vmoOf(a.backend, 4);
      expectStatus(
        a.vmar.map(PERM_READ | SPECIFIC_OVERWRITE | MAP_RANGE, a.page, vmo, 0, a.page),
        Status.INVALID_ARGS,
      );
      expect(expectOk(a.vmar.map(MAP_RANGE, 0, vmo, 2 * a.page, a.page))).toBe(a.base);
    },
  );

  register('§11.2 step 6: a CAN_MAP_* bit is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend);
    for (const flag of [CAN_MAP_READ, VmarFlags.CAN_MAP_WRITE, VmarFlags.CAN_MAP_EXECUTE]) {
      expectStatus(a.vmar.map(PERM_RW | flag, 0, vmo, 0, a.page), Status.INVALID_ARGS);
    }
  });

  register(
    '§11.2 step 6 before step 7: CAN_MAP_READ with a denied PERM_WRITE is INVALID_ARGS',
    () => {
      const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_READ);
      expectStatus(
        a.vmar.map(PERM_RW | CAN_MAP_READ, 0, vmoOf(a.backend), 0, a.page),
        Status.INVALID_ARGS,
      );
    },
  );

  register('§11.2 step 7: a PERM the VMAR handle lacks is ACCESS_DENIED', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend);
    const readOnly = expectOk(a.vmar.duplicate(DEFAULT_VMAR_RIGHTS | Rights.READ));
    expectStatus(readOnly.map(PERM_RW, 0, vmo, 0, a.page), Status.ACCESS_DENIED);
    expectStatus(a.vmar.map(PERM_READ | PERM_EXECUTE, 0, vmo, 0, a.page), Status.ACCESS_DENIED);
    expectOk(readOnly.map(PERM_READ, 0, vmo, 0, a.page));
  });

  register('§11.2 step 7: a PERM the VMO handle lacks is ACCESS_DENIED', () => {
    const a = arena(makeBackend(), 16);
    const readOnlyVmo = expectOk(vmoOf(a.backend).duplicate(Rights.MAP | Rights.READ));
    expectStatus(a.vmar.map(PERM_RW, 0, readOnlyVmo, 0, a.page), Status.ACCESS_DENIED);
    // No VMO handle has EXECUTE (§11.1), so an executable map is refused even in the root.
    const vmo = vmoOf(a.backend);
    expectStatus(a.root.map(PERM_READ | PERM_EXECUTE, 0, vmo, 0, a.page), Status.ACCESS_DENIED);
    expectOk(a.vmar.map(PERM_READ, 0, readOnlyVmo, 0, a.page));
  });

  register('§11.2 step 8: FAULT_BEYOND_STREAM_SIZE without ALLOW_FAULTS is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 1, 0x10);
    expectStatus(
      a.vmar.map(PERM_RW | FAULT_BEYOND_STREAM_SIZE, 0, vmo, 0, a.page),
      Status.INVALID_ARGS,
    );
    expectOk(a.vmar.map(PERM_RW | FAULT_BEYOND_STREAM_SIZE | ALLOW_FAULTS, 0, vmo, 0, a.page));
  });

  register('§11.2 step 7 before step 8: ACCESS_DENIED beats FAULT_BEYOND_STREAM_SIZE alone', () => {
    const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_READ);
    expectStatus(
      a.vmar.map(PERM_RW | FAULT_BEYOND_STREAM_SIZE, 0, vmoOf(a.backend), 0, a.page),
      Status.ACCESS_DENIED,
    );
  });

  register('§11.2 step 9: unknown bits and bad alignments are INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend);
    for (const bits of [2 ** 16, 2 ** 23, 9 * 2 ** 24, 33 * 2 ** 24, 2 ** 31]) {
      expectStatus(a.vmar.map(PERM_READ + bits, 0, vmo, 0, a.page), Status.INVALID_ARGS);
    }
    expect(mappingShape(a.vmar)).toEqual([]);
  });

  register('§11.2 step 7 before step 9: ACCESS_DENIED beats unknown bits', () => {
    const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_READ);
    expectStatus(
      a.vmar.map(PERM_RW + 2 ** 16, 0, vmoOf(a.backend), 0, a.page),
      Status.ACCESS_DENIED,
    );
  });

  register('§11.2 step 10: REQUIRE_NON_RESIZABLE on a resizable VMO is NOT_SUPPORTED', () => {
    const a = arena(makeBackend(), 16);
    const resizable = vmoOf(a.backend, 1, RESIZABLE);
    expectStatus(
      a.vmar.map(PERM_READ | REQUIRE_NON_RESIZABLE, 0, resizable, 0, a.page),
      Status.NOT_SUPPORTED,
    );
    expectOk(a.vmar.map(PERM_READ, 0, resizable, 0, a.page));
    expectOk(a.vmar.map(PERM_READ | REQUIRE_NON_RESIZABLE, 0, vmoOf(a.backend), 0, a.page));
  });

  register('§11.2 step 10: a discardable VMO needs ALLOW_FAULTS (NOT_SUPPORTED)', () => {
    const a = arena(makeBackend(), 16);
    const discardable = vmoOf(a.backend, 1, DISCARDABLE);
    expectStatus(a.vmar.map(PERM_READ, 0, discardable, 0, a.page), Status.NOT_SUPPORTED);
    expectOk(a.vmar.map(PERM_READ | ALLOW_FAULTS, 0, discardable, 0, a.page));
  });

  register('§11.2 step 9 before step 10: a bad alignment beats REQUIRE_NON_RESIZABLE', () => {
    const a = arena(makeBackend(), 16);
    const resizable = vmoOf(a.backend, 1, RESIZABLE);
    expectStatus(
      a.vmar.map(PERM_READ + REQUIRE_NON_RESIZABLE + 40 * 2 ** 24, 0, resizable, 0, a.page),
      Status.INVALID_ARGS,
    );
  });

  register('§11.2 step 11: COMPACT or CAN_MAP_SPECIFIC in map options is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend);
    expectStatus(a.vmar.map(PERM_READ | COMPACT, 0, vmo, 0, a.page), Status.INVALID_ARGS);
    expectStatus(a.vmar.map(PERM_READ | CAN_MAP_SPECIFIC, 0, vmo, 0, a.page), Status.INVALID_ARGS);
  });

  register('§11.2 step 10 before step 11: NOT_SUPPORTED beats COMPACT', () => {
    const a = arena(makeBackend(), 16);
    const resizable = vmoOf(a.backend, 1, RESIZABLE);
    expectStatus(
      a.vmar.map(PERM_READ | REQUIRE_NON_RESIZABLE | COMPACT, 0, resizable, 0, a.page),
      Status.NOT_SUPPORTED,
    );
  });

  // ---- §11.2 steps 13–16: offsets, length, state, placement -----------------------------------

  register('§11.2 step 13: an unaligned VMO offset is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    expectStatus(a.vmar.map(PERM_READ, 0, vmo, a.page - 1, a.page), Status.INVALID_ARGS);
    expectStatus(a.vmar.map(PERM_READ | SPECIFIC, a.page, vmo, 1, a.page), Status.INVALID_ARGS);
  });

  register(
    '§11.2 step 13 before step 14: an unaligned VMO offset on a destroyed VMAR is INVALID_ARGS',
    () => {
      const a = arena(makeBackend(), 16);
      const dead = destroyedChild(a.vmar, 4 * a.page, CAN_MAP_RW);
      expectStatus(dead.map(PERM_READ, 0, vmoOf(a.backend), 1, a.page), Status.INVALID_ARGS);
    },
  );

  register('§11.2 step 13: the length is rounded up to pages', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    const address = expectOk(a.vmar.map(PERM_READ, 0, vmo, 0, 4 * a.page - 1));
    expect(mappingShape(a.vmar)).toEqual([
      { base: address, size: 4 * a.page, depth: 1, mmuFlags: PERM_READ, vmoOffset: 0 },
    ]);
    expect(expectOk(a.vmar.map(PERM_READ, 0, vmo, 0, 1))).toBe(a.base + 4 * a.page);
  });

  register('§11.2 step 14: map on a destroyed VMAR is BAD_STATE', () => {
    const a = arena(makeBackend(), 16);
    const dead = destroyedChild(a.vmar, 4 * a.page, CAN_MAP_RW);
    expectStatus(dead.map(PERM_READ, 0, vmoOf(a.backend), 0, a.page), Status.BAD_STATE);
  });

  register('§11.2 step 14: BAD_STATE comes before length 0', () => {
    const a = arena(makeBackend(), 16);
    const dead = destroyedChild(a.vmar, 4 * a.page, CAN_MAP_RW);
    expectStatus(dead.map(PERM_READ, 0, vmoOf(a.backend), 0, 0), Status.BAD_STATE);
  });

  register('§11.2 step 14: length 0 is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    expectStatus(a.vmar.map(PERM_READ, 0, vmoOf(a.backend), 0, 0), Status.INVALID_ARGS);
  });

  register('§11.2 step 14: a nonzero VMAR offset without SPECIFIC is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    expectStatus(a.vmar.map(PERM_READ, a.page, vmoOf(a.backend), 0, a.page), Status.INVALID_ARGS);
  });

  register(
    '§11.2 step 14: SPECIFIC or SPECIFIC_OVERWRITE with OFFSET_IS_UPPER_LIMIT is INVALID_ARGS',
    () => {
      const a = arena(makeBackend(), 16);
      const vmo = vmoOf(a.backend);
      expectStatus(
        a.vmar.map(PERM_READ | SPECIFIC | UPPER_LIMIT, a.page, vmo, 0, a.page),
        Status.INVALID_ARGS,
      );
      expectStatus(
        a.vmar.map(PERM_READ | SPECIFIC_OVERWRITE | UPPER_LIMIT, a.page, vmo, 0, a.page),
        Status.INVALID_ARGS,
      );
    },
  );

  register('§11.2 step 14: an unaligned SPECIFIC VMAR offset is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 16);
    expectStatus(
      a.vmar.map(PERM_READ | SPECIFIC, a.page - 1, vmoOf(a.backend), 0, a.page),
      Status.INVALID_ARGS,
    );
  });

  register(
    '§11.2 step 14: SPECIFIC or SPECIFIC_OVERWRITE needs CAN_MAP_SPECIFIC (ACCESS_DENIED)',
    () => {
      const a = arena(makeBackend(), 16, COMPACT | CAN_MAP_RW);
      const vmo = vmoOf(a.backend);
      expectStatus(a.vmar.map(PERM_READ | SPECIFIC, a.page, vmo, 0, a.page), Status.ACCESS_DENIED);
      expectStatus(
        a.vmar.map(PERM_READ | SPECIFIC_OVERWRITE, a.page, vmo, 0, a.page),
        Status.ACCESS_DENIED,
      );
    },
  );

  register('§11.2 step 14: out of bounds is INVALID_ARGS (also with OFFSET_IS_UPPER_LIMIT)', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 32);
    expectStatus(a.vmar.map(PERM_READ | SPECIFIC, a.size, vmo, 0, a.page), Status.INVALID_ARGS);
    expectStatus(
      a.vmar.map(PERM_READ | SPECIFIC, a.size - a.page, vmo, 0, 2 * a.page),
      Status.INVALID_ARGS,
    );
    expectStatus(a.vmar.map(PERM_READ, 0, vmo, 0, a.size + a.page), Status.INVALID_ARGS);
    const limited = PERM_READ | UPPER_LIMIT;
    expectStatus(a.vmar.map(limited, a.size + a.page, vmo, 0, a.page), Status.INVALID_ARGS);
    expectStatus(a.vmar.map(limited, a.page, vmo, 0, 2 * a.page), Status.INVALID_ARGS);
    expect(expectOk(a.vmar.map(limited, a.size, vmo, 0, a.size))).toBe(a.base);
  });

  register('§11.2 step 15: SPECIFIC misaligned for its ALIGN_* is INVALID_ARGS', () => {
    const a = arena(makeBackend(), 64);
    const vmo = vmoOf(a.backend, 2);
    const aligned = roundUp(a.base + a.page, 64 * 1024) - a.base;
    const flags = PERM_READ | SPECIFIC | VmarFlags.ALIGN_64KB;
    expectStatus(a.vmar.map(flags, aligned + a.page, vmo, 0, 2 * a.page), Status.INVALID_ARGS);
    expect(expectOk(a.vmar.map(flags, aligned, vmo, 0, 2 * a.page))).toBe(a.base + aligned);
  });

  register('§11.2 step 15: SPECIFIC over a mapping or a sub-VMAR is ALREADY_EXISTS', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    expectOk(a.vmar.map(PERM_RW | SPECIFIC, a.page, vmo, 0, 2 * a.page));
    expectOk(a.vmar.allocate(8 * a.page, 2 * a.page, CAN_MAP_RW | SPECIFIC));
    const before = mapShape(a.vmar);
    for (const [offset, pages] of [
      [1, 2],
      [1, 1],
      [0, 4],
      [2, 1],
      [8, 2],
      [7, 2],
      [9, 4],
    ] as const) {
      expectStatus(
        a.vmar.map(PERM_RW | SPECIFIC, offset * a.page, vmo, 0, pages * a.page),
        Status.ALREADY_EXISTS,
      );
    }
    expect(mapShape(a.vmar)).toEqual(before);
  });

  register(
    '§11.2 step 15: SPECIFIC_OVERWRITE replaces the mappings it covers, trimming them',
    () => {
      const a = arena(makeBackend(), 16);
      const vmo = vmoOf(a.backend, 4);
      const other = vmoOf(a.backend, 4);
      expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, 4 * a.page));
      expect(
        expectOk(a.vmar.map(PERM_READ | SPECIFIC_OVERWRITE, a.page, other, 0, 2 * a.page)),
      ).toBe(a.base + a.page);
      expect(mappingShape(a.vmar)).toEqual([
        { base: a.base, size: a.page, depth: 1, mmuFlags: PERM_RW, vmoOffset: 0 },
        { base: a.base + a.page, size: 2 * a.page, depth: 1, mmuFlags: PERM_READ, vmoOffset: 0 },
        {
          base: a.base + 3 * a.page,
          size: a.page,
          depth: 1,
          mmuFlags: PERM_RW,
          vmoOffset: 3 * a.page,
        },
      ]);
    },
  );

  register(
    '§11.2 step 15: SPECIFIC_OVERWRITE touching a sub-VMAR is INVALID_ARGS, nothing changes',
    () => {
      const a = arena(makeBackend(), 16);
      const vmo = vmoOf(a.backend, 8);
      expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, 4 * a.page));
      expectOk(a.vmar.allocate(4 * a.page, 4 * a.page, CAN_MAP_RW | SPECIFIC));
      const before = mapShape(a.vmar);
      expectStatus(
        a.vmar.map(PERM_RW | SPECIFIC_OVERWRITE, 0, vmo, 0, 8 * a.page),
        Status.INVALID_ARGS,
      );
      expect(mapShape(a.vmar)).toEqual(before);
    },
  );

  // zircon/kernel/vm/vm_address_region.cc, VmAddressRegion::CreateSubVmarInner: `is_specific` is
  // SPECIFIC or SPECIFIC_OVERWRITE, and an occupied range asks `is_specific_overwrite` before it
  // answers ALREADY_EXISTS. So SPECIFIC and SPECIFIC_OVERWRITE together overwrite (and meet a
  // sub-VMAR with OverwriteVmMappingLocked's INVALID_ARGS). §11.2 step 15 does not say which of
  // the two wins when both are set.
  register(
    '§11.2 step 15: SPECIFIC together with SPECIFIC_OVERWRITE overwrites, not ALREADY_EXISTS',
    () => {
      const a = arena(makeBackend(), 16);
      const vmo = vmoOf(a.backend, 4);
      const other = vmoOf(a.backend, 4);
      const both = SPECIFIC | SPECIFIC_OVERWRITE;
      expectOk(a.vmar.map(PERM_RW | SPECIFIC, 0, vmo, 0, 4 * a.page));
      expect(expectOk(a.vmar.map(PERM_READ | both, a.page, other, 0, a.page))).toBe(
        a.base + a.page,
      );
      expect(mappingShape(a.vmar).map((entry) => [entry.size / a.page, entry.mmuFlags])).toEqual([
        [1, PERM_RW],
        [1, PERM_READ],
        [2, PERM_RW],
      ]);
      expectOk(a.vmar.allocate(8 * a.page, 2 * a.page, CAN_MAP_RW | SPECIFIC));
      const before = mapShape(a.vmar);
      expectStatus(a.vmar.map(PERM_RW | both, 6 * a.page, vmo, 0, 4 * a.page), Status.INVALID_ARGS);
      expect(mapShape(a.vmar)).toEqual(before);
    },
  );

  register('§11.2 step 16: in a COMPACT VMAR maps are first fit, like allocate', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    const other = vmoOf(a.backend, 4);
    expect(expectOk(a.vmar.map(PERM_READ, 0, vmo, 0, 2 * a.page))).toBe(a.base);
    expect(expectOk(a.vmar.map(PERM_READ, 0, other, 0, a.page))).toBe(a.base + 2 * a.page);
    expect(expectOk(a.vmar.map(PERM_READ, 0, vmo, 0, a.page))).toBe(a.base + 3 * a.page);
  });

  register(
    '§11.2 step 16: no room is NO_RESOURCES; OFFSET_IS_UPPER_LIMIT keeps the end at or below the limit',
    () => {
      const a = arena(makeBackend(), 8);
      const vmo = vmoOf(a.backend, 8);
      const limit = 4 * a.page;
      for (let index = 0; index < 2; index += 1) {
        const address = expectOk(a.vmar.map(PERM_READ | UPPER_LIMIT, limit, vmo, 0, 2 * a.page));
        expect(address + 2 * a.page).toBeLessThanOrEqual(a.base + limit);
      }
      expectStatus(a.vmar.map(PERM_READ | UPPER_LIMIT, limit, vmo, 0, a.page), Status.NO_RESOURCES);
      expectOk(a.vmar.map(PERM_READ, 0, vmo, 0, 4 * a.page));
      expectStatus(a.vmar.map(PERM_READ, 0, vmo, 0, a.page), Status.NO_RESOURCES);
    },
  );

  register('§11.2 step 16: an alignment no spot can meet is NO_RESOURCES', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend);
    const gib = 2 ** 30;
    const result = a.vmar.map(PERM_READ | VmarFlags.ALIGN_1GB, 0, vmo, 0, a.page);
    if (roundUp(a.base, gib) + a.page <= a.base + a.size) {
      expect(expectOk(result) % gib).toBe(0);
    } else {
      expectStatus(result, Status.NO_RESOURCES);
    }
  });

  register('§11.2: OFFSET_IS_UPPER_LIMIT maps at VMO offset 0 whatever vmoOffset says', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 4);
    expectOk(a.vmar.map(PERM_READ | UPPER_LIMIT, a.size, vmo, 2 * a.page, a.page));
    expect(mappingShape(a.vmar)[0]?.vmoOffset).toBe(0);
  });

  register('§11.2: mapping past the end of the VMO is allowed', () => {
    const a = arena(makeBackend(), 16);
    const vmo = vmoOf(a.backend, 1);
    expectOk(a.vmar.map(PERM_READ, 0, vmo, 0, 4 * a.page));
    expectOk(a.vmar.map(PERM_READ, 0, vmo, 8 * a.page, a.page));
  });

  register('§11.2: the result is absolute, page-aligned and nonzero', () => {
    const backend = makeBackend();
    const address = expectOk(backend.rootVmar().map(PERM_READ, 0, vmoOf(backend), 0, 1));
    expect(address).toBeGreaterThan(0);
    expect(address % backend.pageSize).toBe(0);
  });

  register('§11.2: options 0 maps with no access (mmuFlags 0)', () => {
    const a = arena(makeBackend(), 16);
    expectOk(a.vmar.map(0, 0, vmoOf(a.backend), 0, a.page));
    expect(mappingShape(a.vmar)[0]?.mmuFlags).toBe(0);
  });
}
