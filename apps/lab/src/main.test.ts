import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ThreadVmarPolicyDefinition } from '@vmars/thread-workload';
import { describe, expect, it } from 'vitest';
import { helpText } from './cli-options.js';
import { deterministicJson, type ResultsFile } from './results-file.js';
import type { RunRecord } from './run-one.js';
import { inProcessRunner, type Runner } from './runner.js';
import { runLab } from './test-run.js';

function temporary(): string {
  return mkdtempSync(join(tmpdir(), 'vmars-lab-'));
}

const read = (path: string): ResultsFile => JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
const stable = (results: ResultsFile) => results.runs.map(deterministicJson);
/** The summaries without timing, which alone may differ between machines and worker counts. */
const cellsWithoutTiming = (results: ResultsFile) =>
  results.cells.map(({ timing: _timing, ...rest }) => rest);

/** A small sweep: 2 policies x 2 workloads x 6 seeds = 24 runs, quick. */
const SMALL = [
  '--policies',
  'compact,shared-list',
  '--workloads',
  'steady-100,waves',
  '--seeds',
  '6',
];

const run = runLab;

describe('bad input exits 2 with one line naming the problem', () => {
  it.each([
    [['--policies', 'compact,bogus'], 'unknown policy "bogus"'],
    [['--workloads', 'steady-2k'], 'unknown workload "steady-2k"'],
    [['--arch', 'mips'], 'unknown architecture "mips"'],
    [['--vmar-size', '1GB'], '"1GB" is not a positive multiple of 4KiB'],
    [['--probe-size', '0'], '"0" is not a positive multiple of 4KiB'],
    [['--seeds', 'many'], '--seeds: expected a whole number'],
    [['--seeds', '0'], '--seeds: expected a whole number of at least 1'],
    [['--bogus'], 'unknown option --bogus (see --help)'],
    [['--policy', 'compact'], 'unknown option --policy; did you mean --policies?'],
    [['--seed', '3'], 'unknown option --seed; did you mean --seeds?'],
    [['--shard', 'auto/0'], '--shard: expected auto/n with 1 <= n <= 10000'],
    [['--shard', '3/2'], '--shard: expected k/n with 1 <= k <= n'],
    [['--shard', '0/2'], '--shard'],
    [['--shard', 'half'], '--shard'],
    // A value after a space that starts with a dash reaches the lab's own check.
    [['--workers', '-1'], '--workers: expected a whole number of at least 0, got "-1"'],
    [['--seeds', '-3'], '--seeds: expected a whole number of at least 1, got "-3"'],
    [
      ['--vmar-size', '32MiB', '--probe-size', '64MiB', '--policies', 'compact'],
      'the sweep is empty',
    ],
    [['--spec', 'x.json', '--seeds', '3'], '--seeds: not with --spec'],
    [['--spec', '/nonexistent/spec.json'], '--spec: cannot read'],
    [['merge', '--out', 'x.json'], 'merge: give the results files'],
  ])('%j', async (argv, message) => {
    const result = await run(argv, { makeRunner: () => inProcessRunner() });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.startsWith('vmars-lab: ')).toBe(true);
  });

  it('an unknown knob in a spec file is named', async () => {
    const directory = temporary();
    const spec = join(directory, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({ name: 'x', groups: [{ policies: ['compact'], alignment: [1] }] }),
    );
    const result = await run(['--spec', spec]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('group 1: unknown key "alignment"');
  });
});

