import { formatByteSize } from '@vmars/cli-support';
import type { Estimate } from './statistics.js';

/**
 * A number for people: integers as they are (with separators), others with one decimal from 100
 * up and three significant digits below (a median of an even count may end in .5).
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 100) return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return Number(value.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** `median [low, high]`. */
export function formatEstimate(estimate: Estimate | undefined, format = formatNumber): string {
  if (estimate === undefined) return 'n/a';
  return `${format(estimate.median)} [${format(estimate.low)}, ${format(estimate.high)}]`;
}

/** The knob values of a cell for people: `VMAR 1GiB, probe 32MiB, align 2MiB, 4 spare`. */
export function knobText(summary: {
  readonly vmarSize: number | null;
  readonly probeSize: number | null;
  readonly align?: number;
  readonly keepSpare?: number | null;
}): string {
  const parts: string[] = [];
  if (summary.vmarSize !== null) parts.push(`VMAR ${formatByteSize(summary.vmarSize)}`);
  if (summary.probeSize !== null) parts.push(`probe ${formatByteSize(summary.probeSize)}`);
  if (summary.align !== undefined) {
    parts.push(summary.align === 0 ? 'no alignment' : `align ${formatByteSize(summary.align)}`);
  }
  if (summary.keepSpare !== undefined) {
    parts.push(summary.keepSpare === null ? 'never release' : `${String(summary.keepSpare)} spare`);
  }
  return parts.join(', ');
}

/** `knobText`, or `no knobs`. */
export function knobs(summary: Parameters<typeof knobText>[0]): string {
  return knobText(summary) || 'no knobs';
}

/** A duration in microseconds for people: µs, ms or s, with three significant digits or so. */
export function microseconds(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(value >= 1e7 ? 1 : 2)} s`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(value >= 1e4 ? 1 : 2)} ms`;
  return `${formatNumber(value)} µs`;
}
