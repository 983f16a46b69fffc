import type { AddressSpaceBackend, Status, Vmar } from '@vmars/address-space';
import { VmarFlags, Status as ZxStatus } from '@vmars/address-space';
import type { BlockKind, BlockLayout, ThreadLayout } from './thread-layout.js';

/** The VMAR each block of a new thread is carved from (libc's `thrd_zx_create_handles_t`). */
export type CreateHandles = Readonly<Record<BlockKind, Vmar>>;

/** One block libc made: the child VMAR's range in its parent, guards included. */
export interface AllocatedBlock {
  readonly kind: BlockKind;
  /** The handle libc keeps and unmaps through at thread exit (§7). */
  readonly parent: Vmar;
  /** Base of the child VMAR (the guard below, if any, starts here). */
  readonly address: number;
  readonly wholeSize: number;
  /** The block's layout; its mapping starts at `address + layout.guardBelow`. */
  readonly layout: BlockLayout;
}

/**
 * Told of every mapping libc makes and removes, in order, failed creations' included: how the
 * engine keeps its page-table accounting exact without reading `maps()`.
 */
export interface StorageObserver {
  /** `block`'s mapping now covers `[base, base + block.size)`. */
  mapped(block: BlockLayout, base: number): void;
  /** The mapping that `mapped` told of is gone. */
  unmapped(block: BlockLayout, base: number): void;
}

/** The flags libc's `GuardedPageBlock::Allocate` gives each child VMAR (§7). */
export const BLOCK_VMAR_FLAGS =
  VmarFlags.CAN_MAP_READ | VmarFlags.CAN_MAP_WRITE | VmarFlags.CAN_MAP_SPECIFIC;
/** The flags of the one mapping in each child VMAR (§7). */
export const BLOCK_MAP_FLAGS = VmarFlags.PERM_READ | VmarFlags.PERM_WRITE | VmarFlags.SPECIFIC;

/** Why a thread's storage could not be made: the call that failed and its status. */
export interface StorageFailure {
  readonly operation: 'zx_vmo_create' | 'zx_vmar_allocate' | 'zx_vmar_map';
  readonly kind?: BlockKind;
  readonly status: Status;
}

/** The blocks made for a thread, or why none were. */
export type StorageResult =
  | { readonly ok: true; readonly value: readonly AllocatedBlock[] }
  | { readonly ok: false; readonly failure: StorageFailure };

/**
 * Emulates what Fuchsia's libc does for a new thread (semantics §7, [TSALLOC], [LIBCVMAR]): one
 * VMO for all blocks; per block, largest first, a child VMAR of guard + block + guard allocated
 * from the VMAR given for that block, the VMO mapped SPECIFIC at the guard's offset, and the child
 * handle dropped at once. On any failure everything made so far is undone and the failure told.
 */
export function allocateThreadStorage(
  backend: AddressSpaceBackend,
  layout: ThreadLayout,
  handles: CreateHandles,
  observer?: StorageObserver,
): StorageResult {
  const vmo = backend.createVmo(layout.vmoSize);
  if (!vmo.ok) return failed({ operation: 'zx_vmo_create', status: vmo.status });
  const blocks: AllocatedBlock[] = [];
  try {
    for (const block of layout.blocks) {
      const parent = handles[block.kind];
      const child = parent.allocate(0, block.wholeSize, BLOCK_VMAR_FLAGS);
      if (!child.ok) {
        releaseThreadStorage(blocks, observer);
        return failed({ operation: 'zx_vmar_allocate', kind: block.kind, status: child.status });
      }
      const mapped = child.value.vmar.map(
        BLOCK_MAP_FLAGS,
        block.guardBelow,
        vmo.value,
        block.vmoOffset,
        block.size,
      );
      if (!mapped.ok) {
        // libc destroys the sub-VMAR when the map fails (§7).
        child.value.vmar.destroy();
        child.value.vmar.close();
        releaseThreadStorage(blocks, observer);
        return failed({ operation: 'zx_vmar_map', kind: block.kind, status: mapped.status });
      }
      observer?.mapped(block, mapped.value);
      // "the new VMAR handles are then immediately dropped" (§7, zircon/threads.h).
      child.value.vmar.close();
      blocks.push({
        kind: block.kind,
        parent,
        address: child.value.address,
        wholeSize: block.wholeSize,
        layout: block,
      });
    }
  } finally {
    // The mappings hold the VMO; libc needs no handle to it once they exist (§11.2).
    vmo.value.close();
  }
  return { ok: true, value: blocks };
}

/**
 * Thread exit: unmaps each whole block, guards included, through the parent handle, which
 * destroys the child VMAR (needs OP_CHILDREN, §4.3). Returns the first status that was not OK.
 */
export function releaseThreadStorage(
  blocks: readonly AllocatedBlock[],
  observer?: StorageObserver,
): Status {
  let first: Status = ZxStatus.OK;
  for (const block of blocks) {
    const status = block.parent.unmap(block.address, block.wholeSize);
    if (status === ZxStatus.OK)
      observer?.unmapped(block.layout, block.address + block.layout.guardBelow);
    else if (first === ZxStatus.OK) first = status;
  }
  return first;
}

function failed(failure: StorageFailure): StorageResult {
  return { ok: false, failure };
}
