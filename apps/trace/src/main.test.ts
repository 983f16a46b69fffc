import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type CapturedRun,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  runCaptured,
} from '@vmars/cli-support';
import type { Trace } from '@vmars/thread-traces';
import { readTraceFile } from '@vmars/thread-traces/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type TraceDependencies } from './main.js';
import { findExecutable, STRACE_MISSING } from './record.js';
import type { FileStats } from './render-stats.js';
import { MAKE_HEADER } from './test-fixture.js';

function run(argv: string[], dependencies: TraceDependencies = {}): Promise<CapturedRun> {
  return runCaptured((io) => main(argv, io, dependencies));
}

/**
 * A hand-made trace in the project's format: `make` (1234, alive to the end) starts a thread
 * (1235, 120 to 5400 µs) and a process (1240, 300 to 900 µs, killed). Records in the order their
 * tasks ended, the censored one last.
 */
const HEADER = { ...MAKE_HEADER, notes: { program: 'GNU Make 4.3' } };
const RECORDS = [
  {
    id: 1240,
    parent: 1234,
    kind: 'process',
    start: 300,
    end: 900,
    seq: [2, 3],
    ending: 'signal',
    signal: 'SIGKILL',
  },
  {
    id: 1235,
    parent: 1234,
    kind: 'thread',
    start: 120,
    end: 5400,
    seq: [1, 4],
    ending: 'exit',
    code: 0,
  },
  { id: 1234, parent: null, kind: 'process', start: 0, end: null, seq: [0, null], ending: null },
];
const MAKE_TRACE = [HEADER, ...RECORDS].map((line) => `${JSON.stringify(line)}\n`).join('');

/**
 * The same shape as strace's `-f -ttt -o` form prints it: `sh -c 'true & wait'` forks one child,
 * which exits; then the shell exits.
 */
const SH_STRACE = `100 1733534822.000000 execve("/bin/sh", ["sh", "-c", "true & wait"], 0x7ffd /* 3 vars */) = 0
100 1733534822.000100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f7b52774a10) = 101
101 1733534822.000200 exit_group(0)                     = ?
101 1733534822.000300 +++ exited with 0 +++
100 1733534822.000400 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---
100 1733534822.000500 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 101
100 1733534822.000600 exit_group(0)                     = ?
100 1733534822.000700 +++ exited with 0 +++
`;

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'vmars-trace-test-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

/** The tasks and header of a trace without the parts that differ by design. */
function tasksOf(trace: Trace) {
  return trace.tasks.map((task) => ({ ...task }));
}

