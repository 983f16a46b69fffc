/**
 * The JavaScript half of the zx test double (not published): compiles vmars-test-double.c with
 * the machine's `cc`, loads a private copy of it per backend, and installs callbacks that answer
 * each zx call, by default from an `AddressSpaceBackend` such as `memoryBackend()`.
 *
 * The backend under test (`fuchsiaBackend({ libraries })`) then runs its real FFI path: koffi
 * marshals the arguments into C, the C library checks the out-pointers, calls back here, and
 * writes the out-parameters and info buffers in Zircon's layout.
 *
 * This file attaches a copy and re-exports the rest: compile-test-double.ts (the compiler),
 * test-double-ops.ts (what a callback asks JavaScript), forward-to-backend.ts (the default
 * answers) and koffi-callbacks.ts (the C types and the registered callbacks).
 */
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Koffi from 'koffi';
import type { CompiledTestDouble } from './compile-test-double.js';
import { koffiTypes, registerInstance } from './koffi-callbacks.js';
import type { TestDoubleOps } from './test-double-ops.js';

export {
  type CompiledTestDouble,
  compilerCommand,
  compileTestDouble,
  runCompiler,
  TEST_DOUBLE_DIRECTORY,
  TEST_DOUBLE_SOURCE,
  tmpdirForTests,
} from './compile-test-double.js';
export { forwardToBackend } from './forward-to-backend.js';
export { koffiTypeLayouts } from './koffi-callbacks.js';
export type { TestDoubleMapEntry, TestDoubleOps } from './test-double-ops.js';

const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;

/** One attached copy of the test double. */
export interface TestDoubleInstance {
  /** Pass as `fuchsiaBackend({ libraries })`: both halves of the ABI live in the copy. */
  readonly libraries: { readonly vdso: string; readonly libc: string };
  /** How many zx entry points the C side has seen called. */
  callCount(): number;
  /** Exceptions thrown by callbacks (each answered ZX_ERR_INTERNAL); a test expects none. */
  readonly errors: readonly unknown[];
  /** Replaces the answering ops (for example to return values no emulation produces). */
  setOps(ops: TestDoubleOps): void;
}

/**
 * Loads a fresh copy of the compiled library (a copy: its globals are its own, so several
 * backends can live side by side) and installs callbacks that answer from `ops`.
 */
export function attachTestDouble(
  compiled: CompiledTestDouble,
  ops: TestDoubleOps,
): TestDoubleInstance {
  const { callbacks } = koffiTypes();
  const { instance, state } = registerInstance(ops);
  const path = join(compiled.directory, `libvmars-zx-test-double-${String(instance)}.so`);
  copyFileSync(compiled.libraryPath, path);
  const library = koffi.load(path);
  const install = library.func(
    'void vmars_test_double_install(const vmars_zx_ops_t *ops, uint32_t instance)',
  );
  const callCount = library.func('uint64_t vmars_test_double_call_count(void)');
  install(callbacks, instance);
  return {
    libraries: { vdso: path, libc: path },
    callCount: () => Number(callCount()),
    errors: state.errors,
    setOps: (replacement) => {
      state.ops = replacement;
    },
  };
}
