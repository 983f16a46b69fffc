import { fail, type HandleBasicInfo, ok, type Result, Status, ZxError } from '@vmars/address-space';
import { isUint32 } from './checked-integers.js';
import { decodeHandleBasicInfo } from './decode-info.js';
import { ZX_INFO_HANDLE_BASIC, ZX_INFO_HANDLE_BASIC_LAYOUT } from './zx-abi.js';
import type { ZxSession } from './zx-session.js';

const sessions = new WeakMap<object, ZxSession>();
const openHandles = new WeakSet<object>();

/**
 * The session that made `handle`, when it is a handle of this package and still open. A handle
 * value is not looked at: after `zx_handle_close` the kernel may hand the same value to a new
 * object, so a closed wrapper must never reach a syscall again.
 */
export function openSessionOf(handle: unknown): ZxSession | undefined {
  if (typeof handle !== 'object' || handle === null || !openHandles.has(handle)) return undefined;
  return sessions.get(handle);
}

/**
 * The part shared by `FuchsiaVmar` and `FuchsiaVmo`: the raw value, `basicInfo`, `close`,
 * disposal.
 */
export abstract class FuchsiaHandle {
  readonly handle: number;

  constructor(session: ZxSession, handle: number) {
    this.handle = handle;
    sessions.set(this, session);
    openHandles.add(this);
  }

  /** Kept outside the object, so that printing or comparing a handle shows only its value. */
  protected get session(): ZxSession {
    return sessions.get(this) as ZxSession;
  }

  /** False once `close()` ran: every call then answers BAD_HANDLE without reaching the kernel. */
  protected get isOpen(): boolean {
    return openHandles.has(this);
  }

  /**
   * `zx_object_get_info(ZX_INFO_HANDLE_BASIC)` (§5.3): one `zx_info_handle_basic_t`, which the
   * kernel gives for any handle, whatever its rights.
   */
  basicInfo(): Result<HandleBasicInfo> {
    return this.singleRecordInfo(
      ZX_INFO_HANDLE_BASIC,
      ZX_INFO_HANDLE_BASIC_LAYOUT.sizeof,
      'zx_object_get_info(ZX_INFO_HANDLE_BASIC)',
      decodeHandleBasicInfo,
    );
  }

  /**
   * `zx_object_get_info` of a topic that answers one record of `size` bytes, decoded by
   * `decode`; BAD_HANDLE once closed, the kernel's status on failure. A ZX_OK with `actual`
   * other than 1 would be a broken kernel or binding: it throws INTERNAL.
   */
  protected singleRecordInfo<T>(
    topic: number,
    size: number,
    operation: string,
    decode: (buffer: Uint8Array, operation: string) => T,
  ): Result<T> {
    if (!this.isOpen) return fail(Status.BAD_HANDLE);
    const { zx, actualOut, availOut } = this.session;
    const buffer = new Uint8Array(size);
    const status = zx.objectGetInfo(
      this.handle,
      topic,
      buffer,
      buffer.byteLength,
      actualOut,
      availOut,
    );
    if (status !== Status.OK) return fail(status);
    if (actualOut[0] !== 1n) {
      throw new ZxError(Status.INTERNAL, operation, {
        detail: `ZX_OK with actual = ${String(actualOut[0])}; a single-record topic always writes 1`,
      });
    }
    return ok(decode(buffer, operation));
  }

  /** `zx_handle_close` (§11.6). */
  close(): Status {
    if (!this.isOpen) return Status.BAD_HANDLE;
    const status = this.session.zx.handleClose(this.handle);
    // Whatever the answer, the value is no longer ours: never pass it again.
    openHandles.delete(this);
    return status;
  }

  [Symbol.dispose](): void {
    if (this.isOpen) this.close();
  }

  /**
   * `zx_handle_duplicate(handle, rights)`: the new raw value, or the status. `rights` must be a
   * `uint32_t` (ZX_RIGHT_SAME_RIGHTS is 2^31).
   */
  protected duplicateRaw(
    rights: number,
  ): { ok: true; handle: number } | { ok: false; status: Status } {
    if (!this.isOpen) return { ok: false, status: Status.BAD_HANDLE };
    if (!isUint32(rights)) return { ok: false, status: Status.INVALID_ARGS };
    const { zx, handleOut } = this.session;
    const status = zx.handleDuplicate(this.handle, rights, handleOut);
    if (status !== Status.OK) return { ok: false, status };
    return { ok: true, handle: handleOut[0] as number };
  }
}
