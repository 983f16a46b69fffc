import type {
  AddressSpaceBackend,
  Handle,
  HandleBasicInfo,
  MapInfo,
  Result,
  Status,
  Vmar,
  VmarInfo,
  Vmo,
} from '@vmars/address-space';
import { statusName, VmarFlags, Status as ZxStatus } from '@vmars/address-space';
import { expect } from 'vitest';

/**
 * Helpers shared by the suites. Statuses are compared by name (`ZX_ERR_BAD_STATE`), so a failing
 * case says which status came back, not just two numbers.
 */

/** The value of `result`; fails the case, naming the status, when it is an error. */
export function expectOk<T>(result: Result<T>, what = 'call'): T {
  if (!result.ok) {
    expect.fail(`${what} failed with ${statusName(result.status)}`);
  }
  return result.value;
}

/** The status a call answered: the status itself, or a result's (`ZX_OK` for a value). */
export function statusOf(actual: Status | Result<unknown>): Status {
  if (typeof actual === 'number') return actual;
  return actual.ok ? ZxStatus.OK : actual.status;
}

/** Asserts that a status or a failed result carries `expected`. */
export function expectStatus(actual: Status | Result<unknown>, expected: Status): void {
  expect(statusName(statusOf(actual))).toBe(statusName(expected));
}

/** Every `maps` entry of `vmar` (asks for the count first, then for all of them). */
export function allMaps(vmar: Vmar): readonly MapInfo[] {
  const count = expectOk(vmar.maps(0), 'maps(0)').avail;
  const result = expectOk(vmar.maps(count), 'maps');
  expect(result.actual).toBe(count);
  return result.entries;
}

/** `maps` reduced to what every backend must agree on, for `toEqual`. */
export function mapShape(
  vmar: Vmar,
): { base: number; size: number; depth: number; type: number }[] {
  return allMaps(vmar).map(({ base, size, depth, type }) => ({ base, size, depth, type }));
}

/** Mapping entries only, with the fields a mapping's identity is made of. */
export function mappingShape(
  vmar: Vmar,
): { base: number; size: number; depth: number; mmuFlags: number; vmoOffset: number }[] {
  return allMaps(vmar)
    .filter((entry) => entry.mapping !== undefined)
    .map((entry) => ({
      base: entry.base,
      size: entry.size,
      depth: entry.depth,
      mmuFlags: entry.mapping?.mmuFlags ?? -1,
      vmoOffset: entry.mapping?.vmoOffset ?? -1,
    }));
}

export function expectInfo(vmar: Vmar): VmarInfo {
  return expectOk(vmar.info(), 'info');
}

/** The `{ base, size }` a VMAR's own `maps` entry carries, from its `info`. */
export function entryExtent(info: VmarInfo): { base: number; size: number } {
  return { base: info.base, size: info.len };
}

/** The flags of the COMPACT VMAR the placement cases work in (read, write, specific). */
export const COMPACT_RW_SPECIFIC =
  VmarFlags.COMPACT | VmarFlags.CAN_MAP_READ | VmarFlags.CAN_MAP_WRITE | VmarFlags.CAN_MAP_SPECIFIC;
export const CAN_MAP_RW = VmarFlags.CAN_MAP_READ | VmarFlags.CAN_MAP_WRITE;
export const PERM_RW = VmarFlags.PERM_READ | VmarFlags.PERM_WRITE;

/** A work area: a child of the root, allocated by the root's (possibly random) placement. */
export interface Arena {
  readonly backend: AddressSpaceBackend;
  readonly root: Vmar;
  readonly vmar: Vmar;
  readonly base: number;
  readonly size: number;
  readonly page: number;
}

/**
 * Allocates a child of the root with `flags` (default: COMPACT, CAN_MAP_READ|WRITE|SPECIFIC) and
 * `pages` pages. Inside a COMPACT VMAR placement is first fit (§3.4), so cases can predict every
 * address relative to `base`, whatever the root's randomised placement did.
 */
