/**
 * Builds the C half of the zx test double: compiles vmars-test-double.c with the machine's C
 * compiler into a temporary folder of its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This folder: the C sources and headers. */
export const TEST_DOUBLE_DIRECTORY = fileURLToPath(new URL('.', import.meta.url));
export const TEST_DOUBLE_SOURCE = join(TEST_DOUBLE_DIRECTORY, 'vmars-test-double.c');

/** The C compiler: `$CC` when set, else `cc`. */
export function compilerCommand(): string {
  return process.env.CC ?? 'cc';
}

/** Runs the C compiler; a missing compiler is a clear failure, never a silent skip. */
export function runCompiler(args: readonly string[]): void {
  const compiler = compilerCommand();
  try {
    execFileSync(compiler, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(
        `the @vmars/backend-fuchsia tests compile the zx test double with a C compiler, and "${compiler}" ` +
          'was not found on PATH: install one (e.g. apt-get install gcc) or set $CC',
        { cause: error },
      );
    }
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`${compiler} ${args.join(' ')} failed:\n${stderr}`, { cause: error });
  }
}

/** A compiled test double in its own temporary folder. */
export interface CompiledTestDouble {
  readonly directory: string;
  readonly libraryPath: string;
  /** Deletes the folder (loaded copies stay mapped until the process ends). */
  remove(): void;
}

export function compileTestDouble(): CompiledTestDouble {
  const directory = mkdtempSync(join(tmpdirForTests(), 'zx-test-double-'));
  const libraryPath = join(directory, 'libvmars-zx-test-double.so');
  runCompiler([
    '-std=c11',
    '-O1',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-pedantic',
    '-shared',
    '-fPIC',
    '-o',
    libraryPath,
    TEST_DOUBLE_SOURCE,
  ]);
  return {
    directory,
    libraryPath,
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** `<package>/.test-tmp`, gitignored. */
export function tmpdirForTests(): string {
  const directory = fileURLToPath(new URL('../.test-tmp/', import.meta.url));
  mkdirSync(directory, { recursive: true });
  return directory;
}
