import { describe, expect, it } from 'vitest';
import { taskEvents } from '../task-events.js';
import { TraceError } from '../trace-error.js';
import type { TraceTask } from '../trace-task.js';
import { taskRows } from '../trace-test.test-support.js';
import { createStraceParser } from './strace-parser.js';
import { fixtureLines, type ParsedStrace, parseStraceLines } from './strace-text.test-support.js';

const parse = (name: string): ParsedStrace => parseStraceLines(fixtureLines(name), name);

/** A task record, written short: [id, parent, kind, start, end, startSeq, endSeq, ending, code or signal]. */
type Row = [
  number,
  number | null,
  TraceTask['kind'],
  number | null,
  number | null,
  number | null,
  number | null,
  TraceTask['ending'],
  (number | string)?,
];

function rows(parsed: ParsedStrace): Row[] {
  return parsed.tasks.map((task) => {
    const row: Row = [
      task.id,
      task.parent,
      task.kind,
      task.start,
      task.end,
      task.startSeq,
      task.endSeq,
      task.ending,
    ];
    if (task.code !== undefined) row.push(task.code);
    if (task.signal !== undefined) row.push(task.signal);
    return row;
  });
}

/** Every parse must give one sequence that `taskEvents` accepts (0..M-1, ends after starts). */
function checkSequence(parsed: ParsedStrace): void {
  expect(() => taskEvents(parsed.tasks)).not.toThrow();
}

