import type { RunSpec } from './sweep-spec.js';
import { UsageError } from './usage-error.js';

/** `--shard k/n`: which slice of the runs to do (1-based), as test runners shard. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `k/n` with 1 <= k <= n. */
export function parseShard(text: string, environment: NodeJS.ProcessEnv = process.env): Shard {
  const auto = /^auto\/(\d+)$/.exec(text);
  if (auto !== null) return shardFromEnvironment(text, Number(auto[1]), environment);
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count || count > 10_000) {
    throw new UsageError(
      '--shard',
      `expected k/n with 1 <= k <= n (e.g. 2/4), got ${JSON.stringify(text)}`,
    );
  }
  return { index, count };
}

/**
 * `--shard auto/n`: k from the engine that runs the shards. A Kubernetes Indexed Job sets
 * JOB_COMPLETION_INDEX (0 to completions - 1) in each pod; a CI matrix sets it from its own index
 * (GitHub Actions: `JOB_COMPLETION_INDEX: ${{ strategy.job-index }}`; see deploy/).
 */
function shardFromEnvironment(text: string, count: number, environment: NodeJS.ProcessEnv): Shard {
  if (count < 1 || count > 10_000) {
    throw new UsageError(
      '--shard',
      `expected auto/n with 1 <= n <= 10000, got ${JSON.stringify(text)}`,
    );
  }
  const value = environment.JOB_COMPLETION_INDEX;
  if (value === undefined || value === '') {
    throw new UsageError(
      undefined,
      `--shard ${text}: JOB_COMPLETION_INDEX is not set (a Kubernetes Indexed Job sets it; elsewhere set it, from 0, or give k/n)`,
    );
  }
  if (!/^\d+$/.test(value) || Number(value) >= count) {
    throw new UsageError(
      undefined,
      `--shard ${text}: JOB_COMPLETION_INDEX must be a whole number from 0 to ${String(count - 1)}, got ${JSON.stringify(value)}`,
    );
  }
  return { index: Number(value) + 1, count };
}

/** The runs of shard `shard`: every n-th run, starting at the k-th, so that slices are alike. */
export function shardRuns(runs: readonly RunSpec[], shard: Shard | null): RunSpec[] {
  if (shard === null) return [...runs];
  return runs.filter((_, position) => position % shard.count === shard.index - 1);
}
