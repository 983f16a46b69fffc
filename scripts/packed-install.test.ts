/**
 * Installs outside the workspace: packs every published package as `pnpm pack` would publish it
 * and installs the tarballs with npm into fresh projects. One project takes only
 * `@vmars/growable-vmars` and `@vmars/backend-memory` (with the packages they depend on) and runs
 * the seed's scenario there: a selective install brings neither the Fuchsia backend nor koffi.
 * Another takes every published package and runs a small program against each.
 * Needs the packages built (`turbo run build`), as the root `test` script does first.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** Every package the workspace publishes: the folders under packages/ whose package.json is not private. */
const published = readdirSync(join(root, 'packages'))
  .filter((name) => {
    const manifest = join(root, 'packages', name, 'package.json');
    if (!existsSync(manifest)) return false;
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { private?: boolean }).private !== true;
  })
  .sort();
const selective = ['address-space', 'backend-memory', 'compact-vmar', 'growable-vmars'];

let work = '';
let tarballs = '';
let selectiveProject = '';
let fullProject = '';

function run(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tarball(name: string): string {
  const files = readdirSync(tarballs);
  const file = files.find((entry) => entry.startsWith(`vmars-${name}-`));
  if (file === undefined) throw new Error(`no tarball for @vmars/${name} in ${files.join(', ')}`);
  return join(tarballs, file);
}

function project(name: string, packages: readonly string[]): string {
  const folder = join(work, name);
  mkdirSync(folder);
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({ name: `packed-install-${name}`, private: true, type: 'module' }),
  );
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...packages.map(tarball)],
    folder,
  );
  return folder;
}

function runProgram(folder: string, file: string, source: string): unknown {
  writeFileSync(join(folder, file), source);
  return JSON.parse(run('node', [file], folder));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vmars-packed-'));
  tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const name of published) {
    const folder = join(root, 'packages', name);
    if (!existsSync(join(folder, 'dist', 'index.js'))) {
      throw new Error(`packages/${name} is not built: run \`pnpm turbo run build\` first`);
    }
    run('pnpm', ['pack', '--pack-destination', tarballs], folder);
  }
  selectiveProject = project('selective', selective);
  fullProject = project('every-package', published);
});

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the published packages', () => {
  it('are the seven the README and .changeset/README.md name', () => {
    expect(published).toEqual([
      'address-space',
      'backend-fuchsia',
      'backend-memory',
      'compact-vmar',
      'growable-vmars',
      'thread-traces',
      'thread-workload',
    ]);
    const changesetReadme = readFileSync(join(root, '.changeset', 'README.md'), 'utf8');
    for (const name of published) expect(changesetReadme).toContain(`\`@vmars/${name}\``);
  });

  it('each ship the root LICENSE (with the Fuchsia Authors notice) and declare BSD-3-Clause', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license).toContain('Copyright 2019 The Fuchsia Authors.');
    for (const name of published) {
      const installed = join(fullProject, 'node_modules', '@vmars', name);
      expect(readFileSync(join(installed, 'LICENSE'), 'utf8'), name).toBe(license);
      const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(manifest.license, name).toBe('BSD-3-Clause');
      expect(JSON.stringify(manifest), name).not.toContain('.invalid');
    }
  });

  it('ship no @internal declaration in their types', () => {
    for (const name of published) {
      const dist = join(fullProject, 'node_modules', '@vmars', name, 'dist');
      const declarations = readdirSync(dist).filter((file) => file.endsWith('.d.ts'));
      expect(declarations.length, name).toBeGreaterThan(0);
      for (const file of declarations) {
        expect(readFileSync(join(dist, file), 'utf8'), `${name}/dist/${file}`).not.toContain(
          '@internal',
        );
      }
    }
  });
});

describe('a selective install with npm outside the workspace', () => {
  it('runs the seed scenario (test_probe_growth_and_rotation) through selective imports', () => {
    const output = runProgram(
      selectiveProject,
      'scenario.mjs',
      `
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
    `,
    ) as Record<string, unknown>;
    const { h1, h2, h3 } = output;
    expect(new Set([h1, h2, h3]).size).toBe(3);
    expect(output.filled).toBe(32);
    expect(output.afterTwo).toEqual([h2, h1]);
    expect(output.afterThree).toEqual([h3, h2, h1]);
    expect(output.rotated).toBe(h1);
    expect(output.afterRotation).toEqual([h1, h3, h2]);
  });

  it('installs neither the Fuchsia backend nor koffi', () => {
    const modules = join(selectiveProject, 'node_modules');
    expect(readdirSync(join(modules, '@vmars')).sort()).toEqual([...selective].sort());
    expect(existsSync(join(modules, 'koffi'))).toBe(false);
    expect(existsSync(join(modules, '@vmars', 'backend-fuchsia'))).toBe(false);
  });
});

