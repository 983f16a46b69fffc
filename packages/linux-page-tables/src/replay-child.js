// @ts-check
/**
 * The child process of `checkLinux`: a fresh Node process that maps a layout's blocks at their own
 * addresses, writes exactly the pages the model counts as touched, and reads the kernel's
 * page-table bytes (`VmPTE` in /proc/self/status) before and after. Plain JavaScript, so that
 * Node runs it as it is from src/ (the tests) and from dist/ alike; it imports nothing of ours.
 *
 * Protocol (IPC, advanced serialization): it receives one `ReplayRequest` and answers with one
 * `ReplayAnswer`, then leaves; its mappings end with it. It is forked with `--expose-gc`.
 *
 * Why each step (docs: packages/linux-page-tables/README.md):
 * - Transparent huge pages are turned off for the process (prctl PR_SET_THP_DISABLE): a written
 *   page inside a 2 MiB-aligned stretch of one mapping could otherwise be a huge page, which has
 *   no PTE table, and the kernel would need fewer tables than 4 KiB pages do.
 * - Warm-up: the same number of FFI calls on a scratch page (mmap over it, then memset), then a
 *   GC, so that what the runtime allocates for the calls themselves (koffi's trampolines, V8's
 *   compiled code, heap pages) is in place before the first VmPTE read.
 * - MAP_FIXED_NOREPLACE: a block whose range the process already uses is refused (EEXIST), never
 *   overwritten; such a block is reported and left untouched.
 * - MAP_NORESERVE: untouched pages cost no memory and no page tables; only the written ones do.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Linux's values, the same on x86-64 and arm64 (asm-generic/mman-common.h, asm-generic/mman.h,
// uapi/linux/prctl.h).
const PROT_READ = 0x1;
const PROT_WRITE = 0x2;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_NORESERVE = 0x4000;
const MAP_FIXED_NOREPLACE = 0x100000;
const PR_SET_THP_DISABLE = 41;
const PR_GET_THP_DISABLE = 42;

/**
 * @typedef {object} ReplayRequest
 * @property {'replay'} type
 * @property {number} pageSize  the page size the layout was made for
 * @property {Float64Array} blocks  four numbers a block: base, size, touched start, touched end
 *
 * @typedef {object} ReplayDone
 * @property {'done'} type
 * @property {number} pageSize  getpagesize() in this process
 * @property {number} vmPteBefore  bytes
 * @property {number} vmPteAfter  bytes
 * @property {boolean} transparentHugePagesDisabled
 * @property {{ index: number; errno: number; reason: string }[]} unmapped
 * @property {Float64Array} ownMappings  start, end of each mapping of this process before the replay
 *
 * @typedef {object} ReplayRefused
 * @property {'refused'} type
 * @property {string} reason
 *
 * @typedef {ReplayDone | ReplayRefused} ReplayAnswer
 */

/** @param {ReplayAnswer} answer */
function answer(answer) {
  if (process.send === undefined) {
    process.stderr.write('replay-child.js: run me with child_process.fork (no IPC channel)\n');
    process.exit(2);
  }
  process.send(answer, undefined, {}, () => {
    process.disconnect();
    process.exit(0);
  });
}

/** @returns {number | undefined} the process's page-table bytes, from /proc/self/status */
function readVmPte() {
  const status = readFileSync('/proc/self/status', 'latin1');
  const match = /^VmPTE:\s*(\d+) kB$/m.exec(status);
  return match === null ? undefined : Number(match[1]) * 1024;
}

/** @returns {Float64Array} start and end of each mapping in /proc/self/maps */
function readOwnMappings() {
  const lines = readFileSync('/proc/self/maps', 'latin1').split('\n');
  const ranges = new Float64Array(lines.length * 2);
  let count = 0;
  for (const line of lines) {
    const match = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (match === null) continue;
    ranges[count * 2] = Number.parseInt(match[1] ?? '', 16);
    ranges[count * 2 + 1] = Number.parseInt(match[2] ?? '', 16);
    count += 1;
  }
  return ranges.slice(0, count * 2);
}

/**
 * glibc's libc, or musl's (which is its own dynamic loader).
 * @param {typeof import('koffi')} koffi
 */
function loadLibc(koffi) {
  const musl = `/lib/ld-musl-${process.arch === 'x64' ? 'x86_64' : 'aarch64'}.so.1`;
  for (const name of ['libc.so.6', musl]) {
    try {
      return koffi.load(name);
    } catch {
      // the next one
    }
  }
  return undefined;
}

/**
 * @typedef {object} Libc  the C functions the replay calls
 * @property {typeof import('koffi')} koffi
 * @property {import('koffi').KoffiFunction} mmap
 * @property {import('koffi').KoffiFunction} munmap
 * @property {import('koffi').KoffiFunction} memset
 * @property {import('koffi').KoffiFunction} getpagesize
 * @property {import('koffi').KoffiFunction} prctl
 */

