import {
  type AddressSpaceBackend,
  type Architecture,
  ENOMEM,
  Errno,
  MapsType,
  Status,
  type Vmar,
  ZxError,
} from '@vmars/address-space';
import { AddressSpaceTracker } from './address-space-tracker.js';
import { countingVmar, type VmarCallCounts } from './counting-vmar.js';
import { ThreadStorageTable } from './libc-thread-storage.js';
import { liveBlocks, type SampleListener } from './live-blocks.js';
import { MapsReader, snapshotFromMaps } from './maps-snapshot.js';
import { PageTableAccounting } from './page-table-accounting.js';
import type { PageTableCount } from './page-tables.js';
import {
  BLOCK_KINDS,
  type BlockKind,
  type BlockLayout,
  type ThreadLayout,
} from './thread-layout.js';
import type {
  CompactVmarRecord,
  ThreadVmarPolicy,
  ThreadVmarPolicyDefinition,
} from './thread-vmar-policy.js';
import type { TouchedPages } from './touched-ranges.js';
import { verifySample } from './verify-sample.js';
import type { WorkloadEvents } from './workload-events.js';
import type { BlockRecord, PolicyReport, Sample } from './workload-report.js';

export interface RunPolicyInput {
  /** A fresh backend: the run assumes its root holds nothing of anyone else's. */
  readonly backend: AddressSpaceBackend;
  readonly policy: ThreadVmarPolicyDefinition;
  readonly workload: WorkloadEvents;
  /** A trace's replay: each event's trace time, which its samples carry (`Sample.time`). */
  readonly times?: Float64Array | undefined;
  readonly layout: ThreadLayout;
  readonly architecture: Architecture;
  readonly touched: TouchedPages;
  readonly vmarSize: number;
  readonly probeSize: number;
  /** Event counts after which to take a sample, ascending; the peak's and the end's among them. */
  readonly samplePoints: readonly number[];
  /** Hold every sample against a `maps()` read of the root (O(entries) each); throw on a mismatch. */
  readonly verify: boolean;
  /** Called now and then with the number of events done. */
  readonly onProgress?: ((eventsDone: number) => void) | undefined;
  /** Called at every sample; see `RunWorkloadOptions.onSample`. */
  readonly onSample?: SampleListener | undefined;
}

const PROGRESS_INTERVAL = 512;

/**
 * Runs a workload under one policy: creates and ends threads as libc would (§7), keeping the
 * address space's figures (page tables per level, §12; VMARs in the root; bytes reserved and
 * mapped) up to date at every map and unmap, so that a sample costs O(levels) and the maxima are
 * over every event. Then disposes the policy's VMARs and checks, with one `maps()` read, that
 * nothing else is left.
 */
export function runPolicy(input: RunPolicyInput): PolicyReport {
  const run = new PolicyRun(input);
  const eventCount = input.workload.events.length;
  for (let index = 0; index < eventCount; index += 1) run.step(index);
  return run.report();
}

/** The figures at the last event, which the report gives as `final`. */
interface FinalFigures {
  readonly pageTables: PageTableCount;
  readonly reserved: number;
  readonly mapped: number;
}

/**
 * One policy's run through a workload, an event at a time: `create` and `end` a thread, keep the
 * counters and peaks after each event, `sample` at the sample points, and `report` at the end.
 */
class PolicyRun {
  readonly #input: RunPolicyInput;
  readonly #events: Int32Array;
  readonly #layout: ThreadLayout;
  readonly #root: Vmar;
  readonly #counts: VmarCallCounts = { probes: 0, failedProbes: 0 };
  readonly #countedRoot: Vmar;
  readonly #policy: ThreadVmarPolicy;
  readonly #accounting: PageTableAccounting;
  readonly #tracker: AddressSpaceTracker;
  readonly #storage: ThreadStorageTable;
  readonly #reader: MapsReader | undefined;

  #live = 0;
  #attempted = 0;
  #created = 0;
  #ended = 0;
  #failedProbe = 0;
  #failedStorage = 0;
  #peakReserved = 0;
  #peakMapped = 0;
  // Blocks whose VMAR sits directly in the root (the `root` policy's), and their bytes.
  #rootBlocks = 0;
  #rootBlockBytes = 0;
  #compactCount = 0;
  #compactBytes = 0;
  readonly #samples: Sample[] = [];
  #nextSample = 0;
  #atPeak: PageTableCount | undefined;
  #peakSnapshot: PolicyReport['peakSnapshot'] | undefined;
  #final: FinalFigures | undefined;

