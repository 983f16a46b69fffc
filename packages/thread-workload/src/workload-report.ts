import type { Architecture } from '@vmars/address-space';
import type { PageTableCount } from './page-tables.js';
import type { BlockKind } from './thread-layout.js';
import type { CompactVmarRecord } from './thread-vmar-policy.js';
import type { TouchedPages } from './touched-ranges.js';
import type { TraceSummary } from './trace-workload.js';
import type { WorkloadPattern } from './workload.js';

/**
 * The address space at one moment of a run. Kept incrementally by the engine; with `verify` it is
 * checked against a read of the root's ZX_INFO_VMAR_MAPS at that moment.
 */
export interface Sample {
  /** Events done when the sample was taken. */
  readonly event: number;
  /**
   * Only in a trace's replay: the trace's time of the sample's last event, microseconds from the
   * trace's origin, so that a UI can move through the trace's own time.
   */
  readonly time?: number;
  readonly liveThreads: number;
  /** VMARs directly in the root: the compact VMARs, or (policy `root`) every block's VMAR. */
  readonly rootChildVmars: number;
  readonly compactVmars: number;
  /** Bytes of the VMARs directly in the root. */
  readonly reserved: number;
  /** Bytes of all mappings. */
  readonly mapped: number;
  /** Page-table pages per level, lowest first (as `pagingLevels`). */
  readonly pageTables: readonly number[];
  readonly pageTableTotal: number;
}

/** A block (one mapping) as seen at the peak. */
export interface BlockRecord {
  readonly kind: BlockKind;
  /** The mapping's base and size (guards excluded). */
  readonly base: number;
  readonly size: number;
  /** Base of the compact VMAR holding it; `null` when it sits directly under the root. */
  readonly compactVmar: number | null;
}

/** What one policy did in a `runWorkload` run: threads, VMARs, page tables and samples. */
export interface PolicyReport {
  /** The policy's name: `compact`, `root`, or a caller's own policy's. */
  readonly policy: string;
  readonly threads: {
    /** Creations the workload asked for. */
    readonly attempted: number;
    readonly created: number;
    readonly ended: number;
    /** Creations that failed: a probe threw ENOMEM, or libc could not allocate or map. */
    readonly failed: number;
    readonly failedProbe: number;
    readonly failedStorage: number;
  };
  /** `CompactVmar.probe` calls (32 MiB allocate + destroy), per attempted creation. */
  readonly probes: {
    readonly total: number;
    readonly failed: number;
    readonly perCreation: number;
  };
  readonly compactVmars: Readonly<Record<BlockKind, number>> & { readonly total: number };
  /** Every compact VMAR at the end (lists never shrink, so also every one there ever was). */
  readonly compactVmarList: readonly CompactVmarRecord[];
  readonly reserved: { readonly peak: number; readonly final: number };
  readonly mapped: { readonly peak: number; readonly final: number };
  readonly pageTables: {
    /** When the live thread count first reached its peak. */
    readonly atPeak: PageTableCount;
    /**
     * The most page-table pages at any moment of the run (after any map, failed creations'
     * included), with `event` the events done by then counting the one under way; the first such
     * moment.
     */
    readonly max: PageTableCount & { readonly event: number };
    readonly final: PageTableCount;
  };
  readonly samples: readonly Sample[];
  readonly peakSnapshot: {
    readonly event: number;
    /** Only in a trace's replay: the trace's time at the peak (as `Sample.time`). */
    readonly time?: number;
    readonly liveThreads: number;
    readonly blocks: readonly BlockRecord[];
  };
  readonly end: {
    readonly liveThreads: number;
    /** Entries of the root's maps other than the root and the compact VMARs: 0 when all is clean. */
    readonly otherRootEntries: number;
    /** Whether `ThreadCreateVmars` disposed cleanly (it refuses while a block remains). */
    readonly disposed: boolean;
    /** The root's `maps().avail` after disposal: 1 when nothing at all is left. */
    readonly rootEntriesAfterDispose: number;
  };
}

/**
 * Everything a run found (`runWorkload`'s answer; the demo's `--json` prints it). It holds no
 * timing, so the same options and seed give the same report.
 */
export interface WorkloadReport {
  readonly backend: string;
  readonly architecture: Architecture;
  readonly pageSize: number;
  readonly region: { readonly base: number; readonly size: number };
  readonly touched: TouchedPages;
  /** With `touched: 'stack-top'`, the pages of each stack counted as touched. */
  readonly stackTopTouchedPages: number | null;
  readonly vmarSize: number;
  readonly probeSize: number;
  readonly workload: GeneratedWorkloadSection | TraceWorkloadSection;
  readonly threadLayout: {
    readonly stackSize: number;
    readonly tlsSize: number;
    readonly threadStructSize: number;
    readonly blocks: readonly {
      readonly kind: BlockKind;
      readonly size: number;
      readonly guardBelow: number;
      readonly guardAbove: number;
    }[];
  };
  readonly pagingLevels: readonly { readonly name: string; readonly coverage: number }[];
  readonly policies: readonly PolicyReport[];
}

/** The report's `workload` for a generated workload. */
export interface GeneratedWorkloadSection {
  readonly threads: number;
  readonly peak: number;
  readonly pattern: WorkloadPattern;
  readonly seed: number;
  readonly events: number;
  /** Events done when the live thread count first reached `peak` (the peak sample's `event`). */
  readonly peakEvent: number;
}

/**
 * The report's `workload` for a trace's replay (`pattern: 'trace'`): `threads` counts every task
 * (each one lifecycle), `peak` is the most alive at once; `trace` says where the trace came from
 * and what it holds (`traceStats`' counts, whose `threads` are the tasks created as threads).
 */
export interface TraceWorkloadSection {
  readonly threads: number;
  readonly peak: number;
  readonly pattern: 'trace';
  /** The run's seed, which reaches only the backend (see `note`). */
  readonly seed: number;
  readonly events: number;
  readonly peakEvent: number;
  readonly trace: TraceSummary;
  /** That a trace is one realization: seeds vary only the backend's ASLR (`TRACE_REPLAY_NOTE`). */
  readonly note: string;
}
