import { PAGE_SIZE, VmarFlags } from '@vmars/address-space';
import type { AddressSpaceLayout } from './address-space-layout.js';
import { RandomSource } from './random-source.js';
import { type RegionNode, VmarNode } from './region-node.js';
import { SpotSearch } from './spot-search.js';

/** Settings of one address space, already validated. */
export interface AddressSpaceSettings {
  readonly layout: AddressSpaceLayout;
  readonly seed: number;
  readonly aslr: boolean;
  readonly entropyBits: number;
  readonly compactEntropyBits: number;
}

/**
 * The kernel side of one memory backend: the root VMAR, the handle numbering, the placement PRNG,
 * and the working state of placement and unmapping. Every handle points here; a handle whose
 * `space` is another instance (or null, once closed) answers BAD_HANDLE.
 */
export class AddressSpaceState {
  /** The root VMAR's base and size in pages; the root node itself stores 0 for both (see RegionNode). */
  readonly rootBasePage: number;
  readonly rootSizePages: number;
  /** The PRNG of ASLR; null when ASLR is off, which means first fit everywhere (§3.3, §3.4). */
  readonly random: RandomSource | null;
  readonly entropyBits: number;
  readonly compactEntropyBits: number;
  /** `mixer = random32 << 2` of the handle table (§11.6), as an int32. */
  readonly handleMixer: number;
  readonly root: VmarNode;
  /**
   * Handle slots: a raw value is `mixer ^ (slot << 2 | 3)` (§11.6). Closed handles' slots are
   * reused last in, first out, as a handle table reuses its entries, so no two open handles ever
   * share a value however many come and go. (Zircon adds a generation count, so a stale value
   * rarely names a new handle; here it does at once. Slots run out only past 2^30 handles open at
   * once, which memory never allows.)
   */
  private readonly freeHandleSlots: number[] = [];
  private nextHandleSlot = 1;
  /** Open handles of this space, the root's included. */
  openHandles = 0;
  /** The next kernel object id; Zircon's first is `ZX_KOID_FIRST` = 1024. */
  private nextKoid = 1024;
  /**
   * The spot search of this space's VMARs, made once so that a search allocates nothing, and the
   * place of the last spot it found, which the insertion after it takes: every change to this
   * space's children lists is passed it (region-lifecycle.ts), and forgets the place.
   */
  readonly spotSearch = new SpotSearch();
  /**
   * The children met by the range being unmapped (vmar-unmap.ts), at `[0, count)`: one array for
   * every unmap of this space, as a new array for each was a fifth of what a thread's lifecycle
   * allocated. Nothing calls back into an unmap while it is in use.
   */
  readonly unmapScratch: (RegionNode | undefined)[] = [];

  constructor(settings: AddressSpaceSettings) {
    this.rootBasePage = settings.layout.base / PAGE_SIZE;
    this.rootSizePages = settings.layout.size / PAGE_SIZE;
    this.random = settings.aslr ? new RandomSource(settings.seed) : null;
    this.entropyBits = settings.entropyBits;
    this.compactEntropyBits = settings.compactEntropyBits;
    // A separate stream for the mixer, so that handle values never shift placements.
    this.handleMixer = new RandomSource(settings.seed + 1).next32() << 2;
    // §2.4: the root has CAN_MAP_SPECIFIC and all CAN_MAP_RWX, and is not COMPACT.
    this.root = new VmarNode(
      null,
      0,
      0,
      VmarFlags.CAN_MAP_SPECIFIC |
        VmarFlags.CAN_MAP_READ |
        VmarFlags.CAN_MAP_WRITE |
        VmarFlags.CAN_MAP_EXECUTE,
      1,
    );
  }

  /** A raw handle value no open handle has (an int32; read it back with `>>> 0`), counted as open. */
  newHandleValue(): number {
    const slot =
      this.freeHandleSlots.length > 0
        ? (this.freeHandleSlots.pop() as number)
        : this.nextHandleSlot++;
    this.openHandles++;
    return ((slot << 2) | 3) ^ this.handleMixer;
  }

  /** Takes back the value of a handle being closed: its slot serves the next new handle. */
  releaseHandleValue(rawValue: number): void {
    this.freeHandleSlots.push((rawValue ^ this.handleMixer) >>> 2);
    this.openHandles--;
  }

  newKoid(): number {
    return this.nextKoid++;
  }

  /** A VMAR's size in pages (the root's lives here, outside the node, to keep node fields small). */
  sizeOf(vmar: VmarNode): number {
    return vmar.owner === null ? this.rootSizePages : vmar.size;
  }

  /**
   * `RegionList::GetAllocSpot` (§3.3): the offset in `owner` (pages) of a spot for `size` pages,
   * aligned to `align` pages, ending at or before `upperLimit`; -1 when there is none
   * (NO_RESOURCES). Entropy comes from the VMAR allocated into (§3.4): COMPACT → compact entropy,
   * else the full entropy; the choice is uniform over the first min(2^entropy, M) candidates.
   */
  chooseSpot(
    owner: VmarNode,
    ownerBasePage: number,
    size: number,
    align: number,
    upperLimit: number,
  ): number {
    const ownerSize = this.sizeOf(owner);
    const random = this.random;
    let index = 0;
    if (random !== null) {
      const entropy =
        (owner.flags & VmarFlags.COMPACT) !== 0 ? this.compactEntropyBits : this.entropyBits;
      if (entropy > 0) index = random.uniform(2 ** entropy);
    }
    const search = this.spotSearch;
    const spot = search.findSpotAtIndex(
      owner,
      ownerSize,
      ownerBasePage,
      size,
      align,
      upperLimit,
      index,
    );
    if (spot >= 0 || index === 0 || random === null) return spot;
    // Fewer than 2^entropy candidates: choose again among the M there are (M <= index here).
    const count = search.candidateCount;
    if (count === 0) return -1;
    return search.findSpotAtIndex(
      owner,
      ownerSize,
      ownerBasePage,
      size,
      align,
      upperLimit,
      random.uniform(count),
    );
  }
}
