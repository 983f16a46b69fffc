import { mkdirSync, writeFileSync } from 'node:fs';
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
import type { DemoReport } from './demo-report.js';
import { main } from './main.js';
import { fixtureTrace } from './trace-fixture.js';

/**
 * The demo's HTML report in the system's Chromium (driven by playwright-core): it loads from the
 * file with nothing else, every picture has a size, nothing sticks out on a laptop or a phone,
 * and every control works by mouse and by keyboard. Screenshots land in `test-artifacts/`.
 *
 * Without a browser the cases skip with how to install one; with `CI=true` they fail instead.
 */
const { skip, workDirectory, artifacts, useChromium } = reportBrowserTest(import.meta.url);

/** Runs the CLI in-process and returns the report's JSON and the path of its HTML page. */
async function writeReport(
  name: string,
  argv: string[],
): Promise<{ report: DemoReport; file: string }> {
  mkdirSync(workDirectory, { recursive: true });
  const file = join(workDirectory, `${name}.html`);
  let stdout = '';
  let stderr = '';
  const status = await main(
    [...argv, '--json', '--html', file],
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    },
    {
      writeFile: (path, text) => writeFileSync(path, text, 'utf8'),
      // `--trace`'s file, as if read: the page is under test here, not the trace reader.
      readTrace: async () => fixtureTrace(400),
    },
  );
  if (status !== 0)
    throw new Error(`vmars-demo ${argv.join(' ')}: exit ${String(status)}: ${stderr}`);
  return { report: JSON.parse(stdout) as DemoReport, file };
}

const hex = (value: number): string => `0x${value.toString(16)}`;

/** The blocks the page draws now, as `kind base size compactVmar` lines, sorted. */
async function drawnBlocks(page: Page, policy: string): Promise<string[]> {
  const lines = await page.$$eval(
    `svg.map[data-policy="${policy}"] rect[data-kind="block"]`,
    (rects) =>
      rects.map(
        (rect) =>
          `${rect.getAttribute('data-block')} ${rect.getAttribute('data-base')} ${rect.getAttribute('data-size')} ${rect.getAttribute('data-compact-vmar')}`,
      ),
  );
  return lines.sort();
}

async function mapEvent(page: Page, policy: string): Promise<number> {
  return Number(await page.getAttribute(`svg.map[data-policy="${policy}"]`, 'data-event'));
}

const REPORTS = [
  { name: 'default', argv: [] as string[] },
  { name: 'riscv64-bursty', argv: ['--arch', 'riscv64', '--pattern', 'bursty'] },
  { name: 'trace', argv: ['--trace', 'make.trace'] },
];

/** The trace time (µs) the map of `policy` is drawn at; NaN for a generated workload. */
async function mapTime(page: Page, policy: string): Promise<number> {
  return Number(await page.getAttribute(`svg.map[data-policy="${policy}"]`, 'data-time'));
}

// Top-level await: each report is written once, before the cases that read it are collected.
const written = new Map<string, Awaited<ReturnType<typeof writeReport>>>();
for (const { name, argv } of REPORTS) written.set(name, await writeReport(name, argv));