describe('convert', () => {
  it('reads the project format back to the same tasks, plain and gzip', async () => {
    const input = file('make.vmars-trace', MAKE_TRACE);
    const plain = join(directory, 'copy.vmars-trace');
    const zipped = join(directory, 'copy.vmars-trace.gz');
    const first = await run(['convert', input, '--out', plain]);
    expect(first).toMatchObject({ status: EXIT_OK, stdout: '' });
    expect(first.stderr).toBe(
      `vmars-trace: ${plain}: 3 tasks (1 thread, 2 processes), at most 3 alive at once, from ${input}\n`,
    );
    // The writer's own output is the same file, record for record.
    expect(readFileSync(plain, 'utf8')).toBe(MAKE_TRACE);
    expect((await run(['convert', plain, '--out', zipped])).status).toBe(EXIT_OK);
    const bytes = readFileSync(zipped);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(bytes).toString('utf8')).toBe(MAKE_TRACE);
    expect(tasksOf(await readTraceFile(zipped))).toEqual(tasksOf(await readTraceFile(input)));
    expect(readdirSync(directory).sort()).toEqual([
      'copy.vmars-trace',
      'copy.vmars-trace.gz',
      'make.vmars-trace',
    ]);
  });

  it('converts strace output, gzip-compressed input too, with a command and notes', async () => {
    const input = file('sh.strace.gz', gzipSync(SH_STRACE));
    const out = join(directory, 'sh.vmars-trace');
    const result = await run([
      'convert',
      input,
      '--out',
      out,
      '--command',
      "sh -c 'true & wait'",
      '--note',
      'machine=test',
    ]);
    expect(result).toMatchObject({ status: EXIT_OK, stdout: '' });
    const trace = await readTraceFile(out);
    expect(trace.header).toMatchObject({
      source: 'strace',
      command: "sh -c 'true & wait'",
      origin: '1733534822.000000',
      kindsKnown: true,
      notes: { machine: 'test' },
    });
    expect(
      trace.tasks.map((task) => [task.id, task.parent, task.kind, task.start, task.end]),
    ).toEqual([
      [100, null, 'process', 0, 700],
      [101, 100, 'process', 100, 300],
    ]);
  });

  it('keeps the input header’s notes and adds the new ones', async () => {
    const input = file('make.vmars-trace', MAKE_TRACE);
    const out = join(directory, 'out.vmars-trace');
    await run(['convert', input, '--out', out, '--note', 'corpus=yes']);
    expect((await readTraceFile(out)).header.notes).toEqual({
      program: 'GNU Make 4.3',
      corpus: 'yes',
    });
  });

  describe('strace -ff files', () => {
    const parts = {
      'run.100': `1733534822.000000 execve("/bin/sh", ["sh"], 0x7ffd /* 3 vars */) = 0
1733534822.000100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f7b52774a10) = 101
1733534822.000500 wait4(-1, NULL, 0, NULL) = 101
1733534822.000600 exit_group(0)                     = ?
1733534822.000700 +++ exited with 0 +++
`,
      'run.101': `1733534822.000200 exit_group(3)                     = ?
1733534822.000300 +++ exited with 3 +++
`,
    };
    const expected = [
      [100, null, 'process', 0, 700],
      [101, 100, 'process', 100, 300],
    ];

    it('takes several INPUTs as the files of one run', async () => {
      const paths = Object.entries(parts).map(([name, content]) => file(name, content));
      const out = join(directory, 'run.vmars-trace');
      const result = await run(['convert', ...paths, '--out', out]);
      expect(result.stderr).toContain('from 2 strace -ff files');
      expect(result.status).toBe(EXIT_OK);
      const trace = await readTraceFile(out);
      expect(
        trace.tasks.map((task) => [task.id, task.parent, task.kind, task.start, task.end]),
      ).toEqual(expected);
    });

    it('takes a single INPUT that is no file as their prefix, gzip-compressed parts too', async () => {
      file('run.100', parts['run.100']);
      file('run.101.gz', gzipSync(parts['run.101']));
      file('run.notes', 'not a part');
      const out = join(directory, 'run.vmars-trace');
      const result = await run(['convert', join(directory, 'run'), '--out', out]);
      expect(result).toMatchObject({ status: EXIT_OK });
      const trace = await readTraceFile(out);
      expect(
        trace.tasks.map((task) => [task.id, task.parent, task.kind, task.start, task.end]),
      ).toEqual(expected);
      const refused = await run([
        'convert',
        join(directory, 'run'),
        '--out',
        out,
        '--format',
        'perf',
      ]);
      expect(refused.status).toBe(EXIT_USAGE);
      expect(refused.stderr).toContain('is the prefix of strace -ff files');
    });
  });
});

describe('stats', () => {
  it('prints a table, one column per file', async () => {
    const input = file('make.vmars-trace', MAKE_TRACE);
    const result = await run(['stats', input]);
    expect(result).toMatchObject({ status: EXIT_OK, stderr: '' });
    const lines = result.stdout.split('\n');
    const row = (label: string) => lines.find((line) => line.startsWith(label))?.split(/\s{2,}/);
    expect(row('tasks created')).toEqual(['tasks created', '3']);
    expect(row('threads')).toEqual(['threads', '1']);
    expect(row('processes')).toEqual(['processes', '2']);
    expect(row('most alive at once')).toEqual(['most alive at once', '3']);
    expect(row('alive at its end')).toEqual(['alive at its end', '1']);
    expect(row('duration')).toEqual(['duration', '5.4ms']);
    expect(row('lifetime p50')).toEqual(['lifetime p50', '600µs']);
    expect(row('lifetime p90')).toEqual(['lifetime p90', '5.28ms']);
    expect(row('lifetime max')).toEqual(['lifetime max', '5.28ms']);
  });

  it('--json is an array of every file’s header and stats, in microseconds', async () => {
    const make = file('make.vmars-trace', MAKE_TRACE);
    const sh = file('sh.strace', SH_STRACE);
    const result = await run(['stats', '--json', make, sh]);
    expect(result.status).toBe(EXIT_OK);
    const parsed = JSON.parse(result.stdout) as FileStats[];
    expect(parsed.map((entry) => entry.file)).toEqual([make, sh]);
    expect(parsed[0]?.header).toEqual(HEADER);
    expect(parsed[0]?.stats).toEqual({
      tasks: 3,
      threads: 1,
      processes: 2,
      unknownKind: 0,
      mostAlive: 3,
      censored: 1,
      startedBefore: 0,
      durationUs: 5400,
      lifetimeUs: { p50: 600, p90: 5280, p99: 5280, max: 5280 },
    });
    expect(parsed[1]?.stats).toMatchObject({ tasks: 2, processes: 2, mostAlive: 2, censored: 0 });
  });

  it('--markdown writes the corpus table: header rows, then one row per file', async () => {
    const make = file('make.vmars-trace', MAKE_TRACE);
    const result = await run(['stats', '--markdown', make]);
    expect(result.stdout.split('\n').slice(2)).toEqual([
      '| make | `make -j2` | 3 | 1 | 2 | 3 | 1 | 5.4ms | 600µs | 5.28ms | 5.28ms |',
      '',
    ]);
  });
});

