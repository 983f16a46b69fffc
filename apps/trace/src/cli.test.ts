import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
/**
 * The CLI is built here for these tests, not taken from dist (which turbo may be rebuilding while
 * the tests run): inside the package, so that its imports resolve through its node_modules.
 */
const outDirectory = join(packageDirectory, '.test-tmp', `cli-${String(process.pid)}`);
const cli = join(outDirectory, 'cli.js');

beforeAll(async () => {
  mkdirSync(outDirectory, { recursive: true });
  await build({
    config: false,
    entry: [join(packageDirectory, 'src/cli.ts')],
    outDir: outDirectory,
    format: ['esm'],
    target: 'node20',
    silent: true,
  });
});

afterAll(() => {
  rmSync(outDirectory, { recursive: true, force: true });
});

describe('the built CLI', () => {
  it('prints help with status 0, and exits 2 with one line on a bad command line', () => {
    const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^vmars-trace: records/);
    const bad = spawnSync(process.execPath, [cli, 'stats', '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('vmars-trace: stats: unknown option --bogus (see stats --help)\n');
  });

  it('leaves quietly with status 0 when its reader closes the pipe', async () => {
    const child = spawn(process.execPath, [cli, 'help', 'stats'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before the CLI writes anything: its first write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
