import fc from 'fast-check';

/** How a duplicate's rights are chosen (§11.6). */
export type DuplicateMode = 'same' | 'dropOpChildren' | 'dropWrite' | 'dropDuplicate' | 'addWrite';

/**
 * One step of a run. `target` picks a handle (modulo the handles made so far; 0 is the root),
 * sizes and offsets count pages, so every step is well formed and the interesting answers are
 * Zircon's: NO_RESOURCES, ALREADY_EXISTS, BAD_STATE, BAD_HANDLE, ACCESS_DENIED, INVALID_ARGS.
 */
export type ModelStep =
  | {
      readonly op: 'allocate';
      readonly target: number;
      readonly pages: number;
      readonly offsetPages: number;
      /** Bit 0 COMPACT, 1 CAN_MAP_SPECIFIC, 2 CAN_MAP_READ, 3 CAN_MAP_WRITE. */
      readonly flagBits: number;
      readonly placement: 'any' | 'specific' | 'upperLimit';
      readonly align: 0 | 13 | 16;
    }
  | {
      readonly op: 'map';
      readonly target: number;
      readonly vmo: number;
      readonly pages: number;
      readonly offsetPages: number;
      readonly vmoOffsetPages: number;
      readonly perms: 0 | 1 | 3;
      readonly placement: 'any' | 'specific' | 'upperLimit';
    }
  | {
      readonly op: 'unmap';
      readonly target: number;
      readonly offsetPages: number;
      readonly pages: number;
    }
  | { readonly op: 'destroy'; readonly target: number }
  | { readonly op: 'close'; readonly target: number }
  | { readonly op: 'duplicate'; readonly target: number; readonly mode: DuplicateMode };

const placementArbitrary = fc.constantFrom('any', 'any', 'specific', 'upperLimit') as fc.Arbitrary<
  'any' | 'specific' | 'upperLimit'
>;

/** The fast-check arbitrary of one step. */
export const modelStepArbitrary: fc.Arbitrary<ModelStep> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('allocate' as const),
      target: fc.nat(40),
      pages: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: 1, max: 24 }) },
        { weight: 1, arbitrary: fc.constant(0) },
      ),
      offsetPages: fc.nat(24),
      flagBits: fc.nat(15),
      placement: placementArbitrary,
      align: fc.constantFrom(0 as const, 0 as const, 13 as const, 16 as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('map' as const),
      target: fc.nat(40),
      vmo: fc.nat(2),
      pages: fc.integer({ min: 0, max: 6 }),
      offsetPages: fc.nat(24),
      vmoOffsetPages: fc.nat(6),
      perms: fc.constantFrom(0 as const, 1 as const, 3 as const),
      placement: placementArbitrary,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('unmap' as const),
      target: fc.nat(40),
      offsetPages: fc.nat(26),
      pages: fc.nat(12),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('destroy' as const), target: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), target: fc.nat(40) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('duplicate' as const),
      target: fc.nat(40),
      mode: fc.constantFrom<DuplicateMode>(
        'same',
        'dropOpChildren',
        'dropWrite',
        'dropDuplicate',
        'addWrite',
      ),
    }),
  },
);
