import { readdirSync, readFileSync } from 'node:fs';
import { memoryBackend } from '@vmars/backend-memory';
import {
  type Architecture,
  countPageTables,
  runWorkload,
  type TouchedPages,
  WORKLOAD_DEFAULTS,
  type WorkloadReport,
} from '@vmars/thread-workload';
import { describe, expect, it } from 'vitest';
import {
  assertLinuxCheckSupported,
  checkLinux,
  LINUX_CHECK_TOLERANCE,
  replayInLinuxProcess,
} from './check-linux.js';
import { LinuxCheckError } from './linux-check-error.js';
import { architectureOfMachine, type LinuxHost } from './linux-host.js';
import { replayPlans } from './replay-plan.js';

const GiB = 2 ** 30;
const hostArchitecture: Architecture = architectureOfMachine(process.arch) ?? 'x86_64';

/** The demo's run: its defaults (the engine's, on the Starnix shared region) at this size. */
function demoReport(options: {
  threads: number;
  peak: number;
  touched: TouchedPages;
  architecture?: Architecture;
}): WorkloadReport {
  const architecture = options.architecture ?? hostArchitecture;
  return runWorkload({
    backend: () => memoryBackend({ arch: architecture, region: 'shared', seed: 1 }),
    architecture,
    threads: options.threads,
    peak: options.peak,
    touched: options.touched,
    seed: WORKLOAD_DEFAULTS.seed,
  });
}

/** A machine that can run the check, as far as the checks before any child go. */
const goodHost: LinuxHost = {
  platform: 'linux',
  machine: 'x64',
  pageSize: 4096,
  hasVmPte: true,
  addressBits: 47,
  maxMapCount: 65_530,
  availableMemory: 16 * GiB,
  kernel: 'test',
};

/** Why the check cannot run on this machine, or undefined when it can. */
function whyNotHere(): string | undefined {
  try {
    assertLinuxCheckSupported(hostArchitecture);
    return undefined;
  } catch (error) {
    if (LinuxCheckError.isInstance(error)) return error.message;
    throw error;
  }
}

/** The mappings of this (the test runner's) process, as [start, end) pairs. */
function ownMappings(): [number, number][] {
  return readFileSync('/proc/self/maps', 'latin1')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [start = '', end = ''] = (line.split(' ')[0] ?? '').split('-');
      return [Number.parseInt(start, 16), Number.parseInt(end, 16)];
    });
}

