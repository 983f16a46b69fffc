/**
 * The JavaScript half of the zx test double (not published): compiles vmars-test-double.c with
 * the machine's `cc`, loads a private copy of it per backend, and installs callbacks that answer
 * each zx call, by default from an `AddressSpaceBackend` such as `memoryBackend()`.
 *
 * The backend under test (`fuchsiaBackend({ libraries })`) then runs its real FFI path: koffi
 * marshals the arguments into C, the C library checks the out-pointers, calls back here, and
 * writes the out-parameters and info buffers in Zircon's layout.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressSpaceBackend, MapInfo, Result, Vmar, Vmo } from '@vmars/address-space';
import { Status } from '@vmars/address-space';
import type * as Koffi from 'koffi';

const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;

/** This folder: the C sources and headers. */
export const TEST_DOUBLE_DIRECTORY = fileURLToPath(new URL('.', import.meta.url));
export const TEST_DOUBLE_SOURCE = join(TEST_DOUBLE_DIRECTORY, 'vmars-test-double.c');
export const ZIRCON_ABI_HEADER = join(TEST_DOUBLE_DIRECTORY, 'zircon-abi.h');

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

/**
 * One `vmars_test_double_map_entry_t`, as a callback hands it to C: raw C values (the fractional
 * byte counts as 63-bit fixed point).
 */
export interface TestDoubleMapEntry {
  readonly name: string;
  readonly base: number | bigint;
  readonly size: number | bigint;
  readonly depth: number | bigint;
  readonly type: number;
  readonly mapping?: {
    readonly mmuFlags: number;
    readonly vmoKoid: number | bigint;
    readonly vmoOffset: number | bigint;
    readonly committedBytes: number | bigint;
    readonly populatedBytes: number | bigint;
    readonly committedPrivateBytes: number | bigint;
    readonly populatedPrivateBytes: number | bigint;
    readonly committedScaledBytes: number | bigint;
    readonly populatedScaledBytes: number | bigint;
    readonly committedFractionalScaledBytes: number | bigint;
    readonly populatedFractionalScaledBytes: number | bigint;
  };
}

type U64 = number | bigint;

/** What the test double asks JavaScript for, one method per zx entry point. */
export interface TestDoubleOps {
  vmarRootSelf(): number;
  systemGetPageSize(): number;
  vmarAllocate(
    parent: number,
    options: number,
    offset: U64,
    size: U64,
  ): Result<{ handle: number; address: U64 }>;
  vmarDestroy(handle: number): Status;
  vmarMap(
    handle: number,
    options: number,
    vmarOffset: U64,
    vmo: number,
    vmoOffset: U64,
    length: U64,
  ): Result<U64>;
  vmarUnmap(handle: number, address: U64, length: U64): Status;
  vmarProtect(handle: number, options: number, address: U64, length: U64): Status;
  vmoCreate(size: U64, options: number): Result<number>;
  handleClose(handle: number): Status;
  handleDuplicate(handle: number, rights: number): Result<number>;
  vmarInfo(handle: number): Result<{ base: U64; len: U64 }>;
  vmarMaps(
    handle: number,
    capacity: number,
  ): Result<{ entries: readonly TestDoubleMapEntry[]; avail: number }>;
  /** ZX_INFO_HANDLE_BASIC of any handle: raw C values (`koid`s may be bigints past 2^53). */
  handleBasic(
    handle: number,
  ): Result<{ koid: U64; rights: number; type: number; relatedKoid: U64 }>;
}

/** koffi hands a uint64_t argument over as a number when it is safe, else as a bigint. */
function asNumber(value: U64): number {
  // Above 2^53 it becomes NaN, which the emulation refuses with INVALID_ARGS; the bindings under
  // test never send such a value (they refuse it first), so no test depends on this.
  return typeof value === 'bigint'
    ? value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : Number.NaN
    : value;
}

/**
 * Ops that answer every call from `backend`, keeping the raw-value → handle-object map a kernel's
 * handle table would keep.
 */
