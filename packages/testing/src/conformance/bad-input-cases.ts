import type { AddressSpaceBackend } from '@vmars/address-space';
import { Status, VmarFlags } from '@vmars/address-space';
import { expect } from 'vitest';
import { expectOk, expectStatus, mapShape, vmoOf } from '../backend-assertions.js';
import { BAD_NUMBERS } from '../bad-numbers.js';
import type { RegisterCase } from '../case-registry.js';

/** Flag bits Zircon does not define (§2.3 step 3, §11.2 step 9). */
const UNKNOWN_FLAG_BITS: readonly [string, unknown][] = [
  ['unknown bit 16', VmarFlags.CAN_MAP_READ | (2 ** 16)],
  ['unknown bit 23', VmarFlags.CAN_MAP_READ | (2 ** 23)],
  ['bit 31 (alignment 128)', VmarFlags.CAN_MAP_READ + 2 ** 31],
  ['bit 32', VmarFlags.CAN_MAP_READ + 2 ** 32],
];

/**
 * The bad-input table: each argument of `allocate` and of `map` (and `maps`' capacity), in turn,
 * replaced by each bad value, on an otherwise valid call into the root. The root's `maps` entries
 * must not change.
 */
export function registerBadInputCases(
  register: RegisterCase,
  makeBackend: () => AddressSpaceBackend,
): void {
  const allocateArguments = ['offset', 'size', 'flags'] as const;
  for (const argument of allocateArguments) {
    const table = argument === 'flags' ? [...BAD_NUMBERS, ...UNKNOWN_FLAG_BITS] : BAD_NUMBERS;
    for (const [label, value] of table) {
      register(`§2.3 bad input: allocate ${argument} = ${label} is INVALID_ARGS`, () => {
        const backend = makeBackend();
        const root = backend.rootVmar();
        const before = mapShape(root);
        const call = { offset: 0, size: backend.pageSize, flags: VmarFlags.CAN_MAP_READ };
        const args = { ...call, [argument]: value } as typeof call;
        expectStatus(root.allocate(args.offset, args.size, args.flags), Status.INVALID_ARGS);
        expect(mapShape(root)).toEqual(before);
        // The same call with the good value goes through, so the bad value alone was refused.
        expectOk(root.allocate(call.offset, call.size, call.flags));
      });
    }
  }

  for (const [label, value] of BAD_NUMBERS) {
    register(`§5.1 bad input: maps capacity = ${label} is INVALID_ARGS`, () => {
      const backend = makeBackend();
      const root = backend.rootVmar();
      expectStatus(root.maps(value as number), Status.INVALID_ARGS);
      expect(expectOk(root.maps(1)).avail).toBe(1);
    });
  }

  const mapArguments = ['flags', 'vmarOffset', 'vmoOffset', 'length'] as const;
  for (const argument of mapArguments) {
    const table = argument === 'flags' ? [...BAD_NUMBERS, ...UNKNOWN_FLAG_BITS] : BAD_NUMBERS;
    for (const [label, value] of table) {
      // CAN_MAP_READ is itself INVALID_ARGS in map options; use PERM_READ with the bad bits.
      const flagValue =
        argument === 'flags' &&
        typeof value === 'number' &&
        UNKNOWN_FLAG_BITS.some(([, v]) => v === value)
          ? value - VmarFlags.CAN_MAP_READ + VmarFlags.PERM_READ
          : value;
      register(`§11.2 bad input: map ${argument} = ${label} is INVALID_ARGS`, () => {
        const backend = makeBackend();
        const root = backend.rootVmar();
        const vmo = vmoOf(backend, 2);
        const before = mapShape(root);
        const call = {
          flags: VmarFlags.PERM_READ,
          vmarOffset: 0,
          vmoOffset: 0,
          length: backend.pageSize,
        };
        const args = { ...call, [argument]: flagValue } as typeof call;
        expectStatus(
          root.map(args.flags, args.vmarOffset, vmo, args.vmoOffset, args.length),
          Status.INVALID_ARGS,
        );
        expect(mapShape(root)).toEqual(before);
        expectOk(root.map(call.flags, call.vmarOffset, vmo, call.vmoOffset, call.length));
      });
    }
  }
}
