import type { Architecture } from '@vmars/address-space';

/** One level of paging structures: each table is one 4 KiB page of 512 entries. */
export interface PagingLevel {
  /** The level's name in the architecture's manual (`PT`, `level 3`, …). */
  readonly name: string;
  /** The bytes of address space one table of this level maps (its naturally aligned block). */
  readonly coverage: number;
}

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TiB = 2 ** 40;

/**
 * Paging structures with 4 KiB pages, lowest level (the one whose entries map pages) first;
 * large pages are ignored (semantics §12).
 */
export const PAGING_LEVELS: Readonly<Record<Architecture, readonly PagingLevel[]>> = {
  // Intel SDM vol. 3, 4.5: 4-level paging, PML4 → PDPT → PD → PT.
  x86_64: [
    { name: 'PT', coverage: 2 * MiB },
    { name: 'PD', coverage: 1 * GiB },
    { name: 'PDPT', coverage: 512 * GiB },
    { name: 'PML4', coverage: 256 * TiB },
  ],
  // Arm ARM D8, VMSAv8-64 with a 4 KB granule and 48-bit VA: levels 0–3.
  arm64: [
    { name: 'L3', coverage: 2 * MiB },
    { name: 'L2', coverage: 1 * GiB },
    { name: 'L1', coverage: 512 * GiB },
    { name: 'L0', coverage: 256 * TiB },
  ],
  // RISC-V privileged spec 10.6, Sv39 (user size 2^38, semantics §6.1): levels 0–2.
  riscv64: [
    { name: 'L0', coverage: 2 * MiB },
    { name: 'L1', coverage: 1 * GiB },
    { name: 'L2', coverage: 512 * GiB },
  ],
};

/**
 * Whether the security stack grows up: x86-64 uses SafeStack's unsafe stack (grows down, guard
 * below); arm64 and riscv64 use ShadowCallStack (grows up, guard above) (semantics §7).
 */
export function securityStackGrowsUp(architecture: Architecture): boolean {
  return architecture !== 'x86_64';
}
