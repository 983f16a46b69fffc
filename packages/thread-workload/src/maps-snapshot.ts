import {
  type Architecture,
  type MapInfo,
  MapsType,
  type Vmar,
  ZxError,
} from '@vmars/address-space';
import { countPageTables, type PageTableCount } from './page-tables.js';
import { blockAtVmoOffset, type ThreadLayout } from './thread-layout.js';
import { type TouchedPages, touchedRanges } from './touched-ranges.js';
import type { BlockRecord } from './workload-report.js';

/**
 * What one read of the root's ZX_INFO_VMAR_MAPS says about a run at that moment. The engine keeps
 * the same figures incrementally; this is how they were once computed, and it stays as the oracle
 * that `runWorkload({ verify: true })` and the tests hold them against.
 */
export interface MapsSnapshot {
  /** VMAR entries at depth 1: VMARs directly in the root. */
  readonly rootChildVmars: number;
  /** Bytes of those VMARs. */
  readonly reserved: number;
  /** Bytes of all mappings. */
  readonly mapped: number;
  readonly pageTables: PageTableCount;
  /** Every mapping that is a thread's block, in address order. */
  readonly blocks: readonly BlockRecord[];
}

/** What `snapshotFromMaps` needs to know of the run. */
export interface SnapshotContext {
  readonly layout: ThreadLayout;
  readonly architecture: Architecture;
  readonly touched: TouchedPages;
  readonly pageSize: number;
  /** Bases of the compact VMARs (depth-1 VMARs that a block's `compactVmar` may name). */
  readonly compactBases: ReadonlySet<number>;
}

/** Analyses the entries of one `maps()` read of the root (in its pre-order, §5.1). */
export function snapshotFromMaps(
  entries: readonly MapInfo[],
  context: SnapshotContext,
): MapsSnapshot {
  const { layout } = context;
  let rootChildVmars = 0;
  let reserved = 0;
  let mapped = 0;
  const blocks: BlockRecord[] = [];
  // Pre-order (§5.1): a depth-1 VMAR entry comes before everything inside it.
  let currentCompact: number | null = null;
  for (const entry of entries) {
    if (entry.depth === 1) {
      currentCompact = null;
      if (entry.type === MapsType.VMAR) {
        rootChildVmars += 1;
        reserved += entry.size;
        if (context.compactBases.has(entry.base)) currentCompact = entry.base;
      }
    }
    if (entry.type === MapsType.MAPPING && entry.mapping !== undefined) {
      mapped += entry.size;
      const block = blockAtVmoOffset(layout, entry.mapping.vmoOffset);
      if (block !== undefined) {
        blocks.push({
          kind: block.kind,
          base: entry.base,
          size: entry.size,
          compactVmar: currentCompact,
        });
      }
    }
  }
  const pageTables = countPageTables(
    touchedRanges(entries, layout, context.touched, context.pageSize),
    context.architecture,
  );
  return { rootChildVmars, reserved, mapped, pageTables, blocks };
}

/** Reads a VMAR's whole ZX_INFO_VMAR_MAPS, remembering how much room the last read needed. */
export class MapsReader {
  readonly #vmar: Vmar;
  #capacity = 64;

  constructor(vmar: Vmar) {
    this.#vmar = vmar;
  }

  read(): readonly MapInfo[] {
    for (;;) {
      const result = this.#vmar.maps(this.#capacity);
      if (!result.ok) throw new ZxError(result.status, 'zx_object_get_info(ZX_INFO_VMAR_MAPS)');
      // `actual = min(capacity, avail)`, always ZX_OK (§5.1): grow and read again if cut short.
      if (result.value.avail <= this.#capacity) return result.value.entries;
      this.#capacity = result.value.avail + (result.value.avail >> 2);
    }
  }
}