export function forwardToBackend(backend: AddressSpaceBackend): TestDoubleOps & {
  readonly handles: ReadonlyMap<number, Vmar | Vmo>;
} {
  const handles = new Map<number, Vmar | Vmo>();
  const remember = <T extends Vmar | Vmo>(handle: T): T => {
    handles.set(handle.handle, handle);
    return handle;
  };
  const lookup = (raw: number): Vmar | Vmo | undefined => handles.get(raw);
  const vmarOf = (raw: number): Vmar | Status => {
    const handle = lookup(raw);
    if (handle === undefined) return Status.BAD_HANDLE;
    return handle.type === 'vmar' ? handle : Status.WRONG_TYPE;
  };
  const failure = <T>(status: Status): Result<T> => ({ ok: false, status });

  return {
    handles,
    vmarRootSelf: () => remember(backend.rootVmar()).handle,
    systemGetPageSize: () => backend.pageSize,
    vmarAllocate(parent, options, offset, size) {
      const vmar = vmarOf(parent);
      if (typeof vmar === 'number') return failure(vmar);
      const result = vmar.allocate(asNumber(offset), asNumber(size), options);
      if (!result.ok) return result;
      return {
        ok: true,
        value: { handle: remember(result.value.vmar).handle, address: result.value.address },
      };
    },
    vmarDestroy(raw) {
      const vmar = vmarOf(raw);
      return typeof vmar === 'number' ? vmar : vmar.destroy();
    },
    vmarMap(raw, options, vmarOffset, rawVmo, vmoOffset, length) {
      const vmar = vmarOf(raw);
      if (typeof vmar === 'number') return failure(vmar);
      const vmo = lookup(rawVmo);
      if (vmo === undefined) return failure(Status.BAD_HANDLE);
      if (vmo.type !== 'vmo') return failure(Status.WRONG_TYPE);
      return vmar.map(options, asNumber(vmarOffset), vmo, asNumber(vmoOffset), asNumber(length));
    },
    vmarUnmap(raw, address, length) {
      const vmar = vmarOf(raw);
      return typeof vmar === 'number' ? vmar : vmar.unmap(asNumber(address), asNumber(length));
    },
    vmarProtect(raw, options, address, length) {
      const vmar = vmarOf(raw);
      return typeof vmar === 'number'
        ? vmar
        : vmar.protect(options, asNumber(address), asNumber(length));
    },
    vmoCreate(size, options) {
      const result = backend.createVmo(asNumber(size), options);
      return result.ok ? { ok: true, value: remember(result.value).handle } : result;
    },
    handleClose(raw) {
      // §11.6: closing ZX_HANDLE_INVALID is fine, like free(NULL).
      if (raw === 0) return Status.OK;
      const handle = lookup(raw);
      if (handle === undefined) return Status.BAD_HANDLE;
      const status = handle.close();
      if (status === Status.OK) handles.delete(raw);
      return status;
    },
    handleDuplicate(raw, rights) {
      const handle = lookup(raw);
      if (handle === undefined) return failure(Status.BAD_HANDLE);
      const result = handle.duplicate(rights);
      return result.ok ? { ok: true, value: remember(result.value).handle } : result;
    },
    vmarInfo(raw) {
      const vmar = vmarOf(raw);
      if (typeof vmar === 'number') return failure(vmar);
      return vmar.info();
    },
    handleBasic(raw) {
      const handle = lookup(raw);
      if (handle === undefined) return failure(Status.BAD_HANDLE);
      return handle.basicInfo();
    },
    vmarMaps(raw, capacity) {
      const vmar = vmarOf(raw);
      if (typeof vmar === 'number') return failure(vmar);
      const result = vmar.maps(capacity);
      if (!result.ok) return result;
      return {
        ok: true,
        value: { entries: result.value.entries.map(toEntry), avail: result.value.avail },
      };
    },
  };
}

