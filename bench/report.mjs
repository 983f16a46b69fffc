// @ts-check
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';

/** @typedef {import('./measure-case.mjs').CaseResult} CaseResult */
/** @typedef {import('./targets.mjs').TargetResult} TargetResult */

/**
 * What the figures were measured on and with: the machine, Node, the commit, and whether the
 * packages measured had changes not yet committed (their build includes them).
 * @param {string} repositoryRoot
 */
export function describeRun(repositoryRoot) {
  const git = (/** @type {string[]} */ ...args) => {
    try {
      return execFileSync('git', args, { cwd: repositoryRoot, encoding: 'utf8' });
    } catch {
      return '';
    }
  };
  const dirty = git(
    'status',
    '--porcelain',
    '--',
    'packages/backend-memory/src',
    'packages/compact-vmar/src',
    'packages/growable-vmars/src',
    'packages/address-space/src',
  );
  return {
    date: new Date().toISOString(),
    commit: git('rev-parse', '--short', 'HEAD').trim() || 'unknown',
    // Porcelain lines are "XY path": two status letters and a space before the path.
    uncommittedPackageChanges: dirty
      .split('\n')
      .filter((line) => line.length > 3)
      .map((line) => line.slice(3)),
    node: process.version,
    v8: process.versions.v8,
    cpu: cpuModel(),
    nproc: availableParallelism(),
    platform: `${process.platform} ${release()} ${process.arch}`,
    // The machine is shared: a load above nproc means the figures ran alongside other work.
    loadAverageAtEnd: loadavg().map((value) => Number(value.toFixed(2))),
  };
}

/** The CPU model as /proc/cpuinfo names it, else as os.cpus() does. */
function cpuModel() {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // Not Linux: fall through.
  }
  return cpus()[0]?.model ?? 'unknown';
}

/**
 * A figure with a precision that suits its size: 3 significant digits below 1,000, whole numbers
 * (with separators) above.
 * @param {number} value
 */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 999.5) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

/**
 * The cases as a Markdown table.
 * @param {CaseResult[]} cases
 */
export function casesTable(cases) {
  const rows = cases.map((each) => [
    each.name,
    formatNumber(each.median),
    each.unit,
    String(each.samples),
    `${(each.relativeMad * 100).toFixed(1)} %`,
    String(each.callsPerSample),
  ]);
  return markdownTable(['Case', 'Median', 'Unit', 'Samples', 'MAD', 'Calls/sample'], rows, [
    'left',
    'right',
    'left',
    'right',
    'right',
    'right',
  ]);
}

/**
 * The targets as a Markdown table: figure, limit, ratio and verdict side by side.
 * @param {TargetResult[]} targets
 */
export function targetsTable(targets) {
  const rows = targets.map((target) => {
    const sign = target.comparison === 'at-most' ? '≤' : '≥';
    const unit = (/** @type {number} */ value) =>
      target.unit === '×' ? `${formatNumber(value)}×` : `${formatNumber(value)} ${target.unit}`;
    return [
      target.description,
      target.measured === null ? '—' : unit(target.measured),
      `${sign} ${unit(target.limit)}`,
      target.ratio === null ? '—' : target.ratio.toFixed(2),
      target.pass === null ? 'NOT RUN' : target.pass ? 'PASS' : 'FAIL',
    ];
  });
  return markdownTable(['Target', 'Measured', 'Limit', 'Measured / limit', 'Result'], rows, [
    'left',
    'right',
    'right',
    'right',
    'left',
  ]);
}

/**
 * @param {string[]} header
 * @param {string[][]} rows
 * @param {('left' | 'right')[]} alignment
 */
function markdownTable(header, rows, alignment) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (/** @type {string[]} */ cells) =>
    `| ${cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return alignment[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join(' | ')} |`;
  const rule = `|${widths
    .map((width, column) =>
      alignment[column] === 'right' ? `${'-'.repeat(width + 1)}:` : `:${'-'.repeat(width + 1)}`,
    )
    .join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