/**
 * `perf script` of `sched:sched_process_fork` and `sched:sched_process_exit` only: without
 * `task:task_newtask` threads cannot be told from processes.
 */
const PERF_NO_KINDS = `           tasks 12826 [000]   308.701826: sched:sched_process_fork: comm=tasks pid=12826 child_comm=tasks child_pid=12828
           tasks 12828 [000]   308.704213: sched:sched_process_exit: comm=tasks pid=12828 prio=120 group_dead=true
           tasks 12826 [000]   308.709640: sched:sched_process_exit: comm=tasks pid=12826 prio=120 group_dead=true
`;

describe('perf input', () => {
  it('converts and counts it, with ? for the kinds it cannot tell', async () => {
    const input = file('tasks.perf', PERF_NO_KINDS);
    const out = join(directory, 'tasks.jsonl');
    expect((await run(['convert', input, '--out', out])).status).toBe(EXIT_OK);
    const trace = await readTraceFile(out);
    expect(trace.header).toMatchObject({ source: 'perf', kindsKnown: false });
    expect(trace.tasks.map((task) => task.id)).toContain(12828);
    const markdown = await run(['stats', '--markdown', input, out]);
    const rows = markdown.stdout.trimEnd().split('\n').slice(2);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^\| tasks \| - \| \d+ \| \? \| \? \| /);
  });

  it('--format forces a format: a perf file read as strace is refused at its first line', async () => {
    const input = file('tasks.perf.txt', PERF_NO_KINDS);
    const out = join(directory, 'tasks.jsonl');
    const result = await run(['convert', input, '--out', out, '--format', 'strace']);
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(/line 1\b/);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(readdirSync(directory)).toEqual(['tasks.perf.txt']);
  });
});

