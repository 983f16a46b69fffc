/**
 * The koffi half of the zx test double: the C types of `vmars_zx_ops_t` and its map entry, and
 * the one set of callbacks registered with koffi, which look up the attached instance a call is
 * for and answer from its `TestDoubleOps`, writing the out-parameters in Zircon's layout.
 */
import { createRequire } from 'node:module';
import type { Result } from '@vmars/address-space';
import { Status } from '@vmars/address-space';
import type * as Koffi from 'koffi';
import {
  asNumber,
  type TestDoubleMapEntry,
  type TestDoubleOps,
  type U64,
} from './test-double-ops.js';

const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;

/** The C prototype of each callback, by its field of `vmars_zx_ops_t` (in the header's order). */
const PROTOTYPES = {
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

type Field = keyof typeof PROTOTYPES;
type Callback = (...args: never[]) => number;

interface KoffiTypes {
  readonly ops: Koffi.IKoffiCType;
  readonly entry: Koffi.IKoffiCType;
  readonly callbacks: Record<string, unknown>;
}

let types: KoffiTypes | undefined;
const instances = new Map<number, TestDoubleInstanceState>();
let nextInstance = 1;

/** What the callbacks know of one attached copy: the ops answering it and what they threw. */
export interface TestDoubleInstanceState {
  ops: TestDoubleOps;
  readonly errors: unknown[];
}

/** Enters a new attached copy answering from `ops`; its number is what C passes back. */
export function registerInstance(ops: TestDoubleOps): {
  readonly instance: number;
  readonly state: TestDoubleInstanceState;
} {
  const instance = nextInstance++;
  const self: TestDoubleInstanceState = { ops, errors: [] };
  instances.set(instance, self);
  return { instance, state: self };
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

const u32 = (pointer: unknown, value: number): void => koffi.encode(pointer, 'uint32_t', value);
const u64 = (pointer: unknown, value: U64): void => koffi.encode(pointer, 'uint64_t', value);

/** The status a call with out-parameters answers: the failure, or OK once `write` wrote them. */
function answer<T>(result: Result<T>, write: (value: T) => void): number {
  if (!result.ok) return result.status;
  write(result.value);
  return Status.OK;
}

/** A callback's arguments after the instance: the op's own, then the out-pointers C passes. */
type Args<K extends keyof TestDoubleOps, Out extends unknown[] = []> = [
  ...Parameters<TestDoubleOps[K]>,
  ...Out,
];

type HandleField =
  | 'vmar_root_self'
  | 'system_get_page_size'
  | 'vmo_create'
  | 'handle_close'
  | 'handle_duplicate'
  | 'handle_basic';

/** The callbacks of the calls on the process and on any handle. */
function handleCallbacks(): Record<HandleField, Callback> {
  return {
    vmar_root_self: guarded((self) => self.ops.vmarRootSelf()),
    system_get_page_size: guarded((self) => self.ops.systemGetPageSize()),
    vmo_create: guarded((self, ...[size, options, out]: Args<'vmoCreate', [unknown]>) =>
      answer(self.ops.vmoCreate(size, options), (value) => u32(out, value)),
    ),
    handle_close: guarded((self, ...args: Args<'handleClose'>) => self.ops.handleClose(...args)),
    handle_duplicate: guarded(
      (self, ...[handle, rights, out]: Args<'handleDuplicate', [unknown]>) =>
        answer(self.ops.handleDuplicate(handle, rights), (value) => u32(out, value)),
    ),
    handle_basic: guarded(
      (self, ...[handle, koid, rights, type, related]: Args<'handleBasic', unknown[]>) =>
        answer(self.ops.handleBasic(handle), (value) => {
          u64(koid, value.koid);
          u32(rights, value.rights);
          u32(type, value.type);
          u64(related, value.relatedKoid);
        }),
    ),
  };
}

/** The callbacks of the calls on a VMAR; `entry` is the C type `vmar_maps` writes. */
function vmarCallbacks(entry: Koffi.IKoffiCType): Record<Exclude<Field, HandleField>, Callback> {
  const entrySize = koffi.sizeof(entry);
  return {
    vmar_allocate: guarded(
      (self, ...[parent, options, offset, size, child, address]: Args<'vmarAllocate', unknown[]>) =>
        answer(self.ops.vmarAllocate(parent, options, offset, size), (value) => {
          u32(child, value.handle);
          u64(address, value.address);
        }),
    ),
    vmar_destroy: guarded((self, ...args: Args<'vmarDestroy'>) => self.ops.vmarDestroy(...args)),
    vmar_map: guarded((self, ...args: Args<'vmarMap', [mapped: unknown]>) => {
      const [handle, options, vmarOffset, vmo, vmoOffset, length, mapped] = args;
      const result = self.ops.vmarMap(handle, options, vmarOffset, vmo, vmoOffset, length);
      return answer(result, (value) => u64(mapped, value));
    }),
    vmar_unmap: guarded((self, ...args: Args<'vmarUnmap'>) => self.ops.vmarUnmap(...args)),
    vmar_protect: guarded((self, ...args: Args<'vmarProtect'>) => self.ops.vmarProtect(...args)),
    vmar_info: guarded((self, ...[handle, base, length]: Args<'vmarInfo', unknown[]>) =>
      answer(self.ops.vmarInfo(handle), (value) => {
        u64(base, value.base);
        u64(length, value.len);
      }),
    ),
    vmar_maps: guarded((self, handle: number, capacity: U64, entries: unknown, avail: unknown) =>
      answer(self.ops.vmarMaps(handle, asNumber(capacity)), (value) => {
        const count = Math.min(asNumber(capacity), value.entries.length);
        for (let index = 0; index < count; index++) {
          const encoded = encodeEntry(value.entries[index] as TestDoubleMapEntry);
          koffi.encode(entries, index * entrySize, entry, encoded);
        }
        u64(avail, value.avail);
      }),
    ),
  };
}

function entryStruct(): Koffi.IKoffiCType {
  return koffi.struct('vmars_test_double_map_entry_t', {
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
}

/** The koffi types and the registered callbacks, made once per process (koffi names are global). */
export function koffiTypes(): KoffiTypes {
  if (types !== undefined) return types;
  const entry = entryStruct();
  const protoTypes = Object.fromEntries(
    Object.entries(PROTOTYPES).map(([field, prototype]) => [
      field,
      koffi.pointer(koffi.proto(prototype)),
    ]),
  ) as Record<Field, Koffi.IKoffiCType>;
  const ops = koffi.struct('vmars_zx_ops_t', protoTypes);
  const implementations: Record<Field, Callback> = {
    ...handleCallbacks(),
    ...vmarCallbacks(entry),
  };
  const callbacks = Object.fromEntries(
    Object.entries(implementations).map(([field, implementation]) => [
      field,
      koffi.register(implementation, protoTypes[field as Field]),
    ]),
  );
  types = { ops, entry, callbacks };
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
