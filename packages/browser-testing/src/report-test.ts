import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import {
  type BrowserSession,
  CHROMIUM_MISSING,
  chromiumForTests,
  launchChromium,
} from './chromium.js';

/** The test runner's hooks (vitest's `beforeAll` and `afterAll`), passed in. */
export interface SuiteHooks {
  beforeAll(hook: () => Promise<void>): void;
  afterAll(hook: () => Promise<void>): void;
}

/** What a browser test file of a report sets up, for a test file at `src/*.browser.test.ts`. */
export interface ReportBrowserTest {
  /** No Chromium and not in CI: the cases skip (one warning says how to install it). */
  readonly skip: boolean;
  /** `<app>/.test-tmp/browser`, for the reports the test writes. */
  readonly workDirectory: string;
  /** `<app>/test-artifacts`, for screenshots: emptied before the cases run. */
  readonly artifacts: string;
  /**
   * Registers hooks that empty `artifacts` and launch Chromium before the suite's cases, and
   * close it after them; the returned object's `context` is the browser's, inside the cases.
   */
  useChromium(hooks: SuiteHooks): { readonly context: BrowserContext };
}

/**
 * The setup both apps' browser tests share: `testFile` is the test's `import.meta.url`; the app's
 * directory is the one above its `src`.
 */
export function reportBrowserTest(testFile: string): ReportBrowserTest {
  const path = fileURLToPath(testFile);
  const app = join(path, '..', '..');
  const { executablePath, skip } = chromiumForTests(basename(path));
  const artifacts = join(app, 'test-artifacts');
  return {
    skip,
    workDirectory: join(app, '.test-tmp', 'browser'),
    artifacts,
    useChromium(hooks) {
      let session: BrowserSession | undefined;
      hooks.beforeAll(async () => {
        if (executablePath === undefined) throw new Error(CHROMIUM_MISSING);
        rmSync(artifacts, { recursive: true, force: true });
        session = await launchChromium(executablePath);
      });
      hooks.afterAll(async () => {
        await session?.close();
      });
      return {
        get context(): BrowserContext {
          if (session === undefined)
            throw new Error('Chromium is not running: use it inside a case');
          return session.context;
        },
      };
    },
  };
}
