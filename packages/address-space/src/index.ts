export type { Architecture } from './architecture.js';
export { ARCHITECTURES, isArchitecture } from './architecture.js';
export type { AddressSpaceBackend, AllocateResult, Handle, Vmar, Vmo } from './backend.js';
export { CONTRACT_VERSION } from './backend.js';
export { ENOMEM, Errno } from './errno.js';
export type {
  HandleBasicInfo,
  MapInfo,
  MappingDetails,
  MapsResult,
  VmarInfo,
} from './info.js';
export { INFO_HANDLE_BASIC, INFO_VMAR, INFO_VMAR_MAPS, MapsType } from './info.js';
export { isSafeUnsigned, isUint32 } from './numbers.js';
export { ObjectType } from './object-type.js';
export type { InvalidOptionError } from './option-checks.js';
export {
  checkOptionsObject,
  checkPositiveSize,
  checkVmarHandle,
  describeValue,
  unknownOptionKey,
} from './option-checks.js';
export { PAGE_SIZE } from './page-size.js';
export type { Result } from './result.js';
export { check, fail, ok, unwrap } from './result.js';
export {
  DEFAULT_VMAR_RIGHTS,
  DEFAULT_VMO_RIGHTS,
  RIGHTS_BASIC,
  RIGHTS_IO,
  RIGHTS_PROPERTY,
  Rights,
} from './rights.js';
export type { StatusKey } from './status.js';
export { Status, statusName } from './status.js';
export type { VmarFlagName } from './vmar-flags.js';
export {
  CAN_MAP_RWX,
  describeVmarFlags,
  isAlignExponent,
  PERM_RWX,
  VM_ALIGN_BASE,
  VM_ALIGN_MASK,
  VM_ALIGN_MAX_EXPONENT,
  VM_ALIGN_MIN_EXPONENT,
  VmarFlags,
} from './vmar-flags.js';
export { VmoOptions } from './vmo-options.js';
export { ZxError } from './zx-error.js';
