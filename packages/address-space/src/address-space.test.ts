import { describe, expect, it } from 'vitest';
import {
  ARCHITECTURES,
  CAN_MAP_RWX,
  DEFAULT_VMAR_RIGHTS,
  DEFAULT_VMO_RIGHTS,
  describeVmarFlags,
  ENOMEM,
  Errno,
  fail,
  INFO_HANDLE_BASIC,
  INFO_VMAR,
  INFO_VMAR_MAPS,
  isAlignExponent,
  isArchitecture,
  isSafeUnsigned,
  isUint32,
  ObjectType,
  ok,
  Rights,
  Status,
  statusName,
  unwrap,
  VM_ALIGN_BASE,
  VM_ALIGN_MASK,
  VM_ALIGN_MAX_EXPONENT,
  VM_ALIGN_MIN_EXPONENT,
  VmarFlags,
  VmoOptions,
  ZxError,
} from './index.js';

describe('Architecture', () => {
  it('lists the three architectures Fuchsia user space runs on, and only those pass isArchitecture', () => {
    expect(ARCHITECTURES).toEqual(['x86_64', 'arm64', 'riscv64']);
    for (const architecture of ARCHITECTURES) expect(isArchitecture(architecture)).toBe(true);
    for (const value of ['x86', 'aarch64', 'X86_64', '', undefined, 64]) {
      expect(isArchitecture(value)).toBe(false);
    }
  });
});

describe('VmarFlags', () => {
  it('has the values of zircon/types.h (semantics §1.1)', () => {
    expect(VmarFlags.PERM_READ).toBe(0x1);
    expect(VmarFlags.COMPACT).toBe(0x8);
    expect(VmarFlags.SPECIFIC).toBe(0x10);
    expect(VmarFlags.SPECIFIC_OVERWRITE).toBe(0x20);
    expect(VmarFlags.CAN_MAP_SPECIFIC).toBe(0x40);
    expect(VmarFlags.CAN_MAP_READ).toBe(0x80);
    expect(VmarFlags.CAN_MAP_WRITE).toBe(0x100);
    expect(VmarFlags.CAN_MAP_EXECUTE).toBe(0x200);
    expect(VmarFlags.MAP_RANGE).toBe(0x400);
    expect(VmarFlags.OFFSET_IS_UPPER_LIMIT).toBe(0x2000);
    expect(VmarFlags.FAULT_BEYOND_STREAM_SIZE).toBe(0x8000);
    expect(CAN_MAP_RWX).toBe(0x380);
  });

  it('encodes every ALIGN_* as log2(bytes) << 24, as positive numbers', () => {
    const sizes = ['1KB', '2KB', '4KB', '8KB', '16KB', '32KB', '64KB', '128KB', '256KB', '512KB'];
    sizes.push('1MB', '2MB', '4MB', '8MB', '16MB', '32MB', '64MB', '128MB', '256MB', '512MB');
    sizes.push('1GB', '2GB', '4GB');
    sizes.forEach((size, index) => {
      const value = VmarFlags[`ALIGN_${size}` as keyof typeof VmarFlags];
      expect(value).toBe((10 + index) * 2 ** 24);
    });
    expect(VmarFlags.ALIGN_4GB).toBe(0x20000000);
    expect(VmarFlags.ALIGN_1GB).toBe(0x1e000000);
  });

  it('VM_ALIGN_MASK is the top 8 bits, read as options >> VM_ALIGN_BASE', () => {
    expect(VM_ALIGN_MASK).toBe(0xff000000);
    expect(VM_ALIGN_BASE).toBe(24);
    const options = VmarFlags.ALIGN_2MB | VmarFlags.CAN_MAP_READ;
    expect((options & VM_ALIGN_MASK) >>> VM_ALIGN_BASE).toBe(21);
    expect((VmarFlags.ALIGN_4GB >>> VM_ALIGN_BASE) & 0xff).toBe(32);
  });

  it('the alignment exponents run from ALIGN_1KB (10) to ALIGN_4GB (32)', () => {
    expect(VM_ALIGN_MIN_EXPONENT).toBe(VmarFlags.ALIGN_1KB >>> VM_ALIGN_BASE);
    expect(VM_ALIGN_MAX_EXPONENT).toBe(VmarFlags.ALIGN_4GB >>> VM_ALIGN_BASE);
    for (let exponent = 10; exponent <= 32; exponent++)
      expect(isAlignExponent(exponent)).toBe(true);
    for (const exponent of [0, 1, 9, 33, 255, 10.5, Number.NaN, -10]) {
      expect(isAlignExponent(exponent)).toBe(false);
    }
  });

  it('gives the module its two flag values: 0x1C8 and 0x80', () => {
    const compact =
      VmarFlags.CAN_MAP_READ |
      VmarFlags.CAN_MAP_WRITE |
      VmarFlags.CAN_MAP_SPECIFIC |
      VmarFlags.COMPACT;
    expect(compact).toBe(0x1c8);
    expect(describeVmarFlags(compact)).toBe('COMPACT|CAN_MAP_SPECIFIC|CAN_MAP_READ|CAN_MAP_WRITE');
    expect(describeVmarFlags(VmarFlags.ALIGN_2MB | 0x10000)).toBe('0x10000|ALIGN_2MB');
  });
});

