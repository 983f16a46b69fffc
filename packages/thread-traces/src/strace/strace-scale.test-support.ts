/**
 * Test support: a large synthetic `strace -f -o` trace, made line by line (never held whole), for
 * the parser's speed and memory checks. Tasks come and go with at most `mostAlive` alive; about a
 * third are threads; each prints a few ordinary lines; ids are reused.
 */
export interface ScaleOptions {
  readonly tasks: number;
  readonly mostAlive: number;
}

const CLONE_THREAD =
  'clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f6298dba990, parent_tid=0x7f6298dba990, exit_signal=0, stack=0x7f62985ba000, stack_size=0x7fff80, tls=0x7f6298dba6c0} => {parent_tid=[';
const CLONE_PROCESS =
  'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fa1459a4a10) = ';
const OTHER = [
  'openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3',
  'read(3, "\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0P\\237\\2\\0\\0\\0\\0\\0"..., 832) = 832',
  'mmap(NULL, 2264656, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7f6298a00000',
  '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=17043, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---',
  'wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WNOHANG, NULL) = 17043',
];

export function* scaleTraceLines(options: ScaleOptions): Generator<string> {
  let random = 12345;
  const next = (bound: number): number => {
    random = (Math.imul(random, 1103515245) + 12345) >>> 0;
    return (random >>> 8) % bound;
  };
  let micros = 0;
  const stamp = (): string => {
    micros += 1 + next(40);
    return `${String(1_796_600_000 + Math.floor(micros / 1e6))}.${String(micros % 1e6).padStart(6, '0')}`;
  };
  const first = 300;
  let nextId = 301;
  const alive: number[] = [];
  yield `${String(first)} ${stamp()} execve("/usr/bin/make", ["make", "-j8"], 0x7ffdecbab008 /* 35 vars */) = 0`;
  let created = 1;
  while (created < options.tasks || alive.length > 0) {
    const roll = next(8);
    if (
      created < options.tasks &&
      alive.length < options.mostAlive &&
      (roll < 4 || alive.length === 0)
    ) {
      const id = nextId;
      nextId = nextId >= 4_000_000 ? 301 : nextId + 1;
      // Threads are the first task's (whose group ends last); processes anyone's.
      const creator =
        alive.length > 0 && next(2) === 0 ? (alive[next(alive.length)] as number) : first;
      yield next(3) === 0
        ? `${String(first)} ${stamp()} ${CLONE_THREAD}${String(id)}]}, 88) = ${String(id)}`
        : `${String(creator)} ${stamp()} ${CLONE_PROCESS}${String(id)}`;
      alive.push(id);
      created += 1;
    } else if (roll < 6 && alive.length > 0) {
      const id = alive[next(alive.length)] as number;
      yield `${String(id)} ${stamp()} ${OTHER[next(OTHER.length)] as string}`;
    } else if (alive.length > 0) {
      // A thread of the first task's group, or a process without threads, ends.
      const index = next(alive.length);
      const id = alive[index] as number;
      alive[index] = alive[alive.length - 1] as number;
      alive.pop();
      yield `${String(id)} ${stamp()} exit(0)                 = ?`;
      yield `${String(id)} ${stamp()} +++ exited with 0 +++`;
    }
  }
  yield `${String(first)} ${stamp()} exit_group(0)           = ?`;
  yield `${String(first)} ${stamp()} +++ exited with 0 +++`;
}
