import { MapsType, Rights, Status, VmarFlags } from '@vmars/address-space';

/**
 * A small reference model of one address space, for the model-based tests: a plain tree of
 * regions with Zircon's rules for the calls the tests make (zircon-vmar-semantics.md §2.3, §3,
 * §4, §11.2, §11.3, §11.5), written for clarity, not speed (linear scans over children).
 *
 * Placement the model cannot predict (a non-COMPACT parent places at random, §3.3) is taken from
 * the backend's answer after the model checked it is a legal spot.
 */

/** A protection range of a mapping: `[base, base + size)` with one set of PERM_* bits. */
export interface ModelRange {
  base: number;
  size: number;
  perms: number;
}

export interface ModelVmar {
  readonly kind: 'vmar';
  readonly id: number;
  readonly base: number;
  readonly size: number;
  readonly flags: number;
  readonly isRoot: boolean;
  parent: ModelVmar | undefined;
  alive: boolean;
  /** Sub-VMARs and mappings, sorted by base, never overlapping. */
  children: ModelChild[];
}

export interface ModelMapping {
  readonly kind: 'mapping';
  base: number;
  size: number;
  readonly vmoId: number;
  vmoOffset: number;
  /** What must be equal for two neighbours to merge (§11.5): placement bits and the ceiling. */
  readonly mergeKey: string;
  ranges: ModelRange[];
}

export type ModelChild = ModelVmar | ModelMapping;

/** What a call should do: fail with a status, or succeed (placing at `exact` when known). */
export type Plan =
  | { readonly ok: false; readonly status: number }
  | {
      readonly ok: true;
      /** The only legal address, when placement is deterministic (SPECIFIC, COMPACT parent). */
      readonly exact: number | undefined;
      /** Why `address` is not a legal spot, or `undefined` when it is. */
      readonly check: (address: number) => string | undefined;
    };

const CAN_RW = VmarFlags.CAN_MAP_READ | VmarFlags.CAN_MAP_WRITE;
const PAGE_RIGHTS_OF_PERM: readonly [number, number][] = [
  [VmarFlags.PERM_READ, Rights.READ],
  [VmarFlags.PERM_WRITE, Rights.WRITE],
  [VmarFlags.PERM_EXECUTE, Rights.EXECUTE],
];

function fail(status: number): Plan {
  return { ok: false, status };
}

/** Rights a new VMAR handle gets (§1.2). */
export function vmarRights(flags: number): number {
  let rights = 0x208003;
  if (flags & VmarFlags.CAN_MAP_READ) rights |= Rights.READ;
  if (flags & VmarFlags.CAN_MAP_WRITE) rights |= Rights.WRITE;
  if (flags & VmarFlags.CAN_MAP_EXECUTE) rights |= Rights.EXECUTE;
  return rights;
}

/** The `ZX_VM_PERM_*` bits both `vmarRights` and `vmoRights` allow (the ceiling, §11.2 step 7). */
export function ceilingOf(vmarHandleRights: number, vmoRights: number): number {
  let ceiling = 0;
  for (const [perm, right] of PAGE_RIGHTS_OF_PERM) {
    if (vmarHandleRights & vmoRights & right) ceiling |= perm;
  }
  return ceiling;
}

let nextId = 1;

export function newVmar(
  base: number,
  size: number,
  flags: number,
  parent: ModelVmar | undefined,
): ModelVmar {
  nextId += 1;
  return {
    kind: 'vmar',
    id: nextId,
    base,
    size,
    flags,
    isRoot: parent === undefined,
    parent,
    alive: true,
    children: [],
  };
}

function overlaps(children: readonly ModelChild[], base: number, size: number): boolean {
  return children.some((child) => child.base < base + size && base < child.base + child.size);
}

/**
 * The allocator of §3.2 as a predicate: is there a candidate, what is the first one, and is a
 * given address one of them.
 */
