// @ts-check
import { Bench } from 'tinybench';
import { BenchError } from './bench-error.mjs';

/**
 * One benchmark case.
 *
 * `measure(count)` performs `count` operations and returns the nanoseconds the measured part
 * took (read with `process.hrtime.bigint()`). Each case writes its own loop, so that V8's call
 * feedback inside a loop belongs to one case only (a shared loop calling many different closures
 * would turn megamorphic and slow every case after the first few). Each loop checks every result
 * it gets (a probe of a full VMAR must fail, an unmap must answer OK): that consumes the results,
 * so no work can be optimized away, and proves the case measures what its name says.
 *
 * @typedef {object} BenchCase
 * @property {string} id stable key, used by the targets and in bench-results.json
 * @property {string} name
 * @property {(count: number) => number} measure
 * @property {number} [operationsPerCall] divides each call's time (e.g. 999 VMARs passed over in
 *   one `GrowableVmars.probe()`); default 1
 * @property {string} [unit] what one operation is; default "ns/op"
 * @property {number} [maximumBatch] cap on the calls per sample (for slow calls)
 */

/**
 * @typedef {object} CaseResult
 * @property {string} id
 * @property {string} name
 * @property {string} unit
 * @property {number} median median over the samples, in `unit`
 * @property {number | null} medianNsPerOperation the same for timed cases; null for the heap case
 * @property {number} samples how many samples the median is taken over
 * @property {number} callsPerSample calls timed together in one sample
 * @property {number} relativeMad median absolute deviation / median, for judging stability
 */

/**
 * @typedef {object} MeasureSettings
 * @property {number} rounds how many times each case of a group is measured, in turn with the
 *   others (A B C, A B C, …), so that a change in the machine's load (it is shared) falls on every
 *   case of the group alike and the ratios between them stay honest
 * @property {number} timeMs time budget of one round of one case
 * @property {number} warmupMs time budget of tinybench's warm-up, per round
 * @property {number} minimumSamples per round
 * @property {number} sampleNs aim for samples this long: long enough that the timer's
 *   resolution and the cost of reading it vanish, short enough that a GC pause spoils few samples
 * @property {number} calibrationMs time spent warming up before the batch size is chosen
 * @property {number} [warmupIterations] tinybench's warm-up calls per round; default 4
 */

/**
 * Measures the cases of one group with tinybench and returns each one's median time per
 * operation over all its samples of all rounds.
 *
 * Each tinybench iteration times a batch of calls with `process.hrtime.bigint()` and reports the
 * batch's mean through `overriddenDuration` (and the whole batch through
 * `overriddenIterationCost`, so the time budget counts real time): tinybench's own per-call
 * `performance.now()` samples would be dominated by the timer for calls of 50–150 ns.
 *
 * @param {BenchCase[]} cases
 * @param {MeasureSettings} settings
 * @param {(result: CaseResult) => void} [onResult]
 * @returns {Promise<CaseResult[]>}
 */
export async function measureGroup(cases, settings, onResult) {
  const calls = cases.map((benchCase) =>
    calibrateBatch(benchCase, settings.sampleNs, settings.calibrationMs),
  );
  /** @type {number[][]} samples in ns per operation, per case */
  const samples = cases.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    for (let index = 0; index < cases.length; index++) {
      const benchCase = /** @type {BenchCase} */ (cases[index]);
      const callsPerSample = /** @type {number} */ (calls[index]);
      const perCall = benchCase.operationsPerCall ?? 1;
      for (const latencyMs of await runRound(benchCase, callsPerSample, settings)) {
        /** @type {number[]} */ (samples[index]).push((latencyMs * 1e6) / perCall);
      }
    }
  }
  return cases.map((benchCase, index) => {
    const all = /** @type {number[]} */ (samples[index]).sort((left, right) => left - right);
    const median = medianOf(all);
    const result = {
      id: benchCase.id,
      name: benchCase.name,
      unit: benchCase.unit ?? 'ns/op',
      median,
      medianNsPerOperation: median,
      samples: all.length,
      callsPerSample: /** @type {number} */ (calls[index]),
      relativeMad:
        medianOf(all.map((value) => Math.abs(value - median)).sort((a, b) => a - b)) / median,
    };
    onResult?.(result);
    return result;
  });
}

/**
 * The median of sorted `values`.
 * @param {number[]} values
 */
export function medianOf(values) {
  if (values.length === 0) throw new BenchError('no samples');
  const middle = values.length >> 1;
  const upper = /** @type {number} */ (values[middle]);
  if (values.length % 2 === 1) return upper;
  const lower = /** @type {number} */ (values[middle - 1]);
  return (lower + upper) / 2;
}

/**
 * One tinybench run of `benchCase`; returns its samples (ms per call).
 * @param {BenchCase} benchCase
 * @param {number} callsPerSample
 * @param {MeasureSettings} settings
 * @returns {Promise<number[]>}
 */
async function runRound(benchCase, callsPerSample, settings) {
  const bench = new Bench({
    name: benchCase.name,
    time: settings.timeMs,
    warmupTime: settings.warmupMs,
    iterations: settings.minimumSamples,
    warmupIterations: settings.warmupIterations ?? 4,
    retainSamples: true,
    throws: true,
  });
  bench.add(benchCase.name, () => {
    const elapsedNs = benchCase.measure(callsPerSample);
    return {
      overriddenDuration: elapsedNs / callsPerSample / 1e6,
      overriddenIterationCost: elapsedNs / 1e6,
    };
  });
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (result === undefined || result.state !== 'completed') {
    throw new BenchError(`case "${benchCase.id}" did not complete (${result?.state ?? 'no task'})`);
  }
  const latencySamples = result.latency.samples;
  if (latencySamples === undefined) throw new BenchError('tinybench kept no samples');
  return latencySamples;
}

/**
 * Picks how many calls one sample times. First warms the code up (calls in doubling batches, then
 * in batches of the same size, until `calibrationMs` has passed, so V8 has optimized what it
 * will: the thread lifecycle, which runs through many functions, needs thousands of calls), then times the last warm-up
 * batch three more times and sizes the sample from the fastest of them (the least disturbed by a
 * GC pause or the other helpers sharing the machine). Calibrating on cold code would pick batches
 * of one call: the first calls run in the interpreter, hundreds of times slower.
 * @param {BenchCase} benchCase
 * @param {number} sampleNs
 * @param {number} calibrationMs
 */
function calibrateBatch(benchCase, sampleNs, calibrationMs) {
  const maximum = benchCase.maximumBatch ?? 1 << 20;
  if (maximum === 1) {
    // One call is already long (a whole workload): warm up with one, and time one per sample.
    benchCase.measure(1);
    return 1;
  }
  let count = 1;
  for (let spentNs = 0; spentNs < calibrationMs * 1e6; ) {
    const elapsedNs = benchCase.measure(count);
    spentNs += elapsedNs;
    // Grow the batch until one takes a sample's time, then keep it.
    if (elapsedNs < sampleNs && count < maximum) count *= 2;
  }
  let fastestNs = Number.POSITIVE_INFINITY;
  for (let trial = 0; trial < 3; trial++) {
    fastestNs = Math.min(fastestNs, benchCase.measure(count) / count);
  }
  return Math.max(1, Math.min(maximum, Math.ceil(sampleNs / Math.max(fastestNs, 1))));
}
