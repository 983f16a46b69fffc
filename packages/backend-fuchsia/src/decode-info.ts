import type {
  HandleBasicInfo,
  MapInfo,
  MappingDetails,
  MapsType,
  VmarInfo,
} from '@vmars/address-space';
import { toExactNumber } from './checked-integers.js';
import {
  ZX_INFO_HANDLE_BASIC_LAYOUT,
  ZX_INFO_MAPS_LAYOUT,
  ZX_INFO_MAPS_MAPPING_LAYOUT,
  ZX_INFO_MAPS_TYPE_MAPPING,
  ZX_INFO_VMAR_LAYOUT,
  ZX_MAX_NAME_LEN,
} from './zx-abi.js';

/** The records are in the machine's byte order; every Fuchsia target is little-endian, this checks. */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const nameDecoder = new TextDecoder('utf-8');

function view(buffer: Uint8Array): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The `uint64_t` field `field` at byte `offset` of `data`, refused unless a number holds it exactly. */
function readExactU64(data: DataView, offset: number, operation: string, field: string): number {
  return toExactNumber(data.getBigUint64(offset, littleEndian), operation, field);
}

/**
 * Decodes one `zx_info_handle_basic_t` (§5.3) from the start of `buffer`. `reserved` and the
 * padding are not read. Koids use 63 bits (types.h), so one above 2^53 - 1 is refused, not
 * rounded: two objects must never read as one.
 */
export function decodeHandleBasicInfo(buffer: Uint8Array, operation: string): HandleBasicInfo {
  const data = view(buffer);
  const { offsets } = ZX_INFO_HANDLE_BASIC_LAYOUT;
  return {
    koid: readExactU64(data, offsets.koid, operation, 'zx_info_handle_basic_t.koid'),
    rights: data.getUint32(offsets.rights, littleEndian),
    type: data.getUint32(offsets.type, littleEndian),
    relatedKoid: readExactU64(
      data,
      offsets.related_koid,
      operation,
      'zx_info_handle_basic_t.related_koid',
    ),
  };
}

/** Decodes one `zx_info_vmar_t` (§5.2) from the start of `buffer`. */
export function decodeVmarInfo(buffer: Uint8Array, operation: string): VmarInfo {
  const data = view(buffer);
  const { offsets } = ZX_INFO_VMAR_LAYOUT;
  return {
    base: readExactU64(data, offsets.base, operation, 'zx_info_vmar_t.base'),
    len: readExactU64(data, offsets.len, operation, 'zx_info_vmar_t.len'),
  };
}

/**
 * Decodes the first `count` `zx_info_maps_t` records (§5.1) of `buffer`: the name up to its
 * NUL, base, size, depth, type, and the mapping record for MAPPING entries (§11.5).
 */
export function decodeMapInfos(buffer: Uint8Array, count: number, operation: string): MapInfo[] {
  const data = view(buffer);
  const entries: MapInfo[] = [];
  for (let index = 0; index < count; index++) {
    entries.push(decodeMapInfo(buffer, data, index * ZX_INFO_MAPS_LAYOUT.sizeof, operation));
  }
  return entries;
}

function decodeMapInfo(
  buffer: Uint8Array,
  data: DataView,
  start: number,
  operation: string,
): MapInfo {
  const { offsets } = ZX_INFO_MAPS_LAYOUT;
  const u64 = (offset: number, field: string): number =>
    readExactU64(data, start + offset, operation, `zx_info_maps_t.${field}`);

  const nameBytes = buffer.subarray(start + offsets.name, start + offsets.name + ZX_MAX_NAME_LEN);
  const end = nameBytes.indexOf(0);
  const name = nameDecoder.decode(end === -1 ? nameBytes : nameBytes.subarray(0, end));
  const type = data.getUint32(start + offsets.type, littleEndian) as MapsType;
  const entry = {
    name,
    base: u64(offsets.base, 'base'),
    size: u64(offsets.size, 'size'),
    depth: u64(offsets.depth, 'depth'),
    type,
  };
  if (type !== ZX_INFO_MAPS_TYPE_MAPPING) return entry;
  return { ...entry, mapping: decodeMapping(data, start + offsets.u, operation) };
}

function decodeMapping(data: DataView, start: number, operation: string): MappingDetails {
  const { offsets } = ZX_INFO_MAPS_MAPPING_LAYOUT;
  const u64 = (offset: number, field: string): number =>
    readExactU64(data, start + offset, operation, `zx_info_maps_mapping_t.${field}`);
  // 63-bit fixed point, 0x8000000000000000 = one byte: any raw value has a number of bytes in
  // [0, 2], so nothing is refused here (see MappingDetails in @vmars/address-space).
  const fraction = (offset: number): number =>
    Number(data.getBigUint64(start + offset, littleEndian)) / 2 ** 63;
  return {
    mmuFlags: data.getUint32(start + offsets.mmu_flags, littleEndian),
    vmoKoid: u64(offsets.vmo_koid, 'vmo_koid'),
    vmoOffset: u64(offsets.vmo_offset, 'vmo_offset'),
    committedBytes: u64(offsets.committed_bytes, 'committed_bytes'),
    populatedBytes: u64(offsets.populated_bytes, 'populated_bytes'),
    committedPrivateBytes: u64(offsets.committed_private_bytes, 'committed_private_bytes'),
    populatedPrivateBytes: u64(offsets.populated_private_bytes, 'populated_private_bytes'),
    committedScaledBytes: u64(offsets.committed_scaled_bytes, 'committed_scaled_bytes'),
    populatedScaledBytes: u64(offsets.populated_scaled_bytes, 'populated_scaled_bytes'),
    committedFractionalScaledBytes: fraction(offsets.committed_fractional_scaled_bytes),
    populatedFractionalScaledBytes: fraction(offsets.populated_fractional_scaled_bytes),
  };
}
