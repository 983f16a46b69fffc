import {
  type AddressSpaceBackend,
  CONTRACT_VERSION,
  fail,
  ok,
  type Result,
  Status,
  type Vmar,
  type Vmo,
  ZxError,
} from '@vmars/address-space';
import { isUint32, isUint64 } from './checked-integers.js';
import { FuchsiaVmar } from './fuchsia-vmar.js';
import { FuchsiaVmo } from './fuchsia-vmo.js';
import { ZX_HANDLE_INVALID, ZX_RIGHT_SAME_RIGHTS } from './zx-abi.js';
import { DEFAULT_LIBRARY_PATHS, loadZxLibrary } from './zx-library.js';
import { createSession, type ZxSession } from './zx-session.js';

/** Options of `fuchsiaBackend`: where the zx ABI is looked for. Every field has a default. */
export interface FuchsiaBackendOptions {
  /**
   * Where to find the zx ABI (§11.7). `vdso` holds the `zx_*` syscalls (default `"libzircon.so"`,
   * the vDSO's DT_SONAME, which the dynamic loader already has mapped in every Fuchsia process);
   * `libc` holds `zx_vmar_root_self` (default `"libc.so"`). Both may name the same file, as the
   * test double does. A name without a slash is looked up by the dynamic loader; a path is opened
   * as is.
   */
  readonly libraries?: {
    readonly vdso?: string;
    readonly libc?: string;
  };
}

/** The backend `fuchsiaBackend()` returns. */
export interface FuchsiaBackend extends AddressSpaceBackend {
  readonly name: 'fuchsia';
  /** The library paths this backend bound. */
  readonly libraries: { readonly vdso: string; readonly libc: string };
}

class ZxBackend implements FuchsiaBackend {
  readonly specificationVersion = CONTRACT_VERSION;
  readonly name = 'fuchsia' as const;
  readonly pageSize: number;
  readonly libraries: { readonly vdso: string; readonly libc: string };
  readonly #session: ZxSession;
  #root: FuchsiaVmar | undefined;

  constructor(session: ZxSession, libraries: { vdso: string; libc: string }) {
    this.#session = session;
    this.libraries = libraries;
    this.pageSize = session.zx.systemGetPageSize();
  }

  /**
   * A handle to the process's root VMAR. `zx_vmar_root_self()` is an unowned handle that libc
   * keeps using (§11.7: never close it), so the backend hands out a duplicate with the same
   * rights, made once: closing it closes the duplicate only.
   */
  rootVmar(): Vmar {
    if (this.#root !== undefined) return this.#root;
    const { zx, handleOut } = this.#session;
    const unowned = zx.vmarRootSelf();
    if (unowned === ZX_HANDLE_INVALID) {
      throw new ZxError(Status.BAD_HANDLE, 'zx_vmar_root_self', {
        detail: 'libc returned ZX_HANDLE_INVALID: this process has no root VMAR handle',
      });
    }
    const status = zx.handleDuplicate(unowned, ZX_RIGHT_SAME_RIGHTS, handleOut);
    if (status !== Status.OK) {
      throw new ZxError(status, 'zx_handle_duplicate', {
        detail: 'could not duplicate the root VMAR handle from zx_vmar_root_self()',
      });
    }
    this.#root = new FuchsiaVmar(this.#session, handleOut[0] as number);
    return this.#root;
  }

  createVmo(size: number, options = 0): Result<Vmo> {
    if (!isUint64(size) || !isUint32(options)) return fail(Status.INVALID_ARGS);
    const { zx, handleOut } = this.#session;
    const status = zx.vmoCreate(size, options, handleOut);
    if (status !== Status.OK) return fail(status);
    return ok(new FuchsiaVmo(this.#session, handleOut[0] as number));
  }
}

/**
 * The vmars backend over the real zx syscalls, for a JS runtime with koffi on Fuchsia.
 *
 * Importing this package loads nothing native; the first call loads koffi and the libraries.
 * Where they are missing (every host that is not Fuchsia, unless `libraries` points at a
 * stand-in such as the test double) it throws `FuchsiaUnavailableError`, naming what it looked
 * for and why it is not there.
 */
export function fuchsiaBackend(options?: FuchsiaBackendOptions): FuchsiaBackend {
  const libraries = {
    vdso: options?.libraries?.vdso ?? DEFAULT_LIBRARY_PATHS.vdso,
    libc: options?.libraries?.libc ?? DEFAULT_LIBRARY_PATHS.libc,
  };
  return new ZxBackend(createSession(loadZxLibrary(libraries)), libraries);
}
