import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM_MISSING, findChromium, launchChromium, openReport } from '@vmars/browser-testing';
import { main } from './main.js';

/**
 * `pnpm report:screenshot [FILE]`: the default report's maps, the first compact VMAR zoomed, (`vmars-demo --html`) in the
 * system Chromium, 1280 px wide, as the PNG the READMEs show (`docs/demo-report.png` by default).
 * The same browser and flags as the browser tests.
 */
async function screenshot(output: string): Promise<number> {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    process.stderr.write(`report-screenshot: ${CHROMIUM_MISSING}\n`);
    return 1;
  }
  const directory = mkdtempSync(join(tmpdir(), 'vmars-report-'));
  const page = join(directory, 'report.html');
  try {
    const status = await main(
      ['--html', page],
      { stdout: { write: () => true }, stderr: process.stderr },
      { writeFile: (path, text) => writeFileSync(path, text, 'utf8') },
    );
    if (status !== 0) return status;
    const session = await launchChromium(executablePath);
    try {
      const { page: tab, problems } = await openReport(session.context, page, {
        width: 1280,
        height: 1000,
      });
      await tab.waitForSelector('rect[data-kind="block"]');
      const errors = [...problems.consoleErrors, ...problems.pageErrors];
      if (errors.length > 0) throw new Error(`the page reported: ${errors.join('; ')}`);
      // The compact policy's first row zoomed, as a reader would look at it.
      await tab.click('figure.map-figure rect.row[data-row="0"]');
      await tab.evaluate(() => document.getElementById('maps-heading')?.scrollIntoView());
      await tab.screenshot({ path: output, animations: 'disabled' });
    } finally {
      await session.close();
    }
    process.stdout.write(`report-screenshot: wrote ${output}\n`);
    return 0;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const output = resolve(process.argv[2] ?? 'docs/demo-report.png');
process.exitCode = await screenshot(output);
