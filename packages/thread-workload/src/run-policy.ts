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
import { countingVmar, type VmarCallCounts } from './counting-vmar.js';
import { type StorageObserver, ThreadStorageTable } from './libc-thread-storage.js';
import { MapsReader, type MapsSnapshot, snapshotFromMaps } from './maps-snapshot.js';
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
import { type TouchedPages, type TouchedWindow, touchedWindow } from './touched-ranges.js';
import type { WorkloadEvents } from './workload.js';
import { WorkloadError } from './workload-error.js';
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

/**
 * Told of every sample as it is taken: the policy's name, the sample, and a function that lists
 * the blocks alive at that moment in address order (O(live threads) when called, nothing when
 * not). For what the report does not keep, such as a map of the address space at every sample.
 */
export type SampleListener = (
  policy: string,
  sample: Sample,
  liveBlocks: () => readonly SampledBlock[],
) => void;

/**
 * A live block as `onSample` lists it: the report's `BlockRecord` and its thread, the workload's
 * number for it (0 to `threads - 1`, in order of creation). The report keeps no thread numbers.
 */
export interface SampledBlock extends BlockRecord {
  readonly thread: number;
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
  const { backend, workload, layout, samplePoints, times } = input;
  const root = backend.rootVmar();
  const counts: VmarCallCounts = { probes: 0, failedProbes: 0 };
  const countedRoot = countingVmar(root, counts);
  const policy = input.policy.create(countedRoot, {
    vmarSize: input.vmarSize,
    probeSize: input.probeSize,
  });
  const accounting = new PageTableAccounting(input.architecture, backend.pageSize);
  const tracker = new AddressSpaceTracker(layout, input.touched, backend.pageSize, accounting);
  const storage = new ThreadStorageTable(layout, workload.threads);
  const blockCount = layout.blocks.length;
  const reader = input.verify ? new MapsReader(root) : undefined;

  let live = 0;
  let attempted = 0;
  let created = 0;
  let ended = 0;
  let failedProbe = 0;
  let failedStorage = 0;
  let peakReserved = 0;
  let peakMapped = 0;
  // Blocks whose VMAR sits directly in the root (the `root` policy's), and their bytes.
  let rootBlocks = 0;
  let rootBlockBytes = 0;
  let compactCount = 0;
  let compactBytes = 0;
  const samples: Sample[] = [];
  let atPeak: PageTableCount | undefined;
  let peakSnapshot: PolicyReport['peakSnapshot'] | undefined;
  let final:
    | { readonly pageTables: PageTableCount; readonly reserved: number; readonly mapped: number }
    | undefined;
  let nextSample = 0;

  const events = workload.events;
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as number;
    const done = index + 1;
    accounting.event = done;
    if (event >= 0) {
      attempted += 1;
      const outcome = createThread(policy, backend, storage, event, tracker);
      if (outcome === 'probe-failed') failedProbe += 1;
      else if (outcome === 'storage-failed') failedStorage += 1;
      else {
        live += 1;
        created += 1;
        for (let block = 0; block < blockCount; block += 1) {
          if (storage.parentOf(event, block) === countedRoot) {
            rootBlocks += 1;
            rootBlockBytes += (layout.blocks[block] as BlockLayout).wholeSize;
          }
        }
      }
    } else {
      const thread = ~event;
      // A thread whose creation failed never ran, so it never ends.
      if (storage.has(thread)) {
        for (let block = 0; block < blockCount; block += 1) {
          if (storage.parentOf(thread, block) === countedRoot) {
            rootBlocks -= 1;
            rootBlockBytes -= (layout.blocks[block] as BlockLayout).wholeSize;
          }
        }
        const status = storage.release(thread, tracker);
        if (status !== Status.OK) {
          throw new ZxError(status, 'zx_vmar_unmap', { detail: `ending thread ${String(thread)}` });
        }
        live -= 1;
        ended += 1;
      }
    }

    const count = policy.compactVmarCount();
    if (count !== compactCount) {
      compactCount = count;
      compactBytes = 0;
      for (const compact of policy.compactVmars()) compactBytes += compact.size;
    }
    const reserved = compactBytes + rootBlockBytes;
    const mapped = tracker.mappedBytes;
    if (reserved > peakReserved) peakReserved = reserved;
    if (mapped > peakMapped) peakMapped = mapped;

