import type { AddressSpaceBackend, Vmar, Vmo } from '@vmars/address-space';
import { VmarFlags } from '@vmars/address-space';
import { expectInfo, expectOk, mappingShape } from '../backend-assertions.js';

/**
 * What the ported vmar.cc tests share: the fresh "process" each test starts from, the flag sets
 * the original spells out, and its helpers (`vmo(size)`, `MakeManualAlignedVmar`).
 */

/** A fresh backend, its root VMAR and page size: the fresh process each vmar.cc test creates. */
export type ZirconSetup = () => { backend: AddressSpaceBackend; root: Vmar; page: number };

const { PERM_READ, PERM_WRITE, PERM_EXECUTE, CAN_MAP_READ, CAN_MAP_WRITE, CAN_MAP_EXECUTE } =
  VmarFlags;
export const RW_ALLOC = CAN_MAP_READ | CAN_MAP_WRITE;
export const RWX_ALLOC = CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_EXECUTE;
export const RW_PERM = PERM_READ | PERM_WRITE;
export const RWX_PERM = PERM_READ | PERM_WRITE | PERM_EXECUTE;

/** The page offsets (relative to `base`, `count` pages) that some mapping entry of `vmar` covers. */
export function mappedPages(vmar: Vmar, base: number, count: number, page: number): number[] {
  const pages: number[] = [];
  const entries = mappingShape(vmar);
  for (let index = 0; index < count; index += 1) {
    const address = base + index * page;
    if (entries.some((entry) => entry.base <= address && address < entry.base + entry.size)) {
      pages.push(index);
    }
  }
  return pages;
}

/** `vmo(size)` of the original: a VMO of `size` bytes. */
export function vmoOf(backend: AddressSpaceBackend, size: number, options = 0): Vmo {
  return expectOk(backend.createVmo(size, options), 'zx_vmo_create');
}

/**
 * `MakeManualAlignedVmar`: a `size`-byte VMAR at the first `alignment`-aligned spot of the root
 * that SPECIFIC accepts.
 */
export function makeManualAlignedVmar(
  root: Vmar,
  size: number,
  alignment: number,
): Vmar | undefined {
  const info = expectInfo(root);
  const end = info.base + info.len;
  for (
    let start = Math.ceil(info.base / alignment) * alignment;
    start + size <= end;
    start += alignment
  ) {
    const result = root.allocate(
      start - info.base,
      size,
      RW_ALLOC | VmarFlags.CAN_MAP_SPECIFIC | VmarFlags.SPECIFIC,
    );
    if (result.ok) return result.value.vmar;
  }
  return undefined;
}

/** Every alignment option (`ZX_VM_ALIGN_1KB` … `ZX_VM_ALIGN_4GB`) with its count of zero bits. */
export const ALIGNMENTS: readonly [number, number][] = Array.from({ length: 23 }, (_, index) => [
  (10 + index) * 2 ** 24,
  10 + index,
]);
