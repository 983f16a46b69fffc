// @ts-check
/**
 * Steady churn of the bare loop's calls and nothing else, for a process that another tool watches
 * (churn-cachegrind.mjs runs it under callgrind):
 *
 *   node bench/churn-steady.mjs <alive> <lifecycles>
 *
 * `churnAt(alive, BENCH_SEED)` (bare-thread-loop.mjs: the ramp to `alive` threads and a warm-up
 * of as many lifecycles, at least 1,000), then `lifecycles` more. Prints nothing; exits 2 on bad
 * arguments.
 */
import { churnAt } from './bare-thread-loop.mjs';
import { BENCH_SEED } from './fixtures.mjs';

const [alive, lifecycles] = process.argv.slice(2).map(Number);
if (
  process.argv.length !== 4 ||
  !Number.isSafeInteger(alive) ||
  !Number.isSafeInteger(lifecycles) ||
  /** @type {number} */ (alive) < 1 ||
  /** @type {number} */ (lifecycles) < 1
) {
  console.error('churn-steady: usage: node bench/churn-steady.mjs <alive ≥ 1> <lifecycles ≥ 1>');
  process.exit(2);
}
churnAt(/** @type {number} */ (alive), BENCH_SEED).measure(/** @type {number} */ (lifecycles));
