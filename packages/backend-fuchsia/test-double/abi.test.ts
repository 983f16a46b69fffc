import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  INFO_HANDLE_BASIC,
  INFO_VMAR,
  INFO_VMAR_MAPS,
  MapsType,
  ObjectType,
  Rights,
  Status,
} from '@vmars/address-space';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ZX_HANDLE_INVALID,
  ZX_INFO_HANDLE_BASIC,
  ZX_INFO_HANDLE_BASIC_LAYOUT,
  ZX_INFO_MAPS_LAYOUT,
  ZX_INFO_MAPS_MAPPING_LAYOUT,
  ZX_INFO_MAPS_TYPE_MAPPING,
  ZX_INFO_VMAR,
  ZX_INFO_VMAR_LAYOUT,
  ZX_INFO_VMAR_MAPS,
  ZX_MAX_NAME_LEN,
} from '../src/zx-abi.js';
import {
  koffiTypeLayouts,
  runCompiler,
  TEST_DOUBLE_DIRECTORY,
  tmpdirForTests,
} from './test-double.js';

/**
 * The C compiler's view of zircon-abi.h (the layout the test double writes, transcribed from
 * Zircon's headers) against the constants the TypeScript decoder hard-codes. A mismatch here
 * means one of the two sides misreads Zircon's headers.
 */

const program = `
#include <stdio.h>
#include "vmars-test-double.h"
#define VALUE(name, expression) printf("%s %lld\\n", name, (long long)(expression))
#define SIZE(type) VALUE("sizeof " #type, sizeof(type))
#define OFFSET(type, member) VALUE("offsetof " #type "." #member, offsetof(type, member))
int main(void) {
  SIZE(zx_info_handle_basic_t);
  OFFSET(zx_info_handle_basic_t, koid);
  OFFSET(zx_info_handle_basic_t, rights);
  OFFSET(zx_info_handle_basic_t, type);
  OFFSET(zx_info_handle_basic_t, related_koid);
  OFFSET(zx_info_handle_basic_t, reserved);
  OFFSET(zx_info_handle_basic_t, padding1);
  SIZE(zx_info_vmar_t);
  OFFSET(zx_info_vmar_t, base);
  OFFSET(zx_info_vmar_t, len);
  SIZE(zx_info_maps_t);
  OFFSET(zx_info_maps_t, name);
  OFFSET(zx_info_maps_t, base);
  OFFSET(zx_info_maps_t, size);
  OFFSET(zx_info_maps_t, depth);
  OFFSET(zx_info_maps_t, type);
  OFFSET(zx_info_maps_t, u);
  SIZE(zx_info_maps_mapping_t);
  OFFSET(zx_info_maps_mapping_t, mmu_flags);
  OFFSET(zx_info_maps_mapping_t, vmo_koid);
  OFFSET(zx_info_maps_mapping_t, vmo_offset);
  OFFSET(zx_info_maps_mapping_t, committed_bytes);
  OFFSET(zx_info_maps_mapping_t, populated_bytes);
  OFFSET(zx_info_maps_mapping_t, committed_private_bytes);
  OFFSET(zx_info_maps_mapping_t, populated_private_bytes);
  OFFSET(zx_info_maps_mapping_t, committed_scaled_bytes);
  OFFSET(zx_info_maps_mapping_t, populated_scaled_bytes);
  OFFSET(zx_info_maps_mapping_t, committed_fractional_scaled_bytes);
  OFFSET(zx_info_maps_mapping_t, populated_fractional_scaled_bytes);
  VALUE("sizeof name", sizeof(((zx_info_maps_t*)0)->name));
  VALUE("ZX_MAX_NAME_LEN", ZX_MAX_NAME_LEN);
  VALUE("ZX_HANDLE_INVALID", ZX_HANDLE_INVALID);
  VALUE("ZX_RIGHT_SAME_RIGHTS", ZX_RIGHT_SAME_RIGHTS);
  VALUE("ZX_INFO_HANDLE_BASIC", ZX_INFO_HANDLE_BASIC);
  VALUE("ZX_OBJ_TYPE_VMO", ZX_OBJ_TYPE_VMO);
  VALUE("ZX_OBJ_TYPE_VMAR", ZX_OBJ_TYPE_VMAR);
  VALUE("ZX_KOID_FIRST", ZX_KOID_FIRST);
  VALUE("sizeof zx_koid_t", sizeof(zx_koid_t));
  VALUE("sizeof zx_obj_type_t", sizeof(zx_obj_type_t));
  VALUE("ZX_INFO_VMAR", ZX_INFO_VMAR);
  VALUE("ZX_INFO_VMAR_MAPS", ZX_INFO_VMAR_MAPS);
  VALUE("ZX_INFO_MAPS_TYPE_NONE", ZX_INFO_MAPS_TYPE_NONE);
  VALUE("ZX_INFO_MAPS_TYPE_ASPACE", ZX_INFO_MAPS_TYPE_ASPACE);
  VALUE("ZX_INFO_MAPS_TYPE_VMAR", ZX_INFO_MAPS_TYPE_VMAR);
  VALUE("ZX_INFO_MAPS_TYPE_MAPPING", ZX_INFO_MAPS_TYPE_MAPPING);
  VALUE("ZX_OK", ZX_OK);
  VALUE("ZX_ERR_INTERNAL", ZX_ERR_INTERNAL);
  VALUE("ZX_ERR_NOT_SUPPORTED", ZX_ERR_NOT_SUPPORTED);
  VALUE("ZX_ERR_NO_RESOURCES", ZX_ERR_NO_RESOURCES);
  VALUE("ZX_ERR_NO_MEMORY", ZX_ERR_NO_MEMORY);
  VALUE("ZX_ERR_INVALID_ARGS", ZX_ERR_INVALID_ARGS);
  VALUE("ZX_ERR_BAD_HANDLE", ZX_ERR_BAD_HANDLE);
  VALUE("ZX_ERR_WRONG_TYPE", ZX_ERR_WRONG_TYPE);
  VALUE("ZX_ERR_OUT_OF_RANGE", ZX_ERR_OUT_OF_RANGE);
  VALUE("ZX_ERR_BUFFER_TOO_SMALL", ZX_ERR_BUFFER_TOO_SMALL);
  VALUE("ZX_ERR_BAD_STATE", ZX_ERR_BAD_STATE);
  VALUE("ZX_ERR_NOT_FOUND", ZX_ERR_NOT_FOUND);
  VALUE("ZX_ERR_ALREADY_EXISTS", ZX_ERR_ALREADY_EXISTS);
  VALUE("ZX_ERR_ACCESS_DENIED", ZX_ERR_ACCESS_DENIED);
  VALUE("sizeof zx_handle_t", sizeof(zx_handle_t));
  VALUE("sizeof zx_status_t", sizeof(zx_status_t));
  VALUE("sizeof zx_vm_option_t", sizeof(zx_vm_option_t));
  VALUE("sizeof zx_rights_t", sizeof(zx_rights_t));
  VALUE("sizeof zx_vaddr_t", sizeof(zx_vaddr_t));
  VALUE("sizeof size_t", sizeof(size_t));
  SIZE(vmars_test_double_map_entry_t);
  OFFSET(vmars_test_double_map_entry_t, type);
  OFFSET(vmars_test_double_map_entry_t, base);
  OFFSET(vmars_test_double_map_entry_t, populated_fractional_scaled_bytes);
  OFFSET(vmars_test_double_map_entry_t, name);
  SIZE(vmars_zx_ops_t);
  OFFSET(vmars_zx_ops_t, vmar_maps);
  OFFSET(vmars_zx_ops_t, handle_basic);
  return 0;
}
`;