function placement(
  parent: ModelVmar,
  size: number,
  alignment: number,
  upperLimit: number,
  pageSize: number,
): Plan {
  const align = Math.max(alignment, pageSize);
  let first: number | undefined;
  let gapStart = parent.base;
  const gaps: [number, number][] = [];
  for (const child of parent.children) {
    if (child.base > gapStart) gaps.push([gapStart, child.base]);
    gapStart = child.base + child.size;
  }
  const parentEnd = parent.base + parent.size;
  if (parentEnd > gapStart) gaps.push([gapStart, parentEnd]);
  for (const [start, end] of gaps) {
    const candidate = Math.ceil(start / align) * align;
    if (candidate + size <= Math.min(end, upperLimit)) {
      first = candidate;
      break;
    }
  }
  if (first === undefined) return fail(Status.NO_RESOURCES);
  const compact = (parent.flags & VmarFlags.COMPACT) !== 0;
  return {
    ok: true,
    exact: compact ? first : undefined,
    check: (address) => {
      if (compact && address !== first) return `first fit is ${hex(first)}, got ${hex(address)}`;
      if (address % align !== 0) return `${hex(address)} is not aligned to ${hex(align)}`;
      if (address < parent.base || address + size > parentEnd) return `${hex(address)} is outside`;
      if (address + size > upperLimit) return `${hex(address)} ends above the upper limit`;
      if (overlaps(parent.children, address, size)) return `${hex(address)} overlaps a sibling`;
      return undefined;
    },
  };
}

function alignmentOf(flags: number): number {
  const exponent = Math.floor(flags / 2 ** 24);
  return exponent === 0 ? 0 : 2 ** exponent;
}

/** `zx_vmar_allocate` on a handle to `parent` with `rights` (§2.3; arguments are well formed). */
export function planAllocate(
  parent: ModelVmar,
  rights: number,
  offset: number,
  size: number,
  flags: number,
  pageSize: number,
): Plan {
  if (flags & VmarFlags.CAN_MAP_READ && !(rights & Rights.READ)) return fail(Status.ACCESS_DENIED);
  if (flags & VmarFlags.CAN_MAP_WRITE && !(rights & Rights.WRITE))
    return fail(Status.ACCESS_DENIED);
  if (size % pageSize !== 0) return fail(Status.INVALID_ARGS);
  if (!parent.alive) return fail(Status.BAD_STATE);
  if (size === 0) return fail(Status.INVALID_ARGS);
  if (flags & CAN_RW & ~parent.flags) return fail(Status.ACCESS_DENIED);
  const specific = (flags & VmarFlags.SPECIFIC) !== 0;
  return (
    offsetRefusal(parent, offset, specific, flags, pageSize) ??
    placeChild(parent, offset, size, flags, pageSize)
  );
}

/**
 * The checks of the offset that allocate and map share (§2.3 steps 6d–6g, §11.2), in order:
 * SPECIFIC (`specific`) with OFFSET_IS_UPPER_LIMIT, an offset without either, an unaligned
 * offset, and either without CAN_MAP_SPECIFIC on the parent. The failed plan, or undefined.
 */
function offsetRefusal(
  parent: ModelVmar,
  offset: number,
  specific: boolean,
  flags: number,
  pageSize: number,
): Plan | undefined {
  const upper = (flags & VmarFlags.OFFSET_IS_UPPER_LIMIT) !== 0;
  if (specific && upper) return fail(Status.INVALID_ARGS);
  if (!specific && !upper && offset !== 0) return fail(Status.INVALID_ARGS);
  if (offset % pageSize !== 0) return fail(Status.INVALID_ARGS);
  if ((specific || upper) && !(parent.flags & VmarFlags.CAN_MAP_SPECIFIC)) {
    return fail(Status.ACCESS_DENIED);
  }
  return undefined;
}

/** §2.3 steps 6h–6j, shared by allocate and map (§11.2 steps 14–16). */
function placeChild(
  parent: ModelVmar,
  offset: number,
  size: number,
  flags: number,
  pageSize: number,
): Plan {
  const specific = (flags & (VmarFlags.SPECIFIC | VmarFlags.SPECIFIC_OVERWRITE)) !== 0;
  const upper = (flags & VmarFlags.OFFSET_IS_UPPER_LIMIT) !== 0;
  if (upper) {
    if (offset > parent.size || size > parent.size || size > offset) {
      return fail(Status.INVALID_ARGS);
    }
  } else if (offset >= parent.size || size > parent.size - offset) {
    return fail(Status.INVALID_ARGS);
  }
  const alignment = alignmentOf(flags);
  if (specific) {
    const base = parent.base + offset;
    if (alignment > 0 && base % alignment !== 0) return fail(Status.INVALID_ARGS);
    if (overlaps(parent.children, base, size)) return fail(Status.ALREADY_EXISTS);
    return {
      ok: true,
      exact: base,
      check: (address) => (address === base ? undefined : `SPECIFIC must give ${hex(base)}`),
    };
  }
  const limit = upper ? parent.base + offset : Number.POSITIVE_INFINITY;
  return placement(parent, size, alignment, limit, pageSize);
}

