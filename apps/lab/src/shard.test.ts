import { describe, expect, it } from 'vitest';
import { parseShard, shardRuns } from './shard.js';

describe('parseShard', () => {
  it('takes k/n as given', () => {
    expect(parseShard('2/4', {})).toEqual({ index: 2, count: 4 });
  });

  it('takes auto/n from JOB_COMPLETION_INDEX, 0-based, as a Kubernetes Indexed Job sets it', () => {
    for (const index of [0, 1, 2, 3]) {
      expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: String(index) })).toEqual({
        index: index + 1,
        count: 4,
      });
    }
  });

  it.each([
    [{}, 'JOB_COMPLETION_INDEX is not set'],
    [{ JOB_COMPLETION_INDEX: '' }, 'JOB_COMPLETION_INDEX is not set'],
    [{ JOB_COMPLETION_INDEX: '4' }, 'from 0 to 3, got "4"'],
    [{ JOB_COMPLETION_INDEX: '-1' }, 'from 0 to 3, got "-1"'],
    [{ JOB_COMPLETION_INDEX: 'one' }, 'from 0 to 3, got "one"'],
  ])('refuses auto/4 with %j: %s', (environment, message) => {
    expect(() => parseShard('auto/4', environment)).toThrow(message);
  });

  it('gives every run to exactly one of the auto shards', () => {
    const runs = Array.from({ length: 10 }, (_, position) => ({ position }));
    const seen = [0, 1, 2].flatMap((index) =>
      shardRuns(runs as never, parseShard('auto/3', { JOB_COMPLETION_INDEX: String(index) })),
    );
    expect(
      (seen as unknown as { position: number }[]).map((run) => run.position).sort((a, b) => a - b),
    ).toEqual(runs.map((run) => run.position));
  });
});
