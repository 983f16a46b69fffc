/**
 * A workload run with the engine: the same seeded Starnix-like thread workload under every named
 * policy, each on a fresh memory backend, and the page-table pages each needs at the peak, per
 * paging level.
 *
 *   node dist/page-tables.js [--threads 2000] [--peak 200] [--architecture x86_64|arm64|riscv64]
 */
import { parseArgs } from 'node:util';
import { memoryBackend } from '@vmars/backend-memory';
import {
  ARCHITECTURES,
  type Architecture,
  NAMED_POLICY_NAMES,
  runWorkload,
} from '@vmars/thread-workload';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '2000' },
    peak: { type: 'string', default: '200' },
    architecture: { type: 'string', default: 'x86_64' },
  },
});
const architecture = values.architecture as Architecture;
if (!ARCHITECTURES.includes(architecture)) {
  console.error(`--architecture must be one of ${ARCHITECTURES.join(', ')}`);
  process.exit(2);
}

// runWorkload checks its options (threads and peak must be whole numbers) and throws a
// WorkloadError naming a bad one.
const report = runWorkload({
  backend: () => memoryBackend({ arch: architecture, region: 'shared', seed: 1 }),
  architecture,
  policies: NAMED_POLICY_NAMES,
  threads: Number(values.threads),
  peak: Number(values.peak),
});

const levels = report.policies[0]?.pageTables.atPeak.levels.map((level) => level.name) ?? [];
const header = ['policy', ...levels, 'total', 'compact VMARs'];
const rows = report.policies.map((policy) => [
  policy.policy,
  ...policy.pageTables.atPeak.levels.map((level) => String(level.pages)),
  String(policy.pageTables.atPeak.total),
  String(policy.compactVmars.total),
]);
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
);
for (const row of [header, ...rows]) {
  console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
}
