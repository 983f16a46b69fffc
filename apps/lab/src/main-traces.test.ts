import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Tinypool from 'tinypool';
import { describe, expect, it } from 'vitest';
import { parseLabOptions } from './cli-options.js';
import type { LabDependencies } from './main.js';
import { renderLabHtml } from './render-html.js';
import { deterministicJson, type ResultsFile } from './results-file.js';
import type { RunRecord } from './run-one.js';
import { runTasks } from './run-task.js';
import { inProcessRunner, workerFile } from './runner.js';
import { expandSweep, parseSweepSpec } from './sweep-spec.js';
import { runLab } from './test-run.js';
import { wavesOfThreads, writeTestTrace } from './test-traces.js';
import { loadTrace } from './trace-workloads.js';
import { SEEDS_VARY } from './workload-info.js';

function temporary(): string {
  return mkdtempSync(join(tmpdir(), 'vmars-lab-main-traces-'));
}

const run = runLab;

const read = (path: string): ResultsFile => JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
const stable = (results: ResultsFile) => results.runs.map(deterministicJson);

/** A folder with two traces of the project's format, one gzipped, as a corpus or as --trace files. */
function traces(): { directory: string; build: string; server: string } {
  const directory = temporary();
  const build = join(directory, 'build.jsonl.gz');
  const server = join(directory, 'server.jsonl');
  // A build: short processes, a few at a time; a server: a pool of threads that come and go.
  writeTestTrace(
    build,
    [
      { start: 0, end: 100_000, kind: 'process' },
      ...Array.from({ length: 30 }, (_, index) => ({
        start: 100 + index * 3_000,
        end: 100 + index * 3_000 + 5_500 + (index % 4) * 7,
        kind: 'process' as const,
      })),
    ],
    'make -j2',
  );
  writeTestTrace(server, wavesOfThreads(80, 16), 'server --threads 16');
  return { directory, build, server };
}

