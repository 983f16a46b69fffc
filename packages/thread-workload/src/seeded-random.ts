/**
 * A small seeded PRNG (mulberry32) so that a workload is the same for the same seed on every
 * machine and every Node version. Not for cryptography.
 */
export class SeededRandom {
  #state: number;

  /** `seed` is taken modulo 2^32. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next value, uniform over [0, 2^32). */
  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let value = this.#state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return (value ^ (value >>> 14)) >>> 0;
  }

  /** Uniform over [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 2 ** 32;
  }

  /** Uniform over the integers [0, bound); `bound` must be a positive integer below 2^32. */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 2 ** 32) {
      throw new RangeError(
        `SeededRandom.nextInt: bound must be an integer in [1, 2^32], got ${String(bound)}`,
      );
    }
    // Rejection sampling keeps every value equally likely (no modulo bias).
    const limit = 2 ** 32 - (2 ** 32 % bound);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % bound;
    }
  }

  /** Uniform over the integers [low, high] (both inclusive). */
  nextIntBetween(low: number, high: number): number {
    return low + this.nextInt(high - low + 1);
  }
}
