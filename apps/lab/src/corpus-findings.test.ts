import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFindings, FINDINGS_TABLES, findingsTableSource, renderFindings } from './findings.js';
import type { ResultsFile } from './results-file.js';
import { parseSweepSpec, sweepHash } from './sweep-spec.js';
import { corpusTraceNames, isTraceWorkload } from './trace-ref.js';
import { resolveSweepTraces } from './trace-workloads.js';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const doc = readFileSync(path('../../../docs/lab-findings.md'), 'utf8');
const read = (file: string) => JSON.parse(readFileSync(path(file), 'utf8')) as ResultsFile;
const defaults = read('../results/default.json');
const corpus = read('../results/corpus.json');
const corpusSpec = JSON.parse(readFileSync(path('../sweeps/corpus.json'), 'utf8')) as unknown;

/**
 * The section "On real programs", its line breaks as spaces: the prose checked below is quoted
 * from it alone.
 */
const section = doc
  .slice(doc.indexOf('## On real programs'), doc.indexOf('## Limits'))
  .replace(/\s+/g, ' ');

const MiB = 2 ** 20;
const traceCells = corpus.cells.filter((cell) => isTraceWorkload(cell.workload));
const atSeed = (policy: string) =>
  traceCells.filter(
    (cell) =>
      cell.policy === policy &&
      cell.align === undefined &&
      cell.keepSpare === undefined &&
      (cell.vmarSize === null || cell.vmarSize === 1024 * MiB) &&
      (cell.probeSize === null || cell.probeSize === 32 * MiB),
  );
const medians = (values: readonly (number | undefined)[]) =>
  values.map((value) => {
    if (value === undefined) throw new Error('a median is missing');
    return value;
  });
describe('docs/lab-findings.md, "On real programs"', () => {
  it('agrees with the committed corpus results, table by table', () => {
    const sources = { default: defaults, corpus };
    expect(checkFindings(doc, sources)).toEqual([]);
    expect(renderFindings(doc, sources)).toBe(doc);
    for (const name of FINDINGS_TABLES.filter((table) => findingsTableSource(table) === 'corpus')) {
      expect(section).toContain(`<!-- lab-table: ${name} -->`);
    }
  });

  it('a changed number is caught', () => {
    const tampered = doc.replace(
      /\| trace:javac \| x86_64 \| compact \| [0-9,.]+/,
      '| trace:javac | x86_64 | compact | 1',
    );
    expect(tampered).not.toBe(doc);
    expect(checkFindings(tampered, { default: defaults, corpus })).toEqual([
      'table "corpus-policies" differs (run vmars-lab findings)',
    ]);
  });

  it('rests on complete results of the committed spec and the committed corpus files', async () => {
    expect(corpus.complete).toBe(true);
    expect(corpus.failed).toBe(0);
    const { spec } = await resolveSweepTraces(parseSweepSpec(corpusSpec), new Map());
    // The hash covers every trace's SHA-256: a re-recorded corpus needs a new sweep.
    expect(corpus.sweep.hash).toBe(sweepHash(spec));
    expect(corpus.sweep.spec.traces).toEqual(spec.traces);
  });

  it('runs every named policy over every corpus trace at 20 seeds', () => {
    const names = corpusTraceNames();
    expect(names.length).toBeGreaterThan(0);
    const traces = new Set(traceCells.map((cell) => cell.workload));
    expect([...traces].sort()).toEqual(names.map((name) => `trace:${name}`).sort());
    for (const policy of corpus.sweep.spec.groups[0]?.policies ?? []) {
      expect(atSeed(policy)).toHaveLength(names.length);
    }
    expect(corpus.sweep.spec.groups[0]?.policies).toHaveLength(6);
    for (const cell of corpus.cells) expect(cell.runs).toBe(20);
  });
});