describe.skipIf(skip)('the HTML report in Chromium', () => {
  const chromium = useChromium({ beforeAll, afterAll });

  describe.each(REPORTS)('$name', ({ name }) => {
    const { report, file } = written.get(name) as Awaited<ReturnType<typeof writeReport>>;

    it('loads from the file with no console error, no failed request and nothing else fetched', async () => {
      const { page, problems } = await openReport(chromium.context, file);
      await page.waitForSelector('rect[data-kind="block"], rect[data-kind="block-run"]');
      expect(problems).toEqual({
        consoleErrors: [],
        pageErrors: [],
        failedRequests: [],
        otherRequests: [],
      });
      await saveScreenshot(page, join(artifacts, `${name}-1280.png`));
      await page.close();
    });

    it('gives every map and chart a size, a title and a description, and overflows nothing', async () => {
      for (const width of [1280, 390]) {
        const { page } = await openReport(chromium.context, file, { width, height: 900 });
        const sizes = await svgSizes(page);
        // One map per policy and three charts (VMARs, page tables, live threads).
        expect(sizes.length, JSON.stringify(sizes)).toBe(report.policies.length + 3);
        for (const size of sizes) {
          expect(size.width, size.name).toBeGreaterThan(100);
          expect(size.height, size.name).toBeGreaterThan(50);
        }
        const overflow = await horizontalOverflow(page);
        expect(overflow.offenders).toEqual([]);
        expect(overflow.documentWidth).toBeLessThanOrEqual(overflow.viewportWidth);
        if (width === 390) await saveScreenshot(page, join(artifacts, `${name}-390.png`));
        const labels = await page.$$eval('svg.map, svg.chart', (svgs) =>
          svgs.map((svg) => {
            const text = (attribute: string): string =>
              (svg.getAttribute(attribute) ?? '')
                .split(' ')
                .map((id) => document.getElementById(id)?.textContent ?? '')
                .join(' ')
                .trim();
            return { title: text('aria-labelledby'), description: text('aria-describedby') };
          }),
        );
        for (const label of labels) {
          expect(label.title).not.toBe('');
          expect(label.description).not.toBe('');
        }
        await page.close();
      }
    });

    it('draws the charts: a line and a point per sample for every policy', async () => {
      const { page } = await openReport(chromium.context, file);
      for (const chart of ['vmars', 'page-tables', 'live-threads']) {
        for (const policy of report.policies) {
          const points = await page.$$eval(
            `svg.chart[data-chart="${chart}"] circle.point[data-policy="${policy.policy}"]`,
            (circles) => circles.map((circle) => Number(circle.getAttribute('data-event'))),
          );
          expect(points, `${chart} ${policy.policy}`).toEqual(
            policy.samples.map((sample) => sample.event),
          );
          const line = await page.getAttribute(
            `svg.chart[data-chart="${chart}"] polyline[data-policy="${policy.policy}"]`,
            'points',
          );
          expect(line?.split(' ').length).toBe(policy.samples.length + 1);
        }
        const ticks = await page.$$eval(
          `svg.chart[data-chart="${chart}"] text.tick`,
          (texts) => texts.length,
        );
        expect(ticks, `${chart} ticks on both axes`).toBeGreaterThanOrEqual(6);
      }
      await page.close();
    });

    it('draws the peak as the JSON has it: every compact VMAR and every block', async () => {
      const { page } = await openReport(chromium.context, file);
      for (const policy of report.policies) {
        expect(await mapEvent(page, policy.policy)).toBe(report.workload.peakEvent);
        const rows = await page.$$eval(
          `svg.map[data-policy="${policy.policy}"] rect[data-kind="compact-vmar"]`,
          (rects) =>
            rects.map(
              (rect) =>
                `${rect.getAttribute('data-list')} ${rect.getAttribute('data-base')} ${rect.getAttribute('data-size')}`,
            ),
        );
        expect(rows.sort()).toEqual(
          policy.compactVmarList
            .map((compact) => `${compact.list} ${hex(compact.base)} ${hex(compact.size)}`)
            .sort(),
        );
        expect(await drawnBlocks(page, policy.policy)).toEqual(
          policy.peakSnapshot.blocks
            .map(
              (block) =>
                `${block.kind} ${hex(block.base)} ${hex(block.size)} ${block.compactVmar === null ? '' : hex(block.compactVmar)}`,
            )
            .sort(),
        );
      }
      await page.close();
    });

    it('shows a block’s details and a chart point’s value on hover', async () => {
      const { page } = await openReport(chromium.context, file);
      for (const policy of report.policies) {
        // Thousands of blocks share a pixel of the root policy's strip: the tooltip names the one
        // nearest the mouse, which must be a block drawn within a few pixels of it.
        const map = `svg.map[data-policy="${policy.policy}"]`;
        const block = page.locator(`${map} rect[data-kind="block"]`).nth(7);
        await block.scrollIntoViewIfNeeded();
        const box = await block.boundingBox();
        if (box === null) expect.fail('the block has no box');
        const x = box.x + box.width / 2;
        await page.mouse.move(x, box.y + box.height / 2);
        const text = await tooltipText(page);
        const address = /address (0x[0-9a-f]+)/.exec(text)?.[1];
        const shown = page.locator(
          `${map} rect[data-kind="block"][data-base="${String(address)}"]`,
        );
        expect(await shown.count(), text).toBe(1);
        const [kind, size, compact, thread] = await shown.evaluate((rect) =>
          ['data-block', 'data-size', 'data-compact-vmar', 'data-thread'].map(
            (attribute) => rect.getAttribute(attribute) ?? '',
          ),
        );
        expect(text).toContain(`${String(kind)}, thread ${String(thread)}\n`);
        expect(text).toContain(`size ${formatByteSize(Number(size))}`);
        expect(text).toContain(compact === '' ? 'compact VMAR: none' : `compact VMAR ${compact}`);
        const shownBox = await shown.boundingBox();
        expect(Math.abs((shownBox?.x ?? 0) + (shownBox?.width ?? 0) / 2 - x)).toBeLessThan(4);
        await page.mouse.move(0, 0);
      }
      const point = page.locator('svg.chart[data-chart="page-tables"] circle.point').nth(5);
      const value = Number(await point.getAttribute('data-value'));
      const event = Number(await point.getAttribute('data-event'));
      await point.hover();
      const text = await tooltipText(page);
      expect(text).toContain(`after event ${event.toLocaleString('en-US')}`);
      expect(text).toContain(`${value.toLocaleString('en-US')} pages`);
      await page.close();
    });

    it('moves through the samples with the slider, by mouse and by keyboard, and plays', async () => {
      const { page } = await openReport(chromium.context, file);
      const [first] = report.policies;
      if (first === undefined) expect.fail('no policy');
      const policy = first.policy;
      const liveAt = (event: number): number =>
        first.samples.find((sample) => sample.event === event)?.liveThreads ?? -1;
      const slider = page.locator('#frame');

      // Keyboard: Home goes to the first sample, and the map redraws with its blocks.
      await slider.focus();
      await page.keyboard.press('Home');
      const firstEvent = await mapEvent(page, policy);
      expect(firstEvent).toBe(first.samples[0]?.event);
      expect((await drawnBlocks(page, policy)).length).toBe(3 * liveAt(firstEvent));
      await page.keyboard.press('ArrowRight');
      expect(await mapEvent(page, policy)).toBeGreaterThan(firstEvent);

      // Mouse: a click three quarters along the track.
      const box = await slider.boundingBox();
      if (box === null) expect.fail('the slider has no box');
      await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
      const clicked = await mapEvent(page, policy);
      expect((await drawnBlocks(page, policy)).length).toBe(3 * liveAt(clicked));
      const label = (await page.textContent('#frame-label')) ?? '';
      if (report.workload.pattern === 'trace') {
        // The slider moves through the trace's own time: three quarters along is about three
        // quarters of its seconds, and the label says them, not event numbers.
        const end = first.samples.at(-1)?.time ?? 0;
        const time = await mapTime(page, policy);
        expect(time).toBe(first.samples.find((sample) => sample.event === clicked)?.time);
        expect(time).toBeGreaterThan(end * 0.6);
        expect(time).toBeLessThan(end * 0.9);
        expect(label).toContain(
          `${(time / 1e6).toFixed(3)} s of ${(end / 1e6).toFixed(3)} s from the trace's start`,
        );
        expect(label).not.toContain('event');
        // The charts run over the same time: their cursor stands at the same fraction of it.
        const cursor = await page.$eval('svg.chart[data-chart="vmars"] line.cursor', (line) => ({
          x: Number(line.getAttribute('x1')),
          x0: Number(line.getAttribute('data-x0')),
          x1: Number(line.getAttribute('data-x1')),
        }));
        expect(cursor.x).toBeCloseTo(cursor.x0 + (time / end) * (cursor.x1 - cursor.x0), 0);
      } else {
        expect(clicked).toBeGreaterThan(report.workload.events / 2);
        expect(label).toContain(clicked.toLocaleString('en-US'));
      }

      // Play by mouse, pause by keyboard.
      await page.keyboard.press('Home');
      await page.click('#play');
      expect(await page.getAttribute('#play', 'aria-pressed')).toBe('true');
      await page.waitForFunction(
        ([selector, event]) =>
          Number(document.querySelector(selector)?.getAttribute('data-event')) > event,
        [`svg.map[data-policy="${policy}"]`, first.samples[0]?.event ?? 0] as const,
        { timeout: 5_000 },
      );
      await page.focus('#play');
      await page.keyboard.press('Enter');
      expect(await page.getAttribute('#play', 'aria-pressed')).toBe('false');
      const paused = await mapEvent(page, policy);
      await page.waitForTimeout(800);
      expect(await mapEvent(page, policy)).toBe(paused);

      // Play by keyboard, and back to the peak with the Peak button.
      await page.keyboard.press('Space');
      expect(await page.getAttribute('#play', 'aria-pressed')).toBe('true');
      await page.focus('#to-peak');
      await page.keyboard.press('Enter');
      expect(await page.getAttribute('#play', 'aria-pressed')).toBe('false');
      expect(await mapEvent(page, policy)).toBe(report.workload.peakEvent);
      await page.close();
    });

    it('zooms into a compact VMAR by mouse and by keyboard, with the largest hole labelled', async () => {
      const compact = report.policies.find((policy) => policy.compactVmarList.length > 0);
      if (compact === undefined) expect.fail('no compact VMARs');
      const { page } = await openReport(chromium.context, file);
      const figure = `figure.map-figure[data-policy="${compact.policy}"]`;
      await page.click(`${figure} rect.row[data-row="0"]`);
      await page.locator(`${figure} .zoom`).waitFor({ state: 'visible' });
      const label = await page.textContent(`${figure} .largest-hole-label`);
      expect(label).toMatch(/^largest hole: /);
      expect(label).toContain('32MiB probe');
      const holeSize = Number(
        await page.getAttribute(`${figure} rect[data-kind="largest-hole"]`, 'data-size'),
      );
      const holes = await page.$$eval(`${figure} rect[data-kind="hole"]`, (rects) =>
        rects.map((rect) => Number(rect.getAttribute('data-size'))),
      );
      expect(holeSize).toBe(Math.max(...holes));
      const blocks = await page.locator(`${figure} rect[data-kind="zoom-block"]`).count();
      expect(blocks).toBeGreaterThan(0);
      expect((await svgSizes(page)).some((size) => size.name.startsWith('The zoomed'))).toBe(true);
      await saveScreenshot(page, join(artifacts, `${name}-zoom.png`));

      // Keyboard: the arrow keys step through its blocks; Escape closes and returns to the row.
      await page.keyboard.press('ArrowRight');
      expect(await tooltipText(page)).toContain('thread ');
      await page.keyboard.press('Escape');
      await page.locator(`${figure} .zoom`).waitFor({ state: 'hidden' });
      const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-row'));
      expect(focused).toBe('0');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.locator(`${figure} .zoom`).waitFor({ state: 'visible' });
      expect(await page.textContent(`${figure} .zoom-title`)).toContain('compact VMAR');
      await page.click(`${figure} .zoom-close`);
      await page.locator(`${figure} .zoom`).waitFor({ state: 'hidden' });
      await page.close();
    });

    it('steps through a chart’s points with the keyboard, and opens its table with a click', async () => {
      const { page } = await openReport(chromium.context, file);
      await page.focus('svg.chart[data-chart="vmars"]');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      const [first] = report.policies;
      const sample = first?.samples[1];
      const when = `after event ${sample?.event.toLocaleString('en-US')}`;
      // A trace's charts run over the trace's time, and say it first.
      const at =
        sample?.time === undefined ? when : `at ${(sample.time / 1e6).toFixed(3)} s (${when})`;
      expect(await tooltipText(page)).toContain(
        `${String(first?.policy)}, ${at}: ${sample?.rootChildVmars.toLocaleString('en-US')} VMARs`,
      );
      const summary = page.locator('figure[data-chart="vmars"] details summary');
      await summary.click();
      const cells = await page.$$eval(
        'figure[data-chart="vmars"] table tbody tr',
        (rows) => rows.length,
      );
      expect(cells).toBe(first?.samples.length);
      expect(await page.locator('figure[data-chart="vmars"] table').isVisible()).toBe(true);
      // The map's table, by keyboard.
      await page.locator('figure.map-figure details summary').first().focus();
      await page.keyboard.press('Enter');
      expect(await page.locator('figure.map-figure table').first().isVisible()).toBe(true);
      await page.close();
    });
  });
});
