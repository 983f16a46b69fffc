import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';
import { FuchsiaUnavailableError } from './fuchsia-unavailable-error.js';

/**
 * The zx entry points the backend calls, bound through koffi. Out-parameters are typed arrays
 * (one element each) that the C side writes; 64-bit outputs are `BigUint64Array`s so that no
 * value is rounded before `toExactNumber` looks at it.
 */
export interface ZxLibrary {
  vmarAllocate(
    parentVmar: number,
    options: number,
    offset: number,
    size: number,
    childVmar: Uint32Array,
    childAddress: BigUint64Array,
  ): number;
  vmarDestroy(handle: number): number;
  vmarMap(
    handle: number,
    options: number,
    vmarOffset: number,
    vmo: number,
    vmoOffset: number,
    length: number,
    mappedAddress: BigUint64Array,
  ): number;
  vmarUnmap(handle: number, address: number | bigint, length: number): number;
  vmarProtect(handle: number, options: number, address: number, length: number): number;
  vmoCreate(size: number, options: number, out: Uint32Array): number;
  handleClose(handle: number): number;
  handleDuplicate(handle: number, rights: number, out: Uint32Array): number;
  objectGetInfo(
    handle: number,
    topic: number,
    buffer: Uint8Array,
    bufferSize: number,
    actual: BigUint64Array,
    avail: BigUint64Array,
  ): number;
  systemGetPageSize(): number;
  vmarRootSelf(): number;
}

/** Where the two halves of the zx ABI live (§11.7). */
export interface ZxLibraryPaths {
  /** The library holding the `zx_*` syscalls: the vDSO, DT_SONAME `libzircon.so`. */
  readonly vdso: string;
  /** The library holding `zx_vmar_root_self` (a libc function, not a syscall). */
  readonly libc: string;
}

export const DEFAULT_LIBRARY_PATHS: ZxLibraryPaths = { vdso: 'libzircon.so', libc: 'libc.so' };

type SymbolTable = Readonly<
  Record<keyof ZxLibrary, { library: keyof ZxLibraryPaths; prototype: string }>
>;

/**
 * Each symbol with its C signature (§11.7, LP64: size_t and zx_vaddr_t are 64-bit). The plain
 * names are weak aliases of the `_zx_*` definitions in the vDSO and in libc.
 */
const symbols: SymbolTable = {
  vmarAllocate: {
    library: 'vdso',
    prototype:
      'int32_t zx_vmar_allocate(uint32_t parent_vmar, uint32_t options, uint64_t offset, uint64_t size, uint32_t *child_vmar, uint64_t *child_addr)',
  },
  vmarDestroy: { library: 'vdso', prototype: 'int32_t zx_vmar_destroy(uint32_t handle)' },
  vmarMap: {
    library: 'vdso',
    prototype:
      'int32_t zx_vmar_map(uint32_t handle, uint32_t options, uint64_t vmar_offset, uint32_t vmo, uint64_t vmo_offset, uint64_t len, uint64_t *mapped_addr)',
  },
  vmarUnmap: {
    library: 'vdso',
    prototype: 'int32_t zx_vmar_unmap(uint32_t handle, uint64_t addr, uint64_t len)',
  },
  vmarProtect: {
    library: 'vdso',
    prototype:
      'int32_t zx_vmar_protect(uint32_t handle, uint32_t options, uint64_t addr, uint64_t len)',
  },
  vmoCreate: {
    library: 'vdso',
    prototype: 'int32_t zx_vmo_create(uint64_t size, uint32_t options, uint32_t *out)',
  },
  handleClose: { library: 'vdso', prototype: 'int32_t zx_handle_close(uint32_t handle)' },
  handleDuplicate: {
    library: 'vdso',
    prototype: 'int32_t zx_handle_duplicate(uint32_t handle, uint32_t rights, uint32_t *out)',
  },
  objectGetInfo: {
    library: 'vdso',
    prototype:
      'int32_t zx_object_get_info(uint32_t handle, uint32_t topic, void *buffer, uint64_t buffer_size, uint64_t *actual, uint64_t *avail)',
  },
  systemGetPageSize: { library: 'vdso', prototype: 'uint32_t zx_system_get_page_size(void)' },
  vmarRootSelf: { library: 'libc', prototype: 'uint32_t zx_vmar_root_self(void)' },
};