  constructor(input: RunPolicyInput) {
    const { backend, layout } = input;
    this.#input = input;
    this.#events = input.workload.events;
    this.#layout = layout;
    this.#root = backend.rootVmar();
    this.#countedRoot = countingVmar(this.#root, this.#counts);
    this.#policy = input.policy.create(this.#countedRoot, {
      vmarSize: input.vmarSize,
      probeSize: input.probeSize,
    });
    this.#accounting = new PageTableAccounting(input.architecture, backend.pageSize);
    this.#tracker = new AddressSpaceTracker(
      layout,
      input.touched,
      backend.pageSize,
      this.#accounting,
    );
    this.#storage = new ThreadStorageTable(layout, input.workload.threads);
    this.#reader = input.verify ? new MapsReader(this.#root) : undefined;
  }

  /** Runs event `index` (0-based) of the workload, then keeps the figures and samples. */
  step(index: number): void {
    const event = this.#events[index] as number;
    const done = index + 1;
    this.#accounting.event = done;
    if (event >= 0) this.create(event);
    else this.end(~event);
    this.#afterEvent(index, done);
  }

  /** Creates `thread`: the policy's handles, then libc's blocks in them; failures are counted. */
  create(thread: number): void {
    this.#attempted += 1;
    let handles: ReturnType<ThreadVmarPolicy['createHandles']>;
    try {
      handles = this.#policy.createHandles();
    } catch (error) {
      // Starnix: any probe error (`errno!(ENOMEM)`) aborts the task's creation (§8).
      if (Errno.isInstance(error) && error.code === ENOMEM) {
        this.#failedProbe += 1;
        return;
      }
      throw error;
    }
    const failure = this.#storage.allocate(thread, this.#input.backend, handles, this.#tracker);
    if (failure !== undefined) {
      this.#failedStorage += 1;
      return;
    }
    this.#live += 1;
    this.#created += 1;
    this.#countRootBlocks(thread, 1);
  }

  /** Ends `thread`, unmapping its blocks; a thread whose creation failed never ran, so never ends. */
  end(thread: number): void {
    if (!this.#storage.has(thread)) return;
    this.#countRootBlocks(thread, -1);
    const status = this.#storage.release(thread, this.#tracker);
    if (status !== Status.OK) {
      throw new ZxError(status, 'zx_vmar_unmap', { detail: `ending thread ${String(thread)}` });
    }
    this.#live -= 1;
    this.#ended += 1;
  }

  /** Adds (`sign` 1) or takes away (`sign` -1) `thread`'s blocks whose VMAR sits in the root. */
  #countRootBlocks(thread: number, sign: 1 | -1): void {
    const blocks = this.#layout.blocks;
    for (let block = 0; block < blocks.length; block += 1) {
      if (this.#storage.parentOf(thread, block) === this.#countedRoot) {
        this.#rootBlocks += sign;
        this.#rootBlockBytes += sign * (blocks[block] as BlockLayout).wholeSize;
      }
    }
  }

  /** The reserved and mapped bytes and their peaks after every event; a sample where one is due. */
  #afterEvent(index: number, done: number): void {
    const policy = this.#policy;
    const count = policy.compactVmarCount();
    if (count !== this.#compactCount) {
      this.#compactCount = count;
      let bytes = 0;
      for (const compact of policy.compactVmars()) bytes += compact.size;
      this.#compactBytes = bytes;
    }
    const reserved = this.#compactBytes + this.#rootBlockBytes;
    const mapped = this.#tracker.mappedBytes;
    if (reserved > this.#peakReserved) this.#peakReserved = reserved;
    if (mapped > this.#peakMapped) this.#peakMapped = mapped;

    if (done % PROGRESS_INTERVAL === 0) this.#input.onProgress?.(done);
    const samplePoints = this.#input.samplePoints;
    if (samplePoints[this.#nextSample] !== done) return;
    while (samplePoints[this.#nextSample] === done) this.#nextSample += 1;
    this.sample(index, reserved, mapped);
  }

  /**
   * Takes the sample after event `index`: into the report, to `onSample`, held against `maps()`
   * with `verify`, and kept as the peak's or the end's figures when it is one of those.
   */
  sample(index: number, reserved: number, mapped: number): void {
    const input = this.#input;
    const done = index + 1;
    const time = input.times === undefined ? undefined : (input.times[index] as number);
    const figures = {
      liveThreads: this.#live,
      rootChildVmars: this.#compactCount + this.#rootBlocks,
      compactVmars: this.#compactCount,
      reserved,
      mapped,
      pageTables: this.#accounting.pagesPerLevel(),
      pageTableTotal: this.#accounting.total,
    };
    // A generated workload's samples keep their exact shape (reports are compared byte for byte).
    const sample: Sample =
      time === undefined ? { event: done, ...figures } : { event: done, time, ...figures };
    this.#samples.push(sample);
    const isPeak = done === input.workload.peakEvent + 1;
    const blocks = isPeak || this.#reader !== undefined ? this.#liveBlocks() : [];
    if (input.onSample !== undefined) {
      input.onSample(input.policy.name, sample, () =>
        liveBlocks(this.#storage, input.workload.threads, this.#policy, this.#countedRoot, true),
      );
    }
    if (this.#reader !== undefined) this.#verify(this.#reader, sample, blocks);
    if (isPeak) {
      this.#atPeak = this.#accounting.count();
      this.#peakSnapshot =
        time === undefined
          ? { event: done, liveThreads: this.#live, blocks }
          : { event: done, time, liveThreads: this.#live, blocks };
    }
    if (done === this.#events.length) {
      this.#final = { pageTables: this.#accounting.count(), reserved, mapped };
    }
  }

  #liveBlocks(): BlockRecord[] {
    return liveBlocks(this.#storage, this.#input.workload.threads, this.#policy, this.#countedRoot);
  }

  /** Holds `sample` and `blocks` against a `maps()` read of the root (`verify`). */
  #verify(reader: MapsReader, sample: Sample, blocks: readonly BlockRecord[]): void {
    const input = this.#input;
    const compactBases = new Set(this.#policy.compactVmars().map((compact) => compact.base));
    const snapshot = snapshotFromMaps(reader.read(), {
      layout: this.#layout,
      architecture: input.architecture,
      touched: input.touched,
      pageSize: input.backend.pageSize,
      compactBases,
    });
    verifySample(input.policy.name, sample, this.#accounting.count(), blocks, snapshot);
  }

  /** Disposes the policy's VMARs, reads what is left in the root, and reports the run. */
  report(): PolicyReport {
    const atPeak = this.#atPeak;
    const peakSnapshot = this.#peakSnapshot;
    const final = this.#final;
    if (atPeak === undefined || peakSnapshot === undefined || final === undefined) {
      throw new RangeError('runPolicy: the sample points must include the peak and the end');
    }
    const compactVmarList = this.#policy.compactVmars();
    const otherRootEntries = this.#otherRootEntries(compactVmarList);
    const disposed = this.#dispose();
    const after = this.#root.maps(0);
    const attempted = this.#attempted;
    const counts = this.#counts;
    return {
      policy: this.#input.policy.name,
      threads: {
        attempted,
        created: this.#created,
        ended: this.#ended,
        failed: this.#failedProbe + this.#failedStorage,
        failedProbe: this.#failedProbe,
        failedStorage: this.#failedStorage,
      },
      probes: {
        total: counts.probes,
        failed: counts.failedProbes,
        perCreation: attempted === 0 ? 0 : counts.probes / attempted,
      },
      compactVmars: { ...countPerList(compactVmarList), total: compactVmarList.length },
      compactVmarList,
      reserved: { peak: this.#peakReserved, final: final.reserved },
      mapped: { peak: this.#peakMapped, final: final.mapped },
      pageTables: { atPeak, max: this.#accounting.max(), final: final.pageTables },
      samples: this.#samples,
      peakSnapshot,
      end: {
        liveThreads: this.#live,
        otherRootEntries,
        disposed,
        rootEntriesAfterDispose: after.ok ? after.value.avail : -1,
      },
    };
  }

  /** Entries below the root other than the policy's compact VMARs: what the run left behind. */
  #otherRootEntries(compactVmarList: readonly CompactVmarRecord[]): number {
    return new MapsReader(this.#root)
      .read()
      .filter(
        (entry) =>
          entry.depth !== 0 &&
          !(
            entry.depth === 1 &&
            entry.type === MapsType.VMAR &&
            compactVmarList.some((compact) => compact.base === entry.base)
          ),
      ).length;
  }

  /** Disposes the policy; `false` when it refuses. */
  #dispose(): boolean {
    try {
      this.#policy.dispose();
      return true;
    } catch {
      // ThreadCreateVmars refuses, destroying nothing, while a thread's block remains: reported.
      return false;
    }
  }
}

/** How many compact VMARs each block kind's list holds. */
function countPerList(compactVmarList: readonly CompactVmarRecord[]): Record<BlockKind, number> {
  return Object.fromEntries(
    BLOCK_KINDS.map((kind) => [
      kind,
      compactVmarList.filter((compact) => compact.list === kind).length,
    ]),
  ) as Record<BlockKind, number>;
}
