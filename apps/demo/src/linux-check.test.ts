import { EXIT_OK, EXIT_USAGE } from '@vmars/cli-support';
import {
  assertLinuxCheckSupported,
  LinuxCheckError,
  type LinuxHost,
} from '@vmars/linux-page-tables';
import { parse as parseHtml } from 'parse5';
import { describe, expect, it } from 'vitest';
import type { DemoReport } from './demo-report.js';
import type { DemoDependencies } from './main.js';
import { type DemoRun, runDemo } from './test-run.js';

function run(argv: string[], dependencies: DemoDependencies = {}): Promise<DemoRun> {
  return runDemo(argv, { dependencies });
}

/** Why the check cannot run on this machine (for the demo's default, x86_64), or undefined. */
function whyNotHere(): string | undefined {
  try {
    assertLinuxCheckSupported('x86_64');
    return undefined;
  } catch (error) {
    if (LinuxCheckError.isInstance(error)) return error.message;
    throw error;
  }
}

/** An x86-64 Linux machine as far as the checks before any process go. */
const linuxHost: LinuxHost = {
  platform: 'linux',
  machine: 'x64',
  pageSize: 4096,
  hasVmPte: true,
  addressBits: 47,
  maxMapCount: 65_530,
  availableMemory: 16 * 2 ** 30,
  kernel: 'test',
};

const SIZE = ['--threads', '3000', '--peak', '1000', '--touched', 'stack-top'];

describe('vmars-demo --check-linux', () => {
  it("prints the kernel's page-table pages beside the model's per policy, in the table, the JSON and the HTML", async (context) => {
    const reason = whyNotHere();
    // In CI the check must run; elsewhere a machine that cannot says why and the test is skipped.
    if (reason !== undefined && process.env.CI === undefined) context.skip(reason);
    const result = await run([
      ...SIZE,
      '--check-linux',
      '--json',
      'report.json',
      '--html',
      'r.html',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT_OK);

    const report = JSON.parse(result.files.get('report.json') ?? '') as DemoReport;
    const check = report.linuxCheck;
    expect(check?.levels).toEqual(['PT', 'PD', 'PDPT']);
    expect(check?.policies.map((policy) => policy.policy)).toEqual(['compact', 'root']);
    for (const [index, policy] of (check?.policies ?? []).entries()) {
      const atPeak = report.policies[index]?.pageTables.atPeak;
      const model = (atPeak?.levels ?? []).slice(0, 3).reduce((sum, level) => sum + level.pages, 0);
      expect(policy.model.pages).toBe(model);
      expect(Math.abs(policy.kernel.pages - model)).toBeLessThanOrEqual(0.01 * model + 8);
      expect(policy.unmappedBlocks).toEqual([]);
      expect(policy.agrees).toBe(true);
    }

    const [compact, root] = check?.policies ?? [];
    const line = (label: string): string =>
      result.stdout.split('\n').find((text) => text.startsWith(label)) ?? '';
    expect(line('kernel: page-table pages (VmPTE growth)')).toMatch(
      new RegExp(
        `\\s${(compact?.kernel.pages ?? 0).toLocaleString('en-US')}\\s+${(root?.kernel.pages ?? 0).toLocaleString('en-US')}$`,
      ),
    );
    expect(line('model: PT + PD + PDPT')).toMatch(
      new RegExp(
        `\\s${(compact?.model.pages ?? 0).toLocaleString('en-US')}\\s+${(root?.model.pages ?? 0).toLocaleString('en-US')}$`,
      ),
    );
    expect(line('agree (within 1 % + 8 pages)')).toMatch(/\syes\s+yes$/);

    const html = result.files.get('r.html') ?? '';
    parseHtml(html);
    expect(html).toContain('<h2 id="linux-check">Against a real kernel</h2>');
    expect(html).toContain(
      `<tr><th scope="row">model: PT + PD + PDPT</th><td>${(compact?.model.pages ?? 0).toLocaleString('en-US')}</td><td>${(root?.model.pages ?? 0).toLocaleString('en-US')}</td></tr>`,
    );
  });

  it('leaves a run without the flag unchanged: no linuxCheck in the report, no rows in the table', async () => {
    const result = await run([
      ...SIZE,
      '--threads',
      '300',
      '--peak',
      '100',
      '--json',
      'report.json',
    ]);
    expect(result.status).toBe(EXIT_OK);
    expect(result.stdout).not.toContain('Linux check');
    expect(Object.keys(JSON.parse(result.files.get('report.json') ?? '{}'))).not.toContain(
      'linuxCheck',
    );
  });

  const refusals: [string, string[], LinuxHost, RegExp][] = [
    [
      'off Linux',
      SIZE,
      { ...linuxHost, platform: 'darwin' },
      /^vmars-demo: --check-linux: the Linux page-table check cannot run here: .* this is darwin\n$/,
    ],
    [
      'on another architecture',
      SIZE,
      { ...linuxHost, machine: 'ppc64' },
      /^vmars-demo: --check-linux: .*this machine is ppc64\n$/,
    ],
    [
      'with another page size',
      SIZE,
      { ...linuxHost, pageSize: 65_536 },
      /^vmars-demo: --check-linux: .*4 KiB pages; this kernel's are 64 KiB\n$/,
    ],
    [
      'without VmPTE',
      SIZE,
      { ...linuxHost, hasVmPte: false },
      /^vmars-demo: --check-linux: .*no VmPTE line on this kernel\n$/,
    ],
    [
      'for a report of another architecture',
      [...SIZE, '--arch', 'arm64'],
      linuxHost,
      /^vmars-demo: --check-linux: the report is for arm64 but this machine is x86_64: .*\n$/,
    ],
    [
      'with too little memory for --touched all',
      ['--threads', '300', '--peak', '100', '--touched', 'all'],
      { ...linuxHost, availableMemory: 256 * 2 ** 20 },
      /^vmars-demo: --check-linux: too little memory to check the page tables: writing the touched pages needs 40\d\.\d MiB .*256\.0 MiB available.*\n$/,
    ],
  ];
  for (const [name, argv, host, expected] of refusals) {
    it(`refuses in one line with exit 2 ${name}`, async () => {
      const result = await run([...argv, '--check-linux'], { linuxCheck: { host } });
      expect(result.status).toBe(EXIT_USAGE);
      expect(result.stderr).toMatch(expected);
      expect(result.stdout).toBe('');
    });
  }
});
