import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STRACE_RECORD_ARGUMENTS } from './strace-record-arguments.js';
import { parseStraceLines } from './strace-text.test-support.js';

const STRACE = '/usr/bin/strace';

/** strace may be missing, or ptrace refused (some containers): then there is nothing to run. */
function straceWorks(): boolean {
  if (!existsSync(STRACE)) return false;
  return spawnSync(STRACE, ['-o', '/dev/null', '--', 'true']).status === 0;
}

describe('STRACE_RECORD_ARGUMENTS', () => {
  it('keeps what the parser needs and drops what it does not', () => {
    expect(STRACE_RECORD_ARGUMENTS).toContain('-f');
    expect(STRACE_RECORD_ARGUMENTS).toContain('-ttt');
    // These two would drop +++ lines: -qq every exit, signal=none the kills.
    expect(STRACE_RECORD_ARGUMENTS).not.toContain('-qq');
    expect(STRACE_RECORD_ARGUMENTS.join(' ')).not.toMatch(/signal=none/);
    expect(Object.isFrozen(STRACE_RECORD_ARGUMENTS)).toBe(true);
  });

  it.runIf(straceWorks())(
    'records a real run that parses back: a process, its exit code, a kill',
    () => {
      const directory = mkdtempSync(join(tmpdir(), 'vmars-strace-'));
      try {
        const file = join(directory, 'trace.txt');
        const run = spawnSync(STRACE, [
          ...STRACE_RECORD_ARGUMENTS,
          '-o',
          file,
          '--',
          'sh',
          '-c',
          '(exit 3) & wait; sh -c "kill -9 \\$\\$" & wait',
        ]);
        expect(run.status, run.stderr.toString()).toBe(0);
        const lines = readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => line !== '');
        const parsed = parseStraceLines(lines, file);
        const [first, ...children] = parsed.tasks;
        expect(first).toMatchObject({
          parent: null,
          kind: 'process',
          start: 0,
          startSeq: 0,
          ending: 'exit',
          code: 0,
        });
        expect(parsed.header.command).toMatch(/^sh -c /);
        expect(
          children.map((task) => [task.parent, task.kind, task.ending, task.code ?? task.signal]),
        ).toEqual([
          [first?.id, 'process', 'exit', 3],
          [first?.id, 'process', 'signal', 'SIGKILL'],
        ]);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );
});
