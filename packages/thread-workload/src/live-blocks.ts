import type { Vmar } from '@vmars/address-space';
import type { ThreadStorageTable } from './libc-thread-storage.js';
import type { CompactVmarRecord, ThreadVmarPolicy } from './thread-vmar-policy.js';
import type { BlockRecord, Sample } from './workload-report.js';

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

/**
 * Every live thread's blocks, in address order (the order of the root's `maps()`), each with the
 * base of the compact VMAR it sits in, or `null` when its VMAR sits directly in the root; with
 * `withThread`, also the thread's number (`SampledBlock`), which the report's blocks never carry.
 */
export function liveBlocks(
  storage: ThreadStorageTable,
  threads: number,
  policy: ThreadVmarPolicy,
  countedRoot: Vmar,
): BlockRecord[];
export function liveBlocks(
  storage: ThreadStorageTable,
  threads: number,
  policy: ThreadVmarPolicy,
  countedRoot: Vmar,
  withThread: true,
): SampledBlock[];
export function liveBlocks(
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
