import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceError } from '../trace-error.js';
import type { TraceTask } from '../trace-task.js';
import { taskRows } from '../trace-test.test-support.js';
import { createPerfParser } from './perf-parser.js';

function fixture(name: string): string[] {
  const text = readFileSync(new URL(`../../fixtures/perf/${name}`, import.meta.url), 'utf8');
  return text.split('\n').slice(0, -1);
}

function parse(lines: readonly string[]) {
  const tasks: TraceTask[] = [];
  const parser = createPerfParser((task) => tasks.push(task), { file: 'perf.txt' });
  for (const [index, text] of lines.entries()) parser.line(text, index + 1);
  parser.end();
  return { tasks, header: parser.header(), ignoredLines: parser.ignoredLines };
}

/** `[id, parent, kind, startSeq, endSeq]` in startSeq order, the shape most tests compare. */
function shape(tasks: readonly TraceTask[]) {
  return [...tasks]
    .sort((left, right) => (left.startSeq ?? -1) - (right.startSeq ?? -1))
    .map((task) => [task.id, task.parent, task.kind, task.startSeq, task.endSeq]);
}

// Recorded on Linux 6.18 with perf 6.1 (see fixtures/perf/README.md for the commands): the test
// program makes two threads, a thread's thread, a fork from a thread, and exits while a thread runs.
const THREADS_FORK_EXIT = [
  [12541, null, 'process', 0, 10],
  [12544, 12541, 'thread', 1, 8],
  [12545, 12541, 'thread', 2, 5],
  [12546, 12544, 'thread', 3, 4],
  [12547, 12544, 'process', 6, 7],
  [12548, 12541, 'thread', 9, 11],
];