    if (done % PROGRESS_INTERVAL === 0) input.onProgress?.(done);
    if (samplePoints[nextSample] !== done) continue;
    while (samplePoints[nextSample] === done) nextSample += 1;

    const figures = {
      liveThreads: live,
      rootChildVmars: compactCount + rootBlocks,
      compactVmars: compactCount,
      reserved,
      mapped,
      pageTables: accounting.pagesPerLevel(),
      pageTableTotal: accounting.total,
    };
    // A generated workload's samples keep their exact shape (reports are compared byte for byte).
    const sample: Sample =
      times === undefined
        ? { event: done, ...figures }
        : { event: done, time: times[index] as number, ...figures };
    samples.push(sample);
    const isPeak = done === workload.peakEvent + 1;
    const blocks =
      isPeak || reader !== undefined
        ? liveBlocks(storage, workload.threads, policy, countedRoot)
        : [];
    if (input.onSample !== undefined) {
      input.onSample(input.policy.name, sample, () =>
        liveBlocks(storage, workload.threads, policy, countedRoot, true),
      );
    }
    if (reader !== undefined) {
      const compactBases = new Set(policy.compactVmars().map((compact) => compact.base));
      const snapshot = snapshotFromMaps(reader.read(), {
        layout,
        architecture: input.architecture,
        touched: input.touched,
        pageSize: backend.pageSize,
        compactBases,
      });
      verifySample(input.policy.name, sample, accounting.count(), blocks, snapshot);
    }
    if (isPeak) {
      atPeak = accounting.count();
      peakSnapshot =
        times === undefined
          ? { event: done, liveThreads: live, blocks }
          : { event: done, time: times[index] as number, liveThreads: live, blocks };
    }
    if (done === events.length) final = { pageTables: accounting.count(), reserved, mapped };
  }

  if (atPeak === undefined || peakSnapshot === undefined || final === undefined) {
    throw new RangeError('runPolicy: the sample points must include the peak and the end');
  }
  const compactVmarList = policy.compactVmars();
  const otherRootEntries = new MapsReader(root)
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

  let disposed = true;
  try {
    policy.dispose();
  } catch {
    // ThreadCreateVmars refuses, destroying nothing, while a thread's block remains: reported.
    disposed = false;
  }
  const after = root.maps(0);
  const perList = Object.fromEntries(
    BLOCK_KINDS.map((kind) => [
      kind,
      compactVmarList.filter((compact) => compact.list === kind).length,
    ]),
  ) as Record<BlockKind, number>;

  return {
    policy: input.policy.name,
    threads: {
      attempted,
      created,
      ended,
      failed: failedProbe + failedStorage,
      failedProbe,
      failedStorage,
    },
    probes: {
      total: counts.probes,
      failed: counts.failedProbes,
      perCreation: attempted === 0 ? 0 : counts.probes / attempted,
    },
    compactVmars: { ...perList, total: compactVmarList.length },
    compactVmarList,
    reserved: { peak: peakReserved, final: final.reserved },
    mapped: { peak: peakMapped, final: final.mapped },
    pageTables: { atPeak, max: accounting.max(), final: final.pageTables },
    samples,
    peakSnapshot,
    end: {
      liveThreads: live,
      otherRootEntries,
      disposed,
      rootEntriesAfterDispose: after.ok ? after.value.avail : -1,
    },
  };
}

type CreateOutcome = 'created' | 'probe-failed' | 'storage-failed';

function createThread(
  policy: ThreadVmarPolicy,
  backend: AddressSpaceBackend,
  storage: ThreadStorageTable,
  thread: number,
  observer: StorageObserver,
): CreateOutcome {
  let handles: ReturnType<ThreadVmarPolicy['createHandles']>;
  try {
    handles = policy.createHandles();
  } catch (error) {
    // Starnix: any probe error (`errno!(ENOMEM)`) aborts the task's creation (§8).
    if (Errno.isInstance(error) && error.code === ENOMEM) return 'probe-failed';
    throw error;
  }
  const failure = storage.allocate(thread, backend, handles, observer);
  return failure === undefined ? 'created' : 'storage-failed';
}

/**
 * Follows libc's maps and unmaps (`StorageObserver`): the bytes mapped, and the touched pages of
 * each mapping into the page-table accounting.
 */
