import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DefaultTreeAdapterMap, parse as parseHtml } from 'parse5';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { LAB_PAGE_SCRIPT } from './page-script.generated.js';
import { paretoFront } from './render-html.js';
import type { ResultsFile } from './results-file.js';

async function sweep(): Promise<{ html: string; results: ResultsFile }> {
  const directory = mkdtempSync(join(tmpdir(), 'vmars-lab-html-'));
  const out = join(directory, 'results.json');
  const html = join(directory, 'report.html');
  const quiet = { write: () => true };
  const status = await main(
    [
      '--policies',
      'compact,root,exact-probe',
      '--workloads',
      'steady-100,waves',
      '--vmar-size',
      '256MiB,1GiB',
      '--probe-size',
      '4MiB,32MiB',
      '--seeds',
      '6',
      '--time-series',
      'waves:x86_64',
      '--workers',
      '0',
      '--out',
      out,
      '--html',
      html,
    ],
    { stdout: quiet, stderr: quiet },
  );
  expect(status).toBe(0);
  return {
    html: readFileSync(html, 'utf8'),
    results: JSON.parse(readFileSync(out, 'utf8')) as ResultsFile,
  };
}

/** An element of the page as parse5 reads it: its tag name and attributes. */
interface PageElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
}

/** Every element under `node`, in document order. */
function descendants(node: DefaultTreeAdapterMap['parentNode']): PageElement[] {
  const found: PageElement[] = [];
  for (const child of node.childNodes) {
    if ('tagName' in child) {
      found.push({
        name: child.tagName,
        attributes: Object.fromEntries(child.attrs.map((each) => [each.name, each.value])),
        text: child.childNodes.map((text) => ('value' in text ? text.value : '')).join(''),
      });
      // A <template>'s children sit in its content fragment; the page has none.
      found.push(...descendants(child));
    }
  }
  return found;
}

const { html, results } = await sweep();
// parse5 parses as a browser does and reports every parse error the HTML standard names, as the
// demo's page is checked; the browser test (`lab-report.browser.test.ts`) loads it in Chromium.
const parseErrors: string[] = [];
const elements = descendants(
  parseHtml(html, {
    onParseError: (error) => parseErrors.push(`${error.code} at line ${String(error.startLine)}`),
  }),
);
const ofKind = (kind: string) =>
  elements.filter((element) => element.attributes['data-kind'] === kind);
const cell = (key: string | undefined) => results.cells.find((each) => each.cell === key);

describe('the lab’s HTML report', () => {
  it('parses without an error and is self-contained: no URL, one inline script, no external file', () => {
    expect(parseErrors).toEqual([]);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(|\ssrc=|\shref=/i);
    expect(html).not.toMatch(/https?:\/\//);
    const scripts = elements.filter((element) => element.name === 'script');
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.attributes).toEqual({});
    expect(scripts[0]?.text).toBe(LAB_PAGE_SCRIPT);
    for (const element of elements) {
      expect(element.attributes.src).toBeUndefined();
      expect(element.attributes.href).toBeUndefined();
    }
    const root = elements.find((element) => element.name === 'html');
    expect(root?.attributes['data-sweep-hash']).toBe(results.sweep.hash);
    expect(root?.attributes['data-runs']).toBe(String(results.runs.length));
    expect(root?.attributes['data-failed']).toBe('0');
  });

  it('has a heatmap per workload whose cells hold the results’ medians', () => {
    expect(ofKind('heatmap')).toHaveLength(2);
    const cells = ofKind('heatmap-cell');
    // 2 VMAR sizes x 2 probe sizes x 2 workloads.
    expect(cells).toHaveLength(8);
    for (const element of cells) {
      const summary = cell(element.attributes['data-cell']);
      expect(summary?.policy).toBe('compact');
      expect(Number(element.attributes['data-median'])).toBe(
        summary?.metrics.pageTablesMax?.median,
      );
      expect(Number(element.attributes['data-low'])).toBe(summary?.metrics.pageTablesMax?.low);
      expect(Number(element.attributes['data-high'])).toBe(summary?.metrics.pageTablesMax?.high);
    }
  });

  it('has a Pareto chart per workload: one point per cell, the front marked as computed', () => {
    expect(ofKind('pareto')).toHaveLength(2);
    const points = ofKind('pareto-point');
    expect(points).toHaveLength(results.cells.length);
    for (const workload of new Set(results.cells.map((summary) => summary.workload))) {
      const group = results.cells.filter((summary) => summary.workload === workload);
      const front = paretoFront(group);
      expect(front.size).toBeGreaterThan(0);
      for (const summary of group) {
        const point = points.find((element) => element.attributes['data-cell'] === summary.cell);
        expect(point?.attributes['data-front'], `${workload} ${summary.cell}`).toBe(
          String(front.has(summary.cell)),
        );
        expect(Number(point?.attributes['data-y'])).toBe(summary.metrics.pageTablesMax?.median);
        expect(Number(point?.attributes['data-x'])).toBe(summary.metrics.reservedPeak?.median);
      }
    }
  });

  it('has a row per policy cell against compact, with the ratios of the results', () => {
    const rows = ofKind('ratio-row');
    const compared = results.cells.filter((summary) => summary.baseline !== null);
    expect(rows).toHaveLength(compared.length);
    expect(compared.length).toBeGreaterThan(0);
    for (const row of rows) {
      const summary = cell(row.attributes['data-cell']);
      expect(row.attributes['data-baseline']).toBe(summary?.baseline);
      expect(Number(row.attributes['data-ratio-median'])).toBe(
        summary?.ratios.pageTablesAtPeak?.median,
      );
    }
  });

  it('draws time series of page tables and VMARs for the chosen cells, ending where the runs end', () => {
    const series = ofKind('series');
    const withSeries = results.runs.filter((record) => record.ok && record.series !== undefined);
    expect(withSeries.length).toBeGreaterThan(0);
    expect(series).toHaveLength(withSeries.length * 2);
    for (const line of series) {
      const record = withSeries.find((each) => each.cell === line.attributes['data-cell']);
      if (record === undefined || !record.ok || record.series === undefined)
        throw new Error('no run');
      const metric = line.attributes['data-metric'] as 'pageTables' | 'compactVmars';
      expect(Number(line.attributes['data-last'])).toBe(record.series[metric].at(-1));
    }
  });

  it('gives every chart axes with units and a legend', () => {
    const charts = [...ofKind('pareto'), ...ofKind('time-series')];
    expect(charts.length).toBeGreaterThan(0);
    expect(html).toContain('address space reserved at the peak (GiB)');
    expect(html).toContain('most page-table pages over the run');
    expect(html).toContain('thread events done (creations and exits)');
    expect(html).toContain('VMAR size');
    expect(html).toContain('probe size');
    for (const policy of ['compact', 'root', 'exact-probe']) {
      expect(ofKind('legend').some((element) => element.attributes['data-policy'] === policy)).toBe(
        true,
      );
    }
  });
});