/** Inserts `child` into `parent.children`, keeping them sorted by base. */
export function insertChild(parent: ModelVmar, child: ModelChild): void {
  const index = parent.children.findIndex((existing) => existing.base > child.base);
  if (index < 0) parent.children.push(child);
  else parent.children.splice(index, 0, child);
}

/** `zx_vmar_map` (§11.2) of a VMO handle with `vmoRights`; lengths are page multiples here. */
export function planMap(
  parent: ModelVmar,
  rights: number,
  flags: number,
  vmarOffset: number,
  vmoRights: number,
  length: number,
  pageSize: number,
): Plan {
  if (!(vmoRights & Rights.MAP)) return fail(Status.ACCESS_DENIED);
  const perms = flags & 0x7;
  if (perms & ~VmarFlags.PERM_READ && !(perms & VmarFlags.PERM_READ)) {
    return fail(Status.INVALID_ARGS);
  }
  for (const [perm, right] of PAGE_RIGHTS_OF_PERM) {
    if (perms & perm && !(rights & vmoRights & right)) return fail(Status.ACCESS_DENIED);
  }
  const size = Math.ceil(length / pageSize) * pageSize;
  if (!parent.alive) return fail(Status.BAD_STATE);
  if (size === 0) return fail(Status.INVALID_ARGS);
  const specific = (flags & (VmarFlags.SPECIFIC | VmarFlags.SPECIFIC_OVERWRITE)) !== 0;
  return (
    offsetRefusal(parent, vmarOffset, specific, flags, pageSize) ??
    placeChild(parent, vmarOffset, size, flags, pageSize)
  );
}

/** Adds `mapping` to `parent` and merges it with mergeable neighbours (§11.5). */
export function addMapping(parent: ModelVmar, mapping: ModelMapping): void {
  insertChild(parent, mapping);
  const index = parent.children.indexOf(mapping);
  let merged = mapping;
  const left = parent.children[index - 1];
  if (left?.kind === 'mapping' && mergeable(left, merged)) {
    appendMapping(left, merged);
    parent.children.splice(index, 1);
    merged = left;
  }
  const mergedIndex = parent.children.indexOf(merged);
  const right = parent.children[mergedIndex + 1];
  if (right?.kind === 'mapping' && mergeable(merged, right)) {
    appendMapping(merged, right);
    parent.children.splice(mergedIndex + 1, 1);
  }
}

function mergeable(left: ModelMapping, right: ModelMapping): boolean {
  return (
    left.vmoId === right.vmoId &&
    left.base + left.size === right.base &&
    left.vmoOffset + left.size === right.vmoOffset &&
    left.mergeKey === right.mergeKey
  );
}

function appendMapping(left: ModelMapping, right: ModelMapping): void {
  left.size += right.size;
  left.ranges = coalesce([...left.ranges, ...right.ranges.map((range) => ({ ...range }))]);
}

function coalesce(ranges: ModelRange[]): ModelRange[] {
  const result: ModelRange[] = [];
  for (const range of ranges) {
    const last = result[result.length - 1];
    if (last !== undefined && last.perms === range.perms && last.base + last.size === range.base) {
      last.size += range.size;
    } else {
      result.push({ ...range });
    }
  }
  return result;
}

/** Marks `vmar` and everything below it dead and removes it from its parent (§4.1). */
export function destroySubtree(vmar: ModelVmar): void {
  const stack: ModelVmar[] = [vmar];
  while (stack.length > 0) {
    const node = stack.pop() as ModelVmar;
    node.alive = false;
    for (const child of node.children) if (child.kind === 'vmar') stack.push(child);
    node.children = [];
  }
  const parent = vmar.parent;
  if (parent !== undefined) {
    parent.children = parent.children.filter((child) => child !== vmar);
    vmar.parent = undefined;
  }
}

/** `zx_vmar_destroy` (§4.1): the status, and the effect when OK. */
export function planDestroy(vmar: ModelVmar, rights: number): number {
  if (!(rights & Rights.OP_CHILDREN)) return Status.ACCESS_DENIED;
  if (vmar.isRoot) return Status.NOT_SUPPORTED;
  if (!vmar.alive) return Status.BAD_STATE;
  return Status.OK;
}

/**
 * `zx_vmar_unmap` (§4.3, §11.3) with a page-aligned address: the status, and when OK the change
 * applied to the model.
 */
