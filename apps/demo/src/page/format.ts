/** The page's formatters: what the script writes into the maps, tooltips and tables. */
export { count, px } from '../html-text.js';

/** An address or size in hexadecimal, as the markup writes them (`0x1000`). */
export function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/** A trace time (microseconds from its origin) in seconds, as `trace-time.ts` writes it. */
export function seconds(timeUs: number, decimals: number): string {
  return `${(timeUs / 1e6).toFixed(decimals)} s`;
}

/** A byte count in the largest binary unit that keeps it at least 1, with up to two decimals. */
export function bytes(value: number): string {
  const units: [string, number][] = [
    ['TiB', 2 ** 40],
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ];
  for (const [name, unit] of units) {
    if (value >= unit) return `${String(Number((value / unit).toFixed(2)))}${name}`;
  }
  return `${String(value)}B`;
}

/** Text for a double-quoted attribute of markup set with `innerHTML`. */
export function attribute(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}
