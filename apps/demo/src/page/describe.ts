import type { PageBlockKind, PageCompactVmar, PageData, PageFrame } from '../report-page-data.js';
import { bytes, count, hex, seconds } from './format.js';
import { type Block, holesOf, largest, type Range } from './map-geometry.js';
import { kindName } from './map-svg.js';

/** The tooltip of a block: its kind and thread, addresses, size and compact VMAR. */
export function describeBlock(
  kinds: readonly PageBlockKind[],
  rows: readonly PageCompactVmar[],
  block: Block,
): string {
  const compact = rows[block.row];
  return [
    `${kindName(kinds, block.kind)}${block.thread >= 0 ? `, thread ${String(block.thread)}` : ''}`,
    `address ${hex(block.base)} – ${hex(block.base + block.size)}`,
    `size ${bytes(block.size)}`,
    compact === undefined
      ? 'compact VMAR: none (its own VMAR in the root)'
      : `compact VMAR ${hex(compact.base)} (${compact.list})`,
  ].join('\n');
}

/** The tooltip of a compact VMAR's row: its blocks and largest hole, or that it is not made. */
export function describeRow(
  kinds: readonly PageBlockKind[],
  compact: PageCompactVmar,
  blocks: readonly Block[],
  exists: boolean,
): string {
  if (!exists) {
    return `${compact.list} compact VMAR ${hex(compact.base)}\nnot made yet (first used after event ${count(compact.firstEvent)})`;
  }
  const hole = largest(holesOf(compact, blocks, kinds));
  return [
    `${compact.list} compact VMAR ${hex(compact.base)}, ${bytes(compact.size)}`,
    `${count(blocks.length)} blocks; largest hole ${bytes(hole?.size ?? 0)}`,
    'click to zoom',
  ].join('\n');
}

export function describeHole(hole: Range): string {
  return `hole ${hex(hole.base)} – ${hex(hole.base + hole.size)}\nsize ${bytes(hole.size)}`;
}

/** The sentence under a policy's map: when, how many threads and blocks, and where they sit. */
export function mapSummary(
  data: PageData,
  frame: PageFrame | undefined,
  blocks: number,
  compactVmars: number | undefined,
): string {
  const time = frame?.time;
  const when =
    time === undefined
      ? `After event ${count(frame?.event ?? 0)}`
      : `At ${seconds(time, data.trace?.decimals ?? 6)} into the trace`;
  const where =
    compactVmars === undefined
      ? ', each in its own VMAR directly in the root.'
      : ` in ${count(compactVmars)} compact VMARs.`;
  return `${when}: ${count(frame?.liveThreads ?? 0)} threads alive, ${count(blocks)} blocks${where}`;
}

/** The time slider's label: where the frame is in the run (or the trace) and which sample. */
export function frameText(data: PageData, index: number, frameCount: number): string {
  const first = data.policies[0]?.frames[index];
  const event = first?.event ?? 0;
  const peak = event === data.peakEvent ? ' (the peak)' : '';
  const sample = `sample ${String(index + 1)} of ${String(frameCount)}`;
  // A trace's replay moves through the trace's own time; a generated workload through events.
  if (data.trace !== undefined && first?.time !== undefined) {
    const decimals = data.trace.decimals;
    return `${seconds(first.time, decimals)} of ${seconds(data.trace.endUs, decimals)} from the trace's start: ${count(first.liveThreads)} tasks alive${peak}; ${sample}`;
  }
  return `after event ${count(event)} of ${count(data.events)}: ${count(first?.liveThreads ?? 0)} threads alive${peak}; ${sample}`;
}

/** A chart point's tooltip, from its `data-*` attributes. */
export function describePoint(
  point: { readonly policy: string; readonly event: number; readonly value: number },
  time: number | undefined,
  unit: string,
  decimals: number,
): string {
  const when = `after event ${count(point.event)}`;
  const at = time === undefined ? when : `at ${seconds(time, decimals)} (${when})`;
  return `${point.policy}, ${at}: ${count(point.value)} ${unit}`;
}
