import { policyColour } from '@vmars/cli-support/page';
import { BLOCK_KINDS, type BlockKind } from '@vmars/thread-workload';
import type { DemoReport, PolicyReport } from './demo-report.js';
import { BLOCK_COLOURS } from './report-palette.js';
import type { RecordedSample, SampleRecorder } from './sample-frames.js';
import { secondsDecimals } from './trace-time.js';

/**
 * What the page's script reads (one `<script type="application/json" id="report-data">`): the map
 * at each frame of the time slider, as differences from the frame before. The JSON report keeps
 * every number; this keeps what is drawn, within a budget, so that the page stays a few MB.
 */
export interface PageData {
  readonly pageSize: number;
  readonly region: { readonly base: number; readonly size: number };
  readonly probeSize: number;
  readonly events: number;
  readonly peakEvent: number;
  /** Indexed by the kind numbers in `PageFrame.add` (`BLOCK_KINDS` order). */
  readonly kinds: readonly PageBlockKind[];
  /** Above this many blocks in a frame, a policy's map draws runs of pixels, not one rect each. */
  readonly blockRectLimit: number;
  readonly layout: MapLayout;
  /** The frame shown first: the peak's. */
  readonly peakFrame: number;
  /** True when frames were left out to keep the page small (`frameStride` > 1). */
  readonly frameStride: number;
  /**
   * A trace's replay: the slider moves through the trace's own time, each frame at its `time`,
   * labelled in seconds from the trace's start with `decimals` digits, up to `endUs` (its last
   * time, where the replay ends).
   */
  readonly trace?: { readonly endUs: number; readonly decimals: number };
  readonly policies: readonly PagePolicy[];
}

export interface PageBlockKind {
  readonly kind: BlockKind;
  readonly size: number;
  readonly guardBelow: number;
  readonly guardAbove: number;
  readonly colour: string;
}

export interface PagePolicy {
  readonly policy: string;
  readonly colour: string;
  /** The span the map's second strip zooms on: everything this policy ever put in the root. */
  readonly span: { readonly base: number; readonly size: number };
  /** One map row each, in the order of `compactVmarList`. */
  readonly compactVmars: readonly PageCompactVmar[];
  readonly frames: readonly PageFrame[];
}

export interface PageCompactVmar {
  /** The list it belongs to: a block kind, or `shared` for a policy with one list for all. */
  readonly list: string;
  readonly base: number;
  readonly size: number;
  /**
   * The first sample at which a block sat in it (it may have been made a little earlier): the
   * map draws it from then on. `Infinity` is never written; an unused VMAR gets `events`.
   */
  readonly firstEvent: number;
}

/**
 * One frame: threads that ended since the frame before (ascending, each the difference from the
 * previous one, the first absolute) and blocks that appeared, as `[thread, kind, pages]` triples
 * in address order, where `pages` is the distance in pages from the previous block's base (the
 * first one's from the region's base).
 */
export interface PageFrame {
  readonly event: number;
  /** A trace's replay: the trace's time at the frame, microseconds from its origin. */
  readonly time?: number;
  readonly liveThreads: number;
  readonly removed: readonly number[];
  readonly added: readonly number[];
}

/** Geometry of the map, shared by the page's markup and its script. */
export interface MapLayout {
  readonly width: number;
  readonly labelWidth: number;
  readonly stripWidth: number;
  readonly stripHeight: number;
  readonly wholeTop: number;
  readonly spanTop: number;
  readonly rowsTop: number;
  readonly rowHeight: number;
  readonly rowGap: number;
}

export const MAP_LAYOUT: MapLayout = {
  width: 1000,
  labelWidth: 215,
  stripWidth: 775,
  stripHeight: 24,
  wholeTop: 24,
  spanTop: 76,
  rowsTop: 132,
  rowHeight: 18,
  rowGap: 4,
};

/**
 * Blocks written into all frames together, at most: about 11 bytes each, so the frames stay
 * under 3.5 MB (the default run writes about 60,000; 100,000 lifecycles with 10,000 alive keep
 * every eighth sample or so).
 */
export const FRAME_BLOCK_BUDGET = 300_000;
export const BLOCK_RECT_LIMIT = 6_000;

export function mapHeight(policy: PolicyReport): number {
  const layout = MAP_LAYOUT;
  return layout.rowsTop + policy.compactVmarList.length * (layout.rowHeight + layout.rowGap) + 6;
}

/**
 * The page's data. Frames are the report's samples; when their blocks together exceed
 * `FRAME_BLOCK_BUDGET`, every `stride`-th is kept (and always the first, the peak and the end).
 */