class AddressSpaceTracker implements StorageObserver {
  readonly #windows: Map<BlockLayout, TouchedWindow>;
  readonly #accounting: PageTableAccounting;
  mappedBytes = 0;

  constructor(
    layout: ThreadLayout,
    touched: TouchedPages,
    pageSize: number,
    accounting: PageTableAccounting,
  ) {
    this.#windows = new Map(
      layout.blocks.map((block) => [block, touchedWindow(block, touched, pageSize)]),
    );
    this.#accounting = accounting;
  }

  mapped(block: BlockLayout, base: number): void {
    this.mappedBytes += block.size;
    const window = this.#windows.get(block) as TouchedWindow;
    const start = base + window.offset;
    this.#accounting.add(start, start + window.length);
  }

  unmapped(block: BlockLayout, base: number): void {
    this.mappedBytes -= block.size;
    const window = this.#windows.get(block) as TouchedWindow;
    const start = base + window.offset;
    this.#accounting.remove(start, start + window.length);
  }
}

/**
 * Every live thread's blocks, in address order (the order of the root's `maps()`), each with the
 * base of the compact VMAR it sits in, or `null` when its VMAR sits directly in the root; with
 * `withThread`, also the thread's number (`SampledBlock`), which the report's blocks never carry.
 */
function liveBlocks(
  storage: ThreadStorageTable,
  threads: number,
  policy: ThreadVmarPolicy,
  countedRoot: Vmar,
): BlockRecord[];
function liveBlocks(
  storage: ThreadStorageTable,
  threads: number,
  policy: ThreadVmarPolicy,
  countedRoot: Vmar,
  withThread: true,
): SampledBlock[];
function liveBlocks(
  storage: ThreadStorageTable,
  threads: number,
  policy: ThreadVmarPolicy,
  countedRoot: Vmar,
  withThread = false,
): BlockRecord[] {
  const compacts: readonly CompactVmarRecord[] = [...policy.compactVmars()].sort(
    (left, right) => left.base - right.base,
  );
  const blocks: BlockRecord[] = [];
  for (let number = 0; number < threads; number += 1) {
    if (!storage.has(number)) continue;
    for (const block of storage.blocksOf(number)) {
      const base = block.address + block.layout.guardBelow;
      const record: BlockRecord = {
        kind: block.kind,
        base,
        size: block.layout.size,
        compactVmar: block.parent === countedRoot ? null : containingBase(compacts, base),
      };
      if (withThread) {
        const sampled: SampledBlock = { ...record, thread: number };
        blocks.push(sampled);
      } else blocks.push(record);
    }
  }
  return blocks.sort((left, right) => left.base - right.base);
}

/** The base of the compact VMAR (sorted by base, disjoint) that holds `address`, or `null`. */
function containingBase(compacts: readonly CompactVmarRecord[], address: number): number | null {
  let low = 0;
  let high = compacts.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const compact = compacts[middle] as CompactVmarRecord;
    if (address < compact.base) high = middle - 1;
    else if (address >= compact.base + compact.size) low = middle + 1;
    else return compact.base;
  }
  return null;
}

/** Throws `WorkloadError` `VERIFICATION_FAILED` where the incremental figures and the oracle's differ. */
function verifySample(
  policy: string,
  sample: Sample,
  pageTables: PageTableCount,
  blocks: readonly BlockRecord[],
  snapshot: MapsSnapshot,
): void {
  const differences: string[] = [];
  const compare = (what: string, kept: unknown, read: unknown): void => {
    const keptText = JSON.stringify(kept);
    const readText = JSON.stringify(read);
    if (keptText !== readText) differences.push(`${what}: kept ${keptText}, maps() ${readText}`);
  };
  compare('VMARs in the root', sample.rootChildVmars, snapshot.rootChildVmars);
  compare('reserved', sample.reserved, snapshot.reserved);
  compare('mapped', sample.mapped, snapshot.mapped);
  compare('page tables', pageTables, snapshot.pageTables);
  compare('blocks', blocks, snapshot.blocks);
  if (differences.length > 0) {
    throw new WorkloadError(
      'VERIFICATION_FAILED',
      `policy ${policy}, after event ${String(sample.event)}: ${differences.join('; ')}`,
    );
  }
}
