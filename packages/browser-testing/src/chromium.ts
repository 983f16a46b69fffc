import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Where to find the browser when it is not at one of `CHROMIUM_PATHS`. */
export const CHROMIUM_ENV = 'VMARS_CHROMIUM';

/** The usual places of a system Chromium (Debian's `chromium`, Ubuntu's, Google's, a snap). */
export const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export const CHROMIUM_MISSING = [
  `No Chromium found (looked at $${CHROMIUM_ENV} and ${CHROMIUM_PATHS.join(', ')}).`,
  'playwright-core brings no browser of its own; install the system one, for example on Debian',
  'or Ubuntu `sudo apt-get install -y --no-install-recommends chromium` (`.ci/run` does this),',
  `or point ${CHROMIUM_ENV} at a Chromium or Chrome executable.`,
].join('\n');

/**
 * Without these, a headless Chromium in a container without network hangs on its own background
 * calls (updates, sync, field trials), and as root it refuses to start without `--no-sandbox`.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The browser to use: `$VMARS_CHROMIUM` if set, else the first of `CHROMIUM_PATHS` there is. */
export function findChromium(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = environment[CHROMIUM_ENV];
  if (configured !== undefined && configured !== '') {
    return existsSync(configured) ? configured : undefined;
  }
  return CHROMIUM_PATHS.find((path) => existsSync(path));
}

/**
 * Whether a browser test file runs, and with which browser: without a Chromium it skips, after
 * one warning naming `testFile` and saying how to install one, unless `CI` is set (`true` or `1`),
 * where it runs and its `beforeAll` fails with `CHROMIUM_MISSING` (a CI machine must have one).
 */
export function chromiumForTests(
  testFile: string,
  environment: NodeJS.ProcessEnv = process.env,
): { readonly executablePath: string | undefined; readonly skip: boolean } {
  const executablePath = findChromium(environment);
  const inCi = environment.CI === 'true' || environment.CI === '1';
  const skip = executablePath === undefined && !inCi;
  if (skip) console.warn(`${testFile}: skipped.\n${CHROMIUM_MISSING}`);
  return { executablePath, skip };
}

/** A browser with a fresh profile, removed again by `close()`. */
export interface BrowserSession {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts the system Chromium headless with a fresh user-data-dir. One launch serves a whole test
 * file: each check opens its own page.
 */
export async function launchChromium(
  executablePath: string,
  viewport: { width: number; height: number } = { width: 1280, height: 900 },
): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'vmars-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    // A fixed scale, so that screenshots are the same size on every machine.
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
