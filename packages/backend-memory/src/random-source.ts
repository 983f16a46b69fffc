/**
 * A seedable pseudo-random source (xoshiro128**, seeded through splitmix32) for ASLR placement.
 *
 * The kernel's PRNG cannot be reproduced (§3.5), so the backend only promises the distribution
 * (uniform over the first min(2^entropy, M) candidates, §3.3) and that one seed gives one sequence.
 * The state lives in a typed array so that drawing never allocates.
 */
export class RandomSource {
  private readonly state = new Uint32Array(4);

  constructor(seed: number) {
    // Both 32-bit halves of the seed feed splitmix32, so seeds above 2^32 differ too.
    let mix = (seed % 2 ** 32) ^ Math.floor(seed / 2 ** 32);
    for (let index = 0; index < 4; index++) {
      mix = (mix + 0x9e3779b9) | 0;
      let value = mix;
      value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
      value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
      this.state[index] = value ^ (value >>> 16);
    }
    // xoshiro must not start from the all-zero state.
    if (this.state[0] === 0 && this.state[1] === 0 && this.state[2] === 0 && this.state[3] === 0) {
      this.state[0] = 1;
    }
  }

  /** The next 32 random bits, as an unsigned integer. */
  next32(): number {
    const state = this.state;
    const s0 = state[0] as number;
    const s1 = state[1] as number;
    const times5 = Math.imul(s1, 5);
    const result = Math.imul((times5 << 7) | (times5 >>> 25), 9) >>> 0;
    const shifted = s1 << 9;
    const s2 = (state[2] as number) ^ s0;
    const s3 = (state[3] as number) ^ s1;
    state[1] = s1 ^ s2;
    state[0] = s0 ^ s3;
    state[2] = s2 ^ shifted;
    state[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /**
   * A uniform integer in `[0, bound)`, for `1 <= bound <= 2^53`. Bounds reach 2^36 (entropy 36,
   * §3.4), so more than 32 bits are drawn when needed; rejection keeps the choice exactly uniform.
   */
  uniform(bound: number): number {
    if (bound <= 1) return 0;
    if (bound <= 2 ** 32) {
      const shift = Math.clz32(bound - 1);
      for (;;) {
        // `>>> 32` would shift by 0, but bound >= 2 keeps `shift` <= 31.
        const candidate = this.next32() >>> shift;
        if (candidate < bound) return candidate;
      }
    }
    const highBound = Math.floor((bound - 1) / 2 ** 32);
    const highShift = Math.clz32(highBound);
    for (;;) {
      const candidate = (this.next32() >>> highShift) * 2 ** 32 + this.next32();
      if (candidate < bound) return candidate;
    }
  }
}