function parseError(lines: readonly string[]): TraceError {
  try {
    parseStraceLines(lines, 'bad.txt');
  } catch (error) {
    if (TraceError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a TraceError');
}

describe('createStraceParser on real strace output', () => {
  it('sh -c "true & wait" (-o): a forked process; the first task starts at the origin', () => {
    const parsed = parse('sh-background.o.txt');
    expect(rows(parsed)).toEqual([
      [17021, null, 'process', 0, 14162, 0, 3, 'exit', 0],
      [17024, 17021, 'process', 7895, 13863, 1, 2, 'exit', 0],
    ]);
    expect(parsed.header).toEqual({
      format: 'vmars-trace',
      version: 1,
      source: 'strace',
      command: "sh -c 'true & wait'",
      // -ttt: the origin is a date.
      date: '2026-12-07T01:13:21Z',
      origin: '1796606001.767305',
      kindsKnown: true,
    });
    // execve, exit_group twice and --- SIGCHLD ---.
    expect(parsed.ignoredLines).toBe(4);
    checkSequence(parsed);
  });

  it('python threads (clone3 with CLONE_THREAD) are threads of the first task', () => {
    const parsed = parse('python-threads.o.txt');
    expect(rows(parsed)).toEqual([
      [17035, null, 'process', 0, 58950, 0, 7, 'exit', 0],
      [17043, 17035, 'thread', 49875, 55052, 1, 2, 'exit', 0],
      [17044, 17035, 'thread', 55142, 55696, 3, 5, 'exit', 0],
      [17045, 17035, 'thread', 55594, 56097, 4, 6, 'exit', 0],
    ]);
    checkSequence(parsed);
  });

  it('fork, vfork (whose child prints before vfork returns) and a child killed by SIGKILL', () => {
    const parsed = parse('fork-vfork-kill.o.txt');
    expect(rows(parsed)).toEqual([
      [17074, null, 'process', 0, 23878, 0, 5, 'exit', 0],
      [17078, 17074, 'process', 2743, 23544, 1, 4, 'signal', 'SIGKILL'],
      // Its exit_group line comes before the parent's `<... vfork resumed>`: it starts there.
      [17079, 17074, 'process', 3031, 3132, 2, 3, 'exit', 7],
    ]);
    checkSequence(parsed);
  });

  it('exit_group from a non-leader thread: every thread prints its exit, the leader last', () => {
    const parsed = parse('exit-group-from-thread.o.txt');
    expect(rows(parsed)).toEqual([
      [17052, null, 'process', 0, 24317, 0, 5, 'exit', 3],
      [17053, 17052, 'thread', 3558, 24312, 1, 4, 'exit', 3],
      [17054, 17052, 'thread', 3802, 24199, 2, 3, 'exit', 3],
    ]);
  });

  it('exit_group: a thread that prints nothing more ends with the leader, just before it', () => {
    const parsed = parse('exit-group-silent-thread.o.txt');
    expect(rows(parsed)).toEqual([
      [17052, null, 'process', 0, 24317, 0, 5, 'exit', 3],
      [17053, 17052, 'thread', 3558, 24317, 1, 4, 'group-exit'],
      [17054, 17052, 'thread', 3802, 24199, 2, 3, 'exit', 3],
    ]);
    checkSequence(parsed);
  });

  it('a thread calls abort(): every thread of the group is killed by SIGABRT', () => {
    const parsed = parse('thread-abort.o.txt');
    expect(rows(parsed)).toEqual([
      [2947, null, 'process', 0, 26792, 0, 5, 'signal', 'SIGABRT'],
      [2948, 2947, 'thread', 3377, 26436, 1, 3, 'signal', 'SIGABRT'],
      [2949, 2947, 'thread', 3901, 26654, 2, 4, 'signal', 'SIGABRT'],
    ]);
    // execve and --- SIGABRT ---.
    expect(parsed.ignoredLines).toBe(2);
  });

  it('execve from a non-leader: the leader is superseded, the thread goes on under its id', () => {
    const parsed = parse('execve-from-thread.o.txt');
    expect(rows(parsed)).toEqual([
      [17063, null, 'process', 0, 22672, 0, 4, 'superseded'],
      [17064, 17063, 'thread', 1245, 21942, 1, 3, 'exit', 0],
      // Its `execve(... <unfinished ...>` is resumed under 17063, and its exit is 17063's.
      [17065, 17063, 'thread', 1453, 24983, 2, 5, 'exit', 0],
    ]);
    checkSequence(parsed);
  });

  it("execve from a non-leader on stderr: the leader's superseded line has no prefix", () => {
    const parsed = parse('execve-from-thread.stderr.txt');
    expect(rows(parsed)).toEqual([
      [4034, null, 'process', 0, 26793, 0, 4, 'superseded'],
      [4035, 4034, 'thread', 4945, 26470, 1, 3, 'exit', 0],
      [4036, 4034, 'thread', 5541, 27813, 2, 5, 'exit', 0],
    ]);
  });

  it('-t (whole seconds): ties keep the order of the lines', () => {
    const parsed = parse('exit-group.t.o.txt');
    expect(parsed.header.origin).toBe('01:13:22');
    // A time of day is no date.
    expect(parsed.header.date).toBeNull();
    expect(rows(parsed)).toEqual([
      [17105, null, 'process', 0, 0, 0, 5, 'exit', 3],
      [17106, 17105, 'thread', 0, 0, 1, 3, 'exit', 3],
      [17107, 17105, 'thread', 0, 0, 2, 4, 'exit', 3],
    ]);
    checkSequence(parsed);
  });

  it('stderr form (-tt): no prefix for the first task, "Process N attached" cut into lines', () => {
    const parsed = parse('exit-group.tt.stderr.txt');
    expect(rows(parsed)).toEqual([
      [17099, null, 'process', 0, 21961, 0, 5, 'exit', 3],
      [17100, 17099, 'thread', 1248, 21841, 1, 4, 'exit', 3],
      [17101, 17099, 'thread', 1449, 21836, 2, 3, 'exit', 3],
    ]);
    expect(parsed.header.command).toBe('./eg');
  });

  it('stderr form (-ttt): prefixes come and go with the number of tasks', () => {
    const parsed = parse('sh-background.stderr.txt');
    expect(rows(parsed)).toEqual([
      [17093, null, 'process', 0, 2510, 0, 3, 'exit', 0],
      [17094, 17093, 'process', 1790, 2287, 1, 2, 'exit', 0],
    ]);
    checkSequence(parsed);
  });

  it('xargs -P 3 on stderr: interleaved processes and threads, calls cut by attach messages', () => {
    const parsed = parse('xargs-parallel.stderr.txt');
    // sh, then seq and xargs, then six python3 processes from xargs, each with one thread.
    expect(
      taskRows(parsed.tasks, ['id', 'parent', 'kind', 'startSeq', 'endSeq', 'ending', 'code']),
    ).toEqual([
      [2228, null, 'process', 0, 29, 'exit', 0],
      [2229, 2228, 'process', 1, 3, 'exit', 0],
      [2230, 2228, 'process', 2, 28, 'exit', 0],
      [2231, 2230, 'process', 4, 13, 'exit', 0],
      [2232, 2230, 'process', 5, 17, 'exit', 0],
      [2233, 2230, 'process', 6, 14, 'exit', 0],
      [2234, 2233, 'thread', 7, 12, 'exit', 0],
      [2235, 2232, 'thread', 8, 10, 'exit', 0],
      [2236, 2231, 'thread', 9, 11, 'exit', 0],
      [2237, 2230, 'process', 15, 21, 'exit', 0],
      [2238, 2230, 'process', 16, 25, 'exit', 0],
      [2239, 2230, 'process', 18, 27, 'exit', 0],
      [2240, 2237, 'thread', 19, 20, 'exit', 0],
      [2241, 2239, 'thread', 22, 26, 'exit', 0],
      [2242, 2238, 'thread', 23, 24, 'exit', 0],
    ]);
    expect(parsed.tasks.at(-1)?.end).toBe(174_570);
    checkSequence(parsed);
  });

  it('-p attach (-o): tasks that were there before have no start, one is seen only by its exit', () => {
    const parsed = parse('attach.o.txt');
    expect(rows(parsed)).toEqual([
      [17117, null, null, null, 1000594, null, 3, 'exit', 0],
      [17119, null, null, null, 0, null, 0, 'exit', 0],
      [17131, 17117, 'thread', 699896, 1000393, 1, 2, 'exit', 0],
    ]);
    expect(parsed.header.command).toBeNull();
    checkSequence(parsed);
  });

  it('-p attach (stderr): "Process N attached with 2 threads" before the first line', () => {
    const parsed = parse('attach.stderr.txt');
    expect(rows(parsed)).toEqual([
      [17133, null, null, null, 1000688, null, 3, 'exit', 0],
      [17135, null, null, null, 128, null, 0, 'exit', 0],
      [17145, 17133, 'thread', 699786, 1000407, 1, 2, 'exit', 0],
    ]);
  });
});

describe('createStraceParser on hand-written cases', () => {
  it('stderr with -q (no attach messages): the first task is named by its first [pid N] line', () => {
    const parsed = parseStraceLines([
      '1.000000 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0',
      '1.000001 clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>',
      // An unknown tid while a creation is under way: the new child, before its creator's result.
      '[pid    11] 1.000002 getpid() = 11',
      // Resuming the first task's call names it.
      '[pid    10] 1.000003 <... clone resumed>) = 11',
      '[pid    11] 1.000004 +++ exited with 0 +++',
      '1.000005 +++ exited with 0 +++',
    ]);
    expect(rows(parsed)).toEqual([
      [10, null, 'process', 0, 5, 0, 3, 'exit', 0],
      [11, 10, 'process', 2, 4, 1, 2, 'exit', 0],
    ]);
  });

  it('stderr: a first task never shown with a prefix gets id 0', () => {
    const parsed = parseStraceLines([
      '1.000000 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0',
      '1.000001 clone(child_stack=NULL, flags=SIGCHLDstrace: Process 11 attached',
      ', child_tidptr=0x1) = 11',
      '[pid    11] 1.000002 +++ exited with 0 +++',
      '1.000003 +++ exited with 0 +++',
    ]);
    expect(rows(parsed)).toEqual([
      [0, null, 'process', 0, 3, 0, 3, 'exit', 0],
      [11, 0, 'process', 1, 2, 1, 2, 'exit', 0],
    ]);
  });

  it('-p detach: "<detached ...>" closes nothing, the tasks are censored', () => {
    const parsed = parseStraceLines([
      '20 5.000000 wait4(-1,  <unfinished ...>',
      '21 5.000001 futex(0x1, FUTEX_WAIT, 0, NULL <detached ...>',
      '20 5.000002 <detached ...>',
    ]);
    expect(rows(parsed)).toEqual([
      [20, null, null, null, null, null, null, null],
      [21, null, null, null, null, null, null, null],
    ]);
    expect(parsed.ignoredLines).toBe(3);
  });

  it('a failed clone creates nothing; an id reused after its task ended is a new task', () => {
    const parsed = parse('failed-clone-and-reuse.o.txt');
    expect(rows(parsed)).toEqual([
      [100, null, 'process', 0, 1100, 0, 5, 'exit', 0],
      [200, 100, 'process', 200, 400, 1, 2, 'exit', 0],
      [200, 100, 'thread', 700, 900, 3, 4, 'exit', 0],
    ]);
    checkSequence(parsed);
  });

  it('-tt across midnight, and a line stamped before the one above it', () => {
    const parsed = parse('midnight.tt.o.txt');
    expect(rows(parsed)).toEqual([
      [300, null, 'process', 0, 1_501_000, 0, 3, 'exit', 0],
      [301, 300, 'process', 500, 1300, 1, 2, 'exit', 0],
    ]);
  });

  it('tasks alive when the trace ends are censored', () => {
    const parsed = parse('censored.o.txt');
    expect(rows(parsed)).toEqual([
      [17035, null, 'process', 0, null, 0, null, null],
      [17043, 17035, 'thread', 49875, 55052, 1, 2, 'exit', 0],
      [17044, 17035, 'thread', 55142, null, 3, null, null],
    ]);
    // Censored tasks come to the sink at end(), after the ended ones.
    expect(parsed.received.map((task) => task.id)).toEqual([17043, 17035, 17044]);
    checkSequence(parsed);
  });

  it('hands each task on when it ends, not at the end of the input', () => {
    const received: number[] = [];
    const parser = createStraceParser((task) => received.push(task.id));
    const lines = fixtureLines('sh-background.o.txt');
    lines.forEach((line, index) => {
      parser.line(line, index + 1);
      if (index === 3) expect(received).toEqual([17024]);
    });
    parser.end();
    expect(received).toEqual([17024, 17021]);
  });

  it('a group killed by a signal: threads that print nothing end with the leader', () => {
    const parsed = parseStraceLines([
      '10 1.000000 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0',
      '10 1.000001 clone(child_stack=0x1, flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND) = 11',
      '10 1.000002 clone(child_stack=0x1, flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND) = 12',
      '11 1.000003 +++ killed by SIGSEGV (core dumped) +++',
      '10 1.000004 +++ killed by SIGSEGV (core dumped) +++',
    ]);
    expect(rows(parsed)).toEqual([
      [10, null, 'process', 0, 4, 0, 5, 'signal', 'SIGSEGV'],
      [11, 10, 'thread', 1, 3, 1, 3, 'signal', 'SIGSEGV'],
      [12, 10, 'thread', 2, 4, 2, 4, 'group-exit'],
    ]);
  });

  it('a thread created by a thread belongs to the same group', () => {
    const parsed = parseStraceLines([
      '10 1.000000 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0',
      '10 1.000001 clone(child_stack=0x1, flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND) = 11',
      '11 1.000002 clone(child_stack=0x1, flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND) = 12',
      '11 1.000003 exit_group(1) = ?',
      '10 1.000004 +++ exited with 1 +++',
    ]);
    expect(rows(parsed)).toEqual([
      [10, null, 'process', 0, 4, 0, 5, 'exit', 1],
      [11, 10, 'thread', 1, 4, 1, 3, 'group-exit'],
      [12, 11, 'thread', 2, 4, 2, 4, 'group-exit'],
    ]);
  });
});

describe('createStraceParser refuses bad input, naming the line', () => {
  const start = '10 1.000000 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0';

  it('a truncated line', () => {
    const error = parseError([start, '10 1.000001 clone(child_stack=NULL, fla']);
    expect(error.code).toBe('SYNTAX');
    expect(error.line).toBe(2);
    expect(error.file).toBe('bad.txt');
    expect(error.message).toMatch(
      /^bad\.txt:line 2: expected "= RESULT" at the end of the clone call/,
    );
  });

  it('a truncated +++ line', () => {
    const error = parseError([start, '10 1.000001 +++ exited with']);
    expect(error.code).toBe('SYNTAX');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/ending in " \+\+\+"/);
  });

  it('a line cut in the middle of its timestamp', () => {
    const error = parseError([start, '10 1.']);
    expect(error.code).toBe('SYNTAX');
    expect(error.message).toMatch(/expected a timestamp/);
  });

  it('a task created while it is alive (alive twice)', () => {
    const error = parseError([start, '10 1.000001 fork() = 11', '10 1.000002 vfork() = 11']);
    expect(error.code).toBe('CONTRADICTION');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/task 11 is alive already/);
  });

  it('an end for a task that has ended', () => {
    const error = parseError([
      start,
      '10 1.000001 fork() = 11',
      '11 1.000002 +++ exited with 0 +++',
      '11 1.000003 +++ exited with 0 +++',
    ]);
    expect(error.code).toBe('CONTRADICTION');
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/task 11 is not alive \(expected its creation first/);
  });

  it('a resumed call with nothing unfinished', () => {
    const error = parseError([start, '10 1.000001 <... clone resumed>, child_tidptr=0x1) = 11']);
    expect(error.code).toBe('CONTRADICTION');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/resumes clone, but has no unfinished call/);
  });

  it('a resumed call that is not the unfinished one', () => {
    const error = parseError([
      start,
      '10 1.000001 wait4(-1,  <unfinished ...>',
      '10 1.000002 <... clone resumed>) = 11',
    ]);
    expect(error.code).toBe('CONTRADICTION');
    expect(error.message).toMatch(/its unfinished call is wait4/);
  });

  it('garbage', () => {
    const error = parseError(['this is not strace']);
    expect(error.code).toBe('SYNTAX');
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/expected a tid \(strace -o\), "\[pid N\]" or a timestamp/);
    expect(parseError([start, '10 1.000001 ### what']).message).toMatch(/expected a system call/);
    expect(parseError([start, '10 1.000001 +++ exploded +++']).code).toBe('SYNTAX');
  });

  it('a line without a timestamp', () => {
    const error = parseError(['10 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0']);
    expect(error.code).toBe('SYNTAX');
    expect(error.message).toMatch(/expected a timestamp \(strace -t, -tt or -ttt\)/);
  });

  it('timestamps that change form', () => {
    const error = parseError([start, '10 01:00:00.000001 fork() = 11']);
    expect(error.message).toMatch(/changes form/);
    expect(error.line).toBe(2);
  });

  it('a task id out of range', () => {
    const error = parseError([start, '10 1.000001 fork() = 99999999']);
    expect(error.code).toBe('SYNTAX');
    expect(error.message).toMatch(/task id 99999999 is out of range/);
  });

  it('a line cut by "Process N attached" that never continues', () => {
    const error = parseError([
      '1.000000 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0',
      '1.000001 clone(child_stack=NULL, flags=SIGCHLDstrace: Process 11 attached',
    ]);
    expect(error.code).toBe('SYNTAX');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/never continues/);
  });

  it('a stderr line with no prefix while several tasks are alive', () => {
    const error = parseError([
      'strace: Process 10 attached',
      'strace: Process 11 attached',
      '1.000000 getpid() = 10',
    ]);
    expect(error.code).toBe('SYNTAX');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/no \[pid N\] prefix while 2 tasks are alive/);
  });

  it('a line too long', () => {
    const parser = createStraceParser(() => {});
    expect(() => parser.line(`10 1.000000 ${'x'.repeat(1 << 21)}`, 7)).toThrow(
      expect.objectContaining({ code: 'TOO_LONG', line: 7 }),
    );
  });

  it('counts lines understood and not needed', () => {
    const parsed = parseStraceLines([
      start,
      '',
      '10 1.000001 --- SIGCHLD {si_signo=SIGCHLD} ---',
      '10 1.000002 read(0,  <unfinished ...>',
      '10 1.000003 <... read resumed>"", 1) = 0',
      ' > /usr/lib/x86_64-linux-gnu/libc.so.6(read+0x12) [0x11c6e2]',
      '10 1.000004 +++ exited with 0 +++',
    ]);
    expect(parsed.ignoredLines).toBe(6);
  });
});
