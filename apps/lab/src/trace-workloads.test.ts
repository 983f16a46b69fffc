import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryBackend } from '@vmars/backend-memory';
import { namedPolicy, runWorkload, threadLayout, WORKLOAD_DEFAULTS } from '@vmars/thread-workload';
import { describe, expect, it } from 'vitest';
import { runOne } from './run-one.js';
import { runTask, runTasks } from './run-task.js';
import { expandSweep, parseSweepSpec, sweepHash } from './sweep-spec.js';
import { wavesOfThreads, writeTestTrace } from './test-traces.js';
import {
  CORPUS_DIRECTORY,
  corpusTraceNames,
  REPO_ROOT,
  traceFilePath,
  traceNameError,
  traceNameOfFile,
} from './trace-ref.js';
import { loadTrace, resolveSweepTraces, traceFileReads, userTraces } from './trace-workloads.js';
import { UsageError } from './usage-error.js';

function temporary(): string {
  return mkdtempSync(join(tmpdir(), 'vmars-lab-traces-'));
}

/** A corpus of two traces in a temporary folder. */
function testCorpus(): string {
  const directory = temporary();
  writeTestTrace(join(directory, 'waves.jsonl.gz'), wavesOfThreads(60, 12), 'waves-program');
  writeTestTrace(join(directory, 'pair.jsonl.gz'), [
    { start: 0, end: 900, kind: 'process' },
    { start: 100, end: 800, kind: 'thread' },
  ]);
  writeFileSync(join(directory, 'README.md'), 'not a trace');
  return directory;
}

describe('trace names', () => {
  it('a file’s name is its base name without extensions', () => {
    expect(traceNameOfFile('/tmp/x/make-j2.jsonl.gz')).toBe('make-j2');
    expect(traceNameOfFile('ls.strace')).toBe('ls');
    expect(traceNameOfFile('plain')).toBe('plain');
    expect(traceNameOfFile('a b.txt')).toBeUndefined();
    expect(traceNameOfFile('.hidden')).toBeUndefined();
  });

  it('a name holds no character that cell keys, lists or time series use', () => {
    for (const bad of ['', 'a|b', 'a,b', 'a:b', '-a', 'a/b', 'x'.repeat(101)]) {
      expect(traceNameError(bad)).toMatch(/a trace name is/);
    }
    expect(traceNameError('python3.11_test+x')).toBeUndefined();
  });

  it('the corpus is found from the app, not the working directory', () => {
    expect(CORPUS_DIRECTORY).toBe(join(REPO_ROOT, 'corpus'));
    expect(traceFilePath({ file: 'corpus/x.jsonl.gz' })).toBe(join(REPO_ROOT, 'corpus/x.jsonl.gz'));
    expect(traceFilePath({ file: '/abs/x.trace' })).toBe('/abs/x.trace');
    expect(corpusTraceNames(testCorpus())).toEqual(['pair', 'waves']);
    expect(corpusTraceNames('/nonexistent/corpus')).toEqual([]);
  });

  it('two --trace files of one name are refused', () => {
    expect(() => userTraces(['a/run.jsonl', 'b/run.strace'], '/w')).toThrow(
      /\/w\/a\/run.jsonl and \/w\/b\/run.strace are both trace:run/,
    );
    expect(() => userTraces(['bad name.txt'])).toThrow(UsageError);
    expect([...userTraces(['x/run.jsonl', 'x/run.jsonl'], '/w')]).toEqual([
      ['run', '/w/x/run.jsonl'],
    ]);
  });
});

