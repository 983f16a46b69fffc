import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TraceTask } from './trace-task.js';
import { createVmarsTraceParser } from './vmars-trace-format.js';

const SCRIPT = fileURLToPath(new URL('../bpftrace/vmars-trace.bt', import.meta.url));

function parse(text: string) {
  const tasks: TraceTask[] = [];
  const parser = createVmarsTraceParser((task) => tasks.push(task));
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [index, line] of lines.entries()) parser.line(line, index + 1);
  parser.end();
  return { tasks, header: parser.header() };
}

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/bpftrace/${name}`, import.meta.url), 'utf8');
}

/** `[parent's index or null, kind, ending, code or signal]` by start order, ids left out. */
function shape(tasks: readonly TraceTask[]) {
  const ordered = [...tasks].sort((left, right) => (left.startSeq ?? -1) - (right.startSeq ?? -1));
  return ordered.map((task) => [
    task.parent === null ? null : ordered.findIndex((other) => other.id === task.parent),
    task.kind,
    task.ending,
    task.code ?? task.signal ?? null,
  ]);
}

describe('bpftrace/vmars-trace.bt', () => {
  it("recorded the test program's tasks, a child outliving the command among them", () => {
    const { tasks, header } = parse(fixture('tasks-and-outliving-sleep.jsonl'));
    expect(header).toMatchObject({ source: 'bpftrace', kindsKnown: true });
    expect(shape(tasks)).toEqual([
      [null, 'process', 'exit', 0], // sh outlive.sh
      [0, 'process', null, null], // sleep 0.3 &, still alive at the end
      [0, 'process', 'exit', 0], // ./tasks
      [2, 'thread', 'exit', 0], // the spawner thread
      [2, 'thread', 'exit', 0], // the second thread (this run made it before the spawner's own)
      [3, 'thread', 'exit', 0], // the spawner's own thread
      [3, 'process', 'exit', 3], // fork() from the spawner thread, _exit(3)
      [2, 'thread', 'exit', 0], // the thread alive at exit()
    ]);
  });

  it('recorded a child killed by SIGKILL', () => {
    expect(shape(parse(fixture('killed-sleep.jsonl')).tasks)).toEqual([
      [null, 'process', 'exit', 0],
      [0, 'process', 'signal', 'SIGKILL'],
      [0, 'process', 'exit', 0],
    ]);
  });

  it("followed a thread's execve: the thread ends under the leader's id, with its own", () => {
    const { tasks } = parse(fixture('thread-execve.jsonl'));
    expect(shape(tasks)).toEqual([
      [null, 'process', 'exit', 0],
      [0, 'thread', 'exit', 0],
    ]);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(2);
  });

  it('prints the header and records in the shapes the reader takes', () => {
    const script = readFileSync(SCRIPT, 'utf8');
    expect(script).toContain(
      String.raw`{\"format\":\"vmars-trace\",\"version\":1,\"source\":\"bpftrace\"`,
    );
    for (const probe of [
      'sched:sched_process_fork',
      'sched:sched_process_exit',
      'task:task_newtask',
    ]) {
      expect(script).toContain(`tracepoint:${probe}`);
    }
  });

  // Runs bpftrace itself: needs root and bpftrace, so only when asked (VMARS_TEST_BPFTRACE=1).
  it.skipIf(process.env.VMARS_TEST_BPFTRACE !== '1')(
    'runs under bpftrace and prints a trace the reader takes',
    () => {
      const directory = mkdtempSync(join(tmpdir(), 'vmars-bt-'));
      try {
        const output = join(directory, 'trace.jsonl');
        execFileSync(
          'bpftrace',
          ['-q', '-f', 'text', '-o', output, SCRIPT, '-c', '/usr/bin/taskset -c 0 /bin/sh -c true'],
          {
            stdio: 'ignore',
            timeout: 60_000,
          },
        );
        const { tasks } = parse(readFileSync(output, 'utf8'));
        expect(tasks.find((task) => task.parent === null)).toMatchObject({
          kind: 'process',
          ending: 'exit',
          code: 0,
        });
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );
});
