import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appPageScript, pageScriptModuleText } from '@vmars/browser-testing';
import { describe, expect, it } from 'vitest';
import { LAB_PAGE_SCRIPT } from './page-script.generated.js';

describe("the page's script", () => {
  it('is the current bundle of src/page/main.ts (rebuild the lab when this fails)', async () => {
    const generated = appPageScript(
      fileURLToPath(new URL('..', import.meta.url)),
      'LAB_PAGE_SCRIPT',
    );
    const fresh = await pageScriptModuleText(generated);
    expect(readFileSync(generated.output, 'utf8')).toBe(fresh);
  });

  it('is one IIFE that parses, with no module syntax left', () => {
    expect(LAB_PAGE_SCRIPT).toMatch(/^"use strict";\n\(\(\) => \{/);
    expect(LAB_PAGE_SCRIPT).not.toMatch(/^\s*(import|export)\s/m);
    expect(() => new Function(LAB_PAGE_SCRIPT)).not.toThrow();
  });
});