describe('bad input: one line on stderr, exit 2, nothing written', () => {
  function expectRefused(result: CapturedRun, message: string | RegExp): void {
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stdout).toBe('');
    expect(result.stderr.endsWith('\n')).toBe(true);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(/^vmars-trace: /);
    expect(result.stderr).toMatch(message);
  }

  it.each([
    [['record', '--bogus', '--out', 'OUT', '--', 'true'], 'unknown option --bogus'],
    [['convert', 'IN', '--out', 'OUT', '--bogus'], 'unknown option --bogus'],
    [['stats', 'IN', '--bogus'], 'unknown option --bogus'],
    [['record', '--', 'true'], 'record: --out FILE is required'],
    [['convert', 'IN'], 'convert: --out FILE is required'],
    [['record', '--out', 'OUT', '--'], 'record: expected -- COMMAND'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [[], 'expected a command'],
  ])('%j', async (argv, message) => {
    const input = file('in.vmars-trace', MAKE_TRACE);
    const out = join(directory, 'out.vmars-trace');
    const result = await run(
      argv.map((word) => (word === 'IN' ? input : word === 'OUT' ? out : word)),
    );
    expectRefused(result, message);
    expect(readdirSync(directory)).toEqual(['in.vmars-trace']);
  });

  it('a missing input file', async () => {
    const missing = join(directory, 'missing.vmars-trace');
    const out = join(directory, 'out.vmars-trace');
    expectRefused(await run(['convert', missing, '--out', out]), missing);
    expectRefused(await run(['stats', missing]), missing);
    // A good file before a missing one: still nothing on stdout.
    const good = file('make.vmars-trace', MAKE_TRACE);
    expectRefused(await run(['stats', '--markdown', good, missing]), missing);
    expect(readdirSync(directory)).toEqual(['make.vmars-trace']);
  });

  it('an unreadable input (a directory)', async () => {
    const folder = join(directory, 'folder');
    mkdirSync(folder);
    const out = join(directory, 'out.vmars-trace');
    expectRefused(await run(['convert', folder, '--out', out]), folder);
    expectRefused(await run(['stats', folder]), folder);
    expect(readdirSync(directory)).toEqual(['folder']);
  });

  it('a file that is no trace', async () => {
    const input = file('notes.txt', 'hello, world\nthis is no trace\n');
    const out = join(directory, 'out.vmars-trace');
    expectRefused(await run(['convert', input, '--out', out]), input);
    expectRefused(await run(['stats', input]), input);
    expect(readdirSync(directory)).toEqual(['notes.txt']);
  });

  it('a bad trace, naming its line', async () => {
    const lines = MAKE_TRACE.split('\n');
    lines[2] = lines[2]?.slice(0, 20) ?? '';
    const input = file('cut.vmars-trace', lines.join('\n'));
    const out = join(directory, 'out.vmars-trace.gz');
    expectRefused(await run(['convert', input, '--out', out]), /line 3\b/);
    expectRefused(await run(['stats', input]), /line 3\b/);
    // A record that contradicts the ones before: task 1235 ends before it starts.
    const contradiction = file(
      'contradiction.vmars-trace',
      MAKE_TRACE.replace('"start":120,"end":5400', '"start":5400,"end":120'),
    );
    expectRefused(await run(['stats', contradiction]), 'contradiction.vmars-trace');
    expect(readdirSync(directory).sort()).toEqual(['contradiction.vmars-trace', 'cut.vmars-trace']);
  });

  it('an --out that cannot be written', async () => {
    const input = file('make.vmars-trace', MAKE_TRACE);
    const out = join(directory, 'no-such-folder', 'out.vmars-trace');
    expectRefused(await run(['convert', input, '--out', out]), `--out: cannot write ${out}`);
    expectRefused(await run(['record', '--out', out, '--', 'true']), `--out: cannot write ${out}`);
    expect(readdirSync(directory)).toEqual(['make.vmars-trace']);
  });

  it('record without strace on PATH says how to install it', async () => {
    const out = join(directory, 'out.vmars-trace');
    const result = await run(['record', '--out', out, '--', 'true'], { path: directory });
    expectRefused(result, STRACE_MISSING);
    expect(result.stderr).toContain('apt-get install strace');
    expect(readdirSync(directory)).toEqual([]);
  });

  it('record of a command that does not exist', async () => {
    const out = join(directory, 'out.vmars-trace');
    expectRefused(
      await run(['record', '--out', out, '--', 'no-such-command-vmars']),
      'record: no-such-command-vmars: command not found on PATH',
    );
    expectRefused(
      await run(['record', '--out', out, '--', join(directory, 'nothing')]),
      'no such executable file',
    );
    expect(readdirSync(directory)).toEqual([]);
  });
});

it('fails with status 1 and writes nothing when strace records nothing', async () => {
  // A fake strace on PATH that runs nothing and fails, as strace does when ptrace is refused.
  const bin = join(directory, 'bin');
  mkdirSync(bin);
  const fake = join(bin, 'strace');
  writeFileSync(
    fake,
    '#!/bin/sh\necho "strace: ptrace(PTRACE_TRACEME): Operation not permitted" >&2\nexit 1\n',
    {
      mode: 0o755,
    },
  );
  const path = `${bin}:${process.env.PATH ?? ''}`;
  expect(
    spawnSync('sh', ['-c', 'command -v strace'], { env: { PATH: path } }).stdout.toString(),
  ).toBe(`${fake}\n`);
  const out = join(directory, 'out.vmars-trace');
  const result = await run(['record', '--out', out, '--', 'true'], { path });
  expect(result.status).toBe(EXIT_FAILURE);
  expect(result.stderr).toBe(
    'vmars-trace: strace recorded nothing (it exited with status 1): see its message above\n',
  );
  expect(readdirSync(directory)).toEqual(['bin']);
});

it("fails with status 1 and keeps strace's output when it cannot be read", async () => {
  // A fake strace that writes something no parser reads to its -o file, and succeeds.
  const bin = join(directory, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'strace'),
    '#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done\necho "not strace" > "$out"\n',
    { mode: 0o755 },
  );
  const out = join(directory, 'out.vmars-trace');
  const result = await run(['record', '--out', out, '--', 'true'], {
    path: `${bin}:${process.env.PATH ?? ''}`,
  });
  expect(result.status).toBe(EXIT_FAILURE);
  expect(result.stderr.split('\n')).toHaveLength(2);
  const kept = /kept for a look: (\/\S*\/strace\.txt):line 1: /.exec(result.stderr)?.[1];
  expect(kept, result.stderr).toBeDefined();
  expect(readFileSync(kept ?? '', 'utf8')).toBe('not strace\n');
  rmSync(join(kept ?? '', '..'), { recursive: true });
  expect(readdirSync(directory)).toEqual(['bin']);
});

