/**
 * What a workload's order of creations and exits looks like, measured the same way for a
 * generated workload and a replayed trace, so that the findings can set real programs beside the
 * suite: how many tasks, how many alive at once, how long each lives (in events, the clock both
 * share), and how bursty the creations are.
 */
export interface WorkloadShape {
  /** Lifecycles (threads, or a trace's tasks). */
  readonly tasks: number;
  /** The most alive at once. */
  readonly mostAlive: number;
  /** Alive on average, over the events (after each). */
  readonly meanAlive: number;
  /**
   * Each task's life as a share of the run: the events between its start and its end (both
   * counted) over all events, in percent; nearest-rank quantiles over every task.
   */
  readonly lifetimeShare: Quantiles;
  /** The most creations in a row, with no exit between them. */
  readonly longestBurst: number;
}

export interface Quantiles {
  readonly p50: number;
  readonly p90: number;
  readonly max: number;
}

/** Nearest-rank quantiles of `values` (sorted here); `null` when empty. */
export function quantiles(values: readonly number[]): Quantiles | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = (fraction: number): number =>
    sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] as number;
  return { p50: rank(0.5), p90: rank(0.9), max: sorted[sorted.length - 1] as number };
}

const round = (value: number, digits: number): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/**
 * The shape of a workload given as the engine's events (`events[i] >= 0` starts task
 * `events[i]`, `< 0` ends task `~events[i]`; every task starts once and ends once): a generated
 * workload's, or a trace's as `taskEvents` orders them (its tasks alive before it began start
 * first, those alive at its end end last). Times are left out: a generated workload has none, and
 * a trace's are in `traceStats`.
 */
export function workloadShape(events: Int32Array): WorkloadShape {
  const count = events.length;
  const tasks = count / 2;
  const startedAt = new Int32Array(tasks).fill(-1);
  const shares: number[] = [];
  let alive = 0;
  let mostAlive = 0;
  let aliveSum = 0;
  let burst = 0;
  let longestBurst = 0;
  for (let index = 0; index < count; index += 1) {
    const event = events[index] as number;
    if (event >= 0) {
      startedAt[event] = index;
      alive += 1;
      burst += 1;
      if (burst > longestBurst) longestBurst = burst;
      if (alive > mostAlive) mostAlive = alive;
    } else {
      const task = ~event;
      const start = startedAt[task] as number;
      if (start < 0)
        throw new RangeError(
          `event ${String(index)} ends task ${String(task)}, which never started`,
        );
      alive -= 1;
      burst = 0;
      shares.push(((index - start + 1) / count) * 100);
    }
    aliveSum += alive;
  }
  const share = quantiles(shares) ?? { p50: 0, p90: 0, max: 0 };
  return {
    tasks,
    mostAlive,
    meanAlive: count === 0 ? 0 : round(aliveSum / count, 1),
    lifetimeShare: { p50: round(share.p50, 2), p90: round(share.p90, 2), max: round(share.max, 2) },
    longestBurst,
  };
}
