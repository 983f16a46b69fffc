// @ts-check
/**
 * A naive first-fit allocator over one sorted array: the reference the memory backend's
 * placement is compared with. It is what one would write first — no index, no gap bookkeeping —
 * but not made slow on purpose: the children are kept in two parallel arrays of numbers (V8 stores
 * them unboxed), the search for a spot is one linear pass over them, and freeing finds its child
 * by binary search. Inserting and removing use `splice`, which moves the tail.
 */
export class NaiveFirstFit {
  /** @type {number[]} */
  #starts = [];
  /** @type {number[]} */
  #ends = [];
  #base;
  #end;

  /**
   * @param {number} base first address of the range
   * @param {number} size bytes in the range
   */
  constructor(base, size) {
    this.#base = base;
    this.#end = base + size;
  }

  /** How many allocations are live. */
  get count() {
    return this.#starts.length;
  }

  /**
   * Places `size` bytes at the lowest address where they fit, or answers -1 when no gap is big
   * enough.
   * @param {number} size
   * @returns {number} the address, or -1
   */
  allocate(size) {
    const starts = this.#starts;
    const ends = this.#ends;
    const length = starts.length;
    let cursor = this.#base;
    for (let index = 0; index < length; index++) {
      const start = /** @type {number} */ (starts[index]);
      if (start - cursor >= size) {
        starts.splice(index, 0, cursor);
        ends.splice(index, 0, cursor + size);
        return cursor;
      }
      cursor = /** @type {number} */ (ends[index]);
    }
    if (this.#end - cursor < size) return -1;
    starts.push(cursor);
    ends.push(cursor + size);
    return cursor;
  }

  /**
   * Places `size` bytes at `address`, which must not overlap a live allocation.
   * @param {number} address
   * @param {number} size
   * @returns {boolean} false if it overlaps or lies outside the range
   */
  allocateAt(address, size) {
    if (address < this.#base || address + size > this.#end) return false;
    const index = this.#lowerBound(address);
    const previousEnd = index > 0 ? /** @type {number} */ (this.#ends[index - 1]) : this.#base;
    const nextStart =
      index < this.#starts.length ? /** @type {number} */ (this.#starts[index]) : this.#end;
    if (address < previousEnd || address + size > nextStart) return false;
    this.#starts.splice(index, 0, address);
    this.#ends.splice(index, 0, address + size);
    return true;
  }

  /**
   * Frees the allocation that starts at `address`.
   * @param {number} address
   * @returns {boolean} false if no allocation starts there
   */
  free(address) {
    const index = this.#lowerBound(address);
    if (this.#starts[index] !== address) return false;
    this.#starts.splice(index, 1);
    this.#ends.splice(index, 1);
    return true;
  }

  /**
   * The index of the first allocation starting at or after `address`.
   * @param {number} address
   */
  #lowerBound(address) {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (/** @type {number} */ (starts[middle]) < address) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