/**
 * The real thing: strace on this machine. CI installs it (.ci/run), so there a missing strace
 * fails this suite rather than skipping it.
 */
const strace = findExecutable('strace', process.env.PATH);
const ci = process.env.CI === 'true' || process.env.CI === '1';

it('strace is on PATH wherever record is tested (always in CI)', () => {
  if (ci) expect(strace, 'CI must install strace (see .ci/run)').toBeDefined();
});

describe.skipIf(strace === undefined && !ci)('record, with strace', () => {
  it("records sh -c 'true & true & wait': two children, all ended", async () => {
    const out = join(directory, 'sh.vmars-trace.gz');
    const now = Date.parse('2026-12-07T01:00:00.250Z');
    const result = await run(
      ['record', '--out', out, '--note', 'purpose=test', '--', 'sh', '-c', 'true & true & wait'],
      { now: () => now },
    );
    expect(result.stderr).toMatch(
      /^vmars-trace: .*sh\.vmars-trace\.gz: 3 tasks \(0 threads, 3 processes\), at most \d alive at once; the command exited with status 0\n$/,
    );
    expect(result.status).toBe(EXIT_OK);
    expect(readdirSync(directory)).toEqual(['sh.vmars-trace.gz']);
    const bytes = readFileSync(out);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const trace = await readTraceFile(out);
    expect(trace.header).toMatchObject({
      format: 'vmars-trace',
      version: 1,
      source: 'strace',
      command: "sh -c 'true & true & wait'",
      date: '2026-12-07T01:00:00Z',
      kindsKnown: true,
      notes: { purpose: 'test' },
    });
    const [shell, ...children] = trace.tasks;
    expect(shell).toMatchObject({ parent: null, kind: 'process', start: 0 });
    expect(children).toHaveLength(2);
    for (const child of children) {
      expect(child).toMatchObject({ parent: shell?.id, kind: 'process' });
      expect(child.end).not.toBeNull();
    }

    const stats = await run(['stats', '--json', out]);
    expect(stats.status).toBe(EXIT_OK);
    const [entry] = JSON.parse(stats.stdout) as FileStats[];
    expect(entry?.stats).toMatchObject({
      tasks: 3,
      threads: 0,
      processes: 3,
      censored: 0,
      startedBefore: 0,
    });
    // The shell is alive throughout, and at least one child with it.
    expect(entry?.stats.mostAlive).toBeGreaterThanOrEqual(2);
    expect(entry?.stats.mostAlive).toBeLessThanOrEqual(3);
    expect(entry?.stats.lifetimeUs).not.toBeNull();
  });

  it('records threads as threads', async () => {
    // A shell has no threads; Node's own helper threads are real CLONE_THREAD clones.
    const out = join(directory, 'node.vmars-trace');
    const result = await run(['record', '--out', out, '--', process.execPath, '-e', '0']);
    expect(result.status).toBe(EXIT_OK);
    const trace = await readTraceFile(out);
    const threads = trace.tasks.filter((task) => task.kind === 'thread');
    expect(threads.length).toBeGreaterThan(0);
    expect(trace.tasks[0]).toMatchObject({ kind: 'process', parent: null });
  });

  it("passes the command's exit status on, after writing the trace", async () => {
    const out = join(directory, 'exit.vmars-trace');
    const result = await run(['record', '--out', out, '--', 'sh', '-c', 'exit 3']);
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/the command exited with status 3\n$/);
    expect((await readTraceFile(out)).tasks).toHaveLength(1);
  });

  it('says 128+N when signal N killed the command', async () => {
    const out = join(directory, 'killed.vmars-trace');
    const result = await run(['record', '--out', out, '--', 'sh', '-c', 'kill -TERM $$']);
    expect(result.status).toBe(128 + 15);
    expect(result.stderr).toMatch(/the command was killed by SIGTERM\n$/);
    const [shell] = (await readTraceFile(out)).tasks;
    expect(shell).toMatchObject({ ending: 'signal', signal: 'SIGTERM' });
  });
});
