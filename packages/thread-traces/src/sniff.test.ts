import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sniffTraceFormat } from './sniff.js';
import { TraceError } from './trace-error.js';

describe('sniffTraceFormat', () => {
  it.each([
    ['vmars-trace', ['{"format":"vmars-trace","version":1,"source":"perf"}']],
    ['vmars-trace', ['', '{ "format": "vmars-trace", "version": 2 }']],
    ['strace', ['1234  1733534822.123456 clone(child_stack=NULL, flags=CLONE_VM) = 1235']],
    ['strace', ['1234  12:00:00 execve("/bin/sh", ["sh"], 0x7ffd /* 20 vars */) = 0']],
    ['strace', ['1234  execve("/bin/sh", ["sh"], 0x7ffd /* 20 vars */) = 0']],
    ['strace', ['1235  1733534822.123456 +++ exited with 0 +++']],
    ['strace', ['12:00:00.123456 execve("/bin/true", ["true"], 0x7ffd /* 20 vars */) = 0']],
    ['strace', ['[pid  1234] 12:00:00 clone3({flags=CLONE_VM|CLONE_THREAD}, 88) = 1236']],
    ['strace', ['execve("/bin/true", ["true"], 0x7ffd /* 20 vars */) = 0']],
    ['strace', ['strace: Process 1234 attached']],
    ['strace', ['1733534822.123456 <... wait4 resumed>, NULL) = 1235']],
    [
      'perf',
      [
        '  sh  4709 [001]   187.523629: sched:sched_process_fork: comm=sh pid=4709 child_comm=sh child_pid=4802',
      ],
    ],
    [
      'perf',
      [
        '  sh  4709 [001]   187.523625:        task:task_newtask: pid=4802 comm=sh clone_flags=4100 oom_score_adj=0',
      ],
    ],
    [
      'perf',
      ['# ========', '# captured on    : Mon Dec  7 01:10:01 2026', '# perf version : 6.1.187'],
    ],
  ] as const)('tells %s from %j', (format, lines) => {
    expect(sniffTraceFormat(lines)).toBe(format);
  });

  it("tells every fixture's format by its first lines, as its folder names it", () => {
    const root = fileURLToPath(new URL('../fixtures/', import.meta.url));
    const folders = {
      strace: 'strace',
      perf: 'perf',
      'vmars-trace': 'vmars-trace',
      bpftrace: 'vmars-trace',
    };
    const walk = (directory: string): string[] =>
      readdirSync(directory).flatMap((name) => {
        const path = `${directory}/${name}`;
        return statSync(path).isDirectory() ? walk(path) : [path];
      });
    let count = 0;
    for (const [folder, format] of Object.entries(folders)) {
      for (const path of walk(`${root}${folder}`).filter((each) => !/\.(md|c|sh)$/.test(each))) {
        const lines = readFileSync(path, 'utf8').split('\n').slice(0, 40);
        expect([path, sniffTraceFormat(lines)]).toEqual([path, format]);
        count += 1;
      }
    }
    expect(count).toBeGreaterThan(20);
  });

  it.each([
    ['text', ['hello, world']],
    ['JSON of another kind', ['{"format":"other"}']],
    ['a CSV', ['id,parent,start', '1,,0']],
    ['nothing', ['', '  ']],
  ])('refuses %s, saying what each format looks like', (_name, lines) => {
    let caught: unknown;
    try {
      sniffTraceFormat(lines);
    } catch (error) {
      caught = error;
    }
    expect(TraceError.isInstance(caught)).toBe(true);
    expect((caught as TraceError).code).toBe('UNKNOWN_FORMAT');
    expect((caught as TraceError).message).toMatch(/"format":"vmars-trace".*strace.*perf script/);
  });
});