export function pageData(report: DemoReport, recorder: SampleRecorder | undefined): PageData {
  const events = report.workload.events;
  const peakEvent = report.workload.peakEvent;
  const recorded = report.policies.map((policy) => samplesOf(policy, recorder));
  const sampleCount = Math.min(...recorded.map((samples) => samples.length));
  const eventsOf = recorded[0]?.slice(0, sampleCount).map((sample) => sample.event) ?? [];

  let stride = 1;
  let chosen = chooseFrames(eventsOf, peakEvent, stride);
  let written = blocksWritten(recorded, chosen);
  while (stride < sampleCount && written > FRAME_BLOCK_BUDGET) {
    // Fewer frames write roughly proportionally fewer blocks: jump close, then step.
    stride = Math.max(stride + 1, Math.floor((stride * written) / FRAME_BLOCK_BUDGET));
    chosen = chooseFrames(eventsOf, peakEvent, stride);
    written = blocksWritten(recorded, chosen);
  }
  const peakFrame = Math.max(
    0,
    chosen.findIndex((index) => eventsOf[index] === peakEvent),
  );

  return {
    pageSize: report.pageSize,
    region: report.region,
    probeSize: report.probeSize,
    events,
    peakEvent,
    kinds: BLOCK_KINDS.map((kind) => {
      const layout = report.threadLayout.blocks.find((block) => block.kind === kind);
      return {
        kind,
        size: layout?.size ?? 0,
        guardBelow: layout?.guardBelow ?? 0,
        guardAbove: layout?.guardAbove ?? 0,
        colour: BLOCK_COLOURS[kind],
      };
    }),
    blockRectLimit: BLOCK_RECT_LIMIT,
    layout: MAP_LAYOUT,
    peakFrame,
    frameStride: stride,
    ...(report.workload.pattern === 'trace' && {
      trace: {
        endUs: report.policies[0]?.samples.at(-1)?.time ?? report.workload.trace.durationUs,
        decimals: secondsDecimals(report.workload.trace.durationUs),
      },
    }),
    policies: report.policies.map((policy, index) => {
      const samples = recorded[index] ?? [];
      return {
        policy: policy.policy,
        colour: policyColour(policy.policy),
        span: spanOf(report, policy, samples),
        compactVmars: policy.compactVmarList.map((compact) => ({
          list: compact.list,
          base: compact.base,
          size: compact.size,
          firstEvent: firstEventIn(compact, samples, events),
        })),
        frames: encodeFrames(
          report,
          chosen.map((chosenIndex) => samples[chosenIndex] as RecordedSample),
        ),
      };
    }),
  };
}

/**
 * The policy's recorded samples; without a recorder (or for a policy it missed), only the peak,
 * from the report itself, with no thread numbers (-1).
 */
function samplesOf(
  policy: PolicyReport,
  recorder: SampleRecorder | undefined,
): readonly RecordedSample[] {
  const recorded = recorder?.samples(policy.policy) ?? [];
  if (recorded.length > 0) return recorded;
  const blocks = policy.peakSnapshot.blocks;
  return [
    {
      event: policy.peakSnapshot.event,
      ...(policy.peakSnapshot.time === undefined ? {} : { time: policy.peakSnapshot.time }),
      liveThreads: policy.peakSnapshot.liveThreads,
      threads: new Int32Array(blocks.length).fill(-1),
      kinds: Uint8Array.from(blocks, (block) => BLOCK_KINDS.indexOf(block.kind)),
      bases: Float64Array.from(blocks, (block) => block.base),
    },
  ];
}

function chooseFrames(eventsOf: readonly number[], peakEvent: number, stride: number): number[] {
  const last = eventsOf.length - 1;
  return eventsOf
    .map((_event, index) => index)
    .filter((index) => index % stride === 0 || index === last || eventsOf[index] === peakEvent);
}

/** The blocks `encodeFrames` would write for `chosen`: the first frame's, then the new ones. */
function blocksWritten(recorded: readonly (readonly RecordedSample[])[], chosen: number[]): number {
  let total = 0;
  for (const samples of recorded) {
    let previous: RecordedSample | undefined;
    for (const index of chosen) {
      const sample = samples[index] as RecordedSample;
      total += newBlocks(previous, sample).length;
      previous = sample;
    }
  }
  return total;
}

/** Indices in `sample` of blocks whose thread was not alive in `previous`. */
function newBlocks(previous: RecordedSample | undefined, sample: RecordedSample): number[] {
  const before = new Set(previous?.threads ?? []);
  const indices: number[] = [];
  sample.threads.forEach((thread, index) => {
    if (thread < 0 || !before.has(thread)) indices.push(index);
  });
  return indices;
}

function encodeFrames(report: DemoReport, samples: readonly RecordedSample[]): PageFrame[] {
  const pageSize = report.pageSize;
  let previous: RecordedSample | undefined;
  return samples.map((sample) => {
    const now = new Set(sample.threads);
    const removed = [...new Set(previous?.threads ?? [])]
      .filter((thread) => thread >= 0 && !now.has(thread))
      .sort((left, right) => left - right);
    const removedDeltas = removed.map((thread, index) => thread - (removed[index - 1] ?? 0));
    const added: number[] = [];
    let base = report.region.base;
    for (const index of newBlocks(previous, sample)) {
      const blockBase = sample.bases[index] as number;
      added.push(
        sample.threads[index] as number,
        sample.kinds[index] as number,
        (blockBase - base) / pageSize,
      );
      base = blockBase;
    }
    previous = sample;
    return {
      event: sample.event,
      ...(sample.time === undefined ? {} : { time: sample.time }),
      liveThreads: sample.liveThreads,
      removed: removedDeltas,
      added,
    };
  });
}

function firstEventIn(
  compact: { readonly base: number; readonly size: number },
  samples: readonly RecordedSample[],
  events: number,
): number {
  for (const sample of samples) {
    if (sample.bases.some((base) => base >= compact.base && base < compact.base + compact.size)) {
      return sample.event;
    }
  }
  return events;
}

/** Everything the policy ever put directly in the root, so that the zoom stays put over time. */
function spanOf(
  report: DemoReport,
  policy: PolicyReport,
  samples: readonly RecordedSample[],
): { base: number; size: number } {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const compact of policy.compactVmarList) {
    start = Math.min(start, compact.base);
    end = Math.max(end, compact.base + compact.size);
  }
  if (policy.compactVmarList.length === 0) {
    for (const sample of samples) {
      sample.bases.forEach((base, index) => {
        const kind = report.threadLayout.blocks.find(
          (block) => block.kind === BLOCK_KINDS[sample.kinds[index] as number],
        );
        start = Math.min(start, base);
        end = Math.max(end, base + (kind?.size ?? 0));
      });
    }
  }
  if (start > end) return report.region;
  return { base: start, size: Math.max(end - start, 1) };
}
