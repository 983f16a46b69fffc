/**
 * The root commands that run a program print only the program's output when the build is up to
 * date, and the build's output (with its exit status) only when it fails. Runs after the build, as
 * the root `test` script does; `pnpm` is the pnpm that runs the test.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function run(command: string, args: readonly string[]) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('the root commands on an up-to-date build', () => {
  it('pnpm -s demo --threads -5: one line on stderr, exit 2', () => {
    const { status, stdout, stderr } = run('pnpm', ['-s', 'demo', '--threads', '-5']);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual(['vmars-demo: --threads: expected a positive integer, got "-5"']);
    expect(status).toBe(2);
  });

  it('pnpm -s lab --policies nope: one line on stderr, exit 2', () => {
    const { status, stdout, stderr } = run('pnpm', ['-s', 'lab', '--policies', 'nope']);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^vmars-lab: .*"nope"/);
    expect(status).toBe(2);
  });

  it('pnpm -s trace with an unknown option: one line on stderr, exit 2', () => {
    const { status, stdout, stderr } = run('pnpm', ['-s', 'trace', '--bogus']);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(status).toBe(2);
  });

  it("prints the program's output and nothing of the install or the build", () => {
    const { status, stdout, stderr } = run(process.execPath, [
      'scripts/quiet-build.mjs',
      '--filter=@vmars/cli-support',
      '--',
      '-e',
      'console.log("only this"); process.exitCode = 7',
    ]);
    expect(stdout).toBe('only this\n');
    expect(stderr).toBe('');
    expect(status).toBe(7);
  });
});

describe('a failing build', () => {
  it('shows the build output, then the step and its exit status, and runs nothing', () => {
    const { status, stdout, stderr } = run(process.execPath, [
      'scripts/quiet-build.mjs',
      '--filter=@vmars/no-such-package',
      '--',
      '-e',
      'console.log("must not run")',
    ]);
    expect(stdout).toBe('');
    expect(stderr).toContain('no-such-package');
    expect(lines(stderr).at(-1)).toMatch(
      /^turbo run build --filter=@vmars\/no-such-package failed \(exit status [1-9]\d*\)$/,
    );
    expect(status).not.toBe(0);
  });

  it('refuses its own bad arguments with status 2', () => {
    const { status, stderr } = run(process.execPath, ['scripts/quiet-build.mjs', 'nope']);
    expect(status).toBe(2);
    expect(stderr).toContain('expected `--` before the program');
  });
});
