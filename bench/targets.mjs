// @ts-check
/**
 * The performance targets, checked against the medians of one run.
 *
 * Each target compares one figure with a limit. `at-most` targets pass when figure ≤ limit;
 * `at-least` targets (the speed-ups over the references) when figure ≥ limit. `ratio` is
 * figure / limit, so it is ≤ 1 for a passing `at-most` target and ≥ 1 for a passing `at-least`
 * one.
 *
 * @typedef {object} Target
 * @property {string} id
 * @property {string} description
 * @property {'at-most' | 'at-least'} comparison
 * @property {number} limit
 * @property {string} unit "ns", "bytes" or "×"
 * @property {(figure: (id: string) => number | undefined) => { value: number, detail: string } | undefined} figure
 *
 * @typedef {object} TargetResult
 * @property {string} id
 * @property {string} description
 * @property {string} comparison
 * @property {number} limit
 * @property {string} unit
 * @property {number | null} measured null when a case it needs did not run
 * @property {string} detail how `measured` was computed
 * @property {number | null} ratio measured / limit
 * @property {boolean | null} pass null when not measured
 */

/**
 * @param {string} id
 * @returns {Target['figure']}
 */
const direct = (id) => (figure) => {
  const value = figure(id);
  return value === undefined ? undefined : { value, detail: id };
};

/**
 * `numerator / denominator`, for "≤ k× another case" targets.
 * @param {string} numerator
 * @param {string} denominator
 * @returns {Target['figure']}
 */
const quotient = (numerator, denominator) => (figure) => {
  const top = figure(numerator);
  const bottom = figure(denominator);
  if (top === undefined || bottom === undefined) return undefined;
  return { value: top / bottom, detail: `${numerator} / ${denominator}` };
};