describe('the alignment and spare knobs', () => {
  it('make cells of their own, compared with compact, and move the policy’s point', async () => {
    const directory = temporary();
    const out = join(directory, 'results.json');
    const common = ['--workloads', 'waves', '--seeds', '4', '--workers', '0'];
    expect(
      (
        await run([
          ...common,
          '--policies',
          'compact,aligned,shrinking',
          '--out',
          join(directory, 'plain.json'),
        ])
      ).status,
    ).toBe(0);
    const result = await run([
      ...common,
      '--policies',
      'compact,root',
      '--align',
      'none,1GiB',
      '--keep-spare',
      'never,1',
      '--out',
      out,
    ]);
    expect(result.status).toBe(0);
    const results = read(out);
    // compact: 2 alignments x 2 spare counts; root has neither knob.
    expect(results.cells.map((cell) => cell.cell)).toEqual([
      'compact|vmar=1GiB|probe=32MiB|align=none|spare=never|waves|x86_64',
      'compact|vmar=1GiB|probe=32MiB|align=none|spare=1|waves|x86_64',
      'compact|vmar=1GiB|probe=32MiB|align=1GiB|spare=never|waves|x86_64',
      'compact|vmar=1GiB|probe=32MiB|align=1GiB|spare=1|waves|x86_64',
      'root|vmar=-|probe=-|waves|x86_64',
    ]);
    for (const cell of results.cells) expect(cell.baseline).toBeNull(); // no plain compact cell here
    const plain = read(join(directory, 'plain.json'));
    const metrics = (file: ResultsFile, cell: string) =>
      file.runs
        .filter((record) => record.cell === cell)
        .map((record) => record.ok && record.metrics);
    // compact with 1 GiB alignment is the aligned policy; compact keeping 1 spare is shrinking.
    expect(
      metrics(results, 'compact|vmar=1GiB|probe=32MiB|align=1GiB|spare=never|waves|x86_64'),
    ).toEqual(metrics(plain, 'aligned|vmar=1GiB|probe=32MiB|waves|x86_64'));
    expect(
      metrics(results, 'compact|vmar=1GiB|probe=32MiB|align=none|spare=1|waves|x86_64'),
    ).toEqual(metrics(plain, 'shrinking|vmar=1GiB|probe=32MiB|waves|x86_64'));
    expect(
      metrics(results, 'compact|vmar=1GiB|probe=32MiB|align=none|spare=never|waves|x86_64'),
    ).toEqual(metrics(plain, 'compact|vmar=1GiB|probe=32MiB|waves|x86_64'));
  });

  it.each([
    [['--align', '3MiB'], '"3MiB" is not none or a power of two'],
    [['--keep-spare', 'some'], '"some" is not never or a whole number'],
  ])('%j exits 2', async (argv, message) => {
    const result = await run(argv);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('--help', () => {
  it('lists every option with its default', async () => {
    const result = await run(['--help']);
    expect(result.status).toBe(0);
    for (const option of [
      '--spec',
      '--name',
      '--policies',
      '--workloads',
      '--arch',
      '--vmar-size',
      '--probe-size',
      '--align',
      '--keep-spare',
      '--seeds',
      '--first-seed',
      '--time-series',
      '--workers',
      '--shard',
      '--out',
      '--csv',
      '--html',
      '--resume',
      'merge',
      'report',
      'findings',
    ]) {
      expect(helpText()).toContain(option);
    }
    expect(result.stdout).toContain('default: 20');
    expect(result.stdout).toContain('default: 1GiB');
    expect(result.stdout).toContain('default: 32MiB');
  });
});

describe('a sweep', () => {
  it('writes every run and every cell’s summary to the JSON and a row per run to the CSV', async () => {
    const directory = temporary();
    const out = join(directory, 'results.json');
    const result = await run([...SMALL, '--workers', '0', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('24 runs done');
    // The wall time and the CPU time beside it, which say how many cores the sweep kept busy.
    expect(result.stdout).toMatch(/runs done in \S+ \(\d+\.\d s, \d+\.\d s of CPU\)/);
    const results = read(out);
    expect(results.complete).toBe(true);
    expect(results.runs).toHaveLength(24);
    expect(results.cells).toHaveLength(4);
    const sharedList = results.cells.find((cell) => cell.policy === 'shared-list');
    expect(sharedList?.baseline).toBe(results.cells[0]?.cell);
    expect(sharedList?.ratios.pageTablesAtPeak?.n).toBe(6);
    const csv = readFileSync(join(directory, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(25);
    expect(csv[0]).toContain('pageTablesAtPeak');
  });

  it('gives the same results with 0, 1 and 2 workers (timing aside)', async () => {
    const directory = temporary();
    const outputs = [];
    for (const workers of ['0', '1', '2']) {
      const out = join(directory, `w${workers}.json`);
      const result = await run([...SMALL, '--workers', workers, '--out', out]);
      expect(result.status).toBe(0);
      outputs.push(read(out));
    }
    const [zero, one, two] = outputs as [ResultsFile, ResultsFile, ResultsFile];
    expect(stable(one)).toEqual(stable(zero));
    expect(stable(two)).toEqual(stable(zero));
    expect(cellsWithoutTiming(two)).toEqual(cellsWithoutTiming(zero));
  });

  it('shards join into the whole sweep; results of another sweep are refused', async () => {
    const directory = temporary();
    const whole = join(directory, 'whole.json');
    await run([...SMALL, '--workers', '0', '--out', whole]);
    const parts: string[] = [];
    for (const index of [1, 2, 3]) {
      const part = join(directory, `part${String(index)}.json`);
      const result = await run([
        ...SMALL,
        '--workers',
        '0',
        '--shard',
        `${String(index)}/3`,
        '--out',
        part,
      ]);
      expect(result.status).toBe(0);
      expect(read(part).runs).toHaveLength(8);
      expect(read(part).complete).toBe(true);
      parts.push(part);
    }
    const merged = join(directory, 'merged.json');
    const result = await run(['merge', '--out', merged, ...parts]);
    expect(result.status).toBe(0);
    expect(read(merged).complete).toBe(true);
    expect(stable(read(merged))).toEqual(stable(read(whole)));
    expect(cellsWithoutTiming(read(merged))).toEqual(cellsWithoutTiming(read(whole)));
    // Two of three shards: merged but incomplete.
    const partial = await run([
      'merge',
      '--out',
      join(directory, 'partial.json'),
      ...parts.slice(0, 2),
    ]);
    expect(partial.stdout).toContain('incomplete');

    const other = join(directory, 'other.json');
    await run([
      '--policies',
      'compact',
      '--workloads',
      'steady-100',
      '--seeds',
      '2',
      '--workers',
      '0',
      '--out',
      other,
    ]);
    const refused = await run([
      'merge',
      '--out',
      join(directory, 'bad.json'),
      parts[0] as string,
      other,
    ]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('results of different sweeps do not merge');
  });

  it('an interrupted sweep leaves a valid file of the runs that finished; --resume does the rest', async () => {
    const directory = temporary();
    const out = join(directory, 'results.json');
    let interrupt: () => void = () => {};
    let seen = 0;
    const interrupting: Runner = {
      run: (runs, onRecord, signal) =>
        inProcessRunner().run(
          runs,
          (record) => {
            onRecord(record);
            seen += 1;
            if (seen === 10) interrupt();
          },
          signal,
        ),
    };
    const first = await run([...SMALL, '--workers', '0', '--out', out], {
      makeRunner: () => interrupting,
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => {};
      },
    });
    expect(first.status).toBe(130);
    const partial = read(out);
    expect(partial.runs).toHaveLength(10);
    expect(partial.complete).toBe(false);

    const done: RunRecord[] = [];
    const counting: Runner = {
      run: (runs, onRecord, signal) =>
        inProcessRunner().run(
          runs,
          (record) => {
            done.push(record);
            onRecord(record);
          },
          signal,
        ),
    };
    const second = await run([...SMALL, '--workers', '0', '--out', out, '--resume'], {
      makeRunner: () => counting,
    });
    expect(second.status).toBe(0);
    expect(done).toHaveLength(14);
    const whole = join(directory, 'whole.json');
    await run([...SMALL, '--workers', '0', '--out', whole]);
    expect(stable(read(out))).toEqual(stable(read(whole)));

    const wrongSweep = await run(['--seeds', '3', '--workers', '0', '--out', out, '--resume']);
    expect(wrongSweep.status).toBe(2);
    expect(wrongSweep.stderr).toContain('--resume');
  });

  it('records a run that fails with its error and goes on; the summary counts it', async () => {
    const directory = temporary();
    const out = join(directory, 'results.json');
    const throwing: ThreadVmarPolicyDefinition = {
      name: 'shared-list',
      create() {
        throw new Error('this policy throws');
      },
    };
    const result = await run([...SMALL, '--workers', '0', '--out', out], {
      makeRunner: () => inProcessRunner({ 'shared-list': throwing }),
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('12 failed');
    const results = read(out);
    expect(results.failed).toBe(12);
    const failed = results.runs.find((record) => !record.ok);
    expect(failed).toMatchObject({ ok: false, error: 'Error: this policy throws' });
    expect(results.cells.find((cell) => cell.policy === 'shared-list')?.failed).toBe(6);
    expect(readFileSync(join(directory, 'results.csv'), 'utf8')).toContain('this policy throws');
  });

  it('Ctrl-C stops the workers and leaves the results file valid', async () => {
    const directory = temporary();
    const out = join(directory, 'results.json');
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [cli, '--workloads', 'steady-1k', '--seeds', '200', '--workers', '2', '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Interrupt once some runs are in the file (on a busy machine the start can take a while).
    const deadline = Date.now() + 60_000;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      let done = 0;
      try {
        done = read(out).runs.length;
      } catch {
        // Not written yet.
      }
      if (done >= 20 || Date.now() > deadline) break;
    }
    child.kill('SIGINT');
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toContain('1200 runs');
    expect(status).toBe(130);
    const results = read(out);
    expect(results.complete).toBe(false);
    expect(results.runs.length).toBeGreaterThan(0);
    expect(results.runs.length).toBeLessThan(1200);
  });
});