export function unmap(
  vmar: ModelVmar,
  rights: number,
  address: number,
  length: number,
  pageSize: number,
): number {
  const size = Math.ceil(length / pageSize) * pageSize;
  if (size === 0) return Status.INVALID_ARGS;
  if (!vmar.alive) return Status.BAD_STATE;
  const end = vmar.base + vmar.size;
  if (address < vmar.base || address >= end || address + size > end) return Status.INVALID_ARGS;
  const last = address + size;
  const touched = vmar.children.filter(
    (child) => child.base < last && address < child.base + child.size,
  );
  for (const child of touched) {
    if (child.kind !== 'vmar') continue;
    if (!(rights & Rights.OP_CHILDREN)) return Status.INVALID_ARGS;
    if (child.base < address || child.base + child.size > last) return Status.INVALID_ARGS;
  }
  for (const child of touched) {
    if (child.kind === 'vmar') {
      destroySubtree(child);
      continue;
    }
    vmar.children = vmar.children.filter((existing) => existing !== child);
    const childEnd = child.base + child.size;
    if (child.base < address) {
      insertChild(vmar, trimmed(child, child.base, address));
    }
    if (childEnd > last) {
      insertChild(vmar, trimmed(child, last, childEnd));
    }
  }
  return Status.OK;
}

function trimmed(mapping: ModelMapping, from: number, to: number): ModelMapping {
  const ranges: ModelRange[] = [];
  for (const range of mapping.ranges) {
    const start = Math.max(range.base, from);
    const stop = Math.min(range.base + range.size, to);
    if (start < stop) ranges.push({ base: start, size: stop - start, perms: range.perms });
  }
  return {
    kind: 'mapping',
    base: from,
    size: to - from,
    vmoId: mapping.vmoId,
    vmoOffset: mapping.vmoOffset + (from - mapping.base),
    mergeKey: mapping.mergeKey,
    ranges,
  };
}

/** Encodes one `maps` entry the way `expectedMaps` does, for cheap comparisons. */
export function encodeEntry(entry: {
  base: number;
  size: number;
  depth: number;
  type: number;
  mapping?: { mmuFlags: number; vmoOffset: number } | undefined;
}): string {
  const mapping =
    entry.mapping === undefined
      ? ''
      : ` perms=${entry.mapping.mmuFlags} offset=${hex(entry.mapping.vmoOffset)}`;
  return `${'  '.repeat(entry.depth)}${entry.type === MapsType.VMAR ? 'vmar' : 'mapping'} ${hex(entry.base)}+${hex(entry.size)}${mapping}`;
}

/** The `maps` entries the model expects for `vmar`, encoded by `encodeEntry` (§5.1, §11.5). */
export function expectedMaps(vmar: ModelVmar): string[] {
  const lines: string[] = [];
  const walk = (node: ModelVmar, depth: number) => {
    lines.push(encodeEntry({ base: node.base, size: node.size, depth, type: MapsType.VMAR }));
    for (const child of node.children) {
      if (child.kind === 'vmar') {
        walk(child, depth + 1);
        continue;
      }
      for (const range of child.ranges) {
        lines.push(
          encodeEntry({
            base: range.base,
            size: range.size,
            depth: depth + 1,
            type: MapsType.MAPPING,
            mapping: {
              mmuFlags: range.perms,
              vmoOffset: child.vmoOffset + (range.base - child.base),
            },
          }),
        );
      }
    }
  };
  walk(vmar, 0);
  return lines;
}

/** The structural invariants of a `maps` listing: children inside parents, siblings apart. */
export function structuralProblem(
  entries: readonly { base: number; size: number; depth: number; type: number }[],
): string | undefined {
  // stack[d] = [end of the enclosing VMAR at depth d, end of its last child so far]
  const stack: { end: number; lastEnd: number; base: number }[] = [];
  for (const [index, entry] of entries.entries()) {
    if (index === 0) {
      if (entry.depth !== 0) return 'the first entry is not at depth 0';
      stack.push({ base: entry.base, end: entry.base + entry.size, lastEnd: entry.base });
      continue;
    }
    if (entry.depth < 1 || entry.depth > stack.length) return `entry ${index} skips a depth`;
    stack.length = entry.depth;
    const parent = stack[entry.depth - 1] as { end: number; lastEnd: number; base: number };
    if (entry.base < parent.base || entry.base + entry.size > parent.end) {
      return `entry ${index} (${hex(entry.base)}) is not inside its parent`;
    }
    if (entry.base < parent.lastEnd)
      return `entry ${index} (${hex(entry.base)}) overlaps a sibling`;
    parent.lastEnd = entry.base + entry.size;
    if (entry.type === MapsType.VMAR) {
      stack.push({ base: entry.base, end: entry.base + entry.size, lastEnd: entry.base });
    }
  }
  return undefined;
}

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}
