import { describe, expect, it } from 'vitest';
import { TraceError } from '../trace-error.js';
import type { TraceTask } from '../trace-task.js';
import { taskRows } from '../trace-test.test-support.js';
import { parseStraceParts, type StracePart } from './strace-parts.js';
import { fixtureLines, orderTasks, parseStraceLines } from './strace-text.test-support.js';

async function* asAsync(lines: readonly string[]): AsyncGenerator<string> {
  for (const line of lines) yield line;
}

async function collect(parts: readonly StracePart[]) {
  const tasks: TraceTask[] = [];
  const result = await parseStraceParts(parts, (task) => tasks.push(task));
  return { ...result, tasks: orderTasks(tasks) };
}

describe('parseStraceParts (strace -ff -o PREFIX)', () => {
  it('merges the real parts of exit_group from a thread by time', async () => {
    const ids = [17113, 17114, 17115];
    const parts = ids.map((id) => ({
      id,
      lines: asAsync(fixtureLines(`ff/eg.${String(id)}`)),
      file: `eg.${String(id)}`,
    }));
    const { tasks, header, ignoredLines } = await collect(parts);
    expect(
      taskRows(tasks, ['id', 'parent', 'kind', 'startSeq', 'endSeq', 'ending', 'code']),
    ).toEqual([
      [17113, null, 'process', 0, 5, 'exit', 3],
      [17114, 17113, 'thread', 1, 4, 'exit', 3],
      [17115, 17113, 'thread', 2, 3, 'exit', 3],
    ]);
    expect(tasks[0]?.start).toBe(0);
    // 1796606002.061548 (its `+++ exited`) less 1796606002.036295 (the execve).
    expect(tasks[0]?.end).toBe(61_548 - 36_295);
    expect(header.command).toBe('./eg');
    expect(header.origin).toBe('1796606002.036295');
    expect(ignoredLines).toBe(2);
  });

  it('execve from a non-leader: the "<pid changed to N ...>" half is resumed in the leader\'s part', async () => {
    const ids = [3725, 3726, 3727];
    const parts = ids.map((id) => ({ id, lines: fixtureLines(`ff-execve/ex.${String(id)}`) }));
    const { tasks } = await collect(parts);
    expect(
      taskRows(tasks, ['id', 'parent', 'kind', 'start', 'end', 'startSeq', 'endSeq', 'ending']),
    ).toEqual([
      [3725, null, 'process', 0, 23337, 0, 4, 'superseded'],
      [3726, 3725, 'thread', 1825, 22988, 1, 3, 'exit'],
      [3727, 3725, 'thread', 2212, 28247, 2, 5, 'exit'],
    ]);
  });

  it('gives what the -o form of the same run gives (parts built from an -o fixture)', async () => {
    for (const name of [
      'fork-vfork-kill.o.txt',
      'execve-from-thread.o.txt',
      'python-threads.o.txt',
    ]) {
      const lines = fixtureLines(name);
      const byTask = new Map<number, string[]>();
      for (const line of lines) {
        const space = line.indexOf(' ');
        const id = Number(line.slice(0, space));
        const rest = line.slice(space).trimStart();
        const list = byTask.get(id) ?? [];
        list.push(rest);
        byTask.set(id, list);
      }
      // -ff writes whole lines: a call split by another task's line is one line in its part.
      const parts = [...byTask].map(([id, partLines]) => ({
        id,
        lines: joinUnfinished(partLines),
      }));
      const merged = await collect(parts);
      const whole = parseStraceLines(lines).tasks;
      // The same tasks and order; only a start may be earlier: a whole -ff line carries its
      // call's entry time, where -o's `<... vfork resumed>` carries the return's.
      expect(
        merged.tasks.map(({ start: _, ...rest }) => rest),
        name,
      ).toEqual(whole.map(({ start: _, ...rest }) => rest));
      merged.tasks.forEach((task, index) => {
        expect(task.start ?? 0).toBeLessThanOrEqual(whole[index]?.start ?? 0);
      });
    }
  });

  it('ties at -t resolution: creations first, lower ids first; ends last, higher ids first', async () => {
    const { tasks } = await collect([
      { id: 20, lines: ['10:00:00 +++ exited with 0 +++'] },
      {
        id: 10,
        lines: [
          '10:00:00 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0',
          '10:00:00 clone(child_stack=0x1, flags=CLONE_VM|CLONE_THREAD) = 20',
          '10:00:00 +++ exited with 0 +++',
        ],
      },
    ]);
    expect(tasks.map((task) => [task.id, task.startSeq, task.endSeq, task.ending])).toEqual([
      [10, 0, 3, 'exit'],
      [20, 1, 2, 'exit'],
    ]);
  });

  it('parts that begin after midnight start on the next day', async () => {
    const { tasks } = await collect([
      { id: 31, lines: ['00:00:01.000000 +++ exited with 0 +++'] },
      {
        id: 30,
        lines: [
          '23:59:59.000000 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0',
          '23:59:59.500000 fork() = 31',
          '00:00:02.000000 +++ exited with 0 +++',
        ],
      },
    ]);
    expect(tasks.map((task) => [task.id, task.start, task.end])).toEqual([
      [30, 0, 3_000_000],
      [31, 500_000, 2_000_000],
    ]);
  });

  it('names the part and line of an error', async () => {
    const error = await parseStraceParts(
      [
        { id: 10, lines: ['1.000000 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0'], file: 'p.10' },
        {
          id: 11,
          lines: ['1.000001 +++ exited with 0 +++', '1.000002 getpid() = 11', '1.0000'],
          file: 'p.11',
        },
      ],
      () => {},
    ).catch((caught: unknown) => caught);
    expect(TraceError.isInstance(error)).toBe(true);
    expect((error as TraceError).message).toMatch(/^p\.11:line 1: task 11 is not alive/);
  });

  it('keeps open only the parts in progress when they can be reopened', async () => {
    let open = 0;
    let mostOpen = 0;
    /** A file-like part: opening counts, finishing or return() closes. */
    const file = (lines: readonly string[]) =>
      async function* (): AsyncGenerator<string> {
        open += 1;
        mostOpen = Math.max(mostOpen, open);
        try {
          for (const line of lines) yield line;
        } finally {
          open -= 1;
        }
      };
    const children = 300;
    const first: string[] = ['1.000000 execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0'];
    const partLines = new Map<number, string[]>();
    for (let child = 0; child < children; child += 1) {
      const id = 1000 + child;
      const micros = String(10 + child * 10).padStart(6, '0');
      const later = String(15 + child * 10).padStart(6, '0');
      first.push(`1.${micros} fork() = ${String(id)}`);
      partLines.set(id, [`1.${later} exit_group(0) = ?`, `1.${later} +++ exited with 0 +++`]);
    }
    first.push('2.000000 +++ exited with 0 +++');
    partLines.set(10, first);
    const parts: StracePart[] = [...partLines].map(([id, lines]) => ({
      id,
      lines: file(lines)(),
      reopen: () => file(lines)(),
    }));
    const lazy = await collect(parts);
    expect(mostOpen).toBeLessThanOrEqual(3);
    expect(open).toBe(0);
    expect(lazy.tasks).toHaveLength(children + 1);
    expect(lazy.ignoredLines).toBe(children + 1);
    const eager = await collect(
      [...partLines].map(([id, lines]) => ({ id, lines: asAsync(lines) })),
    );
    expect(lazy.tasks).toEqual(eager.tasks);
  });

  it('closes the open parts when it fails', async () => {
    let open = 0;
    const file = (lines: readonly string[]) =>
      (async function* (): AsyncGenerator<string> {
        open += 1;
        try {
          for (const line of lines) yield line;
        } finally {
          open -= 1;
        }
      })();
    const error = await parseStraceParts(
      [
        {
          id: 10,
          lines: file([
            '1.000000 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0',
            '1.000002 fork() = 11',
            '1.000009 +++ exited with 0 +++',
          ]),
        },
        { id: 11, lines: file(['1.000003 getpid() = 11', '1.000004 garbage']) },
      ],
      () => {},
    ).catch((caught: unknown) => caught);
    expect((error as TraceError).code).toBe('SYNTAX');
    expect(open).toBe(0);
  });

  it('refuses a part that reads differently when reopened', async () => {
    const error = await parseStraceParts(
      [
        {
          id: 10,
          lines: ['1.000000 execve("/bin/x", ["x"], 0x1 /* 1 var */) = 0', '1.000002 fork() = 11'],
        },
        {
          id: 11,
          lines: ['1.000003 getpid() = 11'],
          reopen: () => ['1.000004 getpid() = 11'],
          file: 'p.11',
        },
      ],
      () => {},
    ).catch((caught: unknown) => caught);
    expect((error as TraceError).message).toMatch(
      /^p\.11:line 1: the part reads differently the second time/,
    );
  });

  it('refuses a part whose id is no task id, naming the part', async () => {
    const error = await parseStraceParts([{ id: 0, lines: [], file: 'p.0' }], () => {}).catch(
      (caught: unknown) => caught,
    );
    expect((error as TraceError).message).toBe(
      'p.0: task id 0 is out of range (expected 1 to 4194304)',
    );
    expect((error as TraceError).line).toBeUndefined();
  });

  it('refuses a part line with a tid (that is the -o form)', async () => {
    const error = await parseStraceParts(
      [{ id: 10, lines: ['10 1.000000 getpid() = 10'], file: 'p.10' }],
      () => {},
    ).catch((caught: unknown) => caught);
    expect((error as TraceError).code).toBe('SYNTAX');
    expect((error as TraceError).message).toMatch(/an -ff part has no tid/);
  });
});

/** Joins `NAME(... <unfinished ...>` with its `<... NAME resumed>...` as -ff prints it, whole. */
function joinUnfinished(lines: readonly string[]): string[] {
  const out: string[] = [];
  let open: string | null = null;
  for (const line of lines) {
    if (line.endsWith(' <unfinished ...>')) {
      open = line.slice(0, -' <unfinished ...>'.length);
    } else if (open !== null && line.includes('<... ')) {
      out.push(open + line.slice(line.indexOf(' resumed>') + ' resumed>'.length));
      open = null;
    } else {
      out.push(line);
    }
  }
  if (open !== null) out.push(`${open} <unfinished ...>`);
  return out;
}
