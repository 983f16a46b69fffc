import { basename } from 'node:path';
import { formatDuration } from '@vmars/cli-support';
import type { TraceHeader, TraceStats } from '@vmars/thread-traces';

/** One file's statistics, as `stats` prints them (and, whole, as `--json` does). */
export interface FileStats {
  /** The path as given on the command line. */
  readonly file: string;
  readonly header: TraceHeader;
  readonly ignoredLines: number;
  readonly stats: TraceStats;
}

/**
 * Microseconds for people: `850µs`, `12.3ms`, `4.56s`, then `1m15s`, `1h02m`. Three significant
 * digits below a minute: a trace's clock is not more precise than that at the scale shown.
 */
export function formatMicroseconds(microseconds: number): string {
  if (microseconds < 1_000) return `${String(Math.round(microseconds))}µs`;
  if (microseconds < 999_500) return `${significant(microseconds / 1_000)}ms`;
  if (microseconds < 59_950_000) return `${significant(microseconds / 1_000_000)}s`;
  return formatDuration(microseconds / 1_000_000);
}

function significant(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/**
 * A file's name for a table: its base name without `.gz` and one more extension
 * (`corpus/make-j2.vmars-trace.gz` is `make-j2`).
 */
export function traceName(file: string): string {
  const name = basename(file).replace(/\.gz$/i, '');
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Threads and processes, or `?` each when the source could not tell them apart (perf). */
function kindCount(entry: FileStats, count: number): string {
  return entry.header.kindsKnown ? String(count) : '?';
}

function lifetime(entry: FileStats, quantile: 'p50' | 'p90' | 'p99' | 'max'): string {
  const quantiles = entry.stats.lifetimeUs;
  return quantiles === null ? '-' : formatMicroseconds(quantiles[quantile]);
}

/**
 * The default output: one row per statistic, one column per file, so that one trace reads as a
 * list and several side by side; then each file's command on a line of its own, since a command
 * line is often wider than every column together.
 */
export function renderStatsTable(entries: readonly FileStats[]): string {
  const rows: [string, (entry: FileStats) => string][] = [
    ['source', (entry) => entry.header.source],
    ['tasks created', (entry) => String(entry.stats.tasks)],
    ['threads', (entry) => kindCount(entry, entry.stats.threads)],
    ['processes', (entry) => kindCount(entry, entry.stats.processes)],
    ['most alive at once', (entry) => String(entry.stats.mostAlive)],
    ['alive before the trace', (entry) => String(entry.stats.startedBefore)],
    ['alive at its end', (entry) => String(entry.stats.censored)],
    ['duration', (entry) => formatMicroseconds(entry.stats.durationUs)],
    ['lifetime p50', (entry) => lifetime(entry, 'p50')],
    ['lifetime p90', (entry) => lifetime(entry, 'p90')],
    ['lifetime p99', (entry) => lifetime(entry, 'p99')],
    ['lifetime max', (entry) => lifetime(entry, 'max')],
  ];
  const table: string[][] = [
    ['', ...entries.map((entry) => entry.file)],
    ...rows.map(([label, value]) => [label, ...entries.map(value)]),
  ];
  const widths = table[0]?.map((_, column) => Math.max(...table.map((row) => width(row[column]))));
  return table
    .map((row) =>
      row
        .map((cell, column) => {
          const padding = ' '.repeat((widths?.[column] ?? 0) - width(cell));
          // Labels to the left, values to the right, as numbers read best.
          return column === 0 ? cell + padding : padding + cell;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n', commandLines(entries));
}

/** `command: …` for one file, `command of FILE: …` for each of several. */
function commandLines(entries: readonly FileStats[]): string {
  return entries
    .map((entry) => {
      const label = entries.length === 1 ? 'command' : `command of ${entry.file}`;
      return `${label}: ${entry.header.command ?? '(not recorded)'}\n`;
    })
    .join('');
}

/** Code points, not UTF-16 units: `µs` is two columns wide, not three. */
function width(text: string | undefined): number {
  return text === undefined ? 0 : [...text].length;
}

/** `--json`: always an array, one entry per file in the order given. */
export function renderStatsJson(entries: readonly FileStats[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}

/** The corpus table's header and separator rows (numbers aligned right). */
export const MARKDOWN_HEADER = `| name | command | tasks | threads | processes | most alive | censored | duration | lifetime p50 | lifetime p90 | lifetime max |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
`;

/** `--markdown`: the header rows, then one row per file. */
export function renderStatsMarkdown(entries: readonly FileStats[]): string {
  return (
    MARKDOWN_HEADER +
    entries
      .map((entry) => {
        const cells = [
          markdownText(traceName(entry.file)),
          entry.header.command === null ? '-' : markdownCode(entry.header.command),
          String(entry.stats.tasks),
          kindCount(entry, entry.stats.threads),
          kindCount(entry, entry.stats.processes),
          String(entry.stats.mostAlive),
          String(entry.stats.censored),
          formatMicroseconds(entry.stats.durationUs),
          lifetime(entry, 'p50'),
          lifetime(entry, 'p90'),
          lifetime(entry, 'max'),
        ];
        return `| ${cells.join(' | ')} |\n`;
      })
      .join('')
  );
}

/** Text in a table cell: a `|` would end the cell, a line break the row. */
function markdownText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replaceAll('|', '\\|');
}

/**
 * A command as a code span: fenced with one more backtick than its longest run of them, padded
 * with spaces when it starts or ends with one (CommonMark's rule), and with `|` escaped, which
 * GitHub's tables require even inside code.
 */
function markdownCode(text: string): string {
  const flat = markdownText(text);
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padding = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${flat}${padding}${fence}`;
}
