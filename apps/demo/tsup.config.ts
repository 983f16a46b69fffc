import { fileURLToPath } from 'node:url';
import { appPageScript, writePageScriptModule } from '@vmars/browser-testing';
import { defineConfig } from 'tsup';

export default defineConfig(async () => {
  // The page's script first: src/page/main.ts bundled into src/page-script.generated.ts, which
  // render-html.ts imports (committed, so that tests and tsc find it without a build).
  await writePageScriptModule(
    appPageScript(fileURLToPath(new URL('.', import.meta.url)), 'PAGE_SCRIPT'),
  );
  return {
    // report-screenshot.js serves `pnpm report:screenshot`; it is not part of the CLI.
    entry: ['src/cli.ts', 'src/report-screenshot.ts'],
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: true,
    target: 'node20',
    // A devDependency (with playwright-core under it), loaded only by report-screenshot.js, never
    // bundled.
    external: ['@vmars/browser-testing', 'playwright-core'],
  };
});
