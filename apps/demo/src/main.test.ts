import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT_USAGE } from '@vmars/cli-support';
import { WorkloadError } from '@vmars/thread-workload';
import type { DefaultTreeAdapterMap } from 'parse5';
import { parse as parseHtml } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DemoReport, PolicyReport } from './demo-report.js';
import type { DemoDependencies } from './main.js';
import type { PageData } from './report-page-data.js';
import { runDemo } from './test-run.js';

type Element = DefaultTreeAdapterMap['element'];

/** Every element under `node`, in document order. */
function descendants(node: DefaultTreeAdapterMap['parentNode']): Element[] {
  const found: Element[] = [];
  for (const child of node.childNodes) {
    if ('tagName' in child) {
      found.push(child);
      // A <template>'s children sit in its content fragment; the page has none.
      found.push(...descendants(child));
    }
  }
  return found;
}

// Small enough to run in well under a second per policy, large enough for several compact VMARs.
const SMALL = ['--threads', '1500', '--peak', '300', '--samples', '12', '--seed', '5'];

async function json(argv: string[]): Promise<DemoReport> {
  const result = await runDemo([...SMALL, '--json', ...argv]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as DemoReport;
}

/** The report of policy `name`; fails the case when the run left it out. */
function policyNamed(report: DemoReport, name: PolicyReport['policy']): PolicyReport {
  const found = report.policies.find((policy) => policy.policy === name);
  if (found === undefined) expect.fail(`the report has no ${name} policy`);
  return found;
}

describe('vmars-demo end to end (memory backend)', () => {
  let report: DemoReport;
  beforeAll(async () => {
    report = await json([]);
  });

  it('runs both policies on the same workload', async () => {
    expect(report.policies.map((policy) => policy.policy)).toEqual(['compact', 'root']);
    expect(report.backend).toBe('memory');
    expect(report.workload).toMatchObject({ threads: 1500, peak: 300, pattern: 'steady', seed: 5 });
    // The Starnix shared region on x86-64 (§6.2).
    expect(report.region).toEqual({ base: 0x400000001000, size: 0x3fffffffe000 });
    expect(report.touched).toBe('all');
  });

  it('needs fewer page-table pages with compact VMARs than straight from the root', async () => {
    const compact = policyNamed(report, 'compact');
    const root = policyNamed(report, 'root');
    expect(compact.pageTables.atPeak.total).toBeLessThan(root.pageTables.atPeak.total);
    expect(compact.pageTables.max.total).toBeLessThan(root.pageTables.max.total);
    // With all pages touched, the compact policy needs about one PT page per 2 MiB stack (§12).
    const stacks = 2 * report.workload.peak;
    expect(compact.pageTables.atPeak.levels[0]?.pages).toBeLessThan(stacks * 1.1);
    expect(root.pageTables.atPeak.levels[0]?.pages).toBeGreaterThan(stacks * 1.5);
  });

  it('creates and ends every thread and leaves the root empty but for the compact VMARs', async () => {
    for (const policy of report.policies) {
      expect(policy.threads.attempted).toBe(1500);
      expect(policy.threads.failed).toBe(0);
      expect(policy.threads.created).toBe(1500);
      expect(policy.threads.ended).toBe(1500);
      expect(policy.end).toEqual({
        liveThreads: 0,
        otherRootEntries: 0,
        disposed: true,
        rootEntriesAfterDispose: 1,
      });
      expect(policy.mapped.final).toBe(0);
      expect(policy.reserved.final).toBe(policy.compactVmarList.length * report.vmarSize);
      expect(policy.samples.at(-1)?.pageTableTotal).toBe(0);
    }
  });

  it('counts compact VMARs per list and probes per creation', async () => {
    const compact = policyNamed(report, 'compact');
    const root = policyNamed(report, 'root');
    // 300 live stacks of 2 MiB + guard fit in one 1 GiB VMAR only while it has 32 MiB free.
    expect(compact.compactVmars['machine-stack']).toBeGreaterThanOrEqual(1);
    expect(compact.compactVmars['thread-block']).toBe(1);
    expect(compact.compactVmars.total).toBe(compact.compactVmarList.length);
    // Each creation probes each of the three lists at least once (a new VMAR needs no probe).
    expect(compact.probes.perCreation).toBeGreaterThan(2.9);
    expect(root.probes.total).toBe(0);
    expect(root.compactVmars.total).toBe(0);
  });

  it('samples at the peak with as many blocks as live threads times three', async () => {
    for (const policy of report.policies) {
      expect(policy.peakSnapshot.liveThreads).toBe(300);
      expect(policy.peakSnapshot.blocks).toHaveLength(900);
      expect(policy.samples.some((sample) => sample.event === report.workload.peakEvent)).toBe(
        true,
      );
      const peakMapped = Math.max(...policy.samples.map((sample) => sample.mapped));
      expect(peakMapped).toBeLessThanOrEqual(policy.mapped.peak);
    }
    const compactBlocks = policyNamed(report, 'compact').peakSnapshot.blocks;
    expect(compactBlocks.every((block) => block.compactVmar !== null)).toBe(true);
    expect(
      policyNamed(report, 'root').peakSnapshot.blocks.every((block) => block.compactVmar === null),
    ).toBe(true);
  });

  it('gives the same JSON for the same seed and other JSON for another', async () => {
    const again = await runDemo([...SMALL, '--json']);
    expect(again.stdout).toBe(`${JSON.stringify(report, null, 2)}\n`);
    const other = await runDemo([...SMALL, '--json', '--seed', '6']);
    expect(other.stdout).not.toBe(again.stdout);
  });

  it('runs one policy alone with --policies, and the other architectures', async () => {
    const only = await json(['--policies', 'compact', '--arch', 'arm64', '--touched', 'stack-top']);
    expect(only.policies.map((policy) => policy.policy)).toEqual(['compact']);
    expect(only.pagingLevels.map((level) => level.name)).toEqual(['L3', 'L2', 'L1', 'L0']);
    expect(only.stackTopTouchedPages).toBe(4);
    const riscv = await json(['--arch', 'riscv64', '--pattern', 'bursty']);
    expect(riscv.region).toEqual({ base: 0x2000001000, size: 0x1ffffff000 });
    expect(riscv.pagingLevels).toHaveLength(3);
  });

  it('counts failed creations and goes on when compact VMARs run out', async () => {
    // riscv64's shared region holds at most 127 VMARs of 1 GiB (§6.3). Probing with the whole
    // VMAR size makes every list take a fresh VMAR per live thread, so they run out.
    const tight = await json([
      '--arch',
      'riscv64',
      '--policies',
      'compact',
      '--threads',
      '200',
      '--peak',
      '100',
      '--probe-size',
      '1GiB',
      '--samples',
      '2',
    ]);
    const [policy] = tight.policies;
    expect(policy?.threads.failed).toBeGreaterThan(0);
    expect(policy?.threads.failedProbe).toBe(policy?.threads.failed);
    expect(policy?.threads.created).toBe(policy?.threads.ended);
    expect((policy?.threads.created ?? 0) + (policy?.threads.failed ?? 0)).toBe(200);
    expect(policy?.end.disposed).toBe(true);
  });
});

describe('the table', () => {
  it('prints one column per policy with the page tables per level', async () => {
    const result = await runDemo(SMALL);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    for (const text of [
      'compact',
      'root',
      'PT (one per 2MiB)',
      'PD (one per 1GiB)',
      'PDPT',
      'PML4',
      'failed creations',
      'probes per creation',
      'reserved, peak',
      'mapped, final',
      '--touched all',
    ]) {
      expect(result.stdout).toContain(text);
    }
  });
});

// Top-level await: the cases below share one run, and a describe's body cannot wait.
const htmlPageRun = await runDemo([...SMALL, '--json', '--html', 'report.html']);

describe('the HTML page', () => {
  const result = htmlPageRun;
  const report = JSON.parse(result.stdout) as DemoReport;
  const html = result.files.get('report.html') ?? '';
  // parse5 parses as a browser does and reports every parse error the HTML standard names.
  const parseErrors: string[] = [];
  const document = parseHtml(html, {
    onParseError: (error) => parseErrors.push(`${error.code} at line ${String(error.startLine)}`),
  });
  const elements = descendants(document);
  const attribute = (element: Element, name: string): string | undefined =>
    element.attrs.find((each) => each.name === name)?.value;
  const withKind = (kind: string, policy: string): Element[] =>
    elements.filter(
      (element) =>
        attribute(element, 'data-kind') === kind && attribute(element, 'data-policy') === policy,
    );

  it('is one file with no network references and no parse errors', async () => {
    expect([...result.files.keys()]).toEqual(['report.html']);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(|\ssrc=|\shref=/i);
    expect(parseErrors).toEqual([]);
    // Two scripts, both inline: the page's data and the code that draws it.
    const scripts = elements.filter((element) => element.tagName === 'script');
    expect(scripts.map((script) => attribute(script, 'type') ?? 'classic')).toEqual([
      'application/json',
      'classic',
    ]);
  });

  it('has a map per policy with one rect per compact VMAR, matching the JSON', async () => {
    const hex = (value: number) => `0x${value.toString(16)}`;
    const maps = elements.filter((element) => attribute(element, 'class') === 'map');
    expect(maps.map((map) => attribute(map, 'data-policy'))).toEqual(
      report.policies.map((policy) => policy.policy),
    );
    for (const policy of report.policies) {
      const vmarRects = withKind('compact-vmar', policy.policy)
        .map(
          (rect) =>
            `${attribute(rect, 'data-list')} ${attribute(rect, 'data-base')} ${attribute(rect, 'data-size')}`,
        )
        .sort();
      const vmars = policy.compactVmarList
        .map((vmar) => `${vmar.list} ${hex(vmar.base)} ${hex(vmar.size)}`)
        .sort();
      expect(vmarRects).toEqual(vmars);
    }
    expect(policyNamed(report, 'compact').compactVmarList.length).toBeGreaterThan(0);
  });

  it('holds a frame per sample for the slider, the peak among them', async () => {
    const dataScript = elements.find((element) => attribute(element, 'id') === 'report-data');
    const text = dataScript?.childNodes.map((node) => ('value' in node ? node.value : '')).join('');
    const data = JSON.parse(text ?? '{}') as PageData;
    expect(data.frameStride).toBe(1);
    for (const [index, policy] of report.policies.entries()) {
      const frames = data.policies[index]?.frames ?? [];
      expect(frames.map((frame) => frame.event)).toEqual(
        policy.samples.map((sample) => sample.event),
      );
      expect(frames[data.peakFrame]?.event).toBe(report.workload.peakEvent);
    }
  });

  it('charts VMARs, page tables and live threads, a point per sample for each policy', async () => {
    for (const series of ['vmars', 'page-tables', 'live-threads']) {
      for (const policy of report.policies) {
        const points = elements.filter(
          (element) =>
            element.tagName === 'circle' &&
            attribute(element, 'data-series') === series &&
            attribute(element, 'data-policy') === policy.policy,
        );
        expect(points.map((point) => Number(attribute(point, 'data-event')))).toEqual(
          policy.samples.map((sample) => sample.event),
        );
      }
    }
  });
});

describe('--json FILE', () => {
  it('writes the same JSON to the file that --json prints, and the table on stdout', async () => {
    const toFile = await runDemo([...SMALL, '--json', 'report.json']);
    expect(toFile.status).toBe(0);
    expect([...toFile.files.keys()]).toEqual(['report.json']);
    expect(toFile.stdout).toContain('page tables at peak');
    expect(toFile.stdout).toContain('JSON report written to report.json\n');
    const printed = (await runDemo([...SMALL, '--json'])).stdout;
    expect(toFile.files.get('report.json')).toBe(printed);
  });
});

describe('bad command lines', () => {
  it.each([
    [['--threads', '-5'], 'vmars-demo: --threads: expected a positive integer, got "-5"\n'],
    [
      ['--vmar-size', '3KiB'],
      'vmars-demo: --vmar-size: expected a positive multiple of the page size (4KiB) such as 4KiB, 2MiB or 1GiB, got "3KiB"\n',
    ],
    [
      ['--arch', 'sparc'],
      'vmars-demo: --arch: expected one of x86_64, arm64, riscv64, got "sparc"\n',
    ],
  ])('%j: one line on stderr, exit 2', async (argv, message) => {
    const result = await runDemo(argv);
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stderr).toBe(message);
    expect(result.stdout).toBe('');
  });

  it('maps an option the engine refuses to one line and exit 2', async () => {
    const result = await runDemo(['--threads', '10'], {
      dependencies: {
        makeBackend: () => {
          throw new WorkloadError('INVALID_OPTION', 'runWorkload option "peak": too high', {
            option: 'peak',
          });
        },
      },
    });
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stderr).toBe('vmars-demo: runWorkload option "peak": too high\n');
    expect(result.stdout).toBe('');
  });

  it('prints the help on stdout with exit 0', async () => {
    const result = await runDemo(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--stack-size');
    expect(result.stderr).toBe('');
  });
});

