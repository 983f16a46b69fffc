/** The page's formatters: what the script writes into the maps, tooltips and tables. */
export {
  /** An address or size in hexadecimal, as the markup writes them (`0x1000`). */
  formatAddress as hex,
  /** A byte count in the largest binary unit that keeps it at least 1, as the markup writes it. */
  formatByteSize as bytes,
} from '@vmars/cli-support/page';
export { count, px } from '../html-text.js';

/** A trace time (microseconds from its origin) in seconds, as `trace-time.ts` writes it. */
export function seconds(timeUs: number, decimals: number): string {
  return `${(timeUs / 1e6).toFixed(decimals)} s`;
}

/** Text for a double-quoted attribute of markup set with `innerHTML`. */
export function attribute(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}
