import { formatAddress, formatByteSize } from '@vmars/cli-support';
import type { DemoReport, PolicyReport } from './demo-report.js';
import { linuxCheckLines } from './linux-check.js';
import { counted, formatSeconds, secondsDecimals } from './trace-time.js';

const count = (value: number): string => value.toLocaleString('en-US');

/** What was run: a generated workload in one line; a trace in three, with its counts. */
function workloadLines(report: DemoReport): string[] {
  const { workload } = report;
  if (workload.pattern !== 'trace') {
    return [
      `vmars-demo: ${count(workload.threads)} thread lifecycles, peak ${count(workload.peak)} live, ${workload.pattern} churn, seed ${String(workload.seed)}`,
    ];
  }
  const { trace } = workload;
  const recorded = [
    trace.source,
    // JSON's quoting keeps a command with line breaks (a `python3 -c` script) on one line.
    ...(trace.command === null ? [] : [JSON.stringify(trace.command)]),
    ...(trace.date === null ? [] : [trace.date]),
  ].join(', ');
  const kinds = [
    `${counted(trace.threads, 'thread', 'threads')}`,
    `${counted(trace.processes, 'process', 'processes')}`,
    ...(trace.unknownKind > 0 ? [`${count(trace.unknownKind)} of unknown kind`] : []),
  ].join(', ');
  const tasks = counted(trace.tasks, 'task', 'tasks');
  const duration = formatSeconds(trace.durationUs, secondsDecimals(trace.durationUs));
  const atEnd = `${count(trace.censored)} still alive at its end (${count(trace.endedAtReplayEnd)} ended when the replay ends)`;
  return [
    `vmars-demo: trace ${trace.name} (${recorded}), replayed: ${tasks} (${kinds}), each one thread lifecycle; most alive at once ${count(trace.mostAlive)}`,
    `trace: ${duration}; ${count(trace.startedBefore)} alive before it began, ${atEnd}`,
    `seed ${String(workload.seed)} reaches only the backend's ASLR: a trace is one realization, replayed the same way for every seed`,
  ];
}

/** The run's setting: the workload, the backend and layout, the VMAR and page-table settings. */
function settingLines(report: DemoReport): string[] {
  const { threadLayout } = report;
  const machine = threadLayout.blocks.find((block) => block.kind === 'machine-stack');
  const threadBlock = threadLayout.blocks.find((block) => block.kind === 'thread-block');
  const touched =
    report.touched === 'all'
      ? 'all mapped pages touched'
      : `touched: thread blocks and ${String(report.stackTopTouchedPages)} pages at each stack's start`;
  return [
    ...workloadLines(report),
    `backend ${report.backend}, ${report.architecture}, root ${formatAddress(report.region.base)} +${formatByteSize(report.region.size)}; ` +
      `stacks ${formatByteSize(machine?.size ?? 0)} (+${formatByteSize(machine?.guardBelow ?? 0)} guard), ` +
      `thread block ${formatByteSize(threadBlock?.size ?? 0)} (+2 guard pages)`,
    `compact VMARs ${formatByteSize(report.vmarSize)}, probe ${formatByteSize(report.probeSize)}; page tables (--touched ${report.touched}): ${touched}`,
    '',
  ];
}

/** A row: a label and one cell per policy; or a rule across the table. */
type Row = readonly string[] | 'rule';

