import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  horizontalOverflow,
  openReport,
  type Page,
  reportBrowserTest,
  saveScreenshot,
  svgSizes,
  tooltipText,
} from '@vmars/browser-testing';
import { formatByteSize } from '@vmars/cli-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { formatEstimate } from './render-html.js';
import type { ResultsFile } from './results-file.js';
import type { CellSummary } from './summarize.js';

/**
 * The lab's HTML report in the system's Chromium (driven by playwright-core, through
 * `@vmars/browser-testing`, as the demo's report is): it loads from the file with nothing else,
 * every chart is there with marks, a size, a title and a description, nothing sticks out on a
 * laptop or a phone, and every Pareto point and heatmap cell shows its numbers by mouse and by
 * keyboard. Screenshots land in `test-artifacts/` (ignored by git).
 *
 * Without a browser the cases skip with how to install one; with `CI=true` they fail instead.
 */
const { skip, workDirectory, artifacts, useChromium } = reportBrowserTest(import.meta.url);

/**
 * A small sweep with every kind of chart: two policies, two workloads, a 2 x 2 grid of compact's
 * VMAR and probe sizes (the heatmaps), five seeds, one time series. About a second.
 */
const SWEEP = [
  '--name',
  'browser-test',
  '--policies',
  'compact,root',
  '--workloads',
  'steady-100,waves',
  '--vmar-size',
  '256MiB,1GiB',
  '--probe-size',
  '4MiB,32MiB',
  '--seeds',
  '5',
  '--time-series',
  'waves:x86_64',
  '--workers',
  '0',
];

async function writeReport(): Promise<{ results: ResultsFile; file: string }> {
  mkdirSync(workDirectory, { recursive: true });
  const out = join(workDirectory, 'lab-results.json');
  const file = join(workDirectory, 'lab-report.html');
  let stderr = '';
  const status = await main(
    [...SWEEP, '--out', out, '--csv', join(workDirectory, 'lab-results.csv'), '--html', file],
    {
      stdout: { write: () => true },
      stderr: {
        write: (text: string) => {
          stderr += text;
          return true;
        },
      },
    },
  );
  if (status !== 0)
    throw new Error(`vmars-lab ${SWEEP.join(' ')}: exit ${String(status)}: ${stderr}`);
  return { results: JSON.parse(readFileSync(out, 'utf8')) as ResultsFile, file };
}

const groupName = (cell: CellSummary): string => `${cell.workload} on ${cell.architecture}`;

/** The charts the results call for, by kind, and how many marks each must have. */
function expectedCharts(results: ResultsFile): Record<string, number[]> {
  const byGroup = (cells: readonly CellSummary[]): number[] => {
    const counts = new Map<string, number>();
    for (const cell of cells) counts.set(groupName(cell), (counts.get(groupName(cell)) ?? 0) + 1);
    return [...counts.values()];
  };
  const series = results.runs.filter((record) => record.ok && record.series !== undefined);
  const seriesGroups = new Set(series.map((record) => `${record.workload} ${record.architecture}`));
  return {
    heatmap: byGroup(
      results.cells.filter((cell) => cell.policy === 'compact' && cell.vmarSize !== null),
    ),
    pareto: byGroup(results.cells),
    // Page tables and compact VMARs, a line per run that kept its samples.
    'time-series': [...seriesGroups].flatMap((group) => {
      const lines = series.filter(
        (record) => `${record.workload} ${record.architecture}` === group,
      );
      return [lines.length, lines.length];
    }),
  };
}

/** Marks a chart of `kind` draws, each a focusable element with a tooltip. */
const MARKS: Readonly<Record<string, string>> = {
  heatmap: '[data-kind="heatmap-cell"]',
  pareto: '[data-kind="pareto-point"]',
  'time-series': '[data-kind="series"]',
};

/** A mark of `selector` whose middle is not under another mark, so that hovering it hits it. */
async function hoverable(page: Page, selector: string): Promise<string> {
  const cell = await page.$$eval(selector, (elements) => {
    for (const element of elements) {
      element.scrollIntoView({ block: 'center', inline: 'center' });
      const marker = element.querySelector('.marker') ?? element;
      const box = marker.getBoundingClientRect();
      const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      if (hit?.closest('[data-tooltip]') === element) return element.getAttribute('data-cell');
    }
    return null;
  });
  if (cell === null) expect.fail(`no ${selector} is on top of the others`);
  return cell;
}

