import { describe, expect, it } from 'vitest';
import { reportBrowserTest } from './report-test.js';

describe('reportBrowserTest', () => {
  const test = reportBrowserTest('file:///work/apps/demo/src/report.browser.test.ts');

  it('puts the reports and the screenshots beside the app’s src', () => {
    expect(test.workDirectory).toBe('/work/apps/demo/.test-tmp/browser');
    expect(test.artifacts).toBe('/work/apps/demo/test-artifacts');
  });

  it('registers one hook before the cases and one after, and has no context until then', () => {
    const registered: string[] = [];
    const chromium = test.useChromium({
      beforeAll: () => registered.push('before'),
      afterAll: () => registered.push('after'),
    });
    expect(registered).toEqual(['before', 'after']);
    expect(() => chromium.context).toThrow(/inside a case/);
  });
});