describe('every published package installed with npm outside the workspace', () => {
  it('installs all of them, and only them, under @vmars', () => {
    expect(readdirSync(join(fullProject, 'node_modules', '@vmars')).sort()).toEqual(published);
  });

  it('@vmars/address-space: statuses, flags and the typed error', () => {
    const output = runProgram(
      fullProject,
      'address-space.mjs',
      `
      import { Status, statusName, VmarFlags, describeVmarFlags, ZxError, PAGE_SIZE } from '@vmars/address-space';
      const error = new ZxError(Status.NO_RESOURCES, 'probe');
      console.log(JSON.stringify({
        name: statusName(Status.NO_RESOURCES),
        isZx: ZxError.isInstance(error),
        status: error.status,
        flags: describeVmarFlags(VmarFlags.COMPACT | VmarFlags.CAN_MAP_READ),
        page: PAGE_SIZE,
      }));
    `,
    ) as Record<string, unknown>;
    expect(output).toMatchObject({ name: 'ZX_ERR_NO_RESOURCES', isZx: true, page: 4096 });
    expect(output.status).toBe(-3);
    expect(String(output.flags)).toContain('COMPACT');
  });

  it('@vmars/compact-vmar: a 1 GiB compact VMAR with room for a 32 MiB probe', () => {
    const output = runProgram(
      fullProject,
      'compact-vmar.mjs',
      `
      import { CompactVmar, VMAR_SIZE, PROBE_SIZE } from '@vmars/compact-vmar';
      import { memoryBackend } from '@vmars/backend-memory';
      const compact = CompactVmar.create(memoryBackend({ seed: 3 }).rootVmar());
      const info = compact.vmar.info();
      console.log(JSON.stringify({ probe: compact.probe(PROBE_SIZE), size: info.ok ? info.value.len : null, VMAR_SIZE, PROBE_SIZE }));
      compact[Symbol.dispose]();
    `,
    ) as Record<string, unknown>;
    expect(output).toEqual({
      probe: true,
      size: 1024 ** 3,
      VMAR_SIZE: 1024 ** 3,
      PROBE_SIZE: 32 * 1024 ** 2,
    });
  });

  it('@vmars/backend-fuchsia: off Fuchsia, one typed error that says why', () => {
    const output = runProgram(
      fullProject,
      'backend-fuchsia.mjs',
      `
      import { fuchsiaBackend, FuchsiaUnavailableError } from '@vmars/backend-fuchsia';
      try {
        fuchsiaBackend();
        console.log(JSON.stringify({ available: true }));
      } catch (error) {
        console.log(JSON.stringify({
          available: false,
          typed: FuchsiaUnavailableError.isInstance(error),
          reason: error.reason,
          message: error.message,
        }));
      }
    `,
    ) as Record<string, unknown>;
    expect(output.available).toBe(false);
    expect(output.typed).toBe(true);
    expect(typeof output.reason).toBe('string');
    expect(String(output.message).length).toBeGreaterThan(10);
  });

  it('@vmars/thread-traces (both entries): a trace written, read back, and its statistics', () => {
    const output = runProgram(
      fullProject,
      'thread-traces.mjs',
      `
      import { readTrace, traceStats, writeTrace } from '@vmars/thread-traces';
      import { readTraceFile, writeTraceFile } from '@vmars/thread-traces/node';
      const text = [
        '{"format":"vmars-trace","version":1,"source":"strace","command":"make -j2","date":"2026-12-07T01:00:00Z","origin":"0","kindsKnown":true,"notes":{}}',
        '{"id":1236,"parent":1234,"kind":"process","start":200,"end":700,"seq":[2,4],"ending":"exit","code":0}',
        '{"id":1240,"parent":1234,"kind":"process","start":300,"end":900,"seq":[3,5],"ending":"signal","signal":"SIGKILL"}',
        '{"id":1235,"parent":1234,"kind":"thread","start":120,"end":5400,"seq":[1,6],"ending":"exit","code":0}',
        '{"id":1234,"parent":null,"kind":"process","start":0,"end":null,"seq":[0,null],"ending":null}',
      ].join('\\n') + '\\n';
      const trace = await readTrace([text]);
      await writeTraceFile('make.vmars-trace.jsonl.gz', trace);
      const again = await readTraceFile('make.vmars-trace.jsonl.gz');
      const lines = [...writeTrace(again)].join('');
      console.log(JSON.stringify({ tasks: trace.tasks.length, mostAlive: traceStats(trace).mostAlive, same: lines === [...writeTrace(trace)].join('') }));
    `,
    ) as Record<string, unknown>;
    expect(output).toEqual({ tasks: 4, mostAlive: 4, same: true });
  });

  it('@vmars/thread-workload: both policies on the memory backend, with page tables', () => {
    const output = runProgram(
      fullProject,
      'thread-workload.mjs',
      `
      import { runWorkload } from '@vmars/thread-workload';
      import { memoryBackend } from '@vmars/backend-memory';
      const report = runWorkload({
        backend: () => memoryBackend({ region: 'shared', seed: 1 }),
        policies: ['compact', 'root'],
        threads: 200,
        peak: 50,
      });
      console.log(JSON.stringify(report.policies.map((policy) => [policy.policy, policy.pageTables.atPeak.total])));
    `,
    ) as [string, number][];
    expect(output.map(([policy]) => policy)).toEqual(['compact', 'root']);
    const [compact, rootPolicy] = output.map(([, total]) => total);
    expect(compact).toBeGreaterThan(0);
    expect(rootPolicy).toBeGreaterThan(compact ?? 0);
  });
});
