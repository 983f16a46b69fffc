import { VmarFlags } from '@vmars/address-space';

/**
 * Size of each compact VMAR: 1 GiB. Seed comment: "Even for the reduced size of the shared aspace
 * 1GiB is not too wasteful and should still sufficiently minimize the number of allocations done."
 */
export const VMAR_SIZE = 1 * 1024 * 1024 * 1024;

/**
 * Size of the probe: 32 MiB. Seed comment: "We do not know the exact size of the allocations that
 * libc will perform in the VMARs. To compensate we way over approximate the size of the probe. In
 * the worst case this wastes 32MiB of a 1GiB vmar, which is a minor percentage."
 */
export const PROBE_SIZE = 32 * 1024 * 1024;

/** `CompactVmar::new`'s flags: CAN_MAP_READ | CAN_MAP_WRITE | CAN_MAP_SPECIFIC | COMPACT = 0x1C8. */
export const COMPACT_VMAR_FLAGS =
  VmarFlags.CAN_MAP_READ | VmarFlags.CAN_MAP_WRITE | VmarFlags.CAN_MAP_SPECIFIC | VmarFlags.COMPACT;

/** `CompactVmar::probe`'s flags: CAN_MAP_READ = 0x80. */
export const PROBE_FLAGS = VmarFlags.CAN_MAP_READ;
