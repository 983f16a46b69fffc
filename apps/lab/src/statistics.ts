/** A median with its distribution-free 95 % confidence interval, from `n` values. */
export interface Estimate {
  readonly median: number;
  /** The interval's ends: order statistics of the values (see `medianInterval`). */
  readonly low: number;
  readonly high: number;
  readonly n: number;
  /**
   * The interval's exact coverage, at least 0.95 when `n >= 6`; below that no pair of order
   * statistics reaches 95 %, and the interval is the whole range with its (lower) coverage.
   */
  readonly coverage: number;
}

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** P(B <= k) for B ~ Binomial(n, 1/2), exactly enough for n up to a few thousand. */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  // Sum in log space: C(n, i) / 2^n.
  let logTerm = -n * Math.LN2; // i = 0
  let sum = Math.exp(logTerm);
  for (let index = 1; index <= k; index++) {
    logTerm += Math.log((n - index + 1) / index);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

/**
 * The 1-based ranks `[lower, upper]` of the order statistics that bound a distribution-free
 * confidence interval for the median at level `level` (Conover, *Practical Nonparametric
 * Statistics*, §3.2): the largest `lower` with P(B <= lower - 1) <= (1 - level) / 2, B ~
 * Binomial(n, 1/2), and `upper = n + 1 - lower`. The coverage is 1 - 2 P(B <= lower - 1). For
 * n = 20 that is ranks 6 and 15, coverage 0.9586; for n < 6 the whole range.
 */
export function medianRanks(
  n: number,
  level = 0.95,
): { readonly lower: number; readonly upper: number; readonly coverage: number } {
  const tail = (1 - level) / 2;
  let lower = 1;
  while (lower + 1 <= n / 2 && binomialHalfCdf(n, lower) <= tail) lower += 1;
  const coverage = 1 - 2 * binomialHalfCdf(n, lower - 1);
  return { lower, upper: n + 1 - lower, coverage };
}

/** The median of `values` with its 95 % interval (order statistics, no assumption of shape). */
export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n === 0) return { median: Number.NaN, low: Number.NaN, high: Number.NaN, n, coverage: 0 };
  const sorted = [...values].sort((left, right) => left - right);
  const { lower, upper, coverage } = medianRanks(n);
  return {
    median: median(sorted),
    low: sorted[lower - 1] as number,
    high: sorted[upper - 1] as number,
    n,
    coverage,
  };
}

/**
 * Per-seed ratios `value / baseline` of paired values. A pair where both are 0 counts as 1 (the
 * same); a pair with a zero baseline and a non-zero value is left out (no finite ratio).
 */
export function pairedRatios(pairs: readonly (readonly [number, number])[]): number[] {
  const ratios: number[] = [];
  for (const [value, baseline] of pairs) {
    if (baseline === 0) {
      if (value === 0) ratios.push(1);
    } else ratios.push(value / baseline);
  }
  return ratios;
}
