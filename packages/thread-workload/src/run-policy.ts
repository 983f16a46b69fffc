import type { AddressSpaceBackend, MapInfo, Vmar } from '@vmars/address-space';
import { ENOMEM, Errno, MapsType, Status, ZxError } from '@vmars/address-space';
import type { Architecture } from './architecture.js';
import { countingVmar, type VmarCallCounts } from './counting-vmar.js';
import type { BlockRecord, PolicyReport, Sample } from './demo-report.js';
import {
  type AllocatedBlock,
  allocateThreadStorage,
  releaseThreadStorage,
} from './libc-thread-storage.js';
import { countPageTables, type PageTableCount } from './page-tables.js';
import {
  BLOCK_KINDS,
  type BlockKind,
  blockAtVmoOffset,
  type ThreadLayout,
} from './thread-layout.js';
import { createPolicy, type PolicyName } from './thread-vmar-policy.js';
import { type TouchedPages, touchedRanges } from './touched-ranges.js';
import type { Workload } from './workload.js';

export interface RunPolicyInput {
  /** A fresh backend: the run assumes its root holds nothing of anyone else's. */
  readonly backend: AddressSpaceBackend;
  readonly policy: PolicyName;
  readonly workload: Workload;
  readonly layout: ThreadLayout;
  readonly architecture: Architecture;
  readonly touched: TouchedPages;
  readonly vmarSize: number;
  readonly probeSize: number;
  /**
   * Event counts after which to read the root's maps, ascending. Each read is O(entries), so
   * keep them few; the peak (`workload.peakEvent + 1`) and the end should be among them.
   */
  readonly samplePoints: readonly number[];
  /** Called now and then with the number of events done. */
  readonly onProgress?: (eventsDone: number) => void;
}

const PROGRESS_INTERVAL = 512;

/**
 * Runs a workload under one policy: creates and ends threads as libc would (§7), reading the
 * root's ZX_INFO_VMAR_MAPS at the sample points to count page tables (§12), then disposes the
 * policy's VMARs and checks that nothing is left.
 */
export function runPolicy(input: RunPolicyInput): PolicyReport {
  const { backend, workload, layout, samplePoints } = input;
  const root = backend.rootVmar();
  const counts: VmarCallCounts = { probes: 0, failedProbes: 0 };
  const policy = createPolicy(input.policy, countingVmar(root, counts), {
    vmarSize: input.vmarSize,
    probeSize: input.probeSize,
  });
  const storage = new Array<readonly AllocatedBlock[] | undefined>(workload.threads);
  const reader = new MapsReader(root);

  let live = 0;
  let attempted = 0;
  let created = 0;
  let ended = 0;
  let failedProbe = 0;
  let failedStorage = 0;
  let peakReserved = 0;
  let peakMapped = 0;
  const samples: Sample[] = [];
  let maxPageTables: (PageTableCount & { event: number }) | undefined;
  let atPeak: PageTableCount | undefined;
  let peakSnapshot: PolicyReport['peakSnapshot'] | undefined;
  // The last sample is taken after the last event: the state the report calls final.
  let final: { readonly entries: readonly MapInfo[]; readonly snapshot: Snapshot } | undefined;
  let nextSample = 0;

  const events = workload.events;
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as number;
    if (event >= 0) {
      attempted += 1;
      const blocks = createThread(policy, backend, layout);
      if (blocks === 'probe-failed') failedProbe += 1;
      else if (blocks === 'storage-failed') failedStorage += 1;
      else {
        storage[event] = blocks;
        live += 1;
        created += 1;
      }
    } else {
      const thread = ~event;
      const blocks = storage[thread];
      // A thread whose creation failed never ran, so it never ends.
      if (blocks !== undefined) {
        const status = releaseThreadStorage(blocks);
        if (status !== Status.OK) {
          throw new ZxError(status, 'zx_vmar_unmap', { detail: `ending thread ${String(thread)}` });
        }
        storage[thread] = undefined;
        live -= 1;
        ended += 1;
      }
    }

    const reserved =
      policy.compactVmarCount() * input.vmarSize +
      (input.policy === 'root' ? live * layout.reservedPerThread : 0);
    const mapped = live * layout.mappedPerThread;
    if (reserved > peakReserved) peakReserved = reserved;
    if (mapped > peakMapped) peakMapped = mapped;

    const done = index + 1;
    if (done % PROGRESS_INTERVAL === 0) input.onProgress?.(done);
    if (samplePoints[nextSample] !== done) continue;
    while (samplePoints[nextSample] === done) nextSample += 1;

    const entries = reader.read();
    const compactBases = new Set(policy.compactVmars().map((compact) => compact.base));
    const snapshot = analyse(entries, compactBases, input);
    samples.push({
      event: done,
      liveThreads: live,
      rootChildVmars: snapshot.rootChildVmars,
      compactVmars: policy.compactVmarCount(),
      reserved: snapshot.reserved,
      mapped: snapshot.mapped,
      pageTables: snapshot.pageTables.levels.map((level) => level.pages),
      pageTableTotal: snapshot.pageTables.total,
    });
    if (maxPageTables === undefined || snapshot.pageTables.total > maxPageTables.total) {
      maxPageTables = { ...snapshot.pageTables, event: done };
    }
    if (done === workload.peakEvent + 1) {
      atPeak = snapshot.pageTables;
      peakSnapshot = { event: done, liveThreads: live, blocks: snapshot.blocks };
    }
    if (done === events.length) final = { entries, snapshot };
  }

  if (
    atPeak === undefined ||
    peakSnapshot === undefined ||
    maxPageTables === undefined ||
    final === undefined
  ) {
    throw new RangeError('runPolicy: the sample points must include the peak and the end');
  }
  const compactVmarList = policy.compactVmars();
  const otherRootEntries = final.entries.filter(
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
    policy: input.policy,
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
    reserved: { peak: peakReserved, final: final.snapshot.reserved },
    mapped: { peak: peakMapped, final: final.snapshot.mapped },
    pageTables: { atPeak, max: maxPageTables, final: final.snapshot.pageTables },
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

type CreateOutcome = readonly AllocatedBlock[] | 'probe-failed' | 'storage-failed';

function createThread(
  policy: ReturnType<typeof createPolicy>,
  backend: AddressSpaceBackend,
  layout: ThreadLayout,
): CreateOutcome {
  let handles: ReturnType<typeof policy.createHandles>;
  try {
    handles = policy.createHandles();
  } catch (error) {
    // Starnix: any probe error (`errno!(ENOMEM)`) aborts the task's creation (§8).
    if (Errno.isInstance(error) && error.code === ENOMEM) return 'probe-failed';
    throw error;
  }
  const result = allocateThreadStorage(backend, layout, handles);
  return result.ok ? result.value : 'storage-failed';
}

interface Snapshot {
  readonly rootChildVmars: number;
  readonly reserved: number;
  readonly mapped: number;
  readonly pageTables: PageTableCount;
  readonly blocks: readonly BlockRecord[];
}

function analyse(
  entries: readonly MapInfo[],
  compactBases: ReadonlySet<number>,
  input: RunPolicyInput,
): Snapshot {
  const { layout } = input;
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
        if (compactBases.has(entry.base)) currentCompact = entry.base;
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
  const pageSize = input.backend.pageSize;
  const pageTables = countPageTables(
    touchedRanges(entries, layout, input.touched, pageSize),
    input.architecture,
  );
  return { rootChildVmars, reserved, mapped, pageTables, blocks };
}

/** Reads a VMAR's whole ZX_INFO_VMAR_MAPS, remembering how much room the last read needed. */
class MapsReader {
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