/** @type {Target[]} */
export const TARGETS = [
  {
    id: 'probe-empty',
    description: 'probe pair, empty VMAR',
    comparison: 'at-most',
    limit: 150,
    unit: 'ns',
    figure: direct('probe-empty'),
  },
  {
    id: 'probe-full',
    description: 'probe pair, full VMAR (32 × 32 MiB)',
    comparison: 'at-most',
    limit: 60,
    unit: 'ns',
    figure: direct('probe-full-32'),
  },
  {
    id: 'probe-crowded-vs-empty',
    description: 'probe pair, 100,000 children + hole, vs empty',
    comparison: 'at-most',
    limit: 3,
    unit: '×',
    figure: quotient('probe-crowded-hole', 'probe-empty'),
  },
  {
    id: 'probe-crowded-full-vs-full',
    description: 'probe pair, full with 100,000, vs full with 32',
    comparison: 'at-most',
    limit: 1.5,
    unit: '×',
    figure: quotient('probe-crowded-full', 'probe-full-32'),
  },
  {
    id: 'growable-per-vmar',
    description: 'GrowableVmars.probe(), per full VMAR passed over',
    comparison: 'at-most',
    limit: 100,
    unit: 'ns',
    figure: direct('growable-room-in-last'),
  },
  {
    id: 'thread-lifecycle',
    description: 'thread lifecycle',
    comparison: 'at-most',
    limit: 2000,
    unit: 'ns',
    figure: direct('thread-lifecycle'),
  },
  {
    id: 'allocate-destroy-growth',
    description: 'allocate + destroy at 100,000 children, vs at 10',
    comparison: 'at-most',
    limit: 3,
    unit: '×',
    figure: quotient('allocate-destroy-100000', 'allocate-destroy-10'),
  },
  {
    id: 'random-placement-growth',
    description: 'random placement at 100,000 children, vs at 10',
    comparison: 'at-most',
    limit: 3,
    unit: '×',
    figure: quotient('random-placement-100000', 'random-placement-10'),
  },
  {
    id: 'workload-pipeline',
    description: 'runWorkload, compact, 100,000 lifecycles at 10,000 alive, vs the bare loop',
    comparison: 'at-most',
    limit: 2,
    unit: '×',
    figure: quotient('workload-compact', 'bare-loop-10000'),
  },
  {
    id: 'workload-root-vs-compact',
    description: 'runWorkload, root policy vs compact policy, same workload',
    comparison: 'at-most',
    limit: 2,
    unit: '×',
    figure: quotient('workload-root', 'workload-compact'),
  },
  // 3×, not 2.5×: on the 2-core machine the bench runs on, this growth measured 2.05–2.79× in
  // full runs where nothing had regressed (docs/benchmark-log.md, "Lifecycle under churn"): it is the cost
  // of the memory 10,000 live threads occupy (garbage-collection copying, cache misses of live
  // data), not of the search. 3× sits above that spread, and still fails a real regression (a
  // binary-tree children list measured 3.4–4.3×).
  {
    id: 'lifecycle-under-churn',
    description: 'bare loop per lifecycle, 10,000 alive vs 10 alive',
    comparison: 'at-most',
    limit: 3,
    unit: '×',
    figure: quotient('bare-loop-10000', 'bare-loop-10'),
  },
  {
    id: 'retained-heap',
    description: 'retained heap per live child VMAR (handles closed)',
    comparison: 'at-most',
    limit: 200,
    unit: 'bytes',
    figure: direct('retained-heap-closed'),
  },
  {
    id: 'probe-vs-mmap',
    description: 'probe pair (empty) faster than mmap + munmap',
    comparison: 'at-least',
    limit: 20,
    unit: '×',
    figure: quotient('mmap-munmap', 'probe-empty'),
  },
  {
    id: 'probe-vs-naive',
    description: 'probe pair faster than naive first fit, 100,000 children',
    comparison: 'at-least',
    limit: 10,
    unit: '×',
    figure: quotient('naive-crowded-hole', 'probe-crowded-hole'),
  },
  {
    id: 'trace-parse-strace',
    description: 'parse generated strace -f text, 1,000,000 tasks',
    comparison: 'at-least',
    limit: 50,
    unit: 'MB/s',
    figure: direct('trace-parse-strace'),
  },
  {
    id: 'trace-parse-vmars',
    description: "parse the project's trace format, 1,000,000 tasks",
    comparison: 'at-least',
    limit: 100,
    unit: 'MB/s',
    figure: direct('trace-parse-vmars-trace'),
  },
  {
    id: 'trace-parse-heap',
    description: 'most heap while parsing 1,000,000 tasks, 1,000 alive (either format)',
    comparison: 'at-most',
    limit: 100e6,
    unit: 'bytes',
    figure: (figure) => {
      const strace = figure('trace-parse-heap-strace');
      const vmars = figure('trace-parse-heap-vmars-trace');
      if (strace === undefined || vmars === undefined) return undefined;
      return {
        value: Math.max(strace, vmars),
        detail: 'max(trace-parse-heap-strace, trace-parse-heap-vmars-trace)',
      };
    },
  },
  {
    id: 'trace-replay-vs-generated',
    description: 'runWorkload per lifecycle, a trace replayed vs a generated workload of its size',
    comparison: 'at-most',
    limit: 1.5,
    unit: '×',
    figure: quotient('workload-trace-compact', 'workload-compact'),
  },
];

/**
 * Checks every target against `medians` (case id → median).
 * @param {Map<string, number>} medians
 * @returns {TargetResult[]}
 */
export function checkTargets(medians) {
  return TARGETS.map((target) => {
    const computed = target.figure((id) => medians.get(id));
    const base = {
      id: target.id,
      description: target.description,
      comparison: target.comparison,
      limit: target.limit,
      unit: target.unit,
    };
    if (computed === undefined) {
      return { ...base, measured: null, detail: 'not measured', ratio: null, pass: null };
    }
    const pass =
      target.comparison === 'at-most'
        ? computed.value <= target.limit
        : computed.value >= target.limit;
    return {
      ...base,
      measured: computed.value,
      detail: computed.detail,
      ratio: computed.value / target.limit,
      pass,
    };
  });
}
