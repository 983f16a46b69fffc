import type { MapInfo, Vmar } from '@vmars/address-space';
import { PROBE_FLAGS, PROBE_SIZE } from '@vmars/compact-vmar';

/**
 * The seed's `fill_vmar`: allocates PROBE_SIZE children with the probe's flags until the VMAR
 * has no room, "to ensure we effectively block it". Returns the children's handles.
 */
export function fillVmar(vmar: Vmar): Vmar[] {
  const handles: Vmar[] = [];
  for (;;) {
    const result = vmar.allocate(0, PROBE_SIZE, PROBE_FLAGS);
    if (!result.ok) return handles;
    handles.push(result.value.vmar);
  }
}

/** The seed's `VmarWrap` drop: destroy each child, then close its handle. */
export function dropAll(children: readonly Vmar[]): void {
  for (const child of children) {
    child.destroy();
    child.close();
  }
}

/** Every entry of `vmar`'s ZX_INFO_VMAR_MAPS. */
export function entries(vmar: Vmar): readonly MapInfo[] {
  const result = vmar.maps(100_000);
  if (!result.ok) throw new Error(`maps failed with status ${String(result.status)}`);
  return result.value.entries;
}