describe('--trace and trace:NAME', () => {
  it('parse: repeated or a comma list, joined to --workloads, or the workloads alone', () => {
    const alone = parseLabOptions(['--trace', 'a/build.jsonl.gz', '--trace', 'b.strace,c.log']);
    expect(alone.command === 'run' && alone.rawSpec.workloads).toEqual([
      'trace:build',
      'trace:b',
      'trace:c',
    ]);
    expect(alone.command === 'run' && alone.traceFiles).toEqual([
      'a/build.jsonl.gz',
      'b.strace',
      'c.log',
    ]);
    const joined = parseLabOptions(['--workloads', 'steady-100', '--trace', 'x.jsonl']);
    expect(joined.command === 'run' && joined.rawSpec.workloads).toEqual(['steady-100', 'trace:x']);
    const withSpec = parseLabOptions(['--spec', 's.json', '--trace', 'x.jsonl']);
    expect(withSpec.command === 'run' && withSpec.rawSpec).toEqual({});
    const series = parseLabOptions(['--time-series', 'trace:x:arm64,waves:x86_64']);
    expect(series.command === 'run' && series.rawSpec.timeSeries).toEqual([
      { workload: 'trace:x', architecture: 'arm64' },
      { workload: 'waves', architecture: 'x86_64' },
    ]);
  });

  it.each([
    [['--workloads', 'trace:nope'], 'unknown workload "trace:nope": no --trace file is named nope'],
    [['--trace', 'bad name.jsonl'], '--trace bad name.jsonl: its base name'],
    [['--workloads', 'trace:a|b'], 'a trace name is'],
    [['--time-series', 'x86_64'], '--time-series: expected workload:arch'],
  ])('%j: exit 2, one line, before any run', async (argv, message) => {
    const directory = temporary();
    const out = join(directory, 'results.json');
    const result = await run([...argv, '--out', out, '--workers', '0'], {
      corpusDirectory: traces().directory,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('a file that is not a trace: exit 2, one line naming it, before any run', async () => {
    const directory = temporary();
    const bad = join(directory, 'notes.txt');
    writeFileSync(bad, 'these are my notes\nnot a trace\n');
    const out = join(directory, 'results.json');
    const result = await run(['--trace', bad, '--out', out, '--workers', '0']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^vmars-lab: --trace .*notes\.txt: /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('a corpus trace and a user’s trace run beside a suite workload; the results say what seeds vary', async () => {
    const { directory, server } = traces();
    const out = join(temporary(), 'results.json');
    const html = join(temporary(), 'report.html');
    const result = await run(
      [
        '--policies',
        'compact,exact-probe,root',
        '--workloads',
        'trace:build,steady-100',
        '--trace',
        server,
        '--seeds',
        '3',
        '--workers',
        '0',
        '--out',
        out,
        '--html',
        html,
      ],
      { corpusDirectory: directory },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`its seeds vary ${SEEDS_VARY.trace}`);
    expect(result.stdout).toContain(
      `2 trace workloads, each one recorded run: their seeds vary ${SEEDS_VARY.trace}\n`,
    );
    expect(result.stderr).toMatch(
      /trace:build: .*build\.jsonl\.gz, 31 tasks, at most 3 alive \(make -j2\)/,
    );
    const results = read(out);
    expect(results.complete).toBe(true);
    expect(results.failed).toBe(0);
    expect(results.runs).toHaveLength(3 * 3 * 3);
    expect(results.sweep.spec.traces?.map((ref) => ref.name)).toEqual(['build', 'server']);
    const kinds = results.workloads?.map((info) => [info.name, info.kind, info.seedsVary]);
    expect(kinds).toEqual([
      ['trace:build', 'trace', SEEDS_VARY.trace],
      ['steady-100', 'suite', SEEDS_VARY.suite],
      ['trace:server', 'trace', SEEDS_VARY.trace],
    ]);
    const serverInfo = results.workloads?.find((info) => info.name === 'trace:server');
    expect(serverInfo?.shape.mostAlive).toBe(17);
    expect(serverInfo?.kind === 'trace' && serverInfo.description).toBe('server --threads 16');
    // Every trace run created every task, whatever its seed.
    for (const record of results.runs) {
      if (!record.ok) throw new Error(record.error);
      if (record.workload === 'trace:build') expect(record.metrics.created).toBe(31);
      if (record.workload === 'trace:server') expect(record.metrics.created).toBe(81);
    }
    const exact = results.cells.find(
      (cell) => cell.policy === 'exact-probe' && cell.workload === 'trace:server',
    );
    expect(exact?.ratios.pageTablesMax?.n).toBe(3);
    const page = readFileSync(html, 'utf8');
    expect(page).toBe(renderLabHtml(results));
    expect(page).toContain('data-kind="workloads-table"');
    expect(page).toContain(
      `data-workload="trace:server" data-workload-kind="trace" data-seeds-vary="${SEEDS_VARY.trace}"`,
    );
  });

  it('gives the same results with 0 and 2 workers, in shards merged, and resumed', async () => {
    const { server, build } = traces();
    const sweep = [
      '--policies',
      'compact,shared-list',
      '--trace',
      `${server},${build}`,
      '--seeds',
      '4',
    ];
    const directory = temporary();
    const zero = join(directory, 'w0.json');
    const two = join(directory, 'w2.json');
    expect((await run([...sweep, '--workers', '0', '--out', zero])).status).toBe(0);
    expect((await run([...sweep, '--workers', '2', '--out', two])).status).toBe(0);
    expect(stable(read(two))).toEqual(stable(read(zero)));
    const parts: string[] = [];
    for (const index of [1, 2]) {
      const part = join(directory, `part${String(index)}.json`);
      const sharded = await run([
        ...sweep,
        '--workers',
        '0',
        '--shard',
        `${String(index)}/2`,
        '--out',
        part,
      ]);
      expect(sharded.status).toBe(0);
      parts.push(part);
    }
    const merged = join(directory, 'merged.json');
    expect((await run(['merge', '--out', merged, ...parts])).status).toBe(0);
    expect(stable(read(merged))).toEqual(stable(read(zero)));
    expect(read(merged).workloads).toEqual(read(zero).workloads);
    // A sweep stopped after a few runs, then resumed.
    const resumed = join(directory, 'resumed.json');
    let seen = 0;
    const stopping: LabDependencies = {
      makeRunner: () => {
        const inner = inProcessRunner();
        return {
          run: (runs, onRecord, signal, traceRefs) => {
            const controller = new AbortController();
            signal.addEventListener('abort', () => controller.abort());
            return inner.run(
              runs,
              (record: RunRecord) => {
                onRecord(record);
                seen += 1;
                if (seen === 5) controller.abort();
              },
              controller.signal,
              traceRefs,
            );
          },
        };
      },
    };
    expect((await run([...sweep, '--workers', '0', '--out', resumed], stopping)).status).toBe(0);
    expect(read(resumed).complete).toBe(false);
    expect((await run([...sweep, '--workers', '0', '--out', resumed, '--resume'])).status).toBe(0);
    expect(stable(read(resumed))).toEqual(stable(read(zero)));
    // A changed trace is another sweep: --resume refuses it.
    writeTestTrace(server, wavesOfThreads(81, 16));
    const refused = await run([...sweep, '--workers', '0', '--out', resumed, '--resume']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('holds results of another sweep');
  });

  it('--spec may name a --trace file', async () => {
    const { server } = traces();
    const directory = temporary();
    const spec = join(directory, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        name: 'mine',
        seeds: 2,
        policies: ['compact'],
        workloads: ['trace:server'],
      }),
    );
    const out = join(directory, 'results.json');
    const result = await run(['--spec', spec, '--trace', server, '--workers', '0', '--out', out]);
    expect(result.status).toBe(0);
    expect(read(out).runs).toHaveLength(2);
    // A --trace the spec does not name is a mistake, not a silent no-op.
    const { build } = traces();
    const unused = await run(['--spec', spec, '--trace', `${server},${build}`, '--out', out]);
    expect(unused.status).toBe(2);
    expect(unused.stderr).toMatch(
      /^vmars-lab: --trace .*build\.jsonl\.gz: the spec names no workload trace:build\n$/,
    );
  });
});

describe('a worker', () => {
  it('reads each trace once, however many of its runs it does', async () => {
    const { server } = traces();
    const loaded = await loadTrace({ name: 'server', file: server, sha256: '' });
    const spec = {
      ...parseSweepSpec({ workloads: ['trace:server'], seeds: 6, policies: ['compact', 'root'] }),
      traces: [loaded.ref],
    };
    const pool = new Tinypool({ filename: workerFile(), minThreads: 1, maxThreads: 1 });
    try {
      const records = (await Promise.all(
        runTasks(expandSweep(spec).runs, spec.traces).map((task) => pool.run(task)),
      )) as RunRecord[];
      expect(records).toHaveLength(12);
      expect(records.every((record) => record.ok)).toBe(true);
      expect(await pool.run(undefined, { name: 'traceReads' })).toBe(1);
    } finally {
      await pool.destroy();
    }
  });
});
