import { type Architecture, PAGE_SIZE } from '@vmars/address-space';

/**
 * Which root VMAR the backend hands out: `'process'` is a normal process's whole user aspace
 * (§6.1); `'shared'` is the shared region of a `ZX_PROCESS_SHARED` process, which is what
 * `zx_vmar_root_self()` returns inside Starnix (§6.2, §6.3).
 */
export type AddressSpaceRegion = 'process' | 'shared';

/** The base address and length of a root VMAR, in bytes. */
export interface AddressSpaceLayout {
  readonly base: number;
  readonly size: number;
}

/** `USER_ASPACE_BASE` / `USER_ASPACE_SIZE` / `USER_RESTRICTED_ASPACE_SIZE` per architecture (§6.1). */
interface KernelAspaceConstants {
  readonly userBase: number;
  readonly userSize: number;
  readonly restrictedSize: number;
}

const USER_ASPACE_BASE = 0x200000;

const kernelAspace: Readonly<Record<Architecture, KernelAspaceConstants>> = {
  // "(1 << 47) - 4k. See //docs/concepts/kernel/sysret_problem.md" [KASPACE].
  x86_64: {
    userBase: USER_ASPACE_BASE,
    userSize: 2 ** 47 - 4096 - USER_ASPACE_BASE,
    restrictedSize: 2 ** 46 - USER_ASPACE_BASE,
  },
  arm64: {
    userBase: USER_ASPACE_BASE,
    userSize: 0xffffff000000 - USER_ASPACE_BASE,
    restrictedSize: 2 ** 47 - USER_ASPACE_BASE,
  },
  riscv64: {
    userBase: USER_ASPACE_BASE,
    userSize: 2 ** 38 - USER_ASPACE_BASE,
    restrictedSize: 2 ** 37 - USER_ASPACE_BASE,
  },
};

/** True when `value` names a root region this backend knows. */
export function isAddressSpaceRegion(value: unknown): value is AddressSpaceRegion {
  return value === 'process' || value === 'shared';
}

/**
 * The root VMAR's base and size for `architecture` and `region`.
 *
 * - `'process'`: the whole user aspace, `[USER_ASPACE_BASE, +USER_ASPACE_SIZE)` (§6.1,
 *   `ProcessDispatcher::Initialize`).
 * - `'shared'`: `kSharedAspaceBase = USER_ASPACE_BASE + USER_RESTRICTED_ASPACE_SIZE + PAGE_SIZE`
 *   ("We leave a 1 page gap in between the private and shared regions") up to the end of the user
 *   aspace (§6.2). For x86-64 that is base 0x400000001000, size 0x3FFFFFFFE000.
 */
export function addressSpaceLayout(
  architecture: Architecture,
  region: AddressSpaceRegion,
): AddressSpaceLayout {
  const constants = kernelAspace[architecture];
  if (region === 'process') {
    return { base: constants.userBase, size: constants.userSize };
  }
  const sharedBase = constants.userBase + constants.restrictedSize + PAGE_SIZE;
  return { base: sharedBase, size: constants.userBase + constants.userSize - sharedBase };
}
