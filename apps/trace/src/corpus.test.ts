import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Trace, traceStats } from '@vmars/thread-traces';
import { readTraceFile } from '@vmars/thread-traces/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FileStats, renderStatsMarkdown } from './render-stats.js';

/**
 * The corpus (corpus/ at the repository's root) of real programs' traces, against its README:
 * the statistics table between the markers is what `stats --markdown` says of the committed
 * files now, every trace file is in it and every row is a file, and each trace's own section
 * quotes its header (command, program version, date) as recorded.
 */

const CORPUS = fileURLToPath(new URL('../../../corpus/', import.meta.url));
const README = join(CORPUS, 'README.md');
const TABLE_BEGIN = '<!-- corpus-stats:begin -->';
const TABLE_END = '<!-- corpus-stats:end -->';
const REGENERATE = 'pnpm -s trace stats --markdown corpus/*.jsonl.gz';
const TRACE_SUFFIX = '.jsonl.gz';
/** "A few MB at most" for the whole corpus, so that cloning the repository stays cheap. */
const MOST_CORPUS_BYTES = 4 * 1024 * 1024;

/** The README's generated table: the lines strictly between the markers, each with its `\n`. */
function generatedTable(readme: string): { table: string; beginLine: number } {
  const lines = readme.split('\n');
  const begins = lines.flatMap((line, index) => (line.trim() === TABLE_BEGIN ? [index] : []));
  const ends = lines.flatMap((line, index) => (line.trim() === TABLE_END ? [index] : []));
  const [begin] = begins;
  const [end] = ends;
  if (begins.length !== 1 || ends.length !== 1 || begin === undefined || end === undefined) {
    throw new Error(
      `corpus/README.md: expected one line "${TABLE_BEGIN}" and one "${TABLE_END}", found ${String(begins.length)} and ${String(ends.length)}`,
    );
  }
  if (end < begin) {
    throw new Error(
      `corpus/README.md: "${TABLE_END}" (line ${String(end + 1)}) comes before "${TABLE_BEGIN}" (line ${String(begin + 1)})`,
    );
  }
  const table = lines.slice(begin + 1, end).map((line) => `${line}\n`);
  return { table: table.join(''), beginLine: begin + 1 };
}

/** The trace names in the table's first column, in order (after its two header rows). */
function tableNames(table: string, beginLine: number): string[] {
  const rows = table.split('\n').filter((line) => line !== '');
  return rows.slice(2).map((row, index) => {
    const name = /^\| ([^|]+?) \|/.exec(row)?.[1];
    if (name === undefined) {
      throw new Error(
        `corpus/README.md line ${String(beginLine + 3 + index)}: expected a table row "| NAME | ...", got "${row}"`,
      );
    }
    return name;
  });
}

/** Each `### NAME` section of the README, to the next heading of its level or above. */
function sections(readme: string): Map<string, string> {
  const found = new Map<string, string>();
  const parts = readme.split(/^(?=#{1,3} )/m);
  for (const part of parts) {
    const name = /^### (\S+)/.exec(part)?.[1];
    if (name !== undefined) found.set(name, part);
  }
  return found;
}

const traceFiles = readdirSync(CORPUS)
  .filter((name) => name.endsWith(TRACE_SUFFIX))
  .sort();
const readme = readFileSync(README, 'utf8');

describe('corpus/README.md', () => {
  const { table, beginLine } = generatedTable(readme);
  const listed = tableNames(table, beginLine);
  const traces = new Map<string, Trace>();

  beforeAll(async () => {
    for (const file of traceFiles) traces.set(file, await readTraceFile(join(CORPUS, file)));
  });

  it('says above its table how to regenerate it', () => {
    const above = readme.slice(0, readme.indexOf(TABLE_BEGIN));
    expect(above).toContain(REGENERATE);
  });

  it('lists every trace file of corpus/, and every name it lists is a file there', () => {
    const onDisk = traceFiles.map((file) => file.slice(0, -TRACE_SUFFIX.length));
    expect(traceFiles.length).toBeGreaterThanOrEqual(8);
    expect(
      onDisk.filter((name) => !listed.includes(name)),
      'trace files of corpus/ not in the table',
    ).toEqual([]);
    expect(
      listed.filter((name) => !onDisk.includes(name)),
      'names in the table with no file in corpus/',
    ).toEqual([]);
    expect(
      listed.filter((name, index) => listed.indexOf(name) !== index),
      'names listed twice',
    ).toEqual([]);
  });

  it("holds the table that the committed files' statistics give now", () => {
    const entries: FileStats[] = listed.map((name) => {
      const trace = traces.get(`${name}${TRACE_SUFFIX}`);
      if (trace === undefined) throw new Error(`corpus/${name}${TRACE_SUFFIX} is not in corpus/`);
      return {
        file: `corpus/${name}${TRACE_SUFFIX}`,
        header: trace.header,
        ignoredLines: trace.ignoredLines,
        stats: traceStats(trace),
      };
    });
    expect(table).toBe(renderStatsMarkdown(entries));
  });

  it("has a section per trace quoting its header's command, program version and date", () => {
    const bySection = sections(readme);
    for (const file of traceFiles) {
      const name = file.slice(0, -TRACE_SUFFIX.length);
      const header = traces.get(file)?.header;
      const section = bySection.get(name);
      expect(section, `a "### ${name}" section`).toBeDefined();
      expect(header?.source, file).toBe('strace');
      const { command, date } = header ?? {};
      const program = header?.notes?.program;
      expect(command, `${file}: its header's command`).toEqual(expect.any(String));
      expect(date, `${file}: its header's date`).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(program, `${file}: its header's notes.program`).toEqual(expect.any(String));
      expect(section, `${name}: the command`).toContain(command);
      expect(section, `${name}: the program`).toContain(program);
      expect(section, `${name}: the date`).toContain(date);
    }
  });

  it('stays a few MB at most', () => {
    const bytes = traceFiles.reduce((sum, file) => sum + statSync(join(CORPUS, file)).size, 0);
    expect(bytes).toBeLessThanOrEqual(MOST_CORPUS_BYTES);
  });
});
