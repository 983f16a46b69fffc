// @ts-check
import { expect } from '../bench-error.mjs';
import { allocateAnywhere, benchBackend } from '../fixtures.mjs';
import { GrowableVmars, PROBE_SIZE, Status } from '../packages.mjs';
import { fill } from './probe-pair-cases.mjs';

/** @typedef {import('../measure-case.mjs').BenchCase} BenchCase */
/** @typedef {import('../../packages/address-space/dist/index.js').Vmar} Vmar */
/**
 * @typedef {import('../../packages/growable-vmars/dist/index.js').GrowableVmars} GrowableVmarsList
 */

/** How many compact VMARs the list holds. */
export const LIST_LENGTH = 1_000;

/**
 * A list of 1,000 compact VMARs, each full with 32 children of 32 MiB, with one 32 MiB hole that
 * moves from VMAR to VMAR between timed calls.
 *
 * The list is a ring: `order` is the ring as it stands now, front first, and `front` indexes the
 * current front in it (any integer; positions are taken modulo the length). probe() finding the
 * VMAR at ring position p makes p the front (a rotation), so `order` never changes, only `front`.
 */
class FullVmarRing {
  /**
   * @param {GrowableVmarsList} list
   * @param {Map<Vmar, Vmar[]>} childrenOf the children of each compact VMAR, by its handle
   */
  constructor(list, childrenOf) {
    this.list = list;
    this.childrenOf = childrenOf;
    this.order = list.vmars.map((compact) => compact.vmar);
    this.front = 0;
    // The one VMAR with room, as a position like `front`.
    this.holeAt = this.front - 1;
    this.openHole(this.holeAt);
  }

  /** The VMAR at ring position `position`. @param {number} position */
  at(position) {
    return /** @type {Vmar} */ (this.order[((position % LIST_LENGTH) + LIST_LENGTH) % LIST_LENGTH]);
  }

  /** @param {number} position */
  childrenAt(position) {
    return /** @type {Vmar[]} */ (this.childrenOf.get(this.at(position)));
  }

  /**
   * Destroys the last 32 MiB child of the VMAR at `position`: a 32 MiB hole.
   * @param {number} position
   */
  openHole(position) {
    const child = /** @type {Vmar} */ (this.childrenAt(position).pop());
    expect(child.destroy() === Status.OK && child.close() === Status.OK, 'destroy failed');
  }

  /** Fills the hole of the VMAR at `position` again. @param {number} position */
  closeHole(position) {
    this.childrenAt(position).push(allocateAnywhere(this.at(position), PROBE_SIZE));
  }

  /**
   * Moves the hole to the VMAR at `position` (untimed; the cases take turns).
   * @param {number} position
   */
  moveHole(position) {
    if ((this.holeAt - position) % LIST_LENGTH === 0) return;
    this.closeHole(this.holeAt);
    this.openHole(position);
    this.holeAt = position;
  }
}

/** Builds the ring: LIST_LENGTH compact VMARs probed into a fresh list, each filled. */
function fullVmarRing() {
  const backend = benchBackend();
  const list = new GrowableVmars(backend.rootVmar());
  /** @type {Map<Vmar, Vmar[]>} */
  const childrenOf = new Map();
  for (let index = 0; index < LIST_LENGTH; index++) {
    const handle = list.probe();
    const compact = list.vmars[0];
    expect(
      compact !== undefined && compact.vmar === handle,
      'probe() did not put the new VMAR first',
    );
    childrenOf.set(handle, fill(compact));
  }
  expect(list.length === LIST_LENGTH, `the list holds ${list.length} VMARs`);
  return new FullVmarRing(list, childrenOf);
}

/**
 * Room in the last: the probe passes over 999 full VMARs (each a failed `CompactVmar.probe`),
 * succeeds on the last and rotates it to the front. Between timed calls, untimed, the bench fills
 * that VMAR's hole again and opens one in the VMAR now last, so every timed call passes over 999
 * full VMARs. The figure is the call's time / 999.
 * @param {FullVmarRing} ring
 * @returns {BenchCase}
 */
function roomInLastCase(ring) {
  return {
    id: 'growable-room-in-last',
    name: 'GrowableVmars.probe(), 1,000 full VMARs, room in the last',
    unit: 'ns/VMAR passed over',
    operationsPerCall: LIST_LENGTH - 1,
    maximumBatch: 8,
    measure(count) {
      ring.moveHole(ring.front - 1);
      let elapsed = 0n;
      for (let index = 0; index < count; index++) {
        const expected = ring.at(ring.front - 1);
        const start = process.hrtime.bigint();
        const handle = ring.list.probe();
        elapsed += process.hrtime.bigint() - start;
        expect(handle === expected, 'probe() did not return the VMAR with room');
        ring.front -= 1;
        ring.moveHole(ring.front - 1);
      }
      return Number(elapsed);
    },
  };
}

/**
 * Room in the first: the probe succeeds at once and the list does not change.
 * @param {FullVmarRing} ring
 * @returns {BenchCase}
 */
function roomInFirstCase(ring) {
  return {
    id: 'growable-room-in-first',
    name: 'GrowableVmars.probe(), 1,000 VMARs, room in the first',
    measure(count) {
      ring.moveHole(ring.front);
      const expected = ring.at(ring.front);
      let matched = 0;
      const start = process.hrtime.bigint();
      for (let index = 0; index < count; index++) if (ring.list.probe() === expected) matched++;
      const elapsed = process.hrtime.bigint() - start;
      expect(matched === count, 'probe() did not return the front VMAR');
      return Number(elapsed);
    },
  };
}

/**
 * `GrowableVmars.probe()` over a list of 1,000 compact VMARs, each full with 32 children of
 * 32 MiB except one that has a 32 MiB hole: with the room in the last VMAR, and in the first.
 * @returns {BenchCase[]}
 */
export function growableVmarsCases() {
  const ring = fullVmarRing();
  return [roomInLastCase(ring), roomInFirstCase(ring)];
}