/** The C names, for messages: `zx_vmar_allocate`, … */
export function symbolNames(library: keyof ZxLibraryPaths): string[] {
  return Object.values(symbols)
    .filter((symbol) => symbol.library === library)
    .map((symbol) => cName(symbol.prototype));
}

function cName(prototype: string): string {
  return /\s\**(\w+)\(/.exec(prototype)?.[1] ?? prototype;
}

function whyNotHere(): string {
  return (process.platform as string) === 'fuchsia'
    ? 'the loader could not provide it'
    : `not running on Fuchsia: process.platform is ${process.platform}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let koffiModule: typeof Koffi | undefined;

/** koffi, loaded on first use only: importing this package must not load native code. */
function loadKoffi(): typeof Koffi {
  if (koffiModule !== undefined) return koffiModule;
  try {
    koffiModule = createRequire(import.meta.url)('koffi') as typeof Koffi;
    return koffiModule;
  } catch (error) {
    throw new FuchsiaUnavailableError(
      `@vmars/backend-fuchsia needs the C FFI module "koffi" to call the zx ABI, and it did not load ` +
        `(${describeError(error)}); koffi ships prebuilt binaries for common desktop and server ` +
        `platforms, not for Fuchsia, so a Fuchsia embedder must build it (process.platform is ${process.platform})`,
      { reason: 'FFI_UNAVAILABLE', platform: process.platform, cause: error },
    );
  }
}

const bound = new Map<string, ZxLibrary>();

/**
 * Binds every entry point of `ZxLibrary` from `paths`, once per pair of paths. Throws
 * `FuchsiaUnavailableError` naming the library or symbol that is missing.
 */
export function loadZxLibrary(paths: ZxLibraryPaths): ZxLibrary {
  const key = `${paths.vdso}\u0000${paths.libc}`;
  const cached = bound.get(key);
  if (cached !== undefined) return cached;

  const koffi = loadKoffi();
  const libraries = {
    vdso: openLibrary(koffi, paths.vdso, 'vdso'),
    libc: openLibrary(koffi, paths.libc, 'libc'),
  };
  const functions: Partial<Record<keyof ZxLibrary, unknown>> = {};
  for (const [key, symbol] of Object.entries(symbols) as [
    keyof ZxLibrary,
    SymbolTable[keyof ZxLibrary],
  ][]) {
    try {
      functions[key] = libraries[symbol.library].func(symbol.prototype);
    } catch (error) {
      const name = cName(symbol.prototype);
      throw new FuchsiaUnavailableError(
        `@vmars/backend-fuchsia could not find the symbol ${name} in "${paths[symbol.library]}" ` +
          `(${describeError(error)}); that library loaded, so it is not the ` +
          `${symbol.library === 'vdso' ? 'Zircon vDSO (libzircon.so)' : 'Fuchsia libc (libc.so)'} ` +
          `or is an incomplete one (${whyNotHere()})`,
        {
          reason: 'SYMBOL_NOT_FOUND',
          library: paths[symbol.library],
          symbol: name,
          platform: process.platform,
          cause: error,
        },
      );
    }
  }
  const library = functions as ZxLibrary;
  bound.set(key, library);
  return library;
}

function openLibrary(
  koffi: typeof Koffi,
  path: string,
  role: keyof ZxLibraryPaths,
): Koffi.IKoffiLib {
  try {
    return koffi.load(path);
  } catch (error) {
    const what =
      role === 'vdso'
        ? 'the Zircon vDSO, which holds the zx_* syscalls'
        : 'the Fuchsia libc, which holds zx_vmar_root_self';
    throw new FuchsiaUnavailableError(
      `@vmars/backend-fuchsia could not load "${path}" (${what}: ${symbolNames(role).join(', ')}): ` +
        `${whyNotHere()}; the loader said: ${describeError(error)}`,
      { reason: 'LIBRARY_NOT_LOADED', library: path, platform: process.platform, cause: error },
    );
  }
}
