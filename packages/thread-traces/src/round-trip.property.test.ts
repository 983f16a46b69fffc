import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPerfParser } from './perf/index.js';
import { orderTraceTasks, readTrace } from './read-trace.js';
import type { TaskEnding, TaskKind, Trace, TraceTask } from './trace-task.js';
import { cutAt } from './trace-test.test-support.js';
import { writeTrace } from './vmars-trace-format.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One step of a random run: `start` makes a task (its creator and whether it reuses an id picked
 * by `pick` among the live / ended ones), `end` ends one, `gap` is the time since the last step
 * (0: ties, common at coarse clocks).
 */
const step = fc.record({
  start: fc.boolean(),
  pick: fc.nat(),
  reuse: fc.boolean(),
  kind: fc.constantFrom<TaskKind>('thread', 'process'),
  ending: fc.constantFrom<TaskEnding>('exit', 'signal', 'group-exit', 'superseded'),
  code: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
  signal: fc.constantFrom('SIGKILL', 'SIGSEGV', 'SIGTERM'),
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000_000 })),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

interface Run {
  /** In the order they were made; the first is the command's first task. */
  readonly tasks: Mutable<TraceTask>[];
  /** How many were alive before the trace began (they come first in `tasks`). */
  readonly before: number;
}

/** Plays `steps` into tasks: every one valid by construction (one id alive at a time, ...). */
function play(steps: readonly Step[], before: number, withRoot: boolean): Run {
  const tasks: Mutable<TraceTask>[] = [];
  const live: Mutable<TraceTask>[] = [];
  const endedIds: number[] = [];
  let seq = 0;
  let time = 0;
  let nextId = 100;
  for (let index = 0; index < before; index += 1) {
    const task: Mutable<TraceTask> = {
      id: nextId++,
      parent: null,
      kind: null,
      start: null,
      end: null,
      startSeq: null,
      endSeq: null,
      ending: null,
    };
    tasks.push(task);
    live.push(task);
  }
  if (withRoot) {
    const root: Mutable<TraceTask> = {
      id: nextId++,
      parent: null,
      kind: 'process',
      start: 0,
      end: null,
      startSeq: seq++,
      endSeq: null,
      ending: null,
    };
    tasks.push(root);
    live.push(root);
  }
  for (const choice of steps) {
    if (live.length === 0) break;
    time += choice.gap;
    if (choice.start) {
      const parent = live[choice.pick % live.length] as TraceTask;
      const reused =
        choice.reuse && endedIds.length > 0
          ? endedIds.splice(choice.pick % endedIds.length, 1)[0]
          : undefined;
      const task: Mutable<TraceTask> = {
        id: reused ?? nextId++,
        parent: parent.id,
        kind: choice.kind,
        start: time,
        end: null,
        startSeq: seq++,
        endSeq: null,
        ending: null,
      };
      tasks.push(task);
      live.push(task);
    } else {
      const [task] = live.splice(choice.pick % live.length, 1) as [Mutable<TraceTask>];
      task.end = time;
      task.endSeq = seq++;
      task.ending = choice.ending;
      if (choice.ending === 'exit' && choice.code !== undefined) task.code = choice.code;
      if (choice.ending === 'signal') task.signal = choice.signal;
      endedIds.push(task.id);
    }
  }
  return { tasks, before };
}

/** The order `readTrace` gives back a written trace: see `writeTrace`. */
function canonical(tasks: readonly TraceTask[]): TraceTask[] {
  const ended = tasks
    .filter((task) => task.endSeq !== null)
    .sort((left, right) => (left.endSeq as number) - (right.endSeq as number));
  return orderTraceTasks([...ended, ...tasks.filter((task) => task.endSeq === null)]);
}

