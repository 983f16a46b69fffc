import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appPageScript, pageScriptModuleText } from '@vmars/browser-testing';
import { describe, expect, it } from 'vitest';
import { PAGE_SCRIPT } from './page-script.generated.js';

describe("the page's script", () => {
  it('is the current bundle of src/page/main.ts (rebuild the demo when this fails)', async () => {
    const generated = appPageScript(fileURLToPath(new URL('..', import.meta.url)), 'PAGE_SCRIPT');
    const fresh = await pageScriptModuleText(generated);
    expect(readFileSync(generated.output, 'utf8')).toBe(fresh);
  });

  it('is one IIFE that parses, with no module syntax left', () => {
    expect(PAGE_SCRIPT).toMatch(/^"use strict";\n\(\(\) => \{/);
    expect(PAGE_SCRIPT).not.toMatch(/^\s*(import|export)\s/m);
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
  });
});
