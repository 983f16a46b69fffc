/*
 * §3.2 as the kernel states it, over a plain sorted array: the oracle that the region tree's
 * searches (first fit, the candidate counts) are tested against. Used only by tests.
 */

/** A placement request: `size` and `align` in pages, `base` the owner's absolute first page. */
export interface Request {
  readonly size: number;
  readonly align: number;
  readonly base: number;
  readonly upperLimit: number;
}

/**
 * §3.2 as a plain loop over sorted children: the oracle. Returns the `index`-th spot (or -1) and
 * the count of candidates before it (all of them, M, when there is no such spot).
 */
export function linearScan(
  sorted: readonly { offset: number; size: number }[],
  ownerSize: number,
  request: Request,
  index: number,
): { spot: number; count: number } {
  const { size, align, base, upperLimit } = request;
  const gaps: [number, number][] = [];
  let previousEnd = 0;
  for (const node of sorted) {
    gaps.push([previousEnd, node.offset]);
    previousEnd = node.offset + node.size;
  }
  gaps.push([previousEnd, ownerSize]);
  let remaining = index;
  let count = 0;
  for (const [start, end] of gaps) {
    const aligned = Math.ceil((base + start) / align) * align - base;
    const length = Math.max(0, end - aligned);
    if (aligned >= upperLimit) break;
    const clamped =
      aligned + length <= upperLimit ? length : length - (aligned + length - upperLimit);
    const spots = clamped >= size ? Math.floor((clamped - size) / align) + 1 : 0;
    if (remaining < spots) return { spot: aligned + remaining * align, count };
    remaining -= spots;
    count += spots;
  }
  return { spot: -1, count };
}
