// @ts-check
/**
 * Thrown when a benchmark finds that the code under test did not do what the case claims to
 * measure (for example a probe of a full VMAR that succeeded). A benchmark that measured the
 * wrong thing must not print a figure.
 */
export class BenchError extends Error {
  /**
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(message, options) {
    super(message, options);
    this.name = 'BenchError';
  }
}

/**
 * Throws a `BenchError` with `message` unless `condition` holds.
 * @param {boolean} condition
 * @param {string} message
 * @returns {asserts condition}
 */
export function expect(condition, message) {
  if (!condition) throw new BenchError(message);
}
