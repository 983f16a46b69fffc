import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { orderTraceTasks, parseTrace, readTrace, splitLines } from './read-trace.js';
import { MAX_LINE_LENGTH } from './trace-error.js';
import type { TraceTask } from './trace-task.js';
import { cutAt as cut, rejection as refusal } from './trace-test.test-support.js';
import { writeTrace } from './vmars-trace-format.js';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

function fixture(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
}

describe('splitLines', () => {
  const text = 'one\r\ntwo\n\nfour\r\nfive';
  it('gives the same lines for every cut of the text, \\n and \\r\\n alike', async () => {
    for (let first = 0; first <= text.length; first += 1) {
      for (let second = first; second <= text.length; second += 1) {
        expect(await collect(splitLines(cut(text, [first, second])))).toEqual([
          'one',
          'two',
          '',
          'four',
          'five',
        ]);
      }
    }
  });

  it('takes async chunks, and gives no line for a last line break', async () => {
    async function* chunks() {
      yield 'a\n';
      yield 'b\n';
    }
    expect(await collect(splitLines(chunks()))).toEqual(['a', 'b']);
    expect(await collect(splitLines([]))).toEqual([]);
  });

  it('refuses a line longer than MAX_LINE_LENGTH without waiting for its end', async () => {
    const long = 'x'.repeat(MAX_LINE_LENGTH / 4);
    function* endless() {
      yield 'short\n';
      for (;;) yield long;
    }
    const error = await refusal(collect(splitLines(endless())));
    expect(error.code).toBe('TOO_LONG');
    expect(error.line).toBe(2);
  });

  it('reads a long line that comes one character at a time, in linear time', async () => {
    const long = 'z'.repeat(200_000);
    function* characters() {
      for (const character of `a\n${long}\r`) yield character;
      yield '\nb';
    }
    const lines = await collect(splitLines(characters()));
    expect(lines.map((line) => line.length)).toEqual([1, 200_000, 1]);
  });

  it('takes a line of exactly MAX_LINE_LENGTH', async () => {
    const lines = await collect(splitLines([`${'y'.repeat(MAX_LINE_LENGTH)}\r\n`]));
    expect(lines[0]).toHaveLength(MAX_LINE_LENGTH);
  });
});