describe('round trips', () => {
  it('the project format gives back exactly the trace written, in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 60 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (steps, before, kindsKnown, withNotes, cuts) => {
          const run = play(steps, before, true);
          if (!kindsKnown) for (const task of run.tasks) task.kind = null;
          const trace: Trace = {
            header: {
              format: 'vmars-trace',
              version: 1,
              source: 'strace',
              command: 'make -j2 "quoted" \\ back',
              date: null,
              origin: '1733534822.123456',
              kindsKnown,
              ...(withNotes ? { notes: { program: 'GNU Make 4.3', é: '☃' } } : {}),
            },
            tasks: canonical(run.tasks),
            ignoredLines: 0,
          };
          const text = [...writeTrace(trace)].join('');
          const places = cuts
            .map((cut) => cut % (text.length + 1))
            .sort((left, right) => left - right);
          const chunks = cutAt(text, places);
          expect(await readTrace(chunks)).toStrictEqual(trace);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random task trees written as perf script text parse back to the same tasks', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('sh', 'Web Content', 'a=b c', 'kworker/0:1'),
        (steps, withNewtask, withGroupDead, comm) => {
          const run = play(steps, 0, true);
          const base = 1_000_000 * 1000 + 123_456;
          const stamp = (micros: number): string => {
            const total = base + micros;
            return `${String(Math.floor(total / 1e6))}.${String(total % 1e6).padStart(6, '0')}`;
          };
          // Every start and end as perf script prints them, in seq order.
          const events: { seq: number; time: number; lines: string[] }[] = [];
          for (const task of run.tasks) {
            if (task.startSeq !== null && task.parent !== null) {
              const prefix = `${comm.padStart(16)} ${String(task.parent)} [001] ${stamp(task.start as number)}:`;
              const lines = [];
              if (withNewtask) {
                const flags = task.kind === 'thread' ? '3d0f00' : '1200000';
                lines.push(
                  `${prefix}        task:task_newtask: pid=${String(task.id)} comm=${comm} clone_flags=${flags} oom_score_adj=0`,
                );
              }
              lines.push(
                `${prefix} sched:sched_process_fork: comm=${comm} pid=${String(task.parent)} child_comm=${comm} child_pid=${String(task.id)}`,
              );
              events.push({ seq: task.startSeq, time: task.start as number, lines });
            }
            if (task.endSeq !== null) {
              const dead = withGroupDead
                ? ` group_dead=${task.kind === 'thread' ? 'false' : 'true'}`
                : '';
              events.push({
                seq: task.endSeq,
                time: task.end as number,
                lines: [
                  `${comm.padStart(16)} ${String(task.id)} [000] ${stamp(task.end as number)}: sched:sched_process_exit: comm=${comm} pid=${String(task.id)} prio=120${dead}`,
                ],
              });
            }
          }
          events.sort((left, right) => left.seq - right.seq);
          const lines = events.flatMap((event) => event.lines);
          if (lines.length === 0) return;
          const got: TraceTask[] = [];
          const parser = createPerfParser((task) => got.push(task));
          for (const [index, line] of lines.entries()) parser.line(line, index + 1);
          parser.end();
          // perf's origin is its first line: every time is measured from there, and the
          // command's first task starts at it.
          const origin = (events[0] as { time: number }).time;
          const forks = run.tasks.length > 1;
          const kindsKnown = withNewtask && forks;
          expect(parser.header().kindsKnown).toBe(kindsKnown);
          const expected = run.tasks.map((task) => {
            const perf: Mutable<TraceTask> = {
              id: task.id,
              parent: task.parent,
              kind: kindsKnown ? task.kind : null,
              start: task.parent === null ? 0 : (task.start as number) - origin,
              end: task.end === null ? null : task.end - origin,
              startSeq: task.startSeq,
              endSeq: task.endSeq,
              // perf knows that a task exited, not how.
              ending: task.end === null ? null : 'exit',
            };
            return perf;
          });
          expect(orderTraceTasks(got)).toStrictEqual(orderTraceTasks(expected));
        },
      ),
      { numRuns: 300 },
    );
  });
});
