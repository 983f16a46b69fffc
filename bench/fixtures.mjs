// @ts-check
import { expect } from './bench-error.mjs';
import { CompactVmar, memoryBackend, Status, statusName, VmarFlags } from './packages.mjs';

/** @typedef {import('../packages/address-space/dist/index.js').Vmar} Vmar */
/** @typedef {import('../packages/backend-memory/dist/index.js').MemoryBackend} MemoryBackend */

/** A fixed seed: every run places the 1 GiB VMARs at the same addresses. */
export const BENCH_SEED = 0x5eed;

/** A memory backend with the default options (process root, ASLR on) and the bench's seed. */
export function benchBackend() {
  return memoryBackend({ seed: BENCH_SEED });
}

/**
 * A 1 GiB COMPACT VMAR (`CompactVmar.create`, flags 0x1C8) in the root VMAR of `backend`.
 * @param {MemoryBackend} backend
 * @param {number} [size]
 */
export function createCompact(backend, size) {
  const compact = CompactVmar.create(backend.rootVmar(), size === undefined ? undefined : { size });
  expect(compact !== undefined, 'CompactVmar.create failed in an empty root VMAR');
  return compact;
}

/**
 * Allocates a child VMAR of `size` bytes at `offset` inside `parent` (SPECIFIC, CAN_MAP_READ) and
 * returns its handle, or throws.
 * @param {Vmar} parent
 * @param {number} offset
 * @param {number} size
 * @returns {Vmar}
 */
export function allocateSpecific(parent, offset, size) {
  const allocated = parent.allocate(offset, size, VmarFlags.CAN_MAP_READ | VmarFlags.SPECIFIC);
  if (!allocated.ok) {
    throw new Error(
      `allocate(SPECIFIC, 0x${offset.toString(16)}, ${size}) failed: ${statusName(allocated.status)}`,
    );
  }
  return allocated.value.vmar;
}

/**
 * Allocates a child VMAR of `size` bytes where the kernel places it (first fit in a COMPACT
 * VMAR), CAN_MAP_READ, and returns its handle, or throws.
 * @param {Vmar} parent
 * @param {number} size
 * @returns {Vmar}
 */
export function allocateAnywhere(parent, size) {
  const allocated = parent.allocate(0, size, VmarFlags.CAN_MAP_READ);
  if (!allocated.ok) {
    throw new Error(`allocate(${size}) failed: ${statusName(allocated.status)}`);
  }
  return allocated.value.vmar;
}

/**
 * Places `count` one-page children spread evenly over the first `span` bytes of `parent`: child
 * `i` starts at page ⌊i · spanPages / count⌋, so every gap between children is one or two pages,
 * far below the 32 MiB a probe needs. A first-fit search that walks the children has to pass all
 * of them before it reaches whatever lies beyond `span`. Handles are closed at once, as libc does
 * with its blocks (§7): the children live on in the parent.
 * @param {Vmar} parent
 * @param {number} count
 * @param {number} span bytes, a multiple of the page size
 * @param {number} pageSize
 */
export function spreadPageChildren(parent, count, span, pageSize) {
  const spanPages = span / pageSize;
  expect(spanPages >= 2 * count, 'spreadPageChildren needs at least two pages per child');
  for (let index = 0; index < count; index++) {
    const page = Math.floor((index * spanPages) / count);
    const child = allocateSpecific(parent, page * pageSize, pageSize);
    expect(child.close() === Status.OK, 'closing a child handle failed');
  }
}

/**
 * Allocates `count` children of `size` bytes, first fit from the start of `parent`, and returns
 * their handles (kept open so that the caller can destroy one later).
 * @param {Vmar} parent
 * @param {number} count
 * @param {number} size
 * @returns {Vmar[]}
 */
export function packChildren(parent, count, size) {
  const handles = [];
  for (let index = 0; index < count; index++) handles.push(allocateAnywhere(parent, size));
  return handles;
}