function toEntry(info: MapInfo): TestDoubleMapEntry {
  const mapping = info.mapping;
  if (mapping === undefined) return { ...info };
  // MappingDetails carries the fractional bytes as a number of bytes; C carries the raw 63-bit
  // fixed-point value (0x8000000000000000 = one byte).
  const raw = (bytes: number): bigint => BigInt(Math.round(bytes * 2 ** 63));
  return {
    ...info,
    mapping: {
      ...mapping,
      committedFractionalScaledBytes: raw(mapping.committedFractionalScaledBytes),
      populatedFractionalScaledBytes: raw(mapping.populatedFractionalScaledBytes),
    },
  };
}

// ---- koffi types and the one set of registered callbacks ------------------------------------

interface KoffiTypes {
  readonly ops: Koffi.IKoffiCType;
  readonly entry: Koffi.IKoffiCType;
  readonly entrySize: number;
  readonly callbacks: Record<string, unknown>;
}

let types: KoffiTypes | undefined;
const instances = new Map<number, TestDoubleInstanceState>();
let nextInstance = 1;

interface TestDoubleInstanceState {
  ops: TestDoubleOps;
  readonly errors: unknown[];
}

function state(instance: number): TestDoubleInstanceState {
  const found = instances.get(instance);
  if (found === undefined)
    throw new Error(`test double instance ${String(instance)} is not attached`);
  return found;
}

/**
 * Wraps a callback so that a thrown exception becomes ZX_ERR_INTERNAL and is recorded: koffi
 * would hand C a 0 (ZX_OK) for a callback that throws.
 */
function guarded<A extends unknown[]>(
  body: (self: TestDoubleInstanceState, ...args: A) => number,
): (instance: number, ...args: A) => number {
  return (instance, ...args) => {
    let self: TestDoubleInstanceState | undefined;
    try {
      self = state(instance);
      return body(self, ...args);
    } catch (error) {
      self?.errors.push(error);
      return Status.INTERNAL;
    }
  };
}

