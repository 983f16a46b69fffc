import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { EXIT_USAGE } from '@vmars/cli-support';
import { type Trace, traceStats } from '@vmars/thread-traces';
import { readTraceFile } from '@vmars/thread-traces/node';
import { TRACE_REPLAY_NOTE } from '@vmars/thread-workload';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoReport } from './demo-report.js';
import type { DemoDependencies } from './main.js';
import type { PageData } from './report-page-data.js';
import { type DemoRun, runDemo } from './test-run.js';
import { fixtureTrace, fixtureTraceText } from './trace-fixture.js';

function run(argv: string[], dependencies: DemoDependencies = {}): Promise<DemoRun> {
  return runDemo(argv, { dependencies });
}

const trace = fixtureTrace(120);
const stats = traceStats(trace);
/** Hands the demo the trace as if read from any file, so the cases below need no parser. */
const given = (value: Trace): DemoDependencies => ({ readTrace: async () => value });
const pageDataOf = (html: string): PageData =>
  JSON.parse(
    /<script type="application\/json" id="report-data">(.*?)<\/script>/s
      .exec(html)?.[1]
      ?.replaceAll('\\u003c', '<') ?? '{}',
  ) as PageData;

describe('--trace: a recorded program replayed', () => {
  it('reports a trace workload with traceStats’ counts, in the JSON', async () => {
    const result = await run(
      ['--trace', 'dir/make.trace', '--json', '--samples', '20'],
      given(trace),
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as DemoReport;
    const { workload } = report;
    if (workload.pattern !== 'trace') expect.fail(`pattern ${workload.pattern}`);
    expect(workload).toMatchObject({
      threads: stats.tasks,
      peak: stats.mostAlive,
      seed: 1,
      note: TRACE_REPLAY_NOTE,
    });
    expect(workload.trace).toMatchObject({
      ...stats,
      name: 'make.trace',
      command: 'make -j4',
      source: 'strace',
      date: '2026-12-07T01:00:00Z',
      endedAtReplayEnd: stats.censored,
    });
    for (const policy of report.policies) {
      expect(policy.threads.created).toBe(stats.tasks);
      expect(policy.peakSnapshot.liveThreads).toBe(stats.mostAlive);
      expect(policy.end.liveThreads).toBe(0);
      // Samples carry the trace's time, never running backwards.
      const times = policy.samples.map((sample) => sample.time ?? Number.NaN);
      expect(times.every((time, index) => index === 0 || time >= (times[index - 1] ?? 0))).toBe(
        true,
      );
    }
  });

  it('says it is a trace, with its counts, in the table', async () => {
    const result = await run(['--trace', 'make.trace'], given(trace));
    expect(result.status).toBe(0);
    const count = (value: number): string => value.toLocaleString('en-US');
    expect(result.stdout).toContain(
      `vmars-demo: trace make.trace (strace, "make -j4", 2026-12-07T01:00:00Z), replayed: ${count(stats.tasks)} tasks (${count(stats.threads)} threads, ${count(stats.processes)} processes)`,
    );
    expect(result.stdout).toContain(`most alive at once ${count(stats.mostAlive)}`);
    expect(result.stdout).toContain(
      `${count(stats.startedBefore)} alive before it began, ${count(stats.censored)} still alive at its end (${count(stats.censored)} ended when the replay ends)`,
    );
    expect(result.stdout).toContain("seed 1 reaches only the backend's ASLR");
    expect(result.stdout).toMatch(
      /page tables at peak \(after event [\d,]+, [\d.]+ s into the trace\)/,
    );
  });

  it('gives the HTML page’s slider the trace’s own time, in seconds', async () => {
    const result = await run(['--trace', 'make.trace', '--html', 'report.html'], given(trace));
    expect(result.status).toBe(0);
    const html = result.files.get('report.html') ?? '';
    expect(html).toContain('<label for="frame">Trace time</label>');
    expect(html).toContain('class="trace-note"');
    const data = pageDataOf(html);
    expect(data.trace?.decimals).toBe(3);
    const frames = data.policies[0]?.frames ?? [];
    expect(frames.length).toBeGreaterThan(40);
    expect(frames.every((frame) => typeof frame.time === 'number')).toBe(true);
    expect(data.trace?.endUs).toBe(frames.at(-1)?.time);
    // Spread over the trace's time: no gap between frames much wider than a 48th of it.
    const end = data.trace?.endUs ?? 0;
    frames.forEach((frame, index) => {
      if (index > 0) {
        expect((frame.time ?? 0) - (frames[index - 1]?.time ?? 0)).toBeLessThanOrEqual(end / 24);
      }
    });
  });

  it('refuses --threads, --peak or --pattern with --trace: one line, exit 2', async () => {
    for (const [option, value] of [
      ['--threads', '10'],
      ['--peak', '5'],
      ['--pattern', 'bursty'],
    ] as const) {
      const result = await run(['--trace', 'make.trace', option, value], given(trace));
      expect(result.status).toBe(EXIT_USAGE);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `vmars-demo: --trace: cannot be given with ${option}: a trace's tasks are its workload\n`,
      );
    }
  });

  it('refuses a trace with no task: one line naming the file, exit 2', async () => {
    const result = await run(['--trace', 'empty.trace'], given({ ...trace, tasks: [] }));
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stderr).toBe(
      'vmars-demo: empty.trace: the trace has no task: there is nothing to replay\n',
    );
  });
});

