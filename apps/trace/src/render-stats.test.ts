import type { TraceStats } from '@vmars/thread-traces';
import { describe, expect, it } from 'vitest';
import {
  type FileStats,
  formatMicroseconds,
  MARKDOWN_HEADER,
  renderStatsJson,
  renderStatsMarkdown,
  renderStatsTable,
  traceName,
} from './render-stats.js';
import { MAKE_HEADER } from './test-fixture.js';

const header = MAKE_HEADER;

const stats: TraceStats = {
  tasks: 1234,
  threads: 1000,
  processes: 234,
  unknownKind: 0,
  mostAlive: 17,
  censored: 1,
  startedBefore: 0,
  durationUs: 12_345_678,
  lifetimeUs: { p50: 850, p90: 45_600, p99: 1_000_000, max: 75_000_000 },
};

const make: FileStats = { file: 'corpus/make-j2.vmars-trace.gz', header, ignoredLines: 5, stats };

describe('formatMicroseconds', () => {
  it.each([
    [0, '0µs'],
    [850, '850µs'],
    [999.4, '999µs'],
    [1_000, '1ms'],
    [45_600, '45.6ms'],
    [999_400, '999ms'],
    [999_600, '1s'],
    [12_345_678, '12.3s'],
    [75_000_000, '1m15s'],
    [3_725_000_000, '1h02m'],
  ])('writes %d µs as %s', (microseconds, text) => {
    expect(formatMicroseconds(microseconds)).toBe(text);
  });
});

it('traceName drops the directory, .gz and one more extension', () => {
  expect(traceName('corpus/make-j2.vmars-trace.gz')).toBe('make-j2');
  expect(traceName('sleep.strace')).toBe('sleep');
  expect(traceName('plain')).toBe('plain');
  expect(traceName('.hidden')).toBe('.hidden');
});

describe('renderStatsTable', () => {
  it('has one column per file, labels left and values right', () => {
    const perf: FileStats = {
      file: 'p.perf',
      header: { ...header, source: 'perf', kindsKnown: false, command: null },
      ignoredLines: 0,
      stats: { ...stats, tasks: 3, lifetimeUs: null },
    };
    const lines = renderStatsTable([make, perf]).split('\n');
    expect(lines[0]).toBe(`${' '.repeat(22)}  corpus/make-j2.vmars-trace.gz  p.perf`);
    expect(lines).toContain(`tasks created                                    1234       3`);
    expect(lines).toContain(`threads                                          1000       ?`);
    expect(lines).toContain(`lifetime max                                    1m15s       -`);
    expect(lines).not.toContain(expect.stringMatching(/^command {2}/));
    expect(lines.slice(-3)).toEqual([
      'command of corpus/make-j2.vmars-trace.gz: make -j2',
      'command of p.perf: (not recorded)',
      '',
    ]);
    expect(renderStatsTable([make]).split('\n').at(-2)).toBe('command: make -j2');
  });
});

describe('renderStatsMarkdown', () => {
  it('writes the header rows once, then one row per file', () => {
    const text = renderStatsMarkdown([make, { ...make, file: 'b.vmars-trace' }]);
    const rows = text.trimEnd().split('\n');
    expect(rows).toHaveLength(4);
    expect(`${rows[0]}\n${rows[1]}\n`).toBe(MARKDOWN_HEADER);
    expect(rows[2]).toBe(
      '| make-j2 | `make -j2` | 1234 | 1000 | 234 | 17 | 1 | 12.3s | 850µs | 45.6ms | 1m15s |',
    );
    expect(rows[3]?.startsWith('| b | ')).toBe(true);
    // Every row has the header's number of cells.
    const cells = (row: string) => row.split(/(?<!\\)\|/).length;
    for (const row of rows) expect(cells(row)).toBe(cells(rows[0] ?? ''));
  });

  it('keeps a command with pipes and backticks inside its cell', () => {
    const command = "sh -c 'ls | wc -l; echo `date`'";
    const row = renderStatsMarkdown([{ ...make, header: { ...header, command } }])
      .trimEnd()
      .split('\n')[2];
    expect(row).toContain("| ``sh -c 'ls \\| wc -l; echo `date`'`` |");
    const unknown = renderStatsMarkdown([{ ...make, header: { ...header, command: null } }]);
    expect(unknown).toContain('| make-j2 | - | 1234 |');
  });
});

it('renderStatsJson is always an array, with numbers in microseconds', () => {
  const parsed = JSON.parse(renderStatsJson([make])) as unknown;
  expect(parsed).toEqual([{ file: make.file, header, ignoredLines: 5, stats }]);
});
