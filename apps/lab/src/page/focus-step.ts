/**
 * Where the arrow keys, Home and End move the focus among a chart's `count` marks from the one at
 * `at`: the next or previous (kept within the chart), the first or the last; `undefined` for any
 * other key, which the page leaves alone.
 */
export function focusStep(key: string, at: number, count: number): number | undefined {
  const next: Readonly<Record<string, number>> = {
    ArrowRight: at + 1,
    ArrowDown: at + 1,
    ArrowLeft: at - 1,
    ArrowUp: at - 1,
    Home: 0,
    End: count - 1,
  };
  const index = next[key];
  if (index === undefined) return undefined;
  return Math.max(0, Math.min(count - 1, index));
}
