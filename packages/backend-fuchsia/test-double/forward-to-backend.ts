/**
 * The default answers of the test double: every zx call forwarded to an `AddressSpaceBackend`
 * (such as `memoryBackend()`), through a table of raw handle values as a kernel keeps one.
 */
import type { AddressSpaceBackend, MapInfo, Result, Vmar, Vmo } from '@vmars/address-space';
import { Status } from '@vmars/address-space';
import { asNumber, type TestDoubleMapEntry, type TestDoubleOps } from './test-double-ops.js';

/** The raw-value → handle-object map a kernel's handle table would keep. */
class HandleTable {
  readonly handles = new Map<number, Vmar | Vmo>();

  /** Enters `handle` under its raw value and returns it. */
  remember<T extends Vmar | Vmo>(handle: T): T {
    this.handles.set(handle.handle, handle);
    return handle;
  }

  lookup(raw: number): Vmar | Vmo | undefined {
    return this.handles.get(raw);
  }

  /** The VMAR `raw` names, or the status a zx call answers when it names none. */
  vmarOf(raw: number): Vmar | Status {
    const handle = this.lookup(raw);
    if (handle === undefined) return Status.BAD_HANDLE;
    return handle.type === 'vmar' ? handle : Status.WRONG_TYPE;
  }
}

function failure<T>(status: Status): Result<T> {
  return { ok: false, status };
}

/**
 * Ops that answer every call from `backend`, keeping the raw-value → handle-object map a kernel's
 * handle table would keep.
 */
export function forwardToBackend(backend: AddressSpaceBackend): TestDoubleOps & {
  readonly handles: ReadonlyMap<number, Vmar | Vmo>;
} {
  const table = new HandleTable();
  return { handles: table.handles, ...handleOps(backend, table), ...vmarOps(table) };
}

type HandleOps = Pick<
  TestDoubleOps,
  | 'vmarRootSelf'
  | 'systemGetPageSize'
  | 'vmoCreate'
  | 'handleClose'
  | 'handleDuplicate'
  | 'handleBasic'
>;

/** The calls on the backend itself and on any handle. */
function handleOps(backend: AddressSpaceBackend, table: HandleTable): HandleOps {
  return {
    vmarRootSelf: () => table.remember(backend.rootVmar()).handle,
    systemGetPageSize: () => backend.pageSize,
    vmoCreate(size, options) {
      const result = backend.createVmo(asNumber(size), options);
      return result.ok ? { ok: true, value: table.remember(result.value).handle } : result;
    },
    handleClose(raw) {
      // §11.6: closing ZX_HANDLE_INVALID is fine, like free(NULL).
      if (raw === 0) return Status.OK;
      const handle = table.lookup(raw);
      if (handle === undefined) return Status.BAD_HANDLE;
      const status = handle.close();
      if (status === Status.OK) table.handles.delete(raw);
      return status;
    },
    handleDuplicate(raw, rights) {
      const handle = table.lookup(raw);
      if (handle === undefined) return failure(Status.BAD_HANDLE);
      const result = handle.duplicate(rights);
      return result.ok ? { ok: true, value: table.remember(result.value).handle } : result;
    },
    handleBasic(raw) {
      const handle = table.lookup(raw);
      if (handle === undefined) return failure(Status.BAD_HANDLE);
      return handle.basicInfo();
    },
  };
}

type VmarOps = Omit<TestDoubleOps, keyof HandleOps>;

/** The calls on a VMAR handle. */
function vmarOps(table: HandleTable): VmarOps {
  return {
    vmarAllocate(parent, options, offset, size) {
      const vmar = table.vmarOf(parent);
      if (typeof vmar === 'number') return failure(vmar);
      const result = vmar.allocate(asNumber(offset), asNumber(size), options);
      if (!result.ok) return result;
      return {
        ok: true,
        value: { handle: table.remember(result.value.vmar).handle, address: result.value.address },
      };
    },
    vmarDestroy(raw) {
      const vmar = table.vmarOf(raw);
      return typeof vmar === 'number' ? vmar : vmar.destroy();
    },
    vmarMap(raw, options, vmarOffset, rawVmo, vmoOffset, length) {
      const vmar = table.vmarOf(raw);
      if (typeof vmar === 'number') return failure(vmar);
      const vmo = table.lookup(rawVmo);
      if (vmo === undefined) return failure(Status.BAD_HANDLE);
      if (vmo.type !== 'vmo') return failure(Status.WRONG_TYPE);
      return vmar.map(options, asNumber(vmarOffset), vmo, asNumber(vmoOffset), asNumber(length));
    },
    vmarUnmap(raw, address, length) {
      const vmar = table.vmarOf(raw);
      return typeof vmar === 'number' ? vmar : vmar.unmap(asNumber(address), asNumber(length));
    },
    vmarProtect(raw, options, address, length) {
      const vmar = table.vmarOf(raw);
      return typeof vmar === 'number'
        ? vmar
        : vmar.protect(options, asNumber(address), asNumber(length));
    },
    vmarInfo(raw) {
      const vmar = table.vmarOf(raw);
      if (typeof vmar === 'number') return failure(vmar);
      return vmar.info();
    },
    vmarMaps(raw, capacity) {
      const vmar = table.vmarOf(raw);
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
