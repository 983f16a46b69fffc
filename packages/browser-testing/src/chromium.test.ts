import { describe, expect, it, vi } from 'vitest';
import { CHROMIUM_ENV, chromiumForTests, findChromium } from './chromium.js';

describe('findChromium', () => {
  it('takes $VMARS_CHROMIUM when it names a file, and nothing when it does not', () => {
    expect(findChromium({ [CHROMIUM_ENV]: process.execPath })).toBe(process.execPath);
    expect(findChromium({ [CHROMIUM_ENV]: '/nowhere/chromium' })).toBeUndefined();
  });
});

describe('chromiumForTests', () => {
  const missing = { [CHROMIUM_ENV]: '/nowhere/chromium' };

  it('skips with a warning without a browser, outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(chromiumForTests('x.browser.test.ts', missing)).toEqual({
      executablePath: undefined,
      skip: true,
    });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^x\.browser\.test\.ts: skipped\./));
    warn.mockRestore();
  });

  it('runs (and so fails) without a browser in CI', () => {
    for (const CI of ['true', '1']) {
      expect(chromiumForTests('x', { ...missing, CI }).skip).toBe(false);
    }
  });

  it('runs with a browser', () => {
    const found = { [CHROMIUM_ENV]: process.execPath };
    expect(chromiumForTests('x', found)).toEqual({ executablePath: process.execPath, skip: false });
  });
});