let values: Map<string, number>;
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdirForTests(), 'zx-abi-'));
  const source = join(directory, 'abi.c');
  const binary = join(directory, 'abi');
  writeFileSync(source, program);
  runCompiler([
    '-std=c11',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-I',
    TEST_DOUBLE_DIRECTORY,
    '-o',
    binary,
    source,
  ]);
  const output = execFileSync(binary, { encoding: 'utf8' });
  values = new Map(
    output
      .trim()
      .split('\n')
      .map((line) => {
        const space = line.lastIndexOf(' ');
        return [line.slice(0, space), Number(line.slice(space + 1))] as const;
      }),
  );
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function c(name: string): number {
  const value = values.get(name);
  if (value === undefined) throw new Error(`the C program printed no "${name}"`);
  return value;
}

describe('zircon-abi.h (C compiler) against src/zx-abi.ts', () => {
  it('zx_info_handle_basic_t: 32 bytes, koid 0, rights 8, type 12, related_koid 16 (§5.3)', () => {
    expect(c('sizeof zx_info_handle_basic_t')).toBe(32);
    expect(c('sizeof zx_info_handle_basic_t')).toBe(ZX_INFO_HANDLE_BASIC_LAYOUT.sizeof);
    expect(ZX_INFO_HANDLE_BASIC_LAYOUT.offsets).toEqual({
      koid: 0,
      rights: 8,
      type: 12,
      related_koid: 16,
      reserved: 24,
    });
    for (const [member, offset] of Object.entries(ZX_INFO_HANDLE_BASIC_LAYOUT.offsets)) {
      expect([member, c(`offsetof zx_info_handle_basic_t.${member}`)]).toEqual([member, offset]);
    }
    // Four bytes of padding close the record.
    expect(c('offsetof zx_info_handle_basic_t.padding1')).toBe(28);
    expect(c('sizeof zx_koid_t')).toBe(8);
    expect(c('sizeof zx_obj_type_t')).toBe(4);
  });

  it('zx_info_vmar_t: size and offsets (§5.2)', () => {
    expect(c('sizeof zx_info_vmar_t')).toBe(ZX_INFO_VMAR_LAYOUT.sizeof);
    for (const [member, offset] of Object.entries(ZX_INFO_VMAR_LAYOUT.offsets)) {
      expect([member, c(`offsetof zx_info_vmar_t.${member}`)]).toEqual([member, offset]);
    }
  });

  it('zx_info_maps_t: 152 bytes and its offsets (§5.1)', () => {
    expect(c('sizeof zx_info_maps_t')).toBe(152);
    expect(c('sizeof zx_info_maps_t')).toBe(ZX_INFO_MAPS_LAYOUT.sizeof);
    for (const [member, offset] of Object.entries(ZX_INFO_MAPS_LAYOUT.offsets)) {
      expect([member, c(`offsetof zx_info_maps_t.${member}`)]).toEqual([member, offset]);
    }
    expect(c('sizeof name')).toBe(ZX_MAX_NAME_LEN);
  });

  it('zx_info_maps_mapping_t: size and offsets (§5.1)', () => {
    expect(c('sizeof zx_info_maps_mapping_t')).toBe(ZX_INFO_MAPS_MAPPING_LAYOUT.sizeof);
    const members = Object.entries(ZX_INFO_MAPS_MAPPING_LAYOUT.offsets);
    expect(members).toHaveLength(11);
    for (const [member, offset] of members) {
      expect([member, c(`offsetof zx_info_maps_mapping_t.${member}`)]).toEqual([member, offset]);
    }
  });

  it('the constants the bindings pass or compare', () => {
    expect(c('ZX_MAX_NAME_LEN')).toBe(ZX_MAX_NAME_LEN);
    expect(c('ZX_HANDLE_INVALID')).toBe(ZX_HANDLE_INVALID);
    expect(c('ZX_RIGHT_SAME_RIGHTS')).toBe(Rights.SAME_RIGHTS);
    expect(c('ZX_INFO_HANDLE_BASIC')).toBe(ZX_INFO_HANDLE_BASIC);
    expect(c('ZX_INFO_HANDLE_BASIC')).toBe(INFO_HANDLE_BASIC);
    expect(c('ZX_OBJ_TYPE_VMO')).toBe(ObjectType.VMO);
    expect(c('ZX_OBJ_TYPE_VMAR')).toBe(ObjectType.VMAR);
    expect(c('ZX_KOID_FIRST')).toBe(1024);
    expect(c('ZX_INFO_VMAR')).toBe(ZX_INFO_VMAR);
    expect(c('ZX_INFO_VMAR')).toBe(INFO_VMAR);
    expect(c('ZX_INFO_VMAR_MAPS')).toBe(ZX_INFO_VMAR_MAPS);
    expect(c('ZX_INFO_VMAR_MAPS')).toBe(INFO_VMAR_MAPS);
    expect(c('ZX_INFO_MAPS_TYPE_MAPPING')).toBe(ZX_INFO_MAPS_TYPE_MAPPING);
    expect(c('ZX_INFO_MAPS_TYPE_NONE')).toBe(MapsType.NONE);
    expect(c('ZX_INFO_MAPS_TYPE_ASPACE')).toBe(MapsType.ASPACE);
    expect(c('ZX_INFO_MAPS_TYPE_VMAR')).toBe(MapsType.VMAR);
    expect(c('ZX_INFO_MAPS_TYPE_MAPPING')).toBe(MapsType.MAPPING);
  });

  it('the status codes the test double returns match @vmars/address-space', () => {
    for (const key of [
      'INTERNAL',
      'NOT_SUPPORTED',
      'NO_RESOURCES',
      'NO_MEMORY',
      'INVALID_ARGS',
      'BAD_HANDLE',
      'WRONG_TYPE',
      'OUT_OF_RANGE',
      'BUFFER_TOO_SMALL',
      'BAD_STATE',
      'NOT_FOUND',
      'ALREADY_EXISTS',
      'ACCESS_DENIED',
    ] as const) {
      expect([key, c(`ZX_ERR_${key}`)]).toEqual([key, Status[key]]);
    }
    expect(c('ZX_OK')).toBe(Status.OK);
  });

  it('the scalar widths the koffi prototypes assume (LP64, §11.7)', () => {
    expect(c('sizeof zx_handle_t')).toBe(4);
    expect(c('sizeof zx_status_t')).toBe(4);
    expect(c('sizeof zx_vm_option_t')).toBe(4);
    expect(c('sizeof zx_rights_t')).toBe(4);
    expect(c('sizeof zx_vaddr_t')).toBe(8);
    expect(c('sizeof size_t')).toBe(8);
  });
});

describe('vmars-test-double.h (C compiler) against the koffi types of test-double.ts', () => {
  it('the map entry and the ops table have the same layout on both sides', () => {
    const { entry, ops } = koffiTypeLayouts();
    expect(c('sizeof vmars_test_double_map_entry_t')).toBe(entry.size);
    for (const member of ['type', 'base', 'populated_fractional_scaled_bytes', 'name']) {
      expect([member, c(`offsetof vmars_test_double_map_entry_t.${member}`)]).toEqual([
        member,
        entry.offsets[member],
      ]);
    }
    expect(c('sizeof vmars_zx_ops_t')).toBe(ops.size);
    expect(c('offsetof vmars_zx_ops_t.vmar_maps')).toBe(ops.offsets.vmar_maps);
    expect(c('offsetof vmars_zx_ops_t.handle_basic')).toBe(ops.offsets.handle_basic);
  });
});
