import { PAGE_SIZE, PERM_RWX, Rights, Status, VmarFlags } from '@vmars/address-space';
import { setRangeFlags, wouldAddPermission } from './protection-ranges.js';
import { collectRange } from './range-queries.js';
import { absoluteBasePage, adjustEntries } from './region-lifecycle.js';
import { type MappingNode, REGION_MAPPING, type RegionNode, type VmarNode } from './region-node.js';
import { isUint32, isUsize } from './validate-arguments.js';
import {
  PERM_TO_RIGHTS_SHIFT,
  pagesRoundedUp,
  withXomFallback,
  writeOrExecuteWithoutRead,
} from './vm-options.js';
import type { VmarAccess } from './vmar-access.js';

/** The only option bits `zx_vmar_protect` takes (§11.4). */
const PROTECT_OPTIONS = PERM_RWX | VmarFlags.PERM_READ_IF_XOM_UNSUPPORTED;

/** A mapping met by a protect range, the VMAR it is a child of, and its absolute first page. */
interface MetMapping {
  readonly owner: VmarNode;
  readonly region: MappingNode;
  readonly base: number;
}

/**
 * Appends, in address order, the mappings meeting absolute pages `[start, end)` below the VMAR
 * `vmar` (whose base is absolute page `basePage`), descending into sub-VMARs (the kernel's
 * `MappingsOnly` enumerator).
 */
function collectMappings(
  vmar: VmarNode,
  basePage: number,
  start: number,
  end: number,
  out: MetMapping[],
): void {
  const children: RegionNode[] = [];
  collectRange(vmar, start - basePage, end - basePage, children);
  for (const child of children) {
    const childBase = basePage + child.offset;
    if ((child.flags & REGION_MAPPING) !== 0) {
      out.push({ owner: vmar, region: child as MappingNode, base: childBase });
    } else {
      collectMappings(child as VmarNode, childBase, start, end, out);
    }
  }
}

/**
 * `zx_vmar_protect` (§11.4, [VAR.cc] `VmAddressRegion::Protect`). Order: BAD_HANDLE;
 * JavaScript-only bad values (INVALID_ARGS); PERM_READ_IF_XOM_UNSUPPORTED adds PERM_READ (XOM
 * treated as unsupported, as in `map`); READ/WRITE/EXECUTE rights per PERM → ACCESS_DENIED;
 * W or X without R → INVALID_ARGS; `address` unaligned → INVALID_ARGS; any other option bit
 * (VMAR flags, ALIGN) → INVALID_ARGS; `length` rounded up, 0 → INVALID_ARGS; destroyed →
 * BAD_STATE; outside the VMAR → INVALID_ARGS. Then, over the mappings in the range in address
 * order (sub-VMARs included): a hole → NOT_FOUND; flags above a mapping's ceiling →
 * ACCESS_DENIED; a mapping in a sub-VMAR without OP_CHILDREN → INVALID_ARGS, or gaining a
 * permission → ACCESS_DENIED. Nothing changes unless every check passes.
 */
export function protectRange(
  vmar: VmarAccess,
  flags: number,
  address: number,
  length: number,
): Status {
  const space = vmar.space;
  if (space === null) return Status.BAD_HANDLE;
  if (!isUint32(flags) || !isUsize(address) || !isUsize(length)) return Status.INVALID_ARGS;
  const perms = withXomFallback(flags) & PERM_RWX;
  const requiredRights = perms << PERM_TO_RIGHTS_SHIFT;
  if ((vmar.rights & requiredRights) !== requiredRights) return Status.ACCESS_DENIED;
  if (writeOrExecuteWithoutRead(perms)) return Status.INVALID_ARGS;
  if (address % PAGE_SIZE !== 0) return Status.INVALID_ARGS;
  // Any other bit, an ALIGN value (bits 24..31) included.
  if ((flags & ~PROTECT_OPTIONS) !== 0) return Status.INVALID_ARGS;
  const lengthPages = pagesRoundedUp(length);
  if (lengthPages === 0) return Status.INVALID_ARGS;
  const node = vmar.node;
  const basePage = absoluteBasePage(space, node);
  if (basePage < 0) return Status.BAD_STATE;
  const start = address / PAGE_SIZE;
  const end = start + lengthPages;
  if (start < basePage || end > basePage + space.sizeOf(node)) return Status.INVALID_ARGS;

  const met: MetMapping[] = [];
  collectMappings(node, basePage, start, end, met);
  const opChildren = (vmar.rights & Rights.OP_CHILDREN) !== 0;
  let expected = start;
  for (const { owner, region, base: regionStart } of met) {
    if (regionStart > expected) return Status.NOT_FOUND;
    if ((perms & ~region.ceiling) !== 0) return Status.ACCESS_DENIED;
    if (owner !== node) {
      if (!opChildren) return Status.INVALID_ARGS;
      const from = expected - regionStart;
      const to = Math.min(end, regionStart + region.size) - regionStart;
      if (wouldAddPermission(region.ranges, region.size, from, to, perms)) {
        return Status.ACCESS_DENIED;
      }
    }
    expected = regionStart + region.size;
  }
  if (expected < end) return Status.NOT_FOUND;

  for (const { region, base: regionStart } of met) {
    const from = Math.max(start, regionStart) - regionStart;
    const to = Math.min(end, regionStart + region.size) - regionStart;
    const before = region.rangeCount;
    region.ranges = setRangeFlags(region.ranges, region.size, from, to, perms);
    const delta = region.rangeCount - before;
    if (delta !== 0) adjustEntries(region, delta);
  }
  return Status.OK;
}
