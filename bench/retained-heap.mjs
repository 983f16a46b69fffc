// @ts-check
/**
 * Retained heap per live child VMAR, measured once. The runner spawns this script, one fresh
 * process per measurement, with `--expose-gc`:
 *
 *   node --expose-gc bench/retained-heap.mjs <children> <closed|open>
 *
 * A fresh backend and one COMPACT VMAR large enough for `children` one-page children; full GC and
 * `heapUsed`; the children allocated first fit; full GC and `heapUsed` again; prints one JSON line
 * with the difference per child. `closed`: each child's handle is closed at once, as libc does
 * with its blocks (§7), so the child lives on only inside the backend. `open`: the caller keeps
 * every handle in an array (allocated, and so counted, before the first reading).
 *
 * One process per measurement, because a second fixture in the same process is not measured
 * cleanly: the backend's module-level scratch arrays keep nodes of the last tree they touched
 * reachable until another tree is touched, so the previous fixture is freed in mid-measure.
 */
import { BenchError, expect } from './bench-error.mjs';
import { benchBackend, createCompact } from './fixtures.mjs';
import { Status, VmarFlags } from './packages.mjs';

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new BenchError('retained-heap.mjs needs node --expose-gc');
const collect = gc;

const children = Number(process.argv[2] ?? 1_000_000);
const mode = process.argv[3] ?? 'closed';
expect(Number.isSafeInteger(children) && children > 0, `bad child count ${process.argv[2]}`);
expect(mode === 'closed' || mode === 'open', `mode must be closed or open, not ${mode}`);

function settledHeap() {
  // Two full collections: the first can leave work (weak callbacks, finalizers) to the second.
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

const backend = benchBackend();
const pageSize = backend.pageSize;
const gibibyte = 2 ** 30;
const compact = createCompact(backend, Math.ceil((children * pageSize) / gibibyte) * gibibyte);
const parent = compact.vmar;
const keepHandles = mode === 'open';
/** @type {unknown[]} */
const kept = keepHandles ? new Array(children).fill(null) : [];

const before = settledHeap();
for (let index = 0; index < children; index++) {
  const allocated = parent.allocate(0, pageSize, VmarFlags.CAN_MAP_READ);
  if (!allocated.ok) throw new BenchError(`allocation ${index} failed (${allocated.status})`);
  if (keepHandles) kept[index] = allocated.value.vmar;
  else expect(allocated.value.vmar.close() === Status.OK, 'close failed');
}
const after = settledHeap();

// Uses every object after the second reading, so none could have been collected early, and checks
// that the children are all there.
const maps = parent.maps(0);
expect(maps.ok && maps.value.avail === children + 1, 'the children are not all live');
expect(kept.length === (keepHandles ? children : 0), 'handles lost');
process.stdout.write(
  `${JSON.stringify({ children, mode, before, after, bytesPerChild: (after - before) / children })}\n`,
);
