/**
 * The release, rehearsed: in a scratch copy of the working tree (its files as git sees them, and
 * the published packages' built dist), `changeset version` turns the pending changesets into
 * versions and changelogs, and `pnpm publish -r --dry-run` packs every published package as it
 * would publish it. Nothing is published and the working tree is not touched.
 * Needs the packages built (`turbo run build`), as the root `test` script does first.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const changesetBin = join(root, 'node_modules', '.bin', 'changeset');

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly dependencies?: Record<string, string>;
}

function manifest(folder: string): Manifest {
  return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest;
}

const published = readdirSync(join(root, 'packages'))
  .filter((name) => existsSync(join(root, 'packages', name, 'package.json')))
  .filter((name) => manifest(join(root, 'packages', name)).private !== true)
  .sort();

const versionsBefore = new Map(
  published.map((name) => [name, manifest(join(root, 'packages', name)).version]),
);
const changelogsBefore = new Map(
  published.map((name) => [name, existsSync(join(root, 'packages', name, 'CHANGELOG.md'))]),
);

let scratch = '';
let publishOutput = '';

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // A real publish needs a token; with none set, a slip past --dry-run could not publish.
      env: { ...process.env, NPM_TOKEN: '', NODE_AUTH_TOKEN: '', npm_config__authToken: '' },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
      { cause: error },
    );
  }
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'vmars-release-'));
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root)
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    cpSync(join(root, file), join(scratch, file));
  }
  for (const name of published) {
    const dist = join(root, 'packages', name, 'dist');
    if (!existsSync(join(dist, 'index.js'))) {
      throw new Error(`packages/${name} is not built: run \`pnpm turbo run build\` first`);
    }
    cpSync(dist, join(scratch, 'packages', name, 'dist'), { recursive: true });
  }
  run(changesetBin, ['version'], scratch);
  // The lockfile names workspace packages by path, not version, so it stays frozen after the
  // version bump; the store the workspace's own install filled serves it offline.
  run('pnpm', ['install', '--frozen-lockfile', '--offline', '--ignore-scripts'], scratch);
  publishOutput = run('pnpm', ['publish', '-r', '--dry-run', '--no-git-checks'], scratch);
}, 300_000);

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('the release dry run in a scratch copy', () => {
  it('changeset version consumes every pending changeset and gives each published package a version and a changelog', () => {
    const pending = readdirSync(join(scratch, '.changeset')).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    );
    expect(pending).toEqual([]);
    for (const name of published) {
      const folder = join(scratch, 'packages', name);
      expect(manifest(folder).version, name).not.toBe('0.0.0');
      expect(existsSync(join(folder, 'CHANGELOG.md')), `${name} CHANGELOG.md`).toBe(true);
    }
  });

  it('pnpm publish -r --dry-run packs every published package at its new version', () => {
    for (const name of published) {
      const { version } = manifest(join(scratch, 'packages', name));
      expect(publishOutput, name).toContain(`+ @vmars/${name}@${version}`);
    }
    const packed = [...publishOutput.matchAll(/^\+ (@vmars\/[a-z-]+)@/gm)].map((match) => match[1]);
    expect(packed.sort()).toEqual(published.map((name) => `@vmars/${name}`));
  });

  it('touches nothing in the working tree', () => {
    for (const name of published) {
      const folder = join(root, 'packages', name);
      expect(manifest(folder).version, name).toBe(versionsBefore.get(name));
      expect(existsSync(join(folder, 'CHANGELOG.md')), name).toBe(changelogsBefore.get(name));
    }
  });
});