describe('resolveSweepTraces', () => {
  it('finds trace:NAME in the corpus, a --trace file first, and hashes their contents', async () => {
    const corpus = testCorpus();
    const mine = join(temporary(), 'pair.jsonl');
    writeTestTrace(mine, [
      { start: 0, end: 50, kind: 'process' },
      { start: 10, end: 20, kind: 'process' },
      { start: 30, end: 40, kind: 'process' },
    ]);
    const spec = parseSweepSpec({ workloads: ['trace:waves', 'steady-100'], seeds: 2 });
    const { spec: resolved, loaded } = await resolveSweepTraces(spec, new Map(), corpus);
    expect(resolved.traces).toEqual([
      {
        name: 'waves',
        file: join(corpus, 'waves.jsonl.gz'),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    const waves = loaded.get('trace:waves');
    expect(waves?.stats.tasks).toBe(61);
    expect(waves?.stats.mostAlive).toBe(13);
    expect(waves?.shape.mostAlive).toBe(13);
    expect(waves?.workload.threads).toBe(61);
    // A user's trace of the same name comes first.
    const both = await resolveSweepTraces(
      parseSweepSpec({ workloads: ['trace:pair'] }),
      new Map([['pair', mine]]),
      corpus,
    );
    expect(both.spec.traces?.[0]?.file).toBe(mine);
    expect(both.loaded.get('trace:pair')?.stats.tasks).toBe(3);
    // The hash follows the content, not the path.
    const moved = join(temporary(), 'pair.jsonl');
    writeTestTrace(moved, [
      { start: 0, end: 50, kind: 'process' },
      { start: 10, end: 20, kind: 'process' },
      { start: 30, end: 40, kind: 'process' },
    ]);
    const again = await resolveSweepTraces(
      parseSweepSpec({ workloads: ['trace:pair'] }),
      new Map([['pair', moved]]),
      corpus,
    );
    expect(sweepHash(again.spec)).toBe(sweepHash(both.spec));
    const corpusPair = await resolveSweepTraces(
      parseSweepSpec({ workloads: ['trace:pair'] }),
      new Map(),
      corpus,
    );
    expect(sweepHash(corpusPair.spec)).not.toBe(sweepHash(both.spec));
  });

  it('a corpus file inside the repository is named relative to it', async () => {
    // The repository's own corpus, when it has landed; else a folder of ours inside the repo.
    const names = corpusTraceNames();
    if (names.length > 0) {
      const name = names[0] as string;
      const { spec } = await resolveSweepTraces(
        parseSweepSpec({ workloads: [`trace:${name}`] }),
        new Map(),
      );
      expect(spec.traces?.[0]?.file).toBe(`corpus/${name}.jsonl.gz`);
    }
  });

  it('a name found nowhere, or a file that is no trace, is a usage error of one line', async () => {
    const corpus = testCorpus();
    const spec = parseSweepSpec({ workloads: ['trace:nope'] });
    await expect(resolveSweepTraces(spec, new Map(), corpus)).rejects.toThrow(
      'unknown workload "trace:nope": no --trace file is named nope and there is no corpus/nope.jsonl.gz (corpus traces: pair, waves)',
    );
    const bad = join(temporary(), 'bad.txt');
    writeFileSync(bad, 'hello\nworld\n');
    const error = await resolveSweepTraces(
      parseSweepSpec({ workloads: ['trace:bad'] }),
      new Map([['bad', bad]]),
      corpus,
    ).catch((caught: unknown) => caught);
    expect(UsageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^--trace .*bad\.txt: /);
    expect((error as Error).message).not.toContain('\n');
    const missing = await resolveSweepTraces(
      parseSweepSpec({ workloads: ['trace:gone'] }),
      new Map([['gone', '/nonexistent/gone.jsonl']]),
      corpus,
    ).catch((caught: unknown) => caught);
    expect(UsageError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toMatch(/^--trace \/nonexistent\/gone\.jsonl: /);
  });

  it('leaves a sweep without traces as it was', async () => {
    const spec = parseSweepSpec({ workloads: ['steady-100'] });
    const { spec: resolved } = await resolveSweepTraces(spec, new Map(), '/nonexistent');
    expect(resolved).toBe(spec);
    expect('traces' in resolved).toBe(false);
  });
});

describe('loadTrace', () => {
  it('reads a file once per thread, however many runs replay it', async () => {
    const directory = temporary();
    const file = join(directory, 'once.jsonl.gz');
    writeTestTrace(file, wavesOfThreads(20, 5));
    const before = traceFileReads();
    const first = await loadTrace({ name: 'once', file, sha256: '' });
    const spec = {
      ...parseSweepSpec({ workloads: ['trace:once'], seeds: 5, policies: ['compact', 'root'] }),
      traces: [first.ref],
    };
    const records = await Promise.all(
      runTasks(expandSweep(spec).runs, spec.traces).map((task) => runTask(task)),
    );
    expect(records).toHaveLength(10);
    expect(records.every((record) => record.ok)).toBe(true);
    expect(traceFileReads() - before).toBe(1);
  });

  it('refuses a file that is not the one the sweep began with', async () => {
    const file = join(temporary(), 'changed.jsonl');
    writeTestTrace(file, wavesOfThreads(4, 2));
    const { ref } = await loadTrace({ name: 'changed', file, sha256: '' });
    await expect(loadTrace({ ...ref, sha256: '0'.repeat(64) })).rejects.toThrow(
      /is not the sweep's trace:changed: its SHA-256 is [0-9a-f]{64}, the sweep's 0{64}/,
    );
    // A run whose trace cannot be loaded is recorded with the error; the sweep goes on.
    const spec = parseSweepSpec({ workloads: ['trace:changed'], seeds: 1, policies: ['compact'] });
    const [run] = expandSweep(spec).runs;
    const record = await runTask({ run: run as never, trace: { ...ref, sha256: '1'.repeat(64) } });
    expect(record.ok).toBe(false);
    expect(record.ok ? '' : record.error).toMatch(/is not the sweep's trace:changed/);
  });
});

describe('a trace run', () => {
  it('replays the trace, its seed reaching only the backend’s ASLR', async () => {
    const directory = temporary();
    const file = join(directory, 'aslr.jsonl.gz');
    writeTestTrace(file, wavesOfThreads(150, 20));
    const loaded = await loadTrace({ name: 'aslr', file, sha256: '' });
    const spec = {
      ...parseSweepSpec({ workloads: ['trace:aslr'], seeds: 6, policies: ['root', 'compact'] }),
      traces: [loaded.ref],
    };
    const records = expandSweep(spec).runs.map((run) =>
      runOne(run, { traceWorkload: loaded.workload }),
    );
    for (const record of records) {
      if (!record.ok) throw new Error(record.error);
      expect(record.metrics.created).toBe(151);
    }
    // Each run is the engine's replay on a memory backend seeded with the run's seed.
    for (const record of records) {
      const layout = threadLayout({
        architecture: 'x86_64',
        pageSize: 4096,
        stackSize: WORKLOAD_DEFAULTS.stackSize,
        tlsSize: WORKLOAD_DEFAULTS.tlsSize,
      });
      const report = runWorkload({
        backend: () => memoryBackend({ arch: 'x86_64', region: 'shared', seed: record.seed }),
        policies: [namedPolicy(record.policy, layout)],
        workload: loaded.workload,
        seed: record.seed,
        samples: 48,
      });
      const policy = report.policies[0];
      expect(record.ok && record.metrics.pageTablesMax).toBe(policy?.pageTables.max.total);
      expect(record.ok && record.metrics.reservedPeak).toBe(policy?.reserved.peak);
    }
    // The compact VMARs are placed by ASLR, and where they fall against 2 MiB and 1 GiB
    // boundaries moves the page tables: the seeds change them, and nothing else does.
    const compact = records.filter((record) => record.policy === 'compact');
    const tables = new Set(compact.map((record) => (record.ok ? record.metrics.pageTablesMax : 0)));
    expect(tables.size).toBeGreaterThan(1);
  });

  it('without its trace loaded, is recorded as failed', () => {
    const spec = parseSweepSpec({ workloads: ['trace:absent'], seeds: 1, policies: ['compact'] });
    const [run] = expandSweep(spec).runs;
    const record = runOne(run as never);
    expect(record.ok).toBe(false);
    expect(record.ok ? '' : record.error).toContain('trace:absent: the trace was not loaded');
  });
});

describe('sweep specs name traces', () => {
  it('as trace:NAME in workloads and time series', () => {
    const spec = parseSweepSpec({
      workloads: ['trace:make-j2', 'steady-100'],
      timeSeries: [{ workload: 'trace:make-j2', architecture: 'x86_64' }],
    });
    expect(spec.groups[0]?.workloads).toEqual(['trace:make-j2', 'steady-100']);
    expect(() => parseSweepSpec({ workloads: ['trace:a|b'] })).toThrow(/a trace name is/);
    expect(() => parseSweepSpec({ workloads: ['steady-2k'] })).toThrow(
      /unknown workload "steady-2k" \(known: .*, or trace:NAME/,
    );
  });
});
