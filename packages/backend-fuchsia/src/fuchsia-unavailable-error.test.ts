import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompiledTestDouble,
  compileTestDouble,
  runCompiler,
} from '../test-double/test-double.js';
import { fuchsiaBackend } from './fuchsia-backend.js';
import { FuchsiaUnavailableError } from './fuchsia-unavailable-error.js';

function thrownBy(action: () => unknown): FuchsiaUnavailableError {
  try {
    action();
  } catch (error) {
    if (FuchsiaUnavailableError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a FuchsiaUnavailableError, nothing was thrown');
}

let compiled: CompiledTestDouble;
beforeAll(() => {
  compiled = compileTestDouble();
});
afterAll(() => compiled.remove());

describe('FuchsiaUnavailableError', () => {
  // These tests run off Fuchsia (no Node port to Fuchsia is known, semantics §11.8).
  it('is what fuchsiaBackend() throws off Fuchsia, naming the vDSO, its symbols and why', () => {
    const error = thrownBy(() => fuchsiaBackend());
    expect(error).toBeInstanceOf(FuchsiaUnavailableError);
    expect(error.name).toBe('FuchsiaUnavailableError');
    expect(error.reason).toBe('LIBRARY_NOT_LOADED');
    expect(error.library).toBe('libzircon.so');
    expect(error.platform).toBe(process.platform);
    expect(error.message).toContain('"libzircon.so"');
    expect(error.message).toContain('zx_vmar_allocate');
    expect(error.message).toContain('zx_object_get_info');
    expect(error.message).toContain(
      `not running on Fuchsia: process.platform is ${process.platform}`,
    );
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toContain((error.cause as Error).message);
  });

  it('names libc when the vDSO loads but libc does not', () => {
    const error = thrownBy(() =>
      fuchsiaBackend({
        libraries: {
          vdso: compiled.libraryPath,
          libc: join(compiled.directory, 'no-such-libc.so'),
        },
      }),
    );
    expect(error.reason).toBe('LIBRARY_NOT_LOADED');
    expect(error.library).toBe(join(compiled.directory, 'no-such-libc.so'));
    expect(error.message).toContain('zx_vmar_root_self');
  });

  it('names the missing symbol when a library loads without it', () => {
    // The test double's path as "libc" works; a library without zx_* symbols as "vdso" does not.
    const source = join(compiled.directory, 'not-zircon.c');
    const notZircon = join(compiled.directory, 'libnot-zircon.so');
    writeFileSync(source, 'int not_zircon(void) { return 0; }\n');
    runCompiler(['-shared', '-fPIC', '-o', notZircon, source]);
    const error = thrownBy(() =>
      fuchsiaBackend({ libraries: { vdso: notZircon, libc: compiled.libraryPath } }),
    );
    expect(error.reason).toBe('SYMBOL_NOT_FOUND');
    expect(error.library).toBe(notZircon);
    expect(error.symbol).toBe('zx_vmar_allocate');
    expect(error.message).toContain(`could not find the symbol zx_vmar_allocate in "${notZircon}"`);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('is recognised across copies of the package through its Symbol.for marker', () => {
    const lookalike = Object.assign(new Error('x'), {
      [Symbol.for('vmars.error.FuchsiaUnavailableError')]: true,
    });
    expect(FuchsiaUnavailableError.isInstance(lookalike)).toBe(true);
    expect(FuchsiaUnavailableError.isInstance(new Error('x'))).toBe(false);
    expect(FuchsiaUnavailableError.isInstance(undefined)).toBe(false);
  });
});
