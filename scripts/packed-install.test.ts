/**
 * Selective imports outside the workspace: packs the published packages as `pnpm pack` would
 * publish them, installs only `@vmars/growable-vmars` and `@vmars/backend-memory` (with the
 * packages they depend on) into a fresh project with npm, and runs the seed's scenario there.
 * Needs the packages built (`turbo run build`), as the root `test` script does first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const installed = ['address-space', 'compact-vmar', 'growable-vmars', 'backend-memory'];

let project = '';

function run(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  const work = mkdtempSync(join(tmpdir(), 'vmars-packed-'));
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const name of [...installed, 'backend-fuchsia']) {
    const folder = join(root, 'packages', name);
    if (!existsSync(join(folder, 'dist', 'index.js'))) {
      throw new Error(`packages/${name} is not built: run \`pnpm turbo run build\` first`);
    }
    run('pnpm', ['pack', '--pack-destination', tarballs], folder);
  }
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'packed-install-check', private: true, type: 'module' }),
  );
  const files = readdirSync(tarballs);
  const wanted = installed.map((name) => {
    const file = files.find((entry) => entry.startsWith(`vmars-${name}-`));
    if (file === undefined) throw new Error(`no tarball for @vmars/${name} in ${files.join(', ')}`);
    return join(tarballs, file);
  });
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...wanted], project);
});

afterAll(() => {
  if (project !== '') rmSync(resolve(project, '..'), { recursive: true, force: true });
});

describe('packed packages installed with npm outside the workspace', () => {
  it('run the seed scenario (test_probe_growth_and_rotation) through selective imports', () => {
    const scenario = `
      import { GrowableVmars } from '@vmars/growable-vmars';
      import { memoryBackend } from '@vmars/backend-memory';
      const PROBE_SIZE = 32 * 1024 * 1024;
      const backend = memoryBackend({ region: 'shared', seed: 1 });
      const vmars = new GrowableVmars(backend.rootVmar());
      const fill = (vmar) => {
        const children = [];
        for (;;) {
          const result = vmar.allocate(0, PROBE_SIZE, 0x80);
          if (!result.ok) return children;
          children.push(result.value.vmar);
        }
      };
      const order = () => vmars.vmars.map((compact) => compact.vmar.handle);
      const h1 = vmars.probe();
      const allocs1 = fill(h1);
      const h2 = vmars.probe();
      const afterTwo = order();
      fill(h2);
      const h3 = vmars.probe();
      const afterThree = order();
      fill(h3);
      for (const child of allocs1) { child.destroy(); child.close(); }
      const rotated = vmars.probe();
      console.log(JSON.stringify({
        h1: h1.handle, h2: h2.handle, h3: h3.handle, rotated: rotated.handle,
        afterTwo, afterThree, afterRotation: order(), filled: allocs1.length,
      }));
    `;
    writeFileSync(join(project, 'scenario.mjs'), scenario);
    const output = JSON.parse(run('node', ['scenario.mjs'], project)) as Record<string, unknown>;
    const { h1, h2, h3 } = output;
    expect(new Set([h1, h2, h3]).size).toBe(3);
    expect(output.filled).toBe(32);
    expect(output.afterTwo).toEqual([h2, h1]);
    expect(output.afterThree).toEqual([h3, h2, h1]);
    expect(output.rotated).toBe(h1);
    expect(output.afterRotation).toEqual([h1, h3, h2]);
  });

  it('install neither the Fuchsia backend nor koffi', () => {
    const modules = join(project, 'node_modules');
    expect(readdirSync(join(modules, '@vmars')).sort()).toEqual([...installed].sort());
    expect(existsSync(join(modules, 'koffi'))).toBe(false);
    expect(existsSync(join(modules, '@vmars', 'backend-fuchsia'))).toBe(false);
  });
});