/** @returns {Libc | string} the C functions the replay calls, or why they could not be had */
function loadLibcFunctions() {
  /** @type {typeof import('koffi')} */
  let koffi;
  try {
    koffi = createRequire(import.meta.url)('koffi');
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `the C FFI module "koffi" did not load (${message})`;
  }
  const libc = loadLibc(koffi);
  if (libc === undefined) return 'no C library found (tried libc.so.6 and musl)';
  return {
    koffi,
    // Addresses as intptr_t: they are below 2^53 (so JS numbers hold them exactly) and MAP_FAILED
    // comes back as -1, not as a BigInt.
    mmap: libc.func('intptr_t mmap(intptr_t, size_t, int, int, int, intptr_t)'),
    munmap: libc.func('int munmap(intptr_t, size_t)'),
    memset: libc.func('intptr_t memset(intptr_t, int, size_t)'),
    getpagesize: libc.func('int getpagesize()'),
    // prctl is variadic in C; on x86-64 and arm64 Linux variadic integer arguments are passed as
    // fixed ones are, so a fixed prototype is the same call.
    prctl: libc.func('int prctl(int, unsigned long, unsigned long, unsigned long, unsigned long)'),
  };
}

const PROTECTION = PROT_READ | PROT_WRITE;
const FLAGS = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

/**
 * The one loop both passes run, so that the warm-up compiles and allocates what the replay will.
 * @param {number} count  how many blocks
 * @param {(index: number) => boolean} map  maps block `index`; false when it could not
 * @param {(index: number) => void} touch  writes block `index`'s touched pages
 */
function run(count, map, touch) {
  for (let index = 0; index < count; index += 1) {
    if (map(index)) touch(index);
  }
}

/**
 * Warm-up: `count` rounds of the same FFI calls on a scratch page, then two GCs.
 * @param {Libc} libc
 * @param {number} pageSize
 * @param {number} count
 * @returns {string | undefined} why it could not run
 */
function warmUp({ koffi, mmap, munmap, memset }, pageSize, count) {
  const scratch = mmap(0, pageSize, PROTECTION, FLAGS, -1, 0);
  if (scratch === -1) return `mmap of a scratch page failed (errno ${koffi.errno()})`;
  run(
    count,
    () => mmap(scratch, pageSize, PROTECTION, FLAGS | MAP_FIXED, -1, 0) === scratch,
    () => {
      memset(scratch, 1, pageSize);
    },
  );
  munmap(scratch, pageSize);
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  if (gc === undefined) return 'the child was started without --expose-gc';
  gc();
  gc();
  return undefined;
}

/**
 * Maps each block at its own address (MAP_FIXED_NOREPLACE) and writes its touched pages.
 * @param {Libc} libc
 * @param {Float64Array} blocks  four numbers a block: base, size, touched start, touched end
 * @returns {{ index: number; errno: number; reason: string }[]} the blocks that were not mapped
 */
function mapAndTouch({ koffi, mmap, munmap, memset }, blocks) {
  /** @type {{ index: number; errno: number; reason: string }[]} */
  const unmapped = [];
  run(
    blocks.length / 4,
    (index) => {
      const base = blocks[index * 4] ?? 0;
      const size = blocks[index * 4 + 1] ?? 0;
      const address = mmap(base, size, PROTECTION, FLAGS | MAP_FIXED_NOREPLACE, -1, 0);
      if (address === base) return true;
      if (address === -1) {
        const errno = koffi.errno();
        unmapped.push({ index, errno, reason: errno === 17 ? 'EEXIST' : `errno ${errno}` });
      } else {
        // A kernel older than 4.17 takes MAP_FIXED_NOREPLACE as a mere hint: elsewhere is no use.
        munmap(address, size);
        unmapped.push({ index, errno: 0, reason: 'placed elsewhere (kernel before 4.17?)' });
      }
      return false;
    },
    (index) => {
      const start = blocks[index * 4 + 2] ?? 0;
      const end = blocks[index * 4 + 3] ?? 0;
      memset(start, 1, end - start);
    },
  );
  return unmapped;
}

/** @param {ReplayRequest} request */
async function replay(request) {
  const libc = loadLibcFunctions();
  if (typeof libc === 'string') {
    answer({ type: 'refused', reason: libc });
    return;
  }
  const pageSize = libc.getpagesize();
  if (pageSize !== request.pageSize) {
    answer({
      type: 'refused',
      reason: `this kernel's page size is ${pageSize} bytes, the layout's ${request.pageSize}`,
    });
    return;
  }
  libc.prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
  const transparentHugePagesDisabled = libc.prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) === 1;

  const warmUpProblem = warmUp(libc, pageSize, request.blocks.length / 4);
  if (warmUpProblem !== undefined) {
    answer({ type: 'refused', reason: warmUpProblem });
    return;
  }
  // Let the runtime's background work after a GC (returning freed pages) settle before the first
  // read: what it unmaps later would free tables and lower the kernel's figure.
  await new Promise((resolve) => setTimeout(resolve, 50));

  const ownMappings = readOwnMappings();
  const vmPteBefore = readVmPte();
  if (vmPteBefore === undefined) {
    answer({ type: 'refused', reason: '/proc/self/status has no VmPTE line' });
    return;
  }
  const unmapped = mapAndTouch(libc, request.blocks);
  const vmPteAfter = readVmPte() ?? 0;
  answer({
    type: 'done',
    pageSize,
    vmPteBefore,
    vmPteAfter,
    transparentHugePagesDisabled,
    unmapped,
    ownMappings,
  });
}

process.once('message', async (message) => {
  const request = /** @type {ReplayRequest} */ (message);
  try {
    await replay(request);
  } catch (error) {
    const text = error instanceof Error ? error.message.split('\n')[0] : String(error);
    answer({ type: 'refused', reason: `the replay failed: ${text}` });
  }
});
