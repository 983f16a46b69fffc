import {
  type AllocateResult,
  fail,
  type MapsResult,
  ok,
  type Result,
  Status,
  type Vmar,
  type VmarInfo,
  type Vmo,
  ZxError,
} from '@vmars/address-space';
import { isUint32, isUint64, toExactNumber } from './checked-integers.js';
import { decodeMapInfos, decodeVmarInfo } from './decode-info.js';
import { FuchsiaHandle, openSessionOf } from './fuchsia-handle.js';
import {
  ZX_INFO_MAPS_LAYOUT,
  ZX_INFO_VMAR,
  ZX_INFO_VMAR_LAYOUT,
  ZX_INFO_VMAR_MAPS,
} from './zx-abi.js';

/**
 * The most entries `maps()` allocates room for without asking the kernel how many there are
 * (about 10 MB of `zx_info_maps_t`). A larger `capacity` is first clamped to `avail`.
 */
const DIRECT_MAPS_CAPACITY = 65_536;

/**
 * A VMAR handle owned by a `fuchsiaBackend()`. Each method is the zx syscall of the same name;
 * the kernel gives every status. This class only refuses, with INVALID_ARGS and no syscall,
 * numbers the C types cannot hold exactly (koffi would wrap -1 to 0xFFFFFFFF or truncate 1.5),
 * and answers BAD_HANDLE for a closed wrapper (its value may already name another object).
 */
export class FuchsiaVmar extends FuchsiaHandle implements Vmar {
  readonly type = 'vmar' as const;

  allocate(offset: number, size: number, flags: number): Result<AllocateResult> {
    if (!this.isOpen) return fail(Status.BAD_HANDLE);
    if (!isUint64(offset) || !isUint64(size) || !isUint32(flags)) return fail(Status.INVALID_ARGS);
    const { zx, handleOut, addressOut } = this.session;
    const status = zx.vmarAllocate(this.handle, flags, offset, size, handleOut, addressOut);
    if (status !== Status.OK) return fail(status);
    const child = handleOut[0] as number;
    const address = addressOut[0] as bigint;
    try {
      return ok({
        vmar: new FuchsiaVmar(this.session, child),
        address: toExactNumber(address, 'zx_vmar_allocate', 'child_addr'),
      });
    } catch (error) {
      // Leave nothing behind that no caller can reach.
      zx.vmarDestroy(child);
      zx.handleClose(child);
      throw error;
    }
  }

  map(
    flags: number,
    vmarOffset: number,
    vmo: Vmo,
    vmoOffset: number,
    length: number,
  ): Result<number> {
    if (!this.isOpen) return fail(Status.BAD_HANDLE);
    // §11.2 step 1: the VMO handle is looked up right after the VMAR handle.
    if (openSessionOf(vmo) !== this.session) return fail(Status.BAD_HANDLE);
    if (vmo.type !== 'vmo') return fail(Status.WRONG_TYPE);
    if (!isUint32(flags) || !isUint64(vmarOffset) || !isUint64(vmoOffset) || !isUint64(length)) {
      return fail(Status.INVALID_ARGS);
    }
    const { zx, addressOut } = this.session;
    const status = zx.vmarMap(
      this.handle,
      flags,
      vmarOffset,
      vmo.handle,
      vmoOffset,
      length,
      addressOut,
    );
    if (status !== Status.OK) return fail(status);
    const address = addressOut[0] as bigint;
    try {
      return ok(toExactNumber(address, 'zx_vmar_map', 'mapped_addr'));
    } catch (error) {
      zx.vmarUnmap(this.handle, address, length);
      throw error;
    }
  }

  unmap(address: number, length: number): Status {
    if (!this.isOpen) return Status.BAD_HANDLE;
    if (!isUint64(address) || !isUint64(length)) return Status.INVALID_ARGS;
    return this.session.zx.vmarUnmap(this.handle, address, length);
  }

  protect(flags: number, address: number, length: number): Status {
    if (!this.isOpen) return Status.BAD_HANDLE;
    if (!isUint32(flags) || !isUint64(address) || !isUint64(length)) return Status.INVALID_ARGS;
    return this.session.zx.vmarProtect(this.handle, flags, address, length);
  }

  destroy(): Status {
    if (!this.isOpen) return Status.BAD_HANDLE;
    return this.session.zx.vmarDestroy(this.handle);
  }

  info(): Result<VmarInfo> {
    return this.singleRecordInfo(
      ZX_INFO_VMAR,
      ZX_INFO_VMAR_LAYOUT.sizeof,
      'zx_object_get_info(ZX_INFO_VMAR)',
      decodeVmarInfo,
    );
  }

  maps(capacity: number): Result<MapsResult> {
    if (!this.isOpen) return fail(Status.BAD_HANDLE);
    if (!isUint64(capacity)) return fail(Status.INVALID_ARGS);
    const operation = 'zx_object_get_info(ZX_INFO_VMAR_MAPS)';
    let room = capacity;
    if (capacity > DIRECT_MAPS_CAPACITY) {
      const counted = this.getMaps(0, operation);
      if (!counted.ok) return counted;
      room = Math.min(capacity, counted.avail);
    }
    for (;;) {
      const result = this.getMaps(room, operation);
      if (!result.ok) return result;
      // §5.1: actual = min(capacity, avail). Only a clamped buffer can fall short of that, when
      // the tree grew between the two calls; ask again with room for the new count.
      if (result.actual < Math.min(capacity, result.avail) && room < capacity) {
        room = Math.min(capacity, result.avail);
        continue;
      }
      return ok({
        entries: decodeMapInfos(result.buffer, result.actual, operation),
        actual: result.actual,
        avail: result.avail,
      });
    }
  }

  duplicate(rights: number): Result<Vmar> {
    const result = this.duplicateRaw(rights);
    return result.ok ? ok(new FuchsiaVmar(this.session, result.handle)) : fail(result.status);
  }

  /** One `zx_object_get_info(ZX_INFO_VMAR_MAPS)` with room for `room` records (§5.1). */
  private getMaps(
    room: number,
    operation: string,
  ):
    | { ok: true; buffer: Uint8Array; actual: number; avail: number }
    | { ok: false; status: Status } {
    const { zx, actualOut, availOut } = this.session;
    const buffer = new Uint8Array(room * ZX_INFO_MAPS_LAYOUT.sizeof);
    const status = zx.objectGetInfo(
      this.handle,
      ZX_INFO_VMAR_MAPS,
      buffer,
      buffer.byteLength,
      actualOut,
      availOut,
    );
    if (status !== Status.OK) return { ok: false, status };
    const actual = toExactNumber(actualOut[0] as bigint, operation, 'actual');
    const avail = toExactNumber(availOut[0] as bigint, operation, 'avail');
    if (actual > room) {
      throw new ZxError(Status.INTERNAL, operation, {
        detail: `actual = ${String(actual)} records for a buffer with room for ${String(room)}`,
      });
    }
    return { ok: true, buffer, actual, avail };
  }
}
