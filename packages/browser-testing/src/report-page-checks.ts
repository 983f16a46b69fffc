import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

/**
 * Checks that any self-contained HTML report gets in a real browser: the demo's report and the
 * lab's use them as they are.
 */

/** What went wrong while a page loaded and was used: each entry one line for a test's message. */
export interface PageProblems {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly failedRequests: string[];
  /** Every request for anything but the file itself: a self-contained page makes none. */
  readonly otherRequests: string[];
}

export interface OpenedReport {
  readonly page: Page;
  readonly problems: PageProblems;
}

/** Opens `file` in a new page of `context`, recording console errors and every request. */
export async function openReport(
  context: BrowserContext,
  file: string,
  viewport: { width: number; height: number } = { width: 1280, height: 900 },
): Promise<OpenedReport> {
  const url = pathToFileURL(file).href;
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const problems: PageProblems = {
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    otherRequests: [],
  };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.consoleErrors.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  page.on('requestfailed', (request) =>
    problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? '?'}`),
  );
  page.on('request', (request) => {
    if (request.url() !== url) problems.otherRequests.push(request.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

/** The rendered size of every SVG that is not inside a hidden element, with a name for each. */
export function svgSizes(page: Page): Promise<{ name: string; width: number; height: number }[]> {
  return page.$$eval('svg', (svgs) =>
    svgs
      .filter((svg) => svg.closest('[hidden]') === null)
      .map((svg) => {
        const box = svg.getBoundingClientRect();
        const name =
          svg.querySelector('title')?.textContent ??
          svg.getAttribute('data-chart') ??
          svg.getAttribute('class') ??
          'svg';
        return { name, width: box.width, height: box.height };
      }),
  );
}

/**
 * Elements that stick out past the right edge of the viewport without an ancestor that scrolls
 * (or clips) them sideways, and whether the document itself scrolls sideways. A wide map inside
 * its own `overflow-x: auto` box is fine; the page growing wider than the phone is not.
 */
export function horizontalOverflow(
  page: Page,
): Promise<{ documentWidth: number; viewportWidth: number; offenders: string[] }> {
  return page.evaluate(() => {
    const viewportWidth = document.documentElement.clientWidth;
    const scrolls = (element: Element): boolean => {
      for (let parent = element.parentElement; parent !== null; parent = parent.parentElement) {
        const overflow = getComputedStyle(parent).overflowX;
        if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true;
      }
      return false;
    };
    const offenders: string[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      if (element.closest('[hidden]') !== null || element.id === 'tooltip') continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= viewportWidth + 1 || scrolls(element)) continue;
      const name = `${element.tagName.toLowerCase()}${element.id === '' ? '' : `#${element.id}`}${element.getAttribute('class') === null ? '' : `.${String(element.getAttribute('class'))}`}`;
      offenders.push(`${name} reaches ${String(Math.round(box.right))}px`);
    }
    return {
      documentWidth: document.documentElement.scrollWidth,
      viewportWidth,
      offenders: offenders.slice(0, 10),
    };
  });
}

/** A full-page PNG at `path` (its folder made if need be); a test artifact, never committed. */
export async function saveScreenshot(page: Page, path: string, fullPage = true): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage, animations: 'disabled' });
}

/** The text of the page's tooltip once it shows (`selector` is the tooltip element). */
export async function tooltipText(page: Page, selector = '#tooltip'): Promise<string> {
  const tooltip = page.locator(selector);
  await tooltip.waitFor({ state: 'visible', timeout: 5_000 });
  return (await tooltip.textContent()) ?? '';
}
