import { BLOCK_KINDS, type SampleListener } from '@vmars/thread-workload';

/** The blocks alive at one sample, in address order, in typed arrays (a run keeps dozens). */
export interface RecordedSample {
  readonly event: number;
  /** A trace's replay: the trace's time at the sample (microseconds from its origin). */
  readonly time?: number;
  readonly liveThreads: number;
  readonly threads: Int32Array;
  readonly kinds: Uint8Array;
  readonly bases: Float64Array;
}

/**
 * Keeps what `onSample` tells of every sample, for the HTML page's time slider; the report keeps
 * blocks only for the peak, and its JSON stays as it is. Costs 13 bytes per live block per sample.
 */
export class SampleRecorder {
  readonly #byPolicy = new Map<string, RecordedSample[]>();

  readonly listener: SampleListener = (policy, sample, liveBlocks) => {
    const blocks = liveBlocks();
    const threads = new Int32Array(blocks.length);
    const kinds = new Uint8Array(blocks.length);
    const bases = new Float64Array(blocks.length);
    blocks.forEach((block, index) => {
      threads[index] = block.thread;
      kinds[index] = BLOCK_KINDS.indexOf(block.kind);
      bases[index] = block.base;
    });
    const recorded: RecordedSample = {
      event: sample.event,
      ...(sample.time === undefined ? {} : { time: sample.time }),
      liveThreads: sample.liveThreads,
      threads,
      kinds,
      bases,
    };
    const list = this.#byPolicy.get(policy);
    if (list === undefined) this.#byPolicy.set(policy, [recorded]);
    else list.push(recorded);
  };

  /** The policy's samples in the order they were taken (the report's `samples` order). */
  samples(policy: string): readonly RecordedSample[] {
    return this.#byPolicy.get(policy) ?? [];
  }
}
