// @ts-check
/**
 * A generated `strace -f -ttt -o FILE` trace for the parsing benchmarks: `tasks` tasks, at most
 * `alive` alive at once, made by a seeded steady churn. One task in eight is a process (`fork`),
 * the rest threads (`clone` with `CLONE_THREAD`, as glibc's pthread_create asks); one creation in
 * four is split into `<unfinished ...>` and `<... clone resumed>`, as strace prints a call
 * another task interrupts; every task makes one unrelated call (`wait4` or `rt_sigprocmask`, a
 * line the parser must read and count) before it exits. About 500 bytes a task.
 *
 * Written to a file chunk by chunk, so the trace is never in memory whole: a million tasks are
 * about 500 MB.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { SeededRandom } from './packages.mjs';

const THREAD_FLAGS =
  'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID';
const PROCESS_FLAGS = 'CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD';
const FIRST_ID = 1000;
/** The epoch second the trace starts at, in `-ttt` form. */
const EPOCH = 1_765_000_000;

/**
 * Writes the trace to `path` and returns its size and what it holds.
 * @param {string} path
 * @param {{ tasks: number, alive: number, seed: number }} options
 * @returns {{ bytes: number, tasks: number, mostAlive: number }}
 */
export function writeStraceTrace(path, { tasks, alive, seed }) {
  const random = new SeededRandom(seed);
  const file = openSync(path, 'w');
  let buffer = '';
  let bytes = 0;
  const flush = () => {
    bytes += writeSync(file, buffer);
    buffer = '';
  };
  let micros = 0;
  const stamp = () => {
    micros += 1 + random.nextInt(40);
    const seconds = EPOCH + Math.floor(micros / 1e6);
    return `${seconds}.${String(micros % 1e6).padStart(6, '0')}`;
  };
  const line = (/** @type {number} */ id, /** @type {string} */ text) => {
    // strace -o pads the task id to five columns, then one space.
    buffer += `${String(id).padEnd(5)} ${stamp()} ${text}\n`;
    if (buffer.length > 1 << 16) flush();
  };

  // The live tasks other than the first; ids are handed out in turn, so an id comes back only
  // long after its task ended (strace shows the kernel's reuse the same way).
  /** @type {number[]} */
  const live = [];
  /** The live ids that are processes: they end with `exit_group`, threads with `exit`. */
  const processes = new Set();
  const inUse = new Set();
  let nextId = FIRST_ID + 1;
  let created = 1;
  let mostAlive = 1;
  line(FIRST_ID, 'execve("/usr/bin/bench-server", ["bench-server"], 0x7ffd8 /* 20 vars */) = 0');
  const end = () => {
    const index = random.nextInt(live.length);
    const id = /** @type {number} */ (live[index]);
    live[index] = /** @type {number} */ (live[live.length - 1]);
    live.pop();
    inUse.delete(id);
    line(id, 'rt_sigprocmask(SIG_BLOCK, ~[RT_1], NULL, 8) = 0');
    if (processes.delete(id)) line(id, 'exit_group(0)                           = ?');
    else line(id, 'exit(0)                                 = ?');
    line(id, '+++ exited with 0 +++');
  };
  while (created < tasks) {
    if (live.length + 1 >= alive || (live.length > alive / 2 && random.nextInt(2) === 0)) {
      end();
      continue;
    }
    // The kernel hands out the next free id; one still in use is skipped.
    while (inUse.has(nextId)) nextId = nextId >= FIRST_ID + 4 * alive ? FIRST_ID + 1 : nextId + 1;
    const id = nextId;
    nextId = nextId >= FIRST_ID + 4 * alive ? FIRST_ID + 1 : nextId + 1;
    inUse.add(id);
    const process = random.nextInt(8) === 0;
    const call = process
      ? `clone(child_stack=NULL, flags=${PROCESS_FLAGS}, child_tidptr=0x7f2a8c3f0a10)`
      : `clone3({flags=${THREAD_FLAGS}, child_tid=0x7f2a8b7fe910, parent_tid=0x7f2a8b7fe910, exit_signal=0, stack=0x7f2a8affe000, stack_size=0x7fff00, tls=0x7f2a8b7fe6c0} => {parent_tid=[${id}]}, 88)`;
    if (random.nextInt(4) === 0) {
      const name = process ? 'clone' : 'clone3';
      line(FIRST_ID, `${call.slice(0, call.indexOf('(') + 24)} <unfinished ...>`);
      line(FIRST_ID, `<... ${name} resumed>${call.slice(call.indexOf('(') + 24)} = ${id}`);
    } else {
      line(FIRST_ID, `${call} = ${id}`);
    }
    live.push(id);
    if (process) processes.add(id);
    created += 1;
    if (live.length + 1 > mostAlive) mostAlive = live.length + 1;
    if (process) line(FIRST_ID, `wait4(-1, 0x7ffd3c2a1b4c, WNOHANG, NULL) = 0`);
  }
  while (live.length > 0) end();
  line(FIRST_ID, 'exit_group(0)                           = ?');
  line(FIRST_ID, '+++ exited with 0 +++');
  flush();
  closeSync(file);
  return { bytes, tasks: created, mostAlive };
}
