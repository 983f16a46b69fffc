import { MapsType, Rights, Status, VmarFlags } from '@vmars/address-space';
import { describe, expect, it } from 'vitest';
import {
  addMapping,
  expectedMaps,
  insertChild,
  newVmar,
  planAllocate,
  structuralProblem,
  unmap,
} from './reference-model.js';

const PAGE = 4096;
const COMPACT_RW = VmarFlags.COMPACT | VmarFlags.CAN_MAP_READ | VmarFlags.CAN_MAP_WRITE;

function mapping(base: number, pages: number, vmoOffset: number, vmoId = 1) {
  return {
    kind: 'mapping' as const,
    base,
    size: pages * PAGE,
    vmoId,
    vmoOffset,
    mergeKey: 'k',
    ranges: [{ base, size: pages * PAGE, perms: 1 }],
  };
}

describe('reference model', () => {
  it('places first fit in a COMPACT VMAR and says NO_RESOURCES when full (§3)', () => {
    const vmar = newVmar(0x100000, 4 * PAGE, COMPACT_RW, undefined);
    insertChild(vmar, newVmar(0x100000 + PAGE, PAGE, 0, vmar));
    const plan = planAllocate(vmar, 0x20800f, 0, 2 * PAGE, VmarFlags.CAN_MAP_READ, PAGE);
    expect(plan.ok && plan.exact).toBe(0x100000 + 2 * PAGE);
    const full = planAllocate(vmar, 0x20800f, 0, 3 * PAGE, VmarFlags.CAN_MAP_READ, PAGE);
    expect(full).toEqual({ ok: false, status: Status.NO_RESOURCES });
  });

  it('follows §2.3 order: rights, then state, then size 0', () => {
    const vmar = newVmar(0x100000, 4 * PAGE, COMPACT_RW, undefined);
    vmar.alive = false;
    const denied = planAllocate(vmar, Rights.INSPECT, 0, 0, VmarFlags.CAN_MAP_READ, PAGE);
    expect(denied).toEqual({ ok: false, status: Status.ACCESS_DENIED });
    const dead = planAllocate(vmar, 0x20800f, 0, 0, VmarFlags.CAN_MAP_READ, PAGE);
    expect(dead).toEqual({ ok: false, status: Status.BAD_STATE });
  });

  it('merges a map between two unmapped pieces and splits on unmap (§11.3, §11.5)', () => {
    const vmar = newVmar(0x100000, 8 * PAGE, COMPACT_RW, undefined);
    addMapping(vmar, mapping(0x100000, 3, 0));
    expect(unmap(vmar, 0x20800f, 0x100000 + PAGE, PAGE, PAGE)).toBe(Status.OK);
    expect(vmar.children.map((child) => [child.base, child.size])).toEqual([
      [0x100000, PAGE],
      [0x100000 + 2 * PAGE, PAGE],
    ]);
    addMapping(vmar, mapping(0x100000 + PAGE, 1, PAGE));
    expect(vmar.children.map((child) => [child.base, child.size])).toEqual([[0x100000, 3 * PAGE]]);
    addMapping(vmar, mapping(0x100000 + 3 * PAGE, 1, 3 * PAGE, 2));
    expect(vmar.children).toHaveLength(2);
  });

  it('refuses to unmap part of a sub-VMAR (§11.3 step 8)', () => {
    const vmar = newVmar(0x100000, 8 * PAGE, COMPACT_RW, undefined);
    insertChild(vmar, newVmar(0x100000 + 2 * PAGE, 2 * PAGE, 0, vmar));
    expect(unmap(vmar, 0x20800f, 0x100000, 3 * PAGE, PAGE)).toBe(Status.INVALID_ARGS);
    expect(unmap(vmar, 0x20800f & ~Rights.OP_CHILDREN, 0x100000, 4 * PAGE, PAGE)).toBe(
      Status.INVALID_ARGS,
    );
    expect(unmap(vmar, 0x20800f, 0x100000, 4 * PAGE, PAGE)).toBe(Status.OK);
    expect(expectedMaps(vmar)).toHaveLength(1);
  });

  it('finds overlapping siblings and children outside their parent in a listing', () => {
    const good = [
      { base: 0, size: 10, depth: 0, type: MapsType.VMAR },
      { base: 0, size: 4, depth: 1, type: MapsType.VMAR },
      { base: 1, size: 2, depth: 2, type: MapsType.MAPPING },
      { base: 4, size: 6, depth: 1, type: MapsType.MAPPING },
    ];
    expect(structuralProblem(good)).toBeUndefined();
    const overlapping = [...good.slice(0, 2), { base: 3, size: 2, depth: 1, type: MapsType.VMAR }];
    expect(structuralProblem(overlapping)).toMatch(/overlaps a sibling/);
    const outside = [good[0], { base: 8, size: 4, depth: 1, type: MapsType.VMAR }] as typeof good;
    expect(structuralProblem(outside)).toMatch(/not inside its parent/);
    const underMapping = [...good, { base: 5, size: 1, depth: 2, type: MapsType.VMAR }];
    expect(structuralProblem(underMapping)).toMatch(/skips a depth/);
  });
});
