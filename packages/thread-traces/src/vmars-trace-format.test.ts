import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceError } from './trace-error.js';
import type { Trace, TraceTask } from './trace-task.js';
import {
  createVmarsTraceParser,
  formatTraceHeader,
  formatTraceRecord,
  writeTrace,
} from './vmars-trace-format.js';

const HEADER =
  '{"format":"vmars-trace","version":1,"source":"strace","command":"make -j2","date":"2026-12-07T01:00:00Z","origin":"1733534822.123456","kindsKnown":true,"notes":{"program":"GNU Make 4.3"}}';

/** Parses lines; returns the tasks in the order the sink got them, and the parser. */
function parse(lines: readonly string[], file?: string) {
  const tasks: TraceTask[] = [];
  const parser = createVmarsTraceParser(
    (task) => tasks.push(task),
    file === undefined ? {} : { file },
  );
  for (const [index, text] of lines.entries()) parser.line(text, index + 1);
  parser.end();
  return { tasks, parser };
}

function refusal(lines: readonly string[]): TraceError {
  try {
    parse(lines);
  } catch (error) {
    if (TraceError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a TraceError');
}

describe('the vmars-trace format', () => {
  it("reads the spec's example, keeping every field", () => {
    const { tasks, parser } = parse([
      HEADER,
      '{"id":1240,"parent":1234,"kind":"process","start":300,"end":900,"seq":[2,3],"ending":"signal","signal":"SIGKILL"}',
      '{"id":1235,"parent":1234,"kind":"thread","start":120,"end":5400,"seq":[1,4],"ending":"exit","code":0}',
      '{"id":1234,"parent":null,"kind":"process","start":0,"end":null,"seq":[0,null],"ending":null}',
    ]);
    expect(parser.header()).toEqual({
      format: 'vmars-trace',
      version: 1,
      source: 'strace',
      command: 'make -j2',
      date: '2026-12-07T01:00:00Z',
      origin: '1733534822.123456',
      kindsKnown: true,
      notes: { program: 'GNU Make 4.3' },
    });
    expect(tasks.map((task) => task.id)).toEqual([1240, 1235, 1234]);
    expect(tasks[0]).toEqual({
      id: 1240,
      parent: 1234,
      kind: 'process',
      start: 300,
      end: 900,
      startSeq: 2,
      endSeq: 3,
      ending: 'signal',
      signal: 'SIGKILL',
    });
    expect(tasks[1]).toHaveProperty('code', 0);
    expect(tasks[2]).not.toHaveProperty('code');
  });

  it('writes what it reads, byte for byte', () => {
    const records = [
      '{"id":7,"parent":null,"kind":null,"start":null,"end":40,"seq":[null,1],"ending":"group-exit"}',
      '{"id":8,"parent":7,"kind":"thread","start":10,"end":50,"seq":[0,2],"ending":"superseded"}',
    ];
    const { tasks, parser } = parse([HEADER, ...records]);
    expect(formatTraceHeader(parser.header())).toBe(HEADER);
    expect(tasks.map(formatTraceRecord)).toEqual(records);
  });

  it('writeTrace puts the ended tasks in end order and the censored last', () => {
    const task = (id: number, startSeq: number, endSeq: number | null): TraceTask => ({
      id,
      parent: id === 1 ? null : 1,
      kind: 'process',
      start: startSeq,
      end: endSeq,
      startSeq,
      endSeq,
      ending: endSeq === null ? null : 'exit',
    });
    const trace: Trace = {
      header: parse([HEADER]).parser.header(),
      tasks: [task(1, 0, null), task(2, 1, 4), task(3, 2, 3)],
      ignoredLines: 0,
    };
    const lines = [...writeTrace(trace)];
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    expect(parse(lines.map((line) => line.slice(0, -1))).tasks.map((t) => t.id)).toEqual([3, 2, 1]);
  });

  it('reads the committed fixtures', () => {
    for (const name of ['spec-example.jsonl', 'attached-and-reused.jsonl']) {
      const text = readFileSync(
        new URL(`../fixtures/vmars-trace/${name}`, import.meta.url),
        'utf8',
      );
      const { tasks } = parse(text.trimEnd().split('\n'), name);
      expect(tasks.length).toBeGreaterThan(0);
    }
  });

  it("reads any JSON layout of a record as it reads the writer's", () => {
    const written =
      '{"id":8,"parent":7,"kind":"thread","start":10,"end":50,"seq":[0,1],"ending":"signal","signal":"SIGSEGV"}';
    const spaced =
      '{ "seq": [0, 1], "ending": "signal", "signal": "SIGSEGV", "id": 8, "parent": 7, "kind": "thread", "start": 10, "end": 50 }';
    expect(parse([HEADER, spaced]).tasks).toEqual(parse([HEADER, written]).tasks);
    expect(() => parse([HEADER, written.replace('"id":8', '"id":08')])).toThrow(/not JSON/);
  });

  it("reads every writer's record by its fast path exactly as JSON.parse reads it", () => {
    // The writer's layout goes through a regular expression and a scanner; the same record with
    // its fields in another order goes through JSON.parse. Both must give the same task.
    const whole = fc.oneof(
      fc.constantFrom(0, 1, 9, 10, 2 ** 53 - 1),
      fc.integer({ min: 0, max: 10 ** 15 - 1 }),
    );
    const endingAndDetail = fc.oneof(
      fc.record({
        ending: fc.constant('exit' as const),
        code: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), { nil: undefined }),
      }),
      fc.record({
        ending: fc.constant('signal' as const),
        signal: fc.constantFrom('SIGKILL', 'SIGSEGV', 'SIGRTMIN+3', 'SIG9'),
      }),
      fc.record({ ending: fc.constantFrom('group-exit' as const, 'superseded' as const) }),
    );
    const task = fc.record({
      id: whole,
      parent: fc.option(whole, { nil: null }),
      kind: fc.constantFrom('thread' as const, 'process' as const, null),
      started: fc.boolean(),
      ended: fc.option(endingAndDetail, { nil: null }),
      start: whole,
      length: whole,
    });
    fc.assert(
      fc.property(task, (drawn) => {
        const start = drawn.started ? drawn.start : null;
        const record: TraceTask = {
          id: drawn.id,
          parent: drawn.parent,
          kind: drawn.kind,
          start,
          end: drawn.ended === null ? null : Math.min((start ?? 0) + drawn.length, 2 ** 53 - 1),
          startSeq: drawn.started ? 0 : null,
          endSeq: drawn.ended === null ? null : drawn.started ? 1 : 0,
          ending: drawn.ended === null ? null : drawn.ended.ending,
          ...(drawn.ended !== null && 'code' in drawn.ended && drawn.ended.code !== undefined
            ? { code: drawn.ended.code }
            : {}),
          ...(drawn.ended !== null && 'signal' in drawn.ended
            ? { signal: drawn.ended.signal }
            : {}),
        };
        const written = formatTraceRecord(record);
        const reordered = JSON.stringify(
          Object.fromEntries(Object.entries(JSON.parse(written) as object).reverse()),
        );
        expect(reordered).not.toBe(written);
        const fast = parse([HEADER, written]).tasks;
        expect(fast).toEqual([record]);
        expect(parse([HEADER, reordered]).tasks).toEqual(fast);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes numbers up to 2^53 - 1 and refuses larger ones, naming the field', () => {
    const record = (start: string) =>
      `{"id":1,"parent":null,"kind":null,"start":${start},"end":null,"seq":[0,null],"ending":null}`;
    expect(parse([HEADER, record('9007199254740991')]).tasks[0]?.start).toBe(2 ** 53 - 1);
    expect(() => parse([HEADER, record('9007199254740993')])).toThrow(
      /"start" must be a whole number/,
    );
  });

  it('refuses a sequence number no trace of its size can reach, without allocating for it', () => {
    const error = refusal([
      HEADER,
      '{"id":1,"parent":null,"kind":null,"start":0,"end":5,"seq":[0,999999999999999],"ending":"exit"}',
    ]);
    expect(error.code).toBe('CONTRADICTION');
    expect(error.message).toMatch(
      /line 2: sequence number 999999999999999 is beyond what 1 records can number/,
    );
  });

  it('counts blank lines after the header as ignored', () => {
    expect(parse([HEADER, '', '  ']).parser.ignoredLines).toBe(2);
  });

  const refusals: [string, readonly string[], string, RegExp][] = [
    ['a record before the header', ['{"id":1}'], 'SYNTAX', /expected the header/],
    ['an empty file', [], 'SYNTAX', /empty file/],
    ['text that is not JSON', [HEADER, '{"id":1,'], 'SYNTAX', /line 2: expected a task record/],
    [
      'a newer version',
      ['{"format":"vmars-trace","version":2,"source":"perf"}'],
      'UNKNOWN_FORMAT',
      /version 2 is newer than this reader/,
    ],
    [
      'an unknown header field',
      [HEADER.replace('"kindsKnown"', '"kinds":1,"kindsKnown"')],
      'SYNTAX',
      /unknown header field "kinds"/,
    ],
    [
      'a string id',
      [
        HEADER,
        '{"id":"1","parent":null,"kind":null,"start":0,"end":null,"seq":[0,null],"ending":null}',
      ],
      'SYNTAX',
      /"id" must be a whole number/,
    ],
    [
      'a fractional time',
      [
        HEADER,
        '{"id":1,"parent":null,"kind":null,"start":0.5,"end":null,"seq":[0,null],"ending":null}',
      ],
      'SYNTAX',
      /"start" must be a whole number/,
    ],
    [
      'an unknown field',
      [
        HEADER,
        '{"id":1,"parent":null,"kind":null,"start":0,"end":null,"seq":[0,null],"ending":null,"x":1}',
      ],
      'SYNTAX',
      /unknown record field "x"/,
    ],
    [
      'an ending without an end',
      [
        HEADER,
        '{"id":1,"parent":null,"kind":null,"start":0,"end":null,"seq":[0,null],"ending":"exit"}',
      ],
      'CONTRADICTION',
      /expected all three null or none/,
    ],
    [
      'an end without an ending',
      [HEADER, '{"id":1,"parent":null,"kind":null,"start":0,"end":5,"seq":[0,1],"ending":null}'],
      'CONTRADICTION',
      /expected all three null or none/,
    ],
    [
      'a start without its seq',
      [
        HEADER,
        '{"id":1,"parent":null,"kind":null,"start":0,"end":5,"seq":[null,1],"ending":"exit"}',
      ],
      'CONTRADICTION',
      /expected both null or neither/,
    ],
    [
      'an end seq before the start seq',
      [HEADER, '{"id":1,"parent":null,"kind":null,"start":0,"end":5,"seq":[1,0],"ending":"exit"}'],
      'CONTRADICTION',
      /comes before its start/,
    ],
    [
      'an end time before the start time',
      [HEADER, '{"id":1,"parent":null,"kind":null,"start":9,"end":5,"seq":[0,1],"ending":"exit"}'],
      'CONTRADICTION',
      /ends \(5 µs\) before it starts/,
    ],
    [
      'a code without exit',
      [
        HEADER,
        '{"id":1,"parent":null,"kind":null,"start":0,"end":5,"seq":[0,1],"ending":"group-exit","code":1}',
      ],
      'CONTRADICTION',
      /"code" goes only with/,
    ],
    [
      'a signal ending without its signal',
      [
        HEADER,
        '{"id":1,"parent":null,"kind":null,"start":0,"end":5,"seq":[0,1],"ending":"signal"}',
      ],
      'SYNTAX',
      /needs "signal"/,
    ],
    [
      'a kind when kinds are unknown',
      [
        HEADER.replace('"kindsKnown":true', '"kindsKnown":false'),
        '{"id":1,"parent":null,"kind":"thread","start":0,"end":5,"seq":[0,1],"ending":"exit"}',
      ],
      'CONTRADICTION',
      /kindsKnown:false/,
    ],
    [
      'a sequence number twice',
      [
        HEADER,
        '{"id":1,"parent":null,"kind":null,"start":0,"end":5,"seq":[0,1],"ending":"exit"}',
        '{"id":2,"parent":null,"kind":null,"start":0,"end":5,"seq":[1,2],"ending":"exit"}',
      ],
      'CONTRADICTION',
      /line 3: sequence number 1 is already taken by line 2/,
    ],
    [
      'a gap in the sequence',
      [HEADER, '{"id":1,"parent":null,"kind":null,"start":0,"end":5,"seq":[0,2],"ending":"exit"}'],
      'CONTRADICTION',
      /sequence number 1 belongs to no start or end/,
    ],
    [
      'times that go back along the sequence',
      [
        HEADER,
        '{"id":2,"parent":1,"kind":null,"start":3,"end":4,"seq":[1,2],"ending":"exit"}',
        '{"id":1,"parent":null,"kind":null,"start":5,"end":null,"seq":[0,null],"ending":null}',
      ],
      'CONTRADICTION',
      /line 2: seq 1 is at 3 µs, before seq 0 at 5 µs/,
    ],
    [
      'an id alive twice at once',
      [
        HEADER,
        '{"id":5,"parent":1,"kind":null,"start":1,"end":4,"seq":[1,3],"ending":"exit"}',
        '{"id":5,"parent":1,"kind":null,"start":2,"end":5,"seq":[2,4],"ending":"exit"}',
        '{"id":1,"parent":null,"kind":null,"start":0,"end":null,"seq":[0,null],"ending":null}',
      ],
      'CONTRADICTION',
      /line 3: task 5 starts \(seq 2\) while the task of line 2 with the same id is alive/,
    ],
    [
      'two tasks with one id alive before the trace',
      [
        HEADER,
        '{"id":5,"parent":null,"kind":null,"start":null,"end":4,"seq":[null,0],"ending":"exit"}',
        '{"id":5,"parent":null,"kind":null,"start":null,"end":null,"seq":[null,null],"ending":null}',
      ],
      'CONTRADICTION',
      /line 3: task 5 was alive before the trace began, and so was the task of line 2/,
    ],
  ];
  it.each(refusals)('refuses %s, naming the line', (_name, lines, code, message) => {
    const error = refusal(lines);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('checks ids beyond Linux tids (2^22 and up) as it checks small ones', () => {
    for (const id of [5, 2 ** 22 - 1, 2 ** 22, 2 ** 40]) {
      const record = (start: number, end: number, seq: string) =>
        `{"id":${String(id)},"parent":1,"kind":null,"start":${String(start)},"end":${String(end)},"seq":${seq},"ending":"exit"}`;
      const first =
        '{"id":1,"parent":null,"kind":null,"start":0,"end":null,"seq":[0,null],"ending":null}';
      const overlapping = refusal([HEADER, record(1, 4, '[1,3]'), record(2, 5, '[2,4]'), first]);
      expect(overlapping.message).toMatch(
        new RegExp(`line 3: task ${String(id)} starts \\(seq 2\\) while the task of line 2`),
      );
      const reused = parse([HEADER, record(1, 2, '[1,2]'), record(2, 3, '[3,4]'), first]);
      expect(reused.tasks.map((task) => task.id)).toEqual([id, id, 1]);
    }
  });

  it('accepts an id reused after its task ended', () => {
    const { tasks } = parse([
      HEADER,
      '{"id":5,"parent":1,"kind":"process","start":1,"end":2,"seq":[1,2],"ending":"exit","code":0}',
      '{"id":5,"parent":1,"kind":"process","start":2,"end":3,"seq":[3,4],"ending":"exit","code":1}',
      '{"id":1,"parent":null,"kind":"process","start":0,"end":null,"seq":[0,null],"ending":null}',
    ]);
    expect(tasks.map((task) => task.code)).toEqual([0, 1, undefined]);
  });

  it('names the file in its errors', () => {
    expect(() => parse(['nonsense'], 'trace.jsonl')).toThrow(/^trace\.jsonl:line 1: /);
  });
});
