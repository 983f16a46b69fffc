import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { taskEvents } from '../task-events.js';
import { TraceError } from '../trace-error.js';
import type { TraceTask } from '../trace-task.js';
import { parseStraceParts } from './strace-parts.js';
import {
  buildStraceScenario,
  fixtureLines,
  orderTasks,
  parseStraceLines,
} from './strace-text.test-support.js';

const scenarios = fc.record({
  choices: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 120 }),
  attach: fc.boolean(),
});

describe('strace text from random task trees parses back to the same tasks', () => {
  it('-o form with -ttt', () => {
    fc.assert(
      fc.property(scenarios, ({ choices, attach }) => {
        const scenario = buildStraceScenario(choices, attach);
        const parsed = parseStraceLines(scenario.oLines);
        expect(parsed.tasks).toEqual(scenario.tasks);
        expect(parsed.ignoredLines).toBe(scenario.ignored);
        taskEvents(parsed.tasks);
      }),
      { numRuns: 400 },
    );
  });

  it('-o form with -tt, crossing midnight', () => {
    fc.assert(
      fc.property(scenarios, ({ choices, attach }) => {
        const scenario = buildStraceScenario(choices, attach);
        expect(parseStraceLines(scenario.oTimeOfDayLines).tasks).toEqual(scenario.tasks);
      }),
      { numRuns: 200 },
    );
  });

  it('stderr form: [pid N] prefixes, "Process N attached" cut into lines', () => {
    fc.assert(
      fc.property(scenarios, ({ choices, attach }) => {
        const scenario = buildStraceScenario(choices, attach);
        const parsed = parseStraceLines(scenario.stderrLines);
        expect(parsed.tasks).toEqual(scenario.stderrTasks);
        taskEvents(parsed.tasks);
      }),
      { numRuns: 400 },
    );
  });

  it('-ff parts (whole lines), merged by time', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async ({ choices, attach }) => {
        const scenario = buildStraceScenario(choices, attach, { whole: true });
        const received: TraceTask[] = [];
        await parseStraceParts(scenario.parts, (task) => received.push(task));
        expect(orderTasks(received)).toEqual(scenario.tasks);
        // The -o form of the same whole-line run agrees.
        expect(parseStraceLines(scenario.oLines).tasks).toEqual(scenario.tasks);
      }),
      { numRuns: 200 },
    );
  });

  it('the generator makes the cases it claims to', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scenarios, ({ choices, attach }) => {
        const scenario = buildStraceScenario(choices, attach);
        for (const task of scenario.tasks) {
          seen.add(`${String(task.kind)}:${String(task.ending)}`);
          if (task.start === null) seen.add('before');
        }
        const ids = scenario.tasks.map((task) => task.id);
        if (new Set(ids).size < ids.length) seen.add('reuse');
        const text = scenario.oLines.join('\n');
        if (text.includes('resumed>) = ')) seen.add('resumed');
        if (scenario.stderrLines.some((line) => /^\S.*strace: Process/.test(line))) seen.add('cut');
      }),
      { numRuns: 400, seed: 18 },
    );
    for (const wanted of [
      'thread:exit',
      'thread:group-exit',
      'process:exit',
      'process:signal',
      'process:superseded',
      'thread:null',
      'null:exit',
      'before',
      'reuse',
      'resumed',
      'cut',
    ]) {
      expect(seen, wanted).toContain(wanted);
    }
  });
});

describe('damaged strace text', () => {
  const damage = fc.record({
    line: fc.nat(),
    at: fc.nat(),
    cut: fc.nat({ max: 40 }),
    insert: fc.string({ maxLength: 12 }),
    drop: fc.boolean(),
  });

  it('either parses to a consistent sequence or throws a TraceError: never another error', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(damage, { minLength: 1, maxLength: 4 }),
        (stderr, damages) => {
          const lines = (
            stderr
              ? fixtureLines('xargs-parallel.stderr.txt')
              : fixtureLines('execve-from-thread.o.txt')
          ).slice();
          for (const { line, at, cut, insert, drop } of damages) {
            const index = line % lines.length;
            const text = lines[index] as string;
            if (drop) lines.splice(index, 1);
            else {
              const position = at % (text.length + 1);
              lines[index] = text.slice(0, position) + insert + text.slice(position + cut);
            }
          }
          let parsed: ReturnType<typeof parseStraceLines>;
          try {
            parsed = parseStraceLines(lines);
          } catch (error) {
            if (!TraceError.isInstance(error)) throw error;
            expect(error.line === undefined || error.line >= 1).toBe(true);
            return;
          }
          // What parses is still one consistent sequence of starts and ends.
          expect(() => taskEvents(parsed.tasks)).not.toThrow();
        },
      ),
      { numRuns: 1000 },
    );
  });
});