describe('--backend fuchsia off Fuchsia', () => {
  it.skipIf((process.platform as string) === 'fuchsia')(
    'says so in one or two lines, no stack, and exits non-zero',
    async () => {
      const result = await runDemo(['--backend', 'fuchsia', '--threads', '10']);
      expect(result.status).not.toBe(0);
      expect(result.status).not.toBe(EXIT_USAGE);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(2);
      expect(lines[0]).toMatch(/^vmars-demo: /);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
  );
});

describe('the progress bar', () => {
  // A clock that moves 100 ms per reading, so that any run "takes" over a second.
  const slowClock = (): DemoDependencies => {
    let time = 0;
    return { now: () => (time += 100) };
  };

  it('draws on a terminal when the run takes over a second, and erases itself', async () => {
    const result = await runDemo(SMALL, { tty: true, dependencies: slowClock() });
    expect(result.stderr).toMatch(/\r.*%/);
    expect(result.stderr.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('stays off when stderr is not a terminal, and with --json', async () => {
    expect((await runDemo(SMALL, { dependencies: slowClock() })).stderr).toBe('');
    expect(
      (await runDemo([...SMALL, '--json'], { tty: true, dependencies: slowClock() })).stderr,
    ).toBe('');
  });
});

const builtCli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('the built CLI', () => {
  // turbo.json makes this package's test task depend on its own build, so dist is there.
  it('runs as `node dist/cli.js` and exits 2 on a bad value', async () => {
    expect(existsSync(builtCli), `${builtCli} is missing: run \`pnpm turbo run build\``).toBe(true);
    const bad = spawnSync(process.execPath, [builtCli, '--arch', 'sparc'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'vmars-demo: --arch: expected one of x86_64, arm64, riscv64, got "sparc"\n',
    );
    const good = spawnSync(
      process.execPath,
      [builtCli, '--threads', '200', '--peak', '50', '--json'],
      { encoding: 'utf8' },
    );
    expect(good.status).toBe(0);
    expect(good.stderr).toBe('');
    expect((JSON.parse(good.stdout) as DemoReport).policies).toHaveLength(2);
  });
});
