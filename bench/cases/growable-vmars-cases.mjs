// @ts-check
import { expect } from '../bench-error.mjs';
import { allocateAnywhere, benchBackend } from '../fixtures.mjs';
import { GrowableVmars, PROBE_SIZE, Status } from '../packages.mjs';
import { fill } from './probe-pair-cases.mjs';

/** @typedef {import('../measure-case.mjs').BenchCase} BenchCase */
/** @typedef {import('../../packages/address-space/dist/index.js').Vmar} Vmar */

/** How many compact VMARs the list holds. */
export const LIST_LENGTH = 1_000;

/**
 * `GrowableVmars.probe()` over a list of 1,000 compact VMARs, each full with 32 children of
 * 32 MiB except one that has a 32 MiB hole.
 *
 * Room in the last: the probe passes over 999 full VMARs (each a failed `CompactVmar.probe`),
 * succeeds on the last and rotates it to the front. Between timed calls, untimed, the bench fills
 * that VMAR's hole again and opens one in the VMAR now last, so every timed call passes over 999
 * full VMARs. The figure is the call's time / 999.
 *
 * Room in the first: the probe succeeds at once and the list does not change.
 * @returns {BenchCase[]}
 */
export function growableVmarsCases() {
  const backend = benchBackend();
  const list = new GrowableVmars(backend.rootVmar());
  /** @type {Map<Vmar, Vmar[]>} the children of each compact VMAR, by its handle */
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

  // `order` is the ring as it stands now, front first; `front` indexes the current front in it
  // (any integer; positions are taken modulo the length). probe() finding the VMAR at ring
  // position p makes p the front (a rotation), so `order` never changes, only `front`.
  const order = list.vmars.map((compact) => compact.vmar);
  let front = 0;
  const at = (/** @type {number} */ position) =>
    /** @type {Vmar} */ (order[((position % LIST_LENGTH) + LIST_LENGTH) % LIST_LENGTH]);
  const childrenAt = (/** @type {number} */ position) =>
    /** @type {Vmar[]} */ (childrenOf.get(at(position)));

  /** Destroys the last 32 MiB child of the VMAR at `position`: a 32 MiB hole. */
  const openHole = (/** @type {number} */ position) => {
    const children = childrenAt(position);
    const child = /** @type {Vmar} */ (children.pop());
    expect(child.destroy() === Status.OK && child.close() === Status.OK, 'destroy failed');
  };
  /** Fills the hole of the VMAR at `position` again. */
  const closeHole = (/** @type {number} */ position) => {
    childrenAt(position).push(allocateAnywhere(at(position), PROBE_SIZE));
  };

  // The one VMAR with room, as a position like `front`.
  let holeAt = front - 1;
  openHole(holeAt);
  /** Moves the hole to the VMAR at `position` (untimed; the cases take turns). */
  const moveHole = (/** @type {number} */ position) => {
    if ((holeAt - position) % LIST_LENGTH === 0) return;
    closeHole(holeAt);
    openHole(position);
    holeAt = position;
  };

  return [
    {
      id: 'growable-room-in-last',
      name: 'GrowableVmars.probe(), 1,000 full VMARs, room in the last',
      unit: 'ns/VMAR passed over',
      operationsPerCall: LIST_LENGTH - 1,
      maximumBatch: 8,
      measure(count) {
        moveHole(front - 1);
        let elapsed = 0n;
        for (let index = 0; index < count; index++) {
          const expected = at(front - 1);
          const start = process.hrtime.bigint();
          const handle = list.probe();
          elapsed += process.hrtime.bigint() - start;
          expect(handle === expected, 'probe() did not return the VMAR with room');
          front -= 1;
          moveHole(front - 1);
        }
        return Number(elapsed);
      },
    },
    {
      id: 'growable-room-in-first',
      name: 'GrowableVmars.probe(), 1,000 VMARs, room in the first',
      measure(count) {
        moveHole(front);
        const expected = at(front);
        let matched = 0;
        const start = process.hrtime.bigint();
        for (let index = 0; index < count; index++) if (list.probe() === expected) matched++;
        const elapsed = process.hrtime.bigint() - start;
        expect(matched === count, 'probe() did not return the front VMAR');
        return Number(elapsed);
      },
    },
  ];
}