/** The table's rows: one column per policy. */
function tableRows(report: DemoReport): Row[] {
  const { workload, policies } = report;
  const rows: Row[] = [];
  const row = (label: string, cell: (policy: PolicyReport) => string): void => {
    rows.push([label, ...policies.map(cell)]);
  };
  rows.push(['', ...policies.map((policy) => policy.policy)]);
  rows.push('rule');
  row('threads created', (p) => count(p.threads.created));
  row('threads ended', (p) => count(p.threads.ended));
  row('failed creations', (p) => count(p.threads.failed));
  row('probes per creation', (p) => p.probes.perCreation.toFixed(2));
  row('compact VMARs: machine stack', (p) => count(p.compactVmars['machine-stack']));
  row('               security stack', (p) => count(p.compactVmars['security-stack']));
  row('               thread block', (p) => count(p.compactVmars['thread-block']));
  row('reserved, peak', (p) => formatByteSize(p.reserved.peak));
  row('reserved, final', (p) => formatByteSize(p.reserved.final));
  row('mapped, peak', (p) => formatByteSize(p.mapped.peak));
  row('mapped, final', (p) => formatByteSize(p.mapped.final));
  rows.push('rule');
  const peakTime =
    workload.pattern === 'trace'
      ? `, ${formatSeconds(workload.trace.peakTimeUs, secondsDecimals(workload.trace.durationUs))} into the trace`
      : '';
  rows.push([
    `page tables at peak (after event ${count(workload.peakEvent)}${peakTime})`,
    ...policies.map(() => ''),
  ]);
  for (const [index, level] of report.pagingLevels.entries()) {
    row(`  ${level.name} (one per ${formatByteSize(level.coverage)})`, (p) =>
      count(p.pageTables.atPeak.levels[index]?.pages ?? 0),
    );
  }
  row('  total pages', (p) => count(p.pageTables.atPeak.total));
  row('  total bytes', (p) => formatByteSize(p.pageTables.atPeak.total * report.pageSize));
  row('most page-table pages, any moment', (p) => count(p.pageTables.max.total));
  row('page-table pages at the end', (p) => count(p.pageTables.final.total));
  rows.push('rule');
  row('all blocks unmapped at the end', (p) =>
    p.end.liveThreads === 0 && p.end.otherRootEntries === 0 ? 'yes' : 'NO',
  );
  row('VMARs disposed cleanly', (p) =>
    p.end.disposed && p.end.rootEntriesAfterDispose === 1 ? 'yes' : 'NO',
  );
  return rows;
}

/** The rows laid out: labels left-aligned, cells right-aligned in columns of at least 10. */
function layoutRows(rows: readonly Row[]): string[] {
  const widths: number[] = [];
  for (const cells of rows) {
    if (cells === 'rule') continue;
    cells.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  const labelWidth = widths[0] ?? 0;
  const cellWidths = widths.slice(1).map((width) => Math.max(width, 10));
  const totalWidth = labelWidth + cellWidths.reduce((sum, width) => sum + width + 2, 0);
  return rows.map((cells) => {
    if (cells === 'rule') return '-'.repeat(totalWidth);
    const [label = '', ...rest] = cells;
    return (
      label.padEnd(labelWidth) +
      rest.map((cell, index) => `  ${cell.padStart(cellWidths[index] ?? 0)}`).join('')
    );
  });
}

/** The peak's page tables of the root policy against compact's, when both ran. */
function comparisonLines(policies: readonly PolicyReport[]): string[] {
  const compact = policies.find((policy) => policy.policy === 'compact');
  const root = policies.find((policy) => policy.policy === 'root');
  if (compact === undefined || root === undefined || compact.pageTables.atPeak.total <= 0) {
    return [];
  }
  const ratio = root.pageTables.atPeak.total / compact.pageTables.atPeak.total;
  return [
    '',
    `At the peak, placing blocks straight in the root needs ${ratio.toFixed(1)}x the page-table pages of compact VMARs ` +
      `(${count(root.pageTables.atPeak.total)} vs ${count(compact.pageTables.atPeak.total)}).`,
  ];
}

/** The report as a table for a terminal: one column per policy. */
export function renderTable(report: DemoReport, elapsedMilliseconds?: number): string {
  const lines = [
    ...settingLines(report),
    ...layoutRows(tableRows(report)),
    ...comparisonLines(report.policies),
    ...(report.linuxCheck === undefined ? [] : linuxCheckLines(report.linuxCheck)),
    ...(elapsedMilliseconds === undefined
      ? []
      : [`(${String(Math.round(elapsedMilliseconds))} ms)`]),
  ];
  return `${lines.join('\n')}\n`;
}
