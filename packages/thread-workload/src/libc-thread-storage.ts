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
  const table = new ThreadStorageTable(layout, 1);
  const failure = table.allocate(0, backend, handles, observer);
  return failure === undefined ? { ok: true, value: table.blocksOf(0) } : { ok: false, failure };
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
    const status = unmapBlock(block.parent, block.address, block.layout, observer);
    if (first === ZxStatus.OK) first = status;
  }
  return first;
}

/**
 * Unmaps one whole block (the child VMAR at `address`, guards included) through `parent`, and
 * tells `observer` when its mapping is gone: one block of `releaseThreadStorage` or of
 * `ThreadStorageTable.release`.
 */
function unmapBlock(
  parent: Vmar,
  address: number,
  block: BlockLayout,
  observer: StorageObserver | undefined,
): Status {
  const status = parent.unmap(address, block.wholeSize);
  if (status === ZxStatus.OK) observer?.unmapped(block, address + block.guardBelow);
  return status;
}

/**
 * The blocks of many threads, as libc keeps them (one parent handle and one address per block),
 * in flat arrays indexed by thread number: what a run of thousands of live threads keeps without
 * an object per block for the garbage collector to copy. `allocateThreadStorage` is this for one
 * thread.
 */
export class ThreadStorageTable {
  readonly #layout: ThreadLayout;
  readonly #blockCount: number;
  /** `thread * blockCount + index` → the VMAR block `index` was carved from; undefined if none. */
  readonly #parents: (Vmar | undefined)[];
  /** The same index → the base of the block's child VMAR. */
  readonly #addresses: Float64Array;

  constructor(layout: ThreadLayout, threads: number) {
    this.#layout = layout;
    this.#blockCount = layout.blocks.length;
    this.#parents = new Array<Vmar | undefined>(threads * this.#blockCount).fill(undefined);
    this.#addresses = new Float64Array(threads * this.#blockCount);
  }

  /** Whether `thread` holds blocks now. */
  has(thread: number): boolean {
    return this.#parents[thread * this.#blockCount] !== undefined;
  }

  /** The VMAR that block `index` (in `layout.blocks` order) of `thread` was carved from. */
  parentOf(thread: number, index: number): Vmar | undefined {
    return this.#parents[thread * this.#blockCount + index];
  }

  /**
   * Emulates what Fuchsia's libc does for a new thread (semantics §7, [TSALLOC], [LIBCVMAR]): one
   * VMO for all blocks; per block, largest first, a child VMAR of guard + block + guard allocated
   * from the VMAR given for that block, the VMO mapped SPECIFIC at the guard's offset, and the
   * child handle dropped at once. On any failure everything made so far is undone and the failure
   * returned; on success, undefined.
   */
  allocate(
    thread: number,
    backend: AddressSpaceBackend,
    handles: CreateHandles,
    observer?: StorageObserver,
  ): StorageFailure | undefined {
    const vmo = backend.createVmo(this.#layout.vmoSize);
    if (!vmo.ok) return { operation: 'zx_vmo_create', status: vmo.status };
    const blocks = this.#layout.blocks;
    const first = thread * this.#blockCount;
    try {
      for (let index = 0; index < blocks.length; index += 1) {
        const block = blocks[index] as BlockLayout;
        const parent = handles[block.kind];
        const child = parent.allocate(0, block.wholeSize, BLOCK_VMAR_FLAGS);
        if (!child.ok) {
          this.#release(thread, index, observer);
          return { operation: 'zx_vmar_allocate', kind: block.kind, status: child.status };
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
          this.#release(thread, index, observer);
          return { operation: 'zx_vmar_map', kind: block.kind, status: mapped.status };
        }
        observer?.mapped(block, mapped.value);
        // "the new VMAR handles are then immediately dropped" (§7, zircon/threads.h).
        child.value.vmar.close();
        this.#parents[first + index] = parent;
        this.#addresses[first + index] = child.value.address;
      }
    } finally {
      // The mappings hold the VMO; libc needs no handle to it once they exist (§11.2).
      vmo.value.close();
    }
    return undefined;
  }

  /**
   * Thread exit, as `releaseThreadStorage`: unmaps each of `thread`'s blocks and forgets them.
   * Returns the first status that was not OK.
   */
  release(thread: number, observer?: StorageObserver): Status {
    return this.#release(thread, this.#blockCount, observer);
  }

  /** `thread`'s blocks as records, in `layout.blocks` order; empty when it holds none. */
  blocksOf(thread: number): AllocatedBlock[] {
    const records: AllocatedBlock[] = [];
    const first = thread * this.#blockCount;
    this.#layout.blocks.forEach((block, index) => {
      const parent = this.#parents[first + index];
      if (parent === undefined) return;
      records.push({
        kind: block.kind,
        parent,
        address: this.#addresses[first + index] as number,
        wholeSize: block.wholeSize,
        layout: block,
      });
    });
    return records;
  }

  /** Unmaps and forgets `thread`'s first `count` blocks. */
  #release(thread: number, count: number, observer: StorageObserver | undefined): Status {
    const blocks = this.#layout.blocks;
    const first = thread * this.#blockCount;
    let status: Status = ZxStatus.OK;
    for (let index = 0; index < count; index += 1) {
      const parent = this.#parents[first + index];
      if (parent === undefined) continue;
      const unmapped = unmapBlock(
        parent,
        this.#addresses[first + index] as number,
        blocks[index] as BlockLayout,
        observer,
      );
      if (status === ZxStatus.OK) status = unmapped;
      this.#parents[first + index] = undefined;
    }
    return status;
  }
}
