// Runs every example as a user would (`node dist/<example>.js`, built by `tsc -p
// tsconfig.build.json`, which turbo runs before this test) and checks what it prints against the
// packages themselves.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { memoryBackend } from '@vmars/backend-memory';
import { NAMED_POLICY_NAMES, runWorkload } from '@vmars/thread-workload';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, 'dist');

function runExample(name: string, args: readonly string[] = []) {
  const program = join(dist, `${name}.js`);
  if (!existsSync(program)) throw new Error(`${program} is missing: build the examples first`);
  const result = spawnSync(process.execPath, [program, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('thread-create-vmars', () => {
  it('probes the three lists on the memory backend: three 1 GiB compact VMARs', () => {
    const { status, stdout, stderr } = runExample('thread-create-vmars');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('backend: memory');
    const bases = lines.slice(1).map((line) => {
      const match =
        /^(machine stack|security stack|thread block): compact VMAR at 0x([0-9a-f]+), 1024 MiB$/.exec(
          line,
        );
      expect(match, line).not.toBeNull();
      return match?.[2];
    });
    expect(new Set(bases).size).toBe(3);
  });

  it('with --fuchsia off Fuchsia: one line saying why, and exit status 3', () => {
    const { status, stdout, stderr } = runExample('thread-create-vmars', ['--fuchsia']);
    expect(status).toBe(3);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^the Fuchsia backend is not available here \([A-Z_]+\): /);
  });
});

describe('page-tables', () => {
  it('prints, per named policy, the page tables the engine counts at the peak', () => {
    const { status, stdout } = runExample('page-tables', ['--threads', '1000', '--peak', '100']);
    expect(status).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header?.split(/\s+/)).toEqual([
      'policy',
      'PT',
      'PD',
      'PDPT',
      'PML4',
      'total',
      'compact',
      'VMARs',
    ]);
    const report = runWorkload({
      backend: () => memoryBackend({ arch: 'x86_64', region: 'shared', seed: 1 }),
      policies: NAMED_POLICY_NAMES,
      threads: 1000,
      peak: 100,
    });
    expect(rows.map((row) => row.split(/\s+/).slice(0, 6))).toEqual(
      report.policies.map((policy) => [
        policy.policy,
        ...policy.pageTables.atPeak.levels.map((level) => String(level.pages)),
        String(policy.pageTables.atPeak.total),
      ]),
    );
  });

  it('refuses an unknown architecture with status 2', () => {
    const { status, stderr } = runExample('page-tables', ['--architecture', 'mips']);
    expect(status).toBe(2);
    expect(stderr).toContain('--architecture must be one of x86_64, arm64, riscv64');
  });
});

describe('own-policy', () => {
  it("runs the caller's policy beside compact, every thread created", () => {
    const { status, stdout } = runExample('own-policy');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(':')[0])).toEqual(['compact', 'one-pool-256m']);
    for (const line of lines) expect(line).toContain('3000 threads created, 0 failed');
    // 256 MiB VMARs: more of them than compact's three 1 GiB ones, less reserved in all.
    const vmars = lines.map((line) => Number(/(\d+) compact VMARs/.exec(line)?.[1]));
    expect(vmars[1]).toBeGreaterThan(vmars[0] ?? 0);
  });
});

describe('counting-backend', () => {
  it('counts the calls of one ThreadCreateVmars probe round', () => {
    const { status, stdout } = runExample('counting-backend');
    expect(status).toBe(0);
    const counts = JSON.parse(stdout) as Record<string, number>;
    expect(counts.rootVmar).toBe(1);
    // Three lists, each a new 1 GiB compact VMAR at least.
    expect(counts.allocate).toBeGreaterThanOrEqual(3);
  });
});