describe('parseTrace and readTrace', () => {
  it('sniff each format from the content and read it', async () => {
    const perf = await readTrace([fixture('perf/threads-fork-exit.perf.txt')]);
    expect(perf.header.source).toBe('perf');
    expect(perf.tasks).toHaveLength(6);
    const vmars = await readTrace([fixture('vmars-trace/spec-example.jsonl')]);
    expect(vmars.header.source).toBe('strace');
    expect(vmars.tasks.map((task) => task.id)).toEqual([1234, 1235, 1236, 1240]);
    const strace = await readTrace([fixture('strace/fork-vfork-kill.o.txt')]);
    expect(strace.tasks.length).toBeGreaterThan(1);
  });

  it('orders tasks as Trace requires: alive before the trace first, then by startSeq', async () => {
    const trace = await readTrace([fixture('vmars-trace/attached-and-reused.jsonl')]);
    expect(trace.tasks.map((task) => [task.id, task.startSeq])).toEqual([
      [101, null],
      [100, null],
      [300, 0],
      [300, 2],
      [301, 3],
    ]);
    expect(orderTraceTasks([...trace.tasks].reverse()).map((task) => task.id)).toEqual([
      100, 101, 300, 300, 301,
    ]);
  });

  it('orderTraceTasks sorts numbers that repeat or are sparse too, stably', () => {
    const task = (id: number, startSeq: number | null): TraceTask => ({
      id,
      parent: null,
      kind: null,
      start: startSeq,
      end: null,
      startSeq,
      endSeq: null,
      ending: null,
    });
    const ids = (tasks: TraceTask[]) => tasks.map((each) => each.id);
    expect(ids(orderTraceTasks([task(1, 2), task(2, null), task(3, 0), task(4, 1)]))).toEqual([
      2, 3, 4, 1,
    ]);
    expect(ids(orderTraceTasks([task(1, 5), task(2, 1), task(3, 5)]))).toEqual([2, 1, 3]);
    expect(ids(orderTraceTasks([task(1, 1_000_000), task(2, 7)]))).toEqual([2, 1]);
  });

  it('hands tasks on as they end and returns the header after', async () => {
    const iterator = parseTrace(cut(fixture('perf/no-newtask.perf.txt'), [100, 700]), {
      format: 'perf',
    });
    const tasks: TraceTask[] = [];
    let next = await iterator.next();
    while (next.done !== true) {
      tasks.push(next.value);
      next = await iterator.next();
    }
    expect(tasks).toHaveLength(6);
    expect(next.value.header.kindsKnown).toBe(false);
  });

  it('answers next() calls that overlap in order, each task once, as a generator does', async () => {
    const text = fixture('perf/no-newtask.perf.txt');
    const expected = await collect(parseTrace(cut(text, [100, 700]), { format: 'perf' }));
    const stream = parseTrace(cut(text, [100, 700]), { format: 'perf' });
    // All asked for at once, before any answer: none may be skipped or given twice.
    const answers = await Promise.all(
      Array.from({ length: expected.length + 2 }, () => stream.next()),
    );
    expect(answers.slice(0, expected.length).map((answer) => answer.value)).toEqual(expected);
    expect(answers[expected.length]?.done).toBe(true);
    expect(answers[expected.length + 1]).toEqual({ done: true, value: undefined });
  });

  it('stops reading the input when the reader stops early', async () => {
    let closed = false;
    async function* chunks(): AsyncGenerator<string> {
      try {
        yield fixture('perf/no-newtask.perf.txt');
        yield fixture('perf/no-newtask.perf.txt');
      } finally {
        closed = true;
      }
    }
    const stream = parseTrace(chunks(), { format: 'perf' });
    for await (const _task of stream) break;
    expect(closed).toBe(true);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('passes an error of the input on to the reader, and is done after it', async () => {
    async function* chunks(): AsyncGenerator<string> {
      yield 'not a trace at all\n'.repeat(10);
    }
    const stream = parseTrace(chunks());
    await expect(stream.next()).rejects.toThrow(/is none of the formats/);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('answers header() after a for await, and refuses to before', async () => {
    const stream = parseTrace([fixture('perf/shell-with-header.perf.txt')]);
    expect(() => stream.header()).toThrow(/once every task is read/);
    let count = 0;
    for await (const _task of stream) count += 1;
    expect(count).toBeGreaterThan(5);
    expect(stream.header().source).toBe('perf');
    expect(stream.ignoredLines()).toBeGreaterThan(20);
  });

  it('round-trips a converted trace through the project format', async () => {
    const perf = await readTrace([fixture('perf/shell-with-header.perf.txt')]);
    const again = await readTrace(writeTrace(perf));
    expect(again).toEqual({ ...perf, ignoredLines: 0 });
  });

  // The vmars-trace reader checks what every parser must give (one sequence, one task per id
  // at a time, times in order), so this holds each parser's output to it.
  it('converts every fixture to the project format and back unchanged', async () => {
    let count = 0;
    for (const folder of ['strace', 'perf', 'vmars-trace', 'bpftrace']) {
      const directory = new URL(`../fixtures/${folder}/`, import.meta.url);
      for (const name of readdirSync(directory)) {
        const path = new URL(name, directory);
        if (statSync(path).isDirectory() || /\.(md|c|sh)$/.test(name)) continue;
        const trace = await readTrace([readFileSync(path, 'utf8')], { file: name });
        const again = await readTrace(writeTrace(trace), { file: `${name} written` });
        expect(again.header).toStrictEqual(trace.header);
        expect(again.tasks).toStrictEqual(trace.tasks);
        count += 1;
      }
    }
    expect(count).toBeGreaterThan(20);
  });

  it('refuses a file of no format, naming the file', async () => {
    const error = await refusal(readTrace(['id,parent\n1,\n'], { file: 'tasks.csv' }));
    expect(error.code).toBe('UNKNOWN_FORMAT');
    expect(error.file).toBe('tasks.csv');
  });

  it('refuses a truncated last line, naming it', async () => {
    const text = fixture('vmars-trace/spec-example.jsonl');
    const error = await refusal(readTrace([text.slice(0, text.length - 20)], { file: 't.jsonl' }));
    expect(error.code).toBe('SYNTAX');
    expect(error.line).toBe(5);
    expect(error.message).toMatch(/^t\.jsonl:line 5: the last line has no line break .* truncated/);
  });

  it('takes a whole last line without its line break', async () => {
    const text = fixture('vmars-trace/spec-example.jsonl').trimEnd();
    expect((await readTrace([text])).tasks).toHaveLength(4);
  });

  it('with format given, does not sniff', async () => {
    const error = await refusal(
      readTrace([fixture('vmars-trace/spec-example.jsonl')], { format: 'perf' }),
    );
    expect(error.code).toBe('SYNTAX');
    expect(error.line).toBe(1);
  });
});