describe('createPerfParser', () => {
  it('reads a real recording with task_newtask: threads, processes, the first task', () => {
    const { tasks, header, ignoredLines } = parse(fixture('threads-fork-exit.perf.txt'));
    expect(shape(tasks)).toEqual(THREADS_FORK_EXIT);
    expect(header).toMatchObject({ source: 'perf', kindsKnown: true, origin: '302.409222' });
    expect(ignoredLines).toBe(0);
    const first = tasks.find((task) => task.id === 12541);
    expect(first).toMatchObject({ start: 0, end: 5142, ending: 'exit' });
    expect(tasks.find((task) => task.id === 12546)).toMatchObject({ start: 188, end: 2275 });
    // Handed on as they end.
    expect(tasks.map((task) => task.endSeq)).toEqual([4, 5, 7, 8, 10, 11]);
  });

  it("reads Node's threads (V8's, libuv's pool, a worker's), all under the first task", () => {
    const { tasks, header, ignoredLines } = parse(fixture('node-worker.perf.txt'));
    expect(header.kindsKnown).toBe(true);
    expect(ignoredLines).toBe(1); // node's own exec
    expect(tasks.filter((task) => task.kind === 'thread')).toHaveLength(11);
    expect(tasks.filter((task) => task.kind === 'process')).toHaveLength(1);
    expect(tasks.every((task) => task.end !== null)).toBe(true);
    const first = tasks.find((task) => task.parent === null);
    expect(first?.startSeq).toBe(0);
    // exit_group: the kernel reported the leader's exit before its last thread's.
    expect(tasks.filter((task) => (task.endSeq ?? 0) > (first?.endSeq ?? 0))).toHaveLength(1);
  });

  it("reads an older kernel's sched_process_exit, without group_dead, the same way", () => {
    expect(shape(parse(fixture('older-kernel-no-group-dead.perf.txt')).tasks)).toEqual(
      THREADS_FORK_EXIT,
    );
  });

  it('without task_newtask, says kinds are unknown and gives none', () => {
    const { tasks, header } = parse(fixture('no-newtask.perf.txt'));
    expect(header.kindsKnown).toBe(false);
    expect(tasks).toHaveLength(6);
    expect(tasks.every((task) => task.kind === null)).toBe(true);
    expect(tasks.filter((task) => task.parent === null)).toHaveLength(1);
  });

  it('reads --header output: the command from the cmdline, comment lines ignored', () => {
    const { tasks, header, ignoredLines } = parse(fixture('shell-with-header.perf.txt'));
    expect(header.command).toBe(
      'sh -c ls / >/dev/null; (sleep 0.01 & wait); echo done | cat >/dev/null',
    );
    expect(header.notes).toEqual({
      perfVersion: '6.1.187',
      osRelease: '6.18.44-fc-v1272',
      capturedOn: 'Mon Dec  7 01:11:58 2026',
    });
    expect(ignoredLines).toBeGreaterThan(20);
    // ls (vfork, clone_flags 4100), a subshell with its sleep, and the two sides of a pipe.
    expect(tasks.filter((task) => task.kind === 'process')).toHaveLength(tasks.length);
    expect(tasks.every((task) => task.end !== null)).toBe(true);
  });

  it('keeps a child that outlives the command as censored', () => {
    const { tasks } = parse(fixture('outlived-by-child.perf.txt'));
    expect(shape(tasks)).toEqual([
      [12888, null, 'process', 0, 2],
      [12901, 12888, 'process', 1, null],
    ]);
    expect(tasks[1]).toMatchObject({ end: null, ending: null });
  });

  it("follows a thread's execve through sched_process_exec: it goes on under the leader's id", () => {
    const { tasks, ignoredLines } = parse(fixture('thread-execve.perf.txt'));
    expect(ignoredLines).toBe(1); // the command's own exec
    expect(taskRows(tasks, ['id', 'parent', 'kind', 'startSeq', 'endSeq', 'ending'])).toEqual([
      [1479, null, 'process', 0, 2, 'exit'],
      [1482, 1479, 'thread', 1, 3, 'exit'],
    ]);
    expect(tasks[1]?.end).toBe(2704);
  });

  it('ends a leader still alive at a thread execve as superseded', () => {
    const { tasks } = parse([
      ' a 10 [0] 1.000000: sched:sched_process_fork: comm=a pid=10 child_comm=a child_pid=11',
      ' b 10 [0] 1.000005: sched:sched_process_exec: filename=/bin/b c pid=10 old_pid=11',
      ' b 10 [0] 1.000009: sched:sched_process_exit: comm=b pid=10 prio=120',
    ]);
    expect(tasks.map((task) => [task.id, task.ending, task.endSeq])).toEqual([
      [10, 'superseded', 2],
      [11, 'exit', 3],
    ]);
  });

  it('takes tasks seen without their fork as alive before the trace (a system-wide recording)', () => {
    const { tasks } = parse([
      '         systemd     1 [000]   100.000000: sched:sched_process_exit: comm=systemd pid=1 prio=120 group_dead=true',
      '  Web Content   700 [001]   100.000010:        task:task_newtask: pid=701 comm=Web Content clone_flags=3d0f00 oom_score_adj=0',
      '  Web Content   700 [001]   100.000011: sched:sched_process_fork: comm=Web Content pid=700 child_comm=Web Content child_pid=701',
      '  Web Content   701 [001]   100.000020: sched:sched_process_exit: comm=Web Content pid=701 prio=120 group_dead=false',
      '            bash   900 [000]   100.000030: sched:sched_process_exit: comm=bash pid=900 prio=120',
      '            bash   900 [000]   100.000031: sched:sched_switch: prev_comm=bash',
    ]);
    expect(taskRows(tasks, ['id', 'parent', 'kind', 'start', 'end', 'startSeq', 'endSeq'])).toEqual(
      [
        // The first exit comes before any fork: from then on kinds are unknown.
        [1, null, null, 0, 0, 0, 1],
        [701, 700, null, 11, 20, 2, 3],
        [900, null, null, null, 30, null, 4],
        [700, null, null, null, null, null, null],
      ],
    );
  });

  it('reads a new task reusing the id of one that ended', () => {
    const { tasks } = parse([
      ' sh 10 [0] 1.000000: sched:sched_process_fork: comm=sh pid=10 child_comm=sh child_pid=11',
      ' sh 11 [0] 1.000001: sched:sched_process_exit: comm=sh pid=11 prio=120',
      ' sh 10 [0] 1.000002: sched:sched_process_fork: comm=sh pid=10 child_comm=sh child_pid=11',
    ]);
    expect(shape(tasks)).toEqual([
      [10, null, null, 0, null],
      [11, 10, null, 1, 2],
      [11, 10, null, 3, null],
    ]);
  });

  it('takes PID/TID pairs, no CPU column, and nanosecond times (perf script -F, --ns)', () => {
    const { tasks, header } = parse([
      '  sh 10/10 1.000000500: sched:sched_process_fork: comm=sh pid=10 child_comm=sh child_pid=11',
      '  sh 10/11 1.000002999: sched:sched_process_exit: comm=sh pid=11 prio=120',
    ]);
    expect(header.origin).toBe('1.000000500');
    expect(tasks.map((task) => [task.id, task.start, task.end])).toEqual([
      [11, 0, 2],
      [10, 0, null],
    ]);
  });

  it('counts call-chain lines of perf record -g as ignored', () => {
    const { tasks, ignoredLines } = parse([
      '  sh 10 [000] 1.000000: sched:sched_process_fork: comm=sh pid=10 child_comm=sh child_pid=11',
      '\tffffffff810a1b2c kernel_clone+0x9c ([kernel.kallsyms])',
      '\t    7f3a1c2d3e4f __libc_fork+0x3f (/usr/lib/x86_64-linux-gnu/libc.so.6)',
      '',
    ]);
    expect(tasks).toHaveLength(2);
    expect(ignoredLines).toBe(3);
  });

  const refusals: [string, string[], string, RegExp][] = [
    ['text that is no perf line', ['hello world'], 'SYNTAX', /line 1: expected a perf script line/],
    [
      'a fork without its child',
      [' sh 10 [0] 1.0: sched:sched_process_fork: comm=sh pid=10 child_comm=sh'],
      'SYNTAX',
      /expected the fields of sched:sched_process_fork/,
    ],
    [
      'a fork of a live id',
      [
        ' sh 10 [0] 1.0: sched:sched_process_fork: comm=sh pid=10 child_comm=sh child_pid=11',
        ' sh 10 [0] 1.1: sched:sched_process_fork: comm=sh pid=10 child_comm=sh child_pid=11',
      ],
      'CONTRADICTION',
      /line 2: task 11 is created while a task with that id is alive/,
    ],
    [
      'an exit after an exit',
      [
        ' sh 10 [0] 1.0: sched:sched_process_fork: comm=sh pid=10 child_comm=sh child_pid=11',
        ' sh 11 [0] 1.1: sched:sched_process_exit: comm=sh pid=11 prio=120',
        ' sh 11 [0] 1.2: sched:sched_process_exit: comm=sh pid=11 prio=120',
      ],
      'CONTRADICTION',
      /line 3: task 11 acts after it exited/,
    ],
    [
      'time going back',
      [
        ' sh 10 [0] 2.0: sched:sched_process_fork: comm=sh pid=10 child_comm=sh child_pid=11',
        ' sh 11 [0] 1.0: sched:sched_process_exit: comm=sh pid=11 prio=120',
      ],
      'CONTRADICTION',
      /line 2: the time -1000000 µs comes before/,
    ],
    [
      'a fork without task_newtask when the others had one',
      [
        ' sh 10 [0] 1.0: task:task_newtask: pid=11 comm=sh clone_flags=1200000 oom_score_adj=0',
        ' sh 10 [0] 1.0: sched:sched_process_fork: comm=sh pid=10 child_comm=sh child_pid=11',
        ' sh 10 [0] 1.1: sched:sched_process_fork: comm=sh pid=10 child_comm=sh child_pid=12',
      ],
      'CONTRADICTION',
      /line 3: the fork of task 12 has no task:task_newtask line before it/,
    ],
    [
      'clone_flags that are not hexadecimal',
      [' sh 10 [0] 1.0: task:task_newtask: pid=11 comm=sh clone_flags=zz oom_score_adj=0'],
      'SYNTAX',
      /expected the fields of task:task_newtask/,
    ],
  ];
  it.each(refusals)('refuses %s, naming the line', (_name, lines, code, message) => {
    let caught: unknown;
    try {
      parse(lines);
    } catch (error) {
      caught = error;
    }
    expect(TraceError.isInstance(caught)).toBe(true);
    expect((caught as TraceError).code).toBe(code);
    expect((caught as TraceError).message).toMatch(message);
    expect((caught as TraceError).file).toBe('perf.txt');
  });
});