describe('the prose of "On real programs" is true of the results', () => {
  const workloads = corpus.workloads ?? [];
  const traces = workloads.filter((info) => info.kind === 'trace');
  const suite = workloads.filter((info) => info.kind === 'suite');
  const count = (value: number) => value.toLocaleString('en-US');
  const span = (values: readonly number[], format: (value: number) => string) =>
    `${format(Math.min(...values))} to ${format(Math.max(...values))}`;
  const fixed =
    (digits: number, unit = '') =>
    (value: number) =>
      `${value.toFixed(digits)}${unit}`;
  /** A share in percent: two decimals below 1 %, one above. */
  const percent = (value: number) => `${value.toFixed(value < 1 ? 2 : 1)} %`;
  /** Fails naming each quote of `claims` that the section does not hold. */
  const expectQuoted = (claims: readonly string[]) => {
    const missing = claims.filter((claim) => !section.includes(claim));
    expect(missing, `the section should say:\n${missing.join('\n')}`).toEqual([]);
  };
  const ofTraces = `of the ${String(traces.length)} traces`;

  it('how real programs differ: peaks, tasks, lives, bursts', () => {
    const alive = (list: typeof workloads) => list.map((info) => info.shape.mostAlive);
    const smallestSuitePeak = Math.min(...alive(suite));
    const reaching = traces.filter((info) => info.shape.mostAlive >= smallestSuitePeak);
    expect(reaching).toHaveLength(1);
    const largest = [...traces].sort((a, b) => b.shape.tasks - a.shape.tasks).slice(0, 3);
    for (const info of largest) {
      if (info.kind !== 'trace') throw new Error('not a trace');
      expect(info.stats.processes / info.stats.tasks).toBeGreaterThan(0.95);
    }
    const fleeting = traces.filter((info) => info.shape.lifetimeShare.p50 < 1);
    for (const info of fleeting) expect(info.shape.lifetimeShare.max).toBe(100);
    const lives = (list: typeof workloads) => list.map((info) => info.shape.lifetimeShare.p50);
    const bursts = (list: typeof workloads) => list.map((info) => info.shape.longestBurst);
    expectQuoted([
      `The traces hold ${span(alive(traces), count)} alive at most, against the suite’s ${span(alive(suite), count)}`,
      `only \`${reaching[0]?.name}\` reaches the suite's smallest peak`,
      `Their tasks number ${span(
        traces.map((info) => info.shape.tasks),
        count,
      )}`,
      ...largest.map((info) => `\`${info.name}\``),
      `In ${String(fleeting.length)} ${ofTraces} (${fleeting.map((info) => `\`${info.name}\``).join(', ')}) half the tasks live less than 1 %`,
      `the median task lives ${span(lives(traces), percent)} of its run; in the suite, ${span(lives(suite), percent)}`,
      `${span(bursts(traces), count)} in the traces, against ${span(bursts(suite), count)} in the suite`,
    ]);
  });

  it('an exact probe changes nothing at 1 GiB: one VMAR per list holds every trace', () => {
    for (const cell of atSeed('compact')) expect(cell.metrics.compactVmars?.median).toBe(3);
    for (const cell of atSeed('exact-probe')) {
      expect(cell.ratios.pageTablesMax?.median).toBe(1);
      expect(cell.ratios.reservedMean?.median).toBe(1);
    }
    const suiteGain = corpus.cells
      .filter((cell) => cell.policy === 'exact-probe' && !isTraceWorkload(cell.workload))
      .filter((cell) => (cell.metrics.created?.median ?? 0) >= 3000)
      .map((cell) => cell.ratios.pageTablesMax?.median ?? Number.NaN);
    expect(suiteGain).toHaveLength(4);
    expectQuoted([
      '1.000× on every trace',
      `Its gain in the suite, ${span(suiteGain, fixed(3, '×'))} the page tables at 1,000 alive`,
    ]);
  });

  it('a shared list: a third of the reservation and fewer page tables on every trace', () => {
    const cells = atSeed('shared-list');
    for (const cell of cells) expect(cell.ratios.reservedMean?.median).toBeCloseTo(1 / 3, 3);
    const tables = medians(cells.map((cell) => cell.ratios.pageTablesMax?.median));
    const peak = (workload: string) =>
      workloads.find((info) => info.name === workload)?.shape.mostAlive ?? Number.NaN;
    const most = cells[tables.indexOf(Math.min(...tables))] as (typeof cells)[number];
    const least = cells[tables.indexOf(Math.max(...tables))] as (typeof cells)[number];
    // The most saved where fewest are alive, the least where most are.
    expect(peak(most.workload)).toBe(Math.min(...traces.map((info) => info.shape.mostAlive)));
    expect(peak(least.workload)).toBe(Math.max(...traces.map((info) => info.shape.mostAlive)));
    expectQuoted([
      `${span(tables, fixed(3, '×'))} the page tables`,
      `\`${most.workload}\` (${String(peak(most.workload))} alive at most) saves the most, \`${least.workload}\` (${String(peak(least.workload))}) the least`,
    ]);
  });

  it('root, aligned and shrinking', () => {
    const root = atSeed('root');
    const tables = medians(root.map((cell) => cell.ratios.pageTablesMax?.median));
    const reserved = medians(root.map((cell) => cell.ratios.reservedMean?.median));
    const others = medians(
      [...atSeed('aligned'), ...atSeed('shrinking')].map(
        (cell) => cell.ratios.pageTablesMax?.median,
      ),
    );
    expect(Math.max(...others)).toBe(1);
    expectQuoted([
      `\`root\` needs ${span(tables, fixed(1, '×'))} the page tables`,
      `${span(reserved, fixed(3, '×'))} the mean reservation`,
      `no lower than ${Math.min(...others).toFixed(3)}×`,
    ]);
  });

  it('smaller VMARs: the probe matters once a list outgrows its first VMAR', () => {
    const at = (vmar: number, policy: string, probe: number | null) =>
      traceCells.filter(
        (cell) =>
          cell.policy === policy && cell.vmarSize === vmar * MiB && cell.probeSize === probe,
      );
    const vmars = (cell: { metrics: { compactVmars?: { median: number } } } | undefined) =>
      cell?.metrics.compactVmars?.median ?? Number.NaN;
    const claims: string[] = [];
    // Each row of the table (a trace at a VMAR size; 1 GiB has no 4 MiB probe in the sweep):
    // more VMARs, more page tables.
    for (const vmar of [64, 256, 1024]) {
      const five = [
        at(vmar, 'compact', 32 * MiB),
        at(vmar, 'compact', 4 * MiB),
        at(vmar, 'exact-probe', null),
        at(vmar, 'shared-list', 32 * MiB),
        at(vmar, 'shared-list', 4 * MiB),
      ];
      for (const cell of five[0] ?? []) {
        const row = five.flatMap((cells) =>
          cells.filter((each) => each.workload === cell.workload),
        );
        expect(row.length).toBe(vmar === 1024 ? 3 : 5);
        for (const a of row) {
          for (const b of row) {
            if (vmars(a) > vmars(b)) {
              expect(a.metrics.pageTablesMax?.median).toBeGreaterThan(
                b.metrics.pageTablesMax?.median as number,
              );
            }
          }
        }
      }
    }
    for (const vmar of [64, 256]) {
      const exact = at(vmar, 'exact-probe', null);
      const seed = at(vmar, 'compact', 32 * MiB);
      const five = [
        seed,
        at(vmar, 'compact', 4 * MiB),
        exact,
        at(vmar, 'shared-list', 32 * MiB),
        at(vmar, 'shared-list', 4 * MiB),
      ];
      for (const cell of exact) {
        const same = (cells: typeof exact) => cells.find((each) => each.workload === cell.workload);
        // A 4 MiB probe needs as many VMARs as an exact one; a shared list with 4 MiB the fewest.
        expect(vmars(same(five[1] as typeof exact))).toBe(vmars(cell));
        const counts = five.map((cells) => vmars(same(cells)));
        expect(Math.min(...counts)).toBe(counts[4]);
      }
      const grown = seed.filter(
        (cell) => vmars(cell) > vmars(exact.find((each) => each.workload === cell.workload)),
      );
      const chromium = (cells: typeof exact) =>
        vmars(cells.find((cell) => cell.workload === 'trace:chromium-dump-dom'));
      claims.push(
        `at ${String(vmar)} MiB, ${String(grown.length)} ${ofTraces}`,
        `(\`trace:chromium-dump-dom\` ${String(chromium(seed))} against ${String(chromium(exact))})`,
      );
    }
    for (const cell of corpus.cells) expect(cell.metrics.failedCreations?.high).toBe(0);
    claims.push(
      'more VMARs always come with more page tables',
      'no creation failed in any run of this sweep',
    );
    expectQuoted(claims);
  });
});