describe('--trace FILE read from disk', () => {
  const directory = mkdtempSync(join(tmpdir(), 'vmars-demo-trace-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const text = fixtureTraceText(trace);
  const plain = join(directory, 'make.trace');
  const gzipped = join(directory, 'make.trace.gz');
  writeFileSync(plain, text);
  writeFileSync(gzipped, gzipSync(text));

  it('reads the project’s format, plain or gzipped, to the same report', async () => {
    const fromPlain = await run(['--trace', plain, '--json']);
    expect(fromPlain.stderr).toBe('');
    expect(fromPlain.status).toBe(0);
    const fromGzip = await run(['--trace', gzipped, '--json']);
    expect(fromGzip.status).toBe(0);
    const injected = await run(['--trace', plain, '--json'], given(trace));
    expect(fromPlain.stdout).toBe(injected.stdout);
    const report = JSON.parse(fromGzip.stdout) as DemoReport;
    expect(report.workload.pattern).toBe('trace');
    // Only the name differs: the file's.
    expect(fromGzip.stdout.replace('make.trace.gz', 'make.trace')).toBe(fromPlain.stdout);
  });

  it.each([
    'strace/python-threads.o.txt',
    'strace/xargs-parallel.stderr.txt',
    'strace/attach.o.txt',
    'vmars-trace/spec-example.jsonl',
  ])('replays the trace package’s fixture %s with its traceStats', async (fixture) => {
    const path = fileURLToPath(
      new URL(`../../../packages/thread-traces/fixtures/${fixture}`, import.meta.url),
    );
    const expected = traceStats(await readTraceFile(path));
    const result = await run(['--trace', path, '--json', '--samples', '8']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { workload } = JSON.parse(result.stdout) as DemoReport;
    if (workload.pattern !== 'trace') expect.fail(`pattern ${workload.pattern}`);
    expect(workload.trace).toMatchObject({ ...expected, name: basename(path) });
    expect(workload.peak).toBe(expected.mostAlive);
  });

  it('names a missing file in one line, exit 2', async () => {
    const missing = join(directory, 'missing.trace');
    const result = await run(['--trace', missing]);
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(`vmars-demo: ${missing}`)).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('names the file and the line of a parse error, exit 2', async () => {
    const bad = join(directory, 'bad.trace');
    const lines = text.split('\n');
    lines[2] = '{"id":1,"parent":';
    writeFileSync(bad, lines.join('\n'));
    const result = await run(['--trace', bad]);
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(new RegExp(`^vmars-demo: ${bad}:line 3: .+\\n$`));
  });

  it('names a file that is no trace at all, exit 2', async () => {
    const other = join(directory, 'notes.txt');
    writeFileSync(other, 'hello\nworld\n');
    const result = await run(['--trace', other]);
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(new RegExp(`^vmars-demo: ${other}.*\\n$`));
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
