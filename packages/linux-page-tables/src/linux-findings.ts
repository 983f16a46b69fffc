#!/usr/bin/env node
/**
 * The command behind docs/lab-findings.md's section on the kernel's page tables: runs the demo's
 * workload (its defaults: the engine's, on the Starnix shared region) at a few sizes, checks each
 * report against this machine's kernel with `checkLinux`, and prints the markdown: one row per
 * size and policy. Progress goes to stderr. Exit 2 for a bad command line or a machine that cannot
 * run the check (one line), 1 when a check fails.
 *
 *   node packages/linux-page-tables/dist/linux-findings.js [--run TOUCHED:ALIVE]... [--seed N]
 */
import { parseArgs } from 'node:util';
import {
  type Architecture,
  TOUCHED_PAGES,
  type TouchedPages,
  WORKLOAD_DEFAULTS,
} from '@vmars/thread-workload';
import { checkLinux, LINUX_CHECK_TOLERANCE, type LinuxCheckReport } from './check-linux.js';
import {
  FINDINGS_RUNS,
  type FindingsRun,
  findingsReport,
  LIFECYCLES_PER_ALIVE,
} from './findings-workload.js';
import { LinuxCheckError } from './linux-check-error.js';
import { architectureOfMachine, readLinuxHost } from './linux-host.js';

type Run = FindingsRun;

class UsageError extends Error {}

function parseRun(text: string): Run {
  const match = /^([a-z-]+):(\d{1,7})$/.exec(text);
  const touched = match?.[1] as TouchedPages | undefined;
  const alive = Number(match?.[2]);
  if (touched === undefined || !TOUCHED_PAGES.includes(touched) || !(alive >= 1)) {
    throw new UsageError(
      `--run: expected TOUCHED:ALIVE with TOUCHED one of ${TOUCHED_PAGES.join(', ')} and ALIVE a positive integer, got "${text}"`,
    );
  }
  return { touched, alive };
}

function parseCommandLine(argv: readonly string[]): { runs: Run[]; seed: number } {
  let values: { run?: string[]; seed?: string };
  try {
    values = parseArgs({
      args: [...argv],
      options: { run: { type: 'string', multiple: true }, seed: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? (error.message.split('\n')[0] ?? '') : '');
  }
  const seedText = values.seed ?? String(WORKLOAD_DEFAULTS.seed);
  const seed = /^\d{1,10}$/.test(seedText) ? Number(seedText) : Number.NaN;
  if (!(seed <= 2 ** 32 - 1)) {
    throw new UsageError(`--seed: expected an integer from 0 to 4294967295, got "${seedText}"`);
  }
  return { runs: values.run === undefined ? [...FINDINGS_RUNS] : values.run.map(parseRun), seed };
}

const count = (value: number): string => value.toLocaleString('en-US');
const signed = (value: number): string => (value > 0 ? `+${count(value)}` : count(value));

async function main(argv: readonly string[]): Promise<number> {
  let runs: Run[];
  let seed: number;
  try {
    ({ runs, seed } = parseCommandLine(argv));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`linux-findings: ${error.message}\n`);
    return 2;
  }
  const host = readLinuxHost();
  const architecture: Architecture = architectureOfMachine(host.machine) ?? 'x86_64';
  const rows: string[] = [];
  for (const run of runs) {
    process.stderr.write(`linux-findings: ${run.touched}, ${count(run.alive)} alive…\n`);
    const report = findingsReport(run, seed, architecture);
    let check: LinuxCheckReport;
    try {
      check = await checkLinux(report);
    } catch (error) {
      if (!LinuxCheckError.isInstance(error)) throw error;
      process.stderr.write(
        `linux-findings: ${run.touched}:${String(run.alive)}: ${error.message}\n`,
      );
      return error.code === 'CHILD_FAILED' ? 1 : 2;
    }
    if (rows.length === 0) {
      rows.push(
        `Linux ${host.kernel}, ${host.machine}, 4 KiB pages; the demo's workload (seed ${String(seed)}, ${WORKLOAD_DEFAULTS.pattern} churn, ` +
          `${count(WORKLOAD_DEFAULTS.stackSize / 2 ** 20)} MiB stacks), ${String(LIFECYCLES_PER_ALIVE)} lifecycles per thread alive at the peak. ` +
          `Model: the engine's ${check.levels.join(' + ')} pages at the peak; kernel: how much VmPTE grew, in pages.`,
        '',
        `| touched | alive | policy | model (${check.levels.join(' / ')}) | model | kernel | kernel − model | blocks not mapped | within 1 % + 8 |`,
        '|---|---:|---|---:|---:|---:|---:|---:|---|',
      );
    }
    for (const policy of check.policies) {
      rows.push(
        `| ${run.touched} | ${count(run.alive)} | ${policy.policy} | ${policy.model.levels.map(count).join(' / ')} | ` +
          `${count(policy.model.pages)} | ${count(policy.kernel.pages)} | ${signed(policy.difference)} | ` +
          `${count(policy.unmappedBlocks.length)} | ${policy.agrees ? 'yes' : 'NO'} |`,
      );
    }
  }
  rows.push(
    '',
    `(Tolerance: ${String(LINUX_CHECK_TOLERANCE.relative * 100)} % of the model plus ${String(LINUX_CHECK_TOLERANCE.pages)} pages.)`,
  );
  process.stdout.write(`${rows.join('\n')}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