/** Processes whose parent is this one and that run the replay child. */
function replayChildren(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'latin1');
      const parent = /^PPid:\s+(\d+)$/m.exec(status)?.[1];
      const command = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (Number(parent) === process.pid && command.includes('replay-child.js')) {
        found.push(Number(entry));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

describe('checkLinux on this machine', () => {
  it("the demo's default workload at 3,000 lifecycles and 1,000 alive, stack-top: the kernel's tables equal the model's (1 % + 8 pages), every block mapped", async (context) => {
    const reason = whyNotHere();
    // In CI the check must run: a machine that cannot is a failure there, not a skip.
    if (reason !== undefined && process.env.CI === undefined) context.skip(reason);
    const report = demoReport({ threads: 3000, peak: 1000, touched: 'stack-top' });
    expect(report.policies.map((policy) => policy.policy)).toEqual(['compact', 'root']);

    const check = await checkLinux(report);

    expect(check.levels).toEqual(
      hostArchitecture === 'x86_64' ? ['PT', 'PD', 'PDPT'] : ['L3', 'L2', 'L1'],
    );
    expect(check.policies.map((policy) => policy.policy)).toEqual(['compact', 'root']);
    for (const [index, policy] of check.policies.entries()) {
      const reported = report.policies[index];
      if (reported === undefined) throw new Error('a policy is missing from the report');
      // The model's figure is the report's own count at the peak, without the top level.
      const levels = reported.pageTables.atPeak.levels.slice(0, 3).map((level) => level.pages);
      expect(policy.model.levels).toEqual(levels);
      expect(policy.model.pages).toBe(levels.reduce((sum, pages) => sum + pages, 0));
      expect(policy.blocks).toBe(reported.peakSnapshot.blocks.length);
      expect(policy.unmappedBlocks).toEqual([]);
      expect(policy.transparentHugePagesDisabled).toBe(true);
      const tolerance =
        LINUX_CHECK_TOLERANCE.relative * policy.model.pages + LINUX_CHECK_TOLERANCE.pages;
      expect(Math.abs(policy.kernel.pages - policy.model.pages)).toBeLessThanOrEqual(tolerance);
      expect(policy.difference).toBe(policy.kernel.pages - policy.model.pages);
      expect(policy.agrees).toBe(true);
      // Ended, and with it every mapping it made.
      expect(policy.child.exitCode).toBe(0);
      expect(isAlive(policy.child.pid)).toBe(false);
    }
    // The root policy scatters its blocks: the two policies' figures are far apart, so agreeing
    // with both is no accident of a constant.
    const [compact, root] = check.policies;
    expect((root?.model.pages ?? 0) - (compact?.model.pages ?? 0)).toBeGreaterThan(1000);

    // Nothing of the layout is mapped in this process, and no child is left.
    const blocks = report.policies.flatMap((policy) => policy.peakSnapshot.blocks);
    const mine = ownMappings();
    for (const block of blocks) {
      const overlapping = mine.find(
        ([start, end]) => start < block.base + block.size && block.base < end,
      );
      expect(overlapping).toBeUndefined();
    }
    expect(replayChildren()).toEqual([]);
  });

  it('reports a block whose address is taken (here by the block before it) and writes nothing of it', async (context) => {
    const reason = whyNotHere();
    if (reason !== undefined && process.env.CI === undefined) context.skip(reason);
    const report = demoReport({ threads: 30, peak: 10, touched: 'stack-top' });
    const [plan] = replayPlans(report, ['compact']);
    if (plan === undefined) throw new Error('no plan');
    const first = plan.blocks[0];
    if (first === undefined) throw new Error('no block');
    const twice = { ...plan, blocks: [first, first] };

    const check = await replayInLinuxProcess(twice);

    expect(check.unmappedBlocks).toEqual([
      { kind: first.kind, base: first.base, size: first.size, reason: 'EEXIST' },
    ]);
    expect(check.agrees).toBe(false);
    // The kernel built the tables of the first block alone.
    const one = countPageTables(
      [{ start: first.touchedStart, end: first.touchedEnd }],
      hostArchitecture,
    );
    expect(check.model.pages).toBe(
      plan.model.levels.slice(0, 3).reduce((sum, level) => sum + level.pages, 0),
    );
    expect(check.kernel.pages).toBe(one.total - 1);
    expect(isAlive(check.child.pid)).toBe(false);
  });

  it('ends a child that does not answer in time, and says so in one line', async (context) => {
    const reason = whyNotHere();
    if (reason !== undefined && process.env.CI === undefined) context.skip(reason);
    const report = demoReport({ threads: 30, peak: 10, touched: 'stack-top' });

    const error = await checkLinux(report, { timeoutMilliseconds: 1 }).catch((caught) => caught);

    expect(LinuxCheckError.isInstance(error)).toBe(true);
    expect((error as LinuxCheckError).code).toBe('CHILD_FAILED');
    expect((error as LinuxCheckError).message).toMatch(
      /^the replay of policy compact failed: no answer within 1 ms$/,
    );
    expect(replayChildren()).toEqual([]);
  });
});

describe('checkLinux refuses, in one line and before starting any process', () => {
  const small = demoReport({ threads: 30, peak: 10, touched: 'stack-top', architecture: 'x86_64' });

  async function refusal(
    report: WorkloadReport,
    host: LinuxHost,
  ): Promise<{ code: string; message: string }> {
    const before = replayChildren().length;
    const error = await checkLinux(report, { host }).then(
      () => {
        throw new Error('expected a refusal');
      },
      (caught: unknown) => caught,
    );
    if (!LinuxCheckError.isInstance(error)) throw error;
    expect(error.message).not.toContain('\n');
    expect(replayChildren().length).toBe(before);
    return { code: error.code, message: error.message };
  }

  it('off Linux', async () => {
    const { code, message } = await refusal(small, { ...goodHost, platform: 'darwin' });
    expect(code).toBe('UNSUPPORTED_HOST');
    expect(message).toContain('only Linux reports, and this is darwin');
  });

  it('on another architecture than x86-64 and arm64', async () => {
    const { code, message } = await refusal(small, { ...goodHost, machine: 'riscv64' });
    expect(code).toBe('UNSUPPORTED_HOST');
    expect(message).toContain('this machine is riscv64');
  });

  it('with another page size', async () => {
    const { code, message } = await refusal(small, { ...goodHost, pageSize: 16_384 });
    expect(code).toBe('UNSUPPORTED_HOST');
    expect(message).toContain("this kernel's are 16 KiB");
  });

  it('without VmPTE', async () => {
    const { code, message } = await refusal(small, { ...goodHost, hasVmPte: false });
    expect(code).toBe('UNSUPPORTED_HOST');
    expect(message).toContain('no VmPTE');
  });

  it('with a 39-bit address space (three levels)', async () => {
    const { code, message } = await refusal(small, {
      ...goodHost,
      machine: 'arm64',
      addressBits: 39,
    });
    expect(code).toBe('UNSUPPORTED_HOST');
    expect(message).toContain('39 bits wide');
  });

  it("a report from another architecture than the machine's", async () => {
    const arm = demoReport({ threads: 30, peak: 10, touched: 'stack-top', architecture: 'arm64' });
    const { code, message } = await refusal(arm, goodHost);
    expect(code).toBe('INVALID_REPORT');
    expect(message).toBe(
      "the report is for arm64 but this machine is x86_64: a kernel can only build its own architecture's page tables",
    );
    const riscv = demoReport({
      threads: 30,
      peak: 10,
      touched: 'stack-top',
      architecture: 'riscv64',
    });
    expect((await refusal(riscv, goodHost)).code).toBe('INVALID_REPORT');
  });

  it('a report with no blocks at the peak', async () => {
    const [compact, root] = small.policies;
    if (compact === undefined || root === undefined) throw new Error('two policies expected');
    const empty: WorkloadReport = {
      ...small,
      policies: [compact, { ...root, peakSnapshot: { ...root.peakSnapshot, blocks: [] } }],
    };
    const { code, message } = await refusal(empty, goodHost);
    expect(code).toBe('INVALID_REPORT');
    expect(message).toBe(
      'the report cannot be replayed: policy root has no blocks at the peak: there is nothing to map',
    );
  });

  it('too little memory for --touched all, saying how much it needs', async () => {
    const all = demoReport({ threads: 300, peak: 100, touched: 'all', architecture: 'x86_64' });
    const { code, message } = await refusal(all, { ...goodHost, availableMemory: 256 * 2 ** 20 });
    expect(code).toBe('INSUFFICIENT_MEMORY');
    // 100 threads, two 2 MiB stacks and a page each, and the root policy's tables (it needs more).
    const tables = all.policies[1]?.pageTables.atPeak.total ?? 0;
    const need = (((100 * (512 + 512 + 1) + tables) * 4096) / 2 ** 20).toFixed(1);
    expect(message).toContain(
      `needs ${need} MiB (policy root: 102,500 pages and ${tables.toLocaleString('en-US')} page-table pages;`,
    );
    expect(message).toContain('more than half of the 256.0 MiB available');
  });

  it('more blocks than vm.max_map_count allows', async () => {
    const { code, message } = await refusal(small, { ...goodHost, maxMapCount: 2048 });
    expect(code).toBe('TOO_MANY_MAPPINGS');
    expect(message).toContain('vm.max_map_count (2,048)');
  });

  it('a report whose peak blocks do not give its own count at the peak', async () => {
    const [compact, root] = small.policies;
    if (compact === undefined || root === undefined) throw new Error('two policies expected');
    const atPeak = compact.pageTables.atPeak;
    const edited: WorkloadReport = {
      ...small,
      policies: [
        {
          ...compact,
          pageTables: { ...compact.pageTables, atPeak: { ...atPeak, total: atPeak.total + 1 } },
        },
        root,
      ],
    };
    const { code, message } = await refusal(edited, goodHost);
    expect(code).toBe('INVALID_REPORT');
    expect(message).toContain(
      `policy compact: its peak blocks need ${String(atPeak.total)} page-table pages`,
    );
  });
});