function koffiTypes(): KoffiTypes {
  if (types !== undefined) return types;
  const entry = koffi.struct('vmars_test_double_map_entry_t', {
    type: 'uint32_t',
    mmu_flags: 'uint32_t',
    base: 'uint64_t',
    size: 'uint64_t',
    depth: 'uint64_t',
    vmo_koid: 'uint64_t',
    vmo_offset: 'uint64_t',
    committed_bytes: 'uint64_t',
    populated_bytes: 'uint64_t',
    committed_private_bytes: 'uint64_t',
    populated_private_bytes: 'uint64_t',
    committed_scaled_bytes: 'uint64_t',
    populated_scaled_bytes: 'uint64_t',
    committed_fractional_scaled_bytes: 'uint64_t',
    populated_fractional_scaled_bytes: 'uint64_t',
    name: koffi.array('uint8_t', 32),
  });
  const prototypes = {
    vmar_root_self: 'uint32_t vmars_td_vmar_root_self(uint32_t instance)',
    system_get_page_size: 'uint32_t vmars_td_system_get_page_size(uint32_t instance)',
    vmar_allocate:
      'int32_t vmars_td_vmar_allocate(uint32_t instance, uint32_t parent, uint32_t options, uint64_t offset, uint64_t size, uint32_t *child, uint64_t *address)',
    vmar_destroy: 'int32_t vmars_td_vmar_destroy(uint32_t instance, uint32_t handle)',
    vmar_map:
      'int32_t vmars_td_vmar_map(uint32_t instance, uint32_t handle, uint32_t options, uint64_t vmar_offset, uint32_t vmo, uint64_t vmo_offset, uint64_t len, uint64_t *mapped)',
    vmar_unmap:
      'int32_t vmars_td_vmar_unmap(uint32_t instance, uint32_t handle, uint64_t addr, uint64_t len)',
    vmar_protect:
      'int32_t vmars_td_vmar_protect(uint32_t instance, uint32_t handle, uint32_t options, uint64_t addr, uint64_t len)',
    vmo_create:
      'int32_t vmars_td_vmo_create(uint32_t instance, uint64_t size, uint32_t options, uint32_t *out)',
    handle_close: 'int32_t vmars_td_handle_close(uint32_t instance, uint32_t handle)',
    handle_duplicate:
      'int32_t vmars_td_handle_duplicate(uint32_t instance, uint32_t handle, uint32_t rights, uint32_t *out)',
    vmar_info:
      'int32_t vmars_td_vmar_info(uint32_t instance, uint32_t handle, uint64_t *base, uint64_t *len)',
    vmar_maps:
      'int32_t vmars_td_vmar_maps(uint32_t instance, uint32_t handle, uint64_t capacity, vmars_test_double_map_entry_t *entries, uint64_t *avail)',
    handle_basic:
      'int32_t vmars_td_handle_basic(uint32_t instance, uint32_t handle, uint64_t *koid, uint32_t *rights, uint32_t *type, uint64_t *related_koid)',
  } as const;
  const protoTypes = Object.fromEntries(
    Object.entries(prototypes).map(([field, prototype]) => [
      field,
      koffi.pointer(koffi.proto(prototype)),
    ]),
  ) as Record<keyof typeof prototypes, Koffi.IKoffiCType>;
  const ops = koffi.struct('vmars_zx_ops_t', protoTypes);
  const entrySize = koffi.sizeof(entry);

  const u32 = (pointer: unknown, value: number): void => koffi.encode(pointer, 'uint32_t', value);
  const u64 = (pointer: unknown, value: U64): void => koffi.encode(pointer, 'uint64_t', value);

  const implementations: Record<keyof typeof prototypes, (...args: never[]) => number> = {
    vmar_root_self: guarded((self) => self.ops.vmarRootSelf()),
    system_get_page_size: guarded((self) => self.ops.systemGetPageSize()),
    vmar_allocate: guarded(
      (
        self,
        parent: number,
        options: number,
        offset: U64,
        size: U64,
        child: unknown,
        address: unknown,
      ) => {
        const result = self.ops.vmarAllocate(parent, options, offset, size);
        if (!result.ok) return result.status;
        u32(child, result.value.handle);
        u64(address, result.value.address);
        return Status.OK;
      },
    ),
    vmar_destroy: guarded((self, handle: number) => self.ops.vmarDestroy(handle)),
    vmar_map: guarded(
      (
        self,
        handle: number,
        options: number,
        vmarOffset: U64,
        vmo: number,
        vmoOffset: U64,
        length: U64,
        mapped: unknown,
      ) => {
        const result = self.ops.vmarMap(handle, options, vmarOffset, vmo, vmoOffset, length);
        if (!result.ok) return result.status;
        u64(mapped, result.value);
        return Status.OK;
      },
    ),
    vmar_unmap: guarded((self, handle: number, address: U64, length: U64) =>
      self.ops.vmarUnmap(handle, address, length),
    ),
    vmar_protect: guarded((self, handle: number, options: number, address: U64, length: U64) =>
      self.ops.vmarProtect(handle, options, address, length),
    ),
    vmo_create: guarded((self, size: U64, options: number, out: unknown) => {
      const result = self.ops.vmoCreate(size, options);
      if (!result.ok) return result.status;
      u32(out, result.value);
      return Status.OK;
    }),
    handle_close: guarded((self, handle: number) => self.ops.handleClose(handle)),
    handle_duplicate: guarded((self, handle: number, rights: number, out: unknown) => {
      const result = self.ops.handleDuplicate(handle, rights);
      if (!result.ok) return result.status;
      u32(out, result.value);
      return Status.OK;
    }),
    vmar_info: guarded((self, handle: number, base: unknown, length: unknown) => {
      const result = self.ops.vmarInfo(handle);
      if (!result.ok) return result.status;
      u64(base, result.value.base);
      u64(length, result.value.len);
      return Status.OK;
    }),
    handle_basic: guarded(
      (
        self,
        handle: number,
        koid: unknown,
        rights: unknown,
        type: unknown,
        relatedKoid: unknown,
      ) => {
        const result = self.ops.handleBasic(handle);
        if (!result.ok) return result.status;
        u64(koid, result.value.koid);
        u32(rights, result.value.rights);
        u32(type, result.value.type);
        u64(relatedKoid, result.value.relatedKoid);
        return Status.OK;
      },
    ),
    vmar_maps: guarded((self, handle: number, capacity: U64, entries: unknown, avail: unknown) => {
      const result = self.ops.vmarMaps(handle, asNumber(capacity));
      if (!result.ok) return result.status;
      const count = Math.min(asNumber(capacity), result.value.entries.length);
      for (let index = 0; index < count; index++) {
        koffi.encode(
          entries,
          index * entrySize,
          entry,
          encodeEntry(result.value.entries[index] as TestDoubleMapEntry),
        );
      }
      u64(avail, result.value.avail);
      return Status.OK;
    }),
  };
  const callbacks = Object.fromEntries(
    Object.entries(implementations).map(([field, implementation]) => [
      field,
      koffi.register(implementation, protoTypes[field as keyof typeof prototypes]),
    ]),
  );
  types = { ops, entry, entrySize, callbacks };
  return types;
}

