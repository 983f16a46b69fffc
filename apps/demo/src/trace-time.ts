/**
 * Decimals that show a trace's times to a useful precision: about three significant digits of
 * its duration (a 12 s build to the hundredth, a 50 ms test to the ten-thousandth), never beyond
 * the microsecond the trace keeps.
 */
export function secondsDecimals(durationUs: number): number {
  if (!(durationUs > 0)) return 6;
  return Math.min(6, Math.max(1, Math.ceil(-Math.log10(durationUs / 1e6)) + 3));
}

/** A trace time (microseconds from its origin) in seconds, with `decimals` digits. */
export function formatSeconds(timeUs: number, decimals: number): string {
  return `${(timeUs / 1e6).toFixed(decimals)} s`;
}

/** `1 task`, `2 tasks`, `1 process`, `3 processes`: a count and its noun, `value` formatted. */
export function counted(value: number, singular: string, plural: string): string {
  return `${value.toLocaleString('en-US')} ${value === 1 ? singular : plural}`;
}