export function arena(
  backend: AddressSpaceBackend,
  pages = 64,
  flags: number = COMPACT_RW_SPECIFIC,
): Arena {
  const root = backend.rootVmar();
  const page = backend.pageSize;
  const { vmar, address } = expectOk(root.allocate(0, pages * page, flags), 'arena allocate');
  return { backend, root, vmar, base: address, size: pages * page, page };
}

/** A VMO of `pages` pages. */
export function vmoOf(backend: AddressSpaceBackend, pages = 1, options?: number): Vmo {
  return expectOk(
    options === undefined
      ? backend.createVmo(pages * backend.pageSize)
      : backend.createVmo(pages * backend.pageSize, options),
    'createVmo',
  );
}

/** Allocates a destroyed VMAR (a child of `parent`, then destroyed) for BAD_STATE cases. */
export function destroyedChild(parent: Vmar, size: number, flags: number): Vmar {
  const { vmar } = expectOk(parent.allocate(0, size, flags), 'allocate');
  expectStatus(vmar.destroy(), 0);
  return vmar;
}

/** True when `handle` is a valid-looking `zx_handle_t`: nonzero, low two bits set (§11.6). */
export function isHandleValue(handle: number): boolean {
  return Number.isInteger(handle) && handle > 0 && handle < 2 ** 32 && handle % 4 === 3;
}

/** Rounds `value` up to a multiple of `alignment` (a power of two). */
export function roundUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** The lowest power-of-two alignment of `address` (its count of trailing zero bits). */
export function trailingZeroBits(address: number): number {
  if (address === 0) return 64;
  let bits = 0;
  let value = address;
  while (value % 2 === 0) {
    value /= 2;
    bits += 1;
  }
  return bits;
}

/** A handle to `vmar` with `rights` (a duplicate; the source keeps its rights). */
export function withRights(vmar: Vmar, rights: number): Vmar {
  return expectOk(vmar.duplicate(rights), 'duplicate');
}

/** ZX_INFO_HANDLE_BASIC of an open handle (§5.3). */
export function basicInfoOf(handle: Handle): HandleBasicInfo {
  return expectOk(handle.basicInfo(), 'basicInfo');
}

/**
 * The exact rights of a handle, read twice over: as `basicInfo()` reports them (§5.3), and
 * through `duplicate`, which must succeed with exactly `rights` and fail INVALID_ARGS with any one
 * more bit (§11.6). The two answers come from different calls, so each checks the other.
 */
export function expectExactRights(handle: Vmar | Vmo, rights: number): void {
  expect(basicInfoOf(handle).rights, 'basicInfo().rights').toBe(rights);
  const copy = expectOk<Vmar | Vmo>(handle.duplicate(rights), 'duplicate with the expected rights');
  copy.close();
  for (let bit = 0; bit < 31; bit += 1) {
    const extra = 2 ** bit;
    if ((rights & extra) !== 0) continue;
    const status = handle.duplicate(rights | extra);
    if (status.ok) {
      status.value.close();
      expect.fail(`the handle also has right bit ${bit} (0x${extra.toString(16)})`);
    }
    expectStatus(status, ZxStatus.INVALID_ARGS);
  }
}

/** Every VMAR operation except info answers BAD_STATE on a destroyed VMAR (§4.1). */
export function expectDead(vmar: Vmar, backend: AddressSpaceBackend, address: number): void {
  const page = backend.pageSize;
  const vmo = vmoOf(backend);
  expectStatus(vmar.allocate(0, page, VmarFlags.CAN_MAP_READ), ZxStatus.BAD_STATE);
  expectStatus(vmar.map(VmarFlags.PERM_READ, 0, vmo, 0, page), ZxStatus.BAD_STATE);
  expectStatus(vmar.unmap(address, page), ZxStatus.BAD_STATE);
  expectStatus(vmar.protect(VmarFlags.PERM_READ, address, page), ZxStatus.BAD_STATE);
  expectStatus(vmar.destroy(), ZxStatus.BAD_STATE);
  expectStatus(vmar.maps(10), ZxStatus.BAD_STATE);
  expectOk(vmar.info(), 'info of a destroyed VMAR');
}