/** Sizes and member offsets of the koffi types, for the ABI test to hold against the C header. */
export function koffiTypeLayouts(): Record<
  'entry' | 'ops',
  { size: number; offsets: Record<string, number> }
> {
  const { entry, ops } = koffiTypes();
  const layout = (type: Koffi.IKoffiCType) => {
    const info = koffi.introspect(type);
    const offsets = Object.fromEntries(
      Object.values(info.members ?? {}).map((member) => [member.name, member.offset]),
    );
    return { size: info.size, offsets };
  };
  return { entry: layout(entry), ops: layout(ops) };
}

function encodeEntry(entry: TestDoubleMapEntry): Record<string, unknown> {
  const name = new Uint8Array(32);
  name.set(new TextEncoder().encode(entry.name).subarray(0, 31));
  const mapping = entry.mapping;
  return {
    type: entry.type,
    mmu_flags: mapping?.mmuFlags ?? 0,
    base: entry.base,
    size: entry.size,
    depth: entry.depth,
    vmo_koid: mapping?.vmoKoid ?? 0,
    vmo_offset: mapping?.vmoOffset ?? 0,
    committed_bytes: mapping?.committedBytes ?? 0,
    populated_bytes: mapping?.populatedBytes ?? 0,
    committed_private_bytes: mapping?.committedPrivateBytes ?? 0,
    populated_private_bytes: mapping?.populatedPrivateBytes ?? 0,
    committed_scaled_bytes: mapping?.committedScaledBytes ?? 0,
    populated_scaled_bytes: mapping?.populatedScaledBytes ?? 0,
    committed_fractional_scaled_bytes: mapping?.committedFractionalScaledBytes ?? 0,
    populated_fractional_scaled_bytes: mapping?.populatedFractionalScaledBytes ?? 0,
    name: Array.from(name),
  };
}

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
  const instance = nextInstance++;
  const path = join(compiled.directory, `libvmars-zx-test-double-${String(instance)}.so`);
  copyFileSync(compiled.libraryPath, path);
  const library = koffi.load(path);
  const install = library.func(
    'void vmars_test_double_install(const vmars_zx_ops_t *ops, uint32_t instance)',
  );
  const callCount = library.func('uint64_t vmars_test_double_call_count(void)');
  const self: TestDoubleInstanceState = { ops, errors: [] };
  instances.set(instance, self);
  install(callbacks, instance);
  return {
    libraries: { vdso: path, libc: path },
    callCount: () => Number(callCount()),
    errors: self.errors,
    setOps: (replacement) => {
      self.ops = replacement;
    },
  };
}