describe.skipIf(skip)('the lab’s HTML report in Chromium', () => {
  const chromium = useChromium({ beforeAll, afterAll });
  let results: ResultsFile;
  let file: string;

  beforeAll(async () => {
    ({ results, file } = await writeReport());
  });

  const cellOf = (key: string): CellSummary => {
    const cell = results.cells.find((each) => each.cell === key);
    if (cell === undefined) expect.fail(`no cell ${key}`);
    return cell;
  };

  it('loads from the file with no console error, no failed request and nothing else fetched', async () => {
    const { page, problems } = await openReport(chromium.context, file);
    // The script has run once focusing a mark shows the tooltip.
    await page.locator('[data-kind="pareto-point"]').first().focus();
    await tooltipText(page);
    await page.keyboard.press('Escape');
    expect(problems).toEqual({
      consoleErrors: [],
      pageErrors: [],
      failedRequests: [],
      otherRequests: [],
    });
    await saveScreenshot(page, join(artifacts, 'lab-1280.png'));
    await page.close();
  });

  it('draws every chart the results call for, each with its marks, a size, a title and a description', async () => {
    const expected = expectedCharts(results);
    expect(expected.heatmap).toEqual([4, 4]);
    expect(expected.pareto).toEqual([5, 5]);
    expect(expected['time-series']).toEqual([5, 5]);
    const { page } = await openReport(chromium.context, file);
    for (const [kind, counts] of Object.entries(expected)) {
      const drawn = await page.$$eval(
        `svg.chart[data-chart="${kind}"]`,
        (svgs, selector) =>
          svgs.map((svg) => {
            const text = (attribute: string): string =>
              (svg.getAttribute(attribute) ?? '')
                .split(' ')
                .map((id) => document.getElementById(id)?.textContent ?? '')
                .join(' ')
                .trim();
            const box = svg.getBoundingClientRect();
            return {
              marks: svg.querySelectorAll(selector).length,
              width: box.width,
              height: box.height,
              title: text('aria-labelledby'),
              description: text('aria-describedby'),
              ticks: svg.querySelectorAll('.tick-label').length,
              axisLabels: [...svg.querySelectorAll('.axis-label')].map(
                (label) => label.textContent,
              ),
            };
          }),
        MARKS[kind] ?? '',
      );
      expect(
        drawn.map((chart) => chart.marks),
        kind,
      ).toEqual(counts);
      for (const chart of drawn) {
        expect(chart.width, `${kind}: ${chart.title}`).toBeGreaterThan(100);
        expect(chart.height, `${kind}: ${chart.title}`).toBeGreaterThan(100);
        expect(chart.title, kind).not.toBe('');
        expect(chart.description, kind).not.toBe('');
        expect(chart.ticks, `${kind}: ticks`).toBeGreaterThanOrEqual(4);
        expect(chart.axisLabels, `${kind}: axis labels`).toHaveLength(2);
      }
    }
    // Every SVG, the legends' marks included, has a size.
    for (const size of await svgSizes(page)) {
      expect(size.width, size.name).toBeGreaterThan(0);
      expect(size.height, size.name).toBeGreaterThan(0);
    }
    // Every Pareto chart and time series has a legend naming each of its policies.
    for (const kind of ['pareto', 'time-series']) {
      const legends = await page.$$eval(`figure[data-kind="${kind}"]`, (figures) =>
        figures.map((figure) =>
          [...figure.querySelectorAll('[data-kind="legend"]')].map((item) =>
            item.getAttribute('data-policy'),
          ),
        ),
      );
      expect(legends.length).toBeGreaterThan(0);
      for (const policies of legends) expect(policies, kind).toEqual(['compact', 'root']);
    }
    await page.close();
  });

  it('overflows nothing at 1280 and at 390 px', async () => {
    for (const width of [1280, 390]) {
      const { page } = await openReport(chromium.context, file, { width, height: 900 });
      const overflow = await horizontalOverflow(page);
      expect(overflow.offenders, `${String(width)} px`).toEqual([]);
      expect(overflow.documentWidth).toBeLessThanOrEqual(overflow.viewportWidth);
      if (width === 390) await saveScreenshot(page, join(artifacts, 'lab-390.png'));
      await page.close();
    }
  });

  it('shows a Pareto point’s and a heatmap cell’s numbers on hover', async () => {
    const { page } = await openReport(chromium.context, file);
    for (const chart of await page.locator('svg.chart[data-chart="pareto"]').all()) {
      const key = await hoverable(
        page,
        `svg.chart[aria-labelledby="${String(await chart.getAttribute('aria-labelledby'))}"] [data-kind="pareto-point"]`,
      );
      const point = chart.locator(`[data-kind="pareto-point"][data-cell="${key}"]`);
      await point.locator('.marker').hover();
      const text = await tooltipText(page);
      const cell = cellOf(key);
      expect(text).toContain(`${cell.policy}, `);
      expect(text).toContain(
        `most page-table pages over the run: ${formatEstimate(cell.metrics.pageTablesMax)}`,
      );
      expect(text).toContain(
        `reserved at the peak: ${formatEstimate(cell.metrics.reservedPeak, (v) => formatByteSize(v))}`,
      );
      expect(text).toMatch(
        (await point.getAttribute('data-front')) === 'true' ? /\non the Pareto front/ : /not on/,
      );
      await page.mouse.move(0, 0);
      await page.locator('#tooltip').waitFor({ state: 'hidden' });
    }
    for (const chart of await page.locator('svg.chart[data-chart="heatmap"]').all()) {
      const key = await hoverable(
        page,
        `svg.chart[aria-labelledby="${String(await chart.getAttribute('aria-labelledby'))}"] [data-kind="heatmap-cell"]`,
      );
      await chart.locator(`[data-kind="heatmap-cell"][data-cell="${key}"]`).hover();
      const text = await tooltipText(page);
      const cell = cellOf(key);
      expect(text).toContain(`VMAR ${formatByteSize(cell.vmarSize ?? 0)}`);
      expect(text).toContain(`probe ${formatByteSize(cell.probeSize ?? 0)}`);
      expect(text).toContain(
        `most page-table pages over the run: ${formatEstimate(cell.metrics.pageTablesMax)}`,
      );
      await page.mouse.move(0, 0);
    }
    await page.close();
  });

  it('reaches every Pareto point and heatmap cell by keyboard, named, and shows its numbers', async () => {
    const { page } = await openReport(chromium.context, file);
    const marks = await page.$$eval(
      '[data-kind="pareto-point"], [data-kind="heatmap-cell"]',
      (elements) =>
        elements.map((element) => ({
          tabindex: element.getAttribute('tabindex'),
          label: element.getAttribute('aria-label') ?? '',
        })),
    );
    expect(marks.length).toBe(4 + 4 + 5 + 5);
    for (const mark of marks) {
      expect(mark.tabindex).toBe('0');
      expect(mark.label).toMatch(/most page-table pages over the run: /);
    }

    // Tab from the top reaches the first heatmap cell (the first focusable thing on the page).
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.getAttribute('data-cell'));
    const firstCell = await page.getAttribute('[data-kind="heatmap-cell"]', 'data-cell');
    expect(first).toBe(firstCell);
    expect(await tooltipText(page)).toContain(
      `most page-table pages over the run: ${formatEstimate(cellOf(String(first)).metrics.pageTablesMax)}`,
    );
    // The arrow keys move within the chart; Escape hides the tooltip.
    await page.keyboard.press('ArrowRight');
    const second = await page.evaluate(() => document.activeElement?.getAttribute('data-cell'));
    expect(second).not.toBe(first);
    expect(await tooltipText(page)).toContain(
      `VMAR ${formatByteSize(cellOf(String(second)).vmarSize ?? 0)}`,
    );
    await page.keyboard.press('Escape');
    await page.locator('#tooltip').waitFor({ state: 'hidden' });

    // A Pareto point by focus, then the next one with the arrow key.
    const point = page.locator('[data-kind="pareto-point"]').first();
    await point.focus();
    const key = String(await point.getAttribute('data-cell'));
    expect(await tooltipText(page)).toContain(
      `reserved at the peak: ${formatEstimate(cellOf(key).metrics.reservedPeak, (v) => formatByteSize(v))}`,
    );
    await page.keyboard.press('ArrowRight');
    const next = await page.evaluate(() => document.activeElement?.getAttribute('data-kind'));
    expect(next).toBe('pareto-point');
    expect(await tooltipText(page)).not.toContain(`${cellOf(key).policy}, ${'\n'}`);
    await saveScreenshot(page, join(artifacts, 'lab-pareto-focus.png'), false);
    await page.close();
  });
});