describe('Rights', () => {
  it('computes the default VMAR and VMO rights of §1.2 and §11.1', () => {
    expect(DEFAULT_VMAR_RIGHTS).toBe(0x208003);
    expect(DEFAULT_VMAR_RIGHTS | Rights.READ | Rights.WRITE).toBe(0x20800f);
    expect(DEFAULT_VMO_RIGHTS).toBe(0xd0ef);
    expect(Rights.SAME_RIGHTS).toBe(0x80000000);
  });

  it('names bit 24 MANAGE_VMO, as rights.h does; WAKE_VMO is its deprecated alias', () => {
    expect(Rights.MANAGE_VMO).toBe(0x1000000);
    expect(Rights.ATTACH_VMO).toBe(0x800000);
    expect(Rights.WAKE_VMO).toBe(Rights.MANAGE_VMO);
  });
});

describe('ObjectType, VmoOptions and the info topics', () => {
  it('ObjectType keeps the zx_obj_type_t values of types.h', () => {
    expect(ObjectType.VMO).toBe(3);
    expect(ObjectType.VMAR).toBe(18);
    expect(ObjectType.NONE).toBe(0);
    expect(ObjectType.PROCESS).toBe(1);
    expect(ObjectType.JOB).toBe(17);
    expect(ObjectType.PAGER).toBe(28);
    expect(ObjectType.IOB_SHARED_REGION).toBe(35);
    const values = Object.values(ObjectType);
    expect(new Set(values).size).toBe(values.length);
  });

  it('VmoOptions keeps the zx_vmo_create option values (§11.1)', () => {
    expect(VmoOptions).toEqual({ RESIZABLE: 0x2, DISCARDABLE: 0x4, UNBOUNDED: 0x10 });
  });

  it('the topics are ZX_INFO_HANDLE_BASIC 2, ZX_INFO_VMAR 7, ZX_INFO_VMAR_MAPS 36', () => {
    expect([INFO_HANDLE_BASIC, INFO_VMAR, INFO_VMAR_MAPS]).toEqual([2, 7, 36]);
  });
});

describe('Status', () => {
  it('names statuses as Zircon does', () => {
    expect(statusName(-3)).toBe('ZX_ERR_NO_RESOURCES');
    expect(statusName(0)).toBe('ZX_OK');
    expect(statusName(Status.BAD_STATE)).toBe('ZX_ERR_BAD_STATE');
    expect(statusName(-999)).toBe('ZX_ERR_UNKNOWN(-999)');
  });

  it('keeps the values of errors.h (§1.3)', () => {
    expect(Status.INVALID_ARGS).toBe(-10);
    expect(Status.BAD_HANDLE).toBe(-11);
    expect(Status.WRONG_TYPE).toBe(-12);
    expect(Status.OUT_OF_RANGE).toBe(-14);
    expect(Status.BUFFER_TOO_SMALL).toBe(-15);
    expect(Status.NOT_FOUND).toBe(-25);
    expect(Status.ALREADY_EXISTS).toBe(-26);
    expect(Status.ACCESS_DENIED).toBe(-30);
  });
});

describe('errors and results', () => {
  it('unwrap returns the value or throws a ZxError with the status', () => {
    expect(unwrap(ok(5))).toBe(5);
    try {
      unwrap(fail(Status.NO_RESOURCES), 'zx_vmar_allocate');
      expect.unreachable();
    } catch (error) {
      expect(ZxError.isInstance(error)).toBe(true);
      expect((error as ZxError).status).toBe(Status.NO_RESOURCES);
      expect((error as ZxError).message).toBe('zx_vmar_allocate failed: ZX_ERR_NO_RESOURCES (-3)');
    }
  });

  it('Errno carries ENOMEM (12) and is recognised across copies', () => {
    const error = new Errno(ENOMEM, 'no compact VMAR could be allocated');
    expect(error.code).toBe(12);
    expect(error.codeName).toBe('ENOMEM');
    expect(error.message).toBe('ENOMEM: no compact VMAR could be allocated');
    expect(Errno.isInstance(error)).toBe(true);
    expect(Errno.isInstance(new Error('x'))).toBe(false);
    expect(ZxError.isInstance(error)).toBe(false);
  });
});

describe('the numbers the contract takes', () => {
  it('sizes, offsets and addresses are non-negative safe integers', () => {
    for (const value of [0, 1, 4096, 2 ** 53 - 1]) expect(isSafeUnsigned(value)).toBe(true);
    for (const value of [-1, 1.5, Number.NaN, 2 ** 53, 2 ** 64, '4096', undefined, null, 4096n]) {
      expect(isSafeUnsigned(value)).toBe(false);
    }
  });

  it('flags and rights are integers in [0, 2^32)', () => {
    for (const value of [0, 0x1c8, 2 ** 31, 2 ** 32 - 1]) expect(isUint32(value)).toBe(true);
    for (const value of [-1, 1.5, Number.NaN, 2 ** 32, '0x80', undefined]) {
      expect(isUint32(value)).toBe(false);
    }
  });
});
