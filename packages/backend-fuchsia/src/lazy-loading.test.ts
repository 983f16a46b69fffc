import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tmpdirForTests } from '../test-double/test-double.js';

/**
 * Importing the package must load no native code. Checked in a fresh `node` process on a build
 * of src/index.ts (made here with tsup, so that the test does not depend on a stale dist/): the
 * module cache must hold no koffi after the import, and must hold it after fuchsiaBackend() ran,
 * which shows the check can see koffi at all.
 */

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
let directory: string;
let bundle: string;
let koffilessDirectory: string;
let koffilessBundle: string;

function buildBundle(outDirectory: string): string {
  const require = createRequire(import.meta.url);
  const tsupPackage = require.resolve('tsup/package.json');
  const tsupBin = (JSON.parse(readFileSync(tsupPackage, 'utf8')) as { bin: Record<string, string> })
    .bin.tsup;
  if (tsupBin === undefined) throw new Error('tsup declares no "tsup" bin');
  execFileSync(
    process.execPath,
    [
      join(dirname(tsupPackage), tsupBin),
      'src/index.ts',
      '--no-config',
      '--format',
      'esm',
      '--target',
      'node20',
      '--out-dir',
      outDirectory,
      '--silent',
    ],
    { cwd: packageDirectory, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return join(outDirectory, 'index.js');
}

beforeAll(() => {
  // Inside the package, so that the bundle resolves koffi and @vmars/address-space as dist/ does.
  directory = mkdtempSync(join(tmpdirForTests(), 'lazy-'));
  bundle = buildBundle(directory);
  // The same bundle outside this repository, beside a node_modules that holds the contract but no
  // koffi: there koffi cannot be resolved.
  koffilessDirectory = mkdtempSync(join(tmpdir(), 'vmars-no-koffi-'));
  mkdirSync(join(koffilessDirectory, 'node_modules', '@vmars'), { recursive: true });
  symlinkSync(
    dirname(createRequire(import.meta.url).resolve('@vmars/address-space/package.json')),
    join(koffilessDirectory, 'node_modules', '@vmars', 'address-space'),
    'dir',
  );
  koffilessBundle = join(koffilessDirectory, 'index.js');
  copyFileSync(bundle, koffilessBundle);
}, 60_000);
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
  rmSync(koffilessDirectory, { recursive: true, force: true });
});

const probe = `
import { createRequire } from 'node:module';
const bundle = process.argv[1];
const cache = createRequire(bundle).cache;
const koffiLoaded = () => Object.keys(cache).some((path) => /[\\\\/]koffi[\\\\/]/.test(path));
const before = koffiLoaded();
const module = await import(bundle);
const afterImport = koffiLoaded();
let error;
try {
  module.fuchsiaBackend();
} catch (thrown) {
  error = { name: thrown.name, reason: thrown.reason, isInstance: module.FuchsiaUnavailableError.isInstance(thrown) };
}
console.log(JSON.stringify({ before, afterImport, exports: Object.keys(module).sort(), afterCall: koffiLoaded(), error }));
`;

it('importing the package loads no koffi; the first fuchsiaBackend() call does', () => {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', probe, bundle], {
    encoding: 'utf8',
  });
  const report = JSON.parse(output) as Record<string, unknown>;
  expect(report.before).toBe(false);
  expect(report.afterImport).toBe(false);
  expect(report.exports).toEqual(['FuchsiaUnavailableError', 'fuchsiaBackend']);
  expect(report.afterCall).toBe(true);
  // Off Fuchsia, where these tests run, the default libraries are not there.
  expect(report.error).toEqual({
    name: 'FuchsiaUnavailableError',
    reason: 'LIBRARY_NOT_LOADED',
    isInstance: true,
  });
});

it('without koffi, importing still works and fuchsiaBackend() throws FFI_UNAVAILABLE', () => {
  const script = `
const module = await import(process.argv[1]);
try {
  module.fuchsiaBackend();
  console.log(JSON.stringify({ threw: false }));
} catch (error) {
  console.log(JSON.stringify({
    isInstance: module.FuchsiaUnavailableError.isInstance(error),
    reason: error.reason,
    message: error.message,
    cause: error.cause instanceof Error,
  }));
}
`;
  const output = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', script, koffilessBundle],
    {
      encoding: 'utf8',
    },
  );
  const report = JSON.parse(output) as {
    isInstance: boolean;
    reason: string;
    message: string;
    cause: boolean;
  };
  expect(report.isInstance).toBe(true);
  expect(report.reason).toBe('FFI_UNAVAILABLE');
  expect(report.message).toContain('the C FFI module "koffi"');
  expect(report.message).toContain("Cannot find module 'koffi'");
  expect(report.cause).toBe(true);
});
