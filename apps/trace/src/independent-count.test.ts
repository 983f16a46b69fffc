import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Trace, traceStats } from '@vmars/thread-traces';
import { readStraceParts, readTraceFile } from '@vmars/thread-traces/node';
import { describe, expect, it } from 'vitest';

/**
 * The library's counts against an independent count of the same files: scripts/count-trace-
 * tasks.py, written apart from @vmars/thread-traces in another language, reads every real and
 * hand-written fixture and every corpus trace, and must give the same tasks, threads, processes,
 * tasks of unknown kind, most alive at once and censored tasks as `traceStats` of what the
 * library parsed. A parser that miscounted one of them would have to make the same mistake twice.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COUNTER = join(ROOT, 'scripts/count-trace-tasks.py');
const FIXTURES = join(ROOT, 'packages/thread-traces/fixtures');
const CORPUS = join(ROOT, 'corpus');

type Form = 'strace-o' | 'strace-stderr' | 'strace-ff' | 'perf' | 'vmars-trace';
interface Case {
  readonly name: string;
  readonly form: Form;
  readonly paths: readonly string[];
}

function files(folder: string, suffix: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(folder, name));
}

const strace = join(FIXTURES, 'strace');
const cases: Case[] = [
  ...files(strace, '.o.txt').map((path) => ({ form: 'strace-o' as const, path })),
  ...files(strace, '.stderr.txt').map((path) => ({ form: 'strace-stderr' as const, path })),
  ...files(join(FIXTURES, 'perf'), '.perf.txt').map((path) => ({ form: 'perf' as const, path })),
  ...files(join(FIXTURES, 'bpftrace'), '.jsonl').map((path) => ({
    form: 'vmars-trace' as const,
    path,
  })),
  ...files(CORPUS, '.jsonl.gz').map((path) => ({ form: 'vmars-trace' as const, path })),
].map(({ form, path }) => ({ name: path.slice(ROOT.length), form, paths: [path] }));
for (const folder of ['ff', 'ff-execve']) {
  cases.push({
    name: `strace -ff ${folder}`,
    form: 'strace-ff',
    paths: files(join(strace, folder), ''),
  });
}

function python(): string | undefined {
  const found = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? 'python3' : undefined;
}

const interpreter = python();
// A fresh machine of this project's kind has python3 (node-gyp needs it); CI must not skip.
const skip = interpreter === undefined && process.env.CI !== 'true';

describe.skipIf(skip)('an independent count (scripts/count-trace-tasks.py)', () => {
  it('covers every format', () => {
    expect(new Set(cases.map((each) => each.form)).size).toBe(5);
    expect(cases.length).toBeGreaterThan(25);
  });

  it.each(cases)('$name: the same counts as traceStats', async ({ form, paths }) => {
    const run = spawnSync(interpreter ?? 'python3', [COUNTER, form, ...paths], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const independent: unknown = JSON.parse(run.stdout);
    const trace: Trace =
      form === 'strace-ff' ? await readStraceParts(paths) : await readTraceFile(paths[0] ?? '');
    const stats = traceStats(trace);
    expect({
      tasks: stats.tasks,
      threads: stats.threads,
      processes: stats.processes,
      unknownKind: stats.unknownKind,
      mostAlive: stats.mostAlive,
      censored: stats.censored,
    }).toEqual(independent);
  });
});
