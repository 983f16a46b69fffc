import { fileURLToPath } from 'node:url';
import { appPageScript, writePageScriptModule } from '@vmars/browser-testing';
import { defineConfig } from 'tsup';

export default defineConfig(async () => {
  // The page's script first: src/page/main.ts bundled into src/page-script.generated.ts, which
  // render-html.ts imports (committed, so that tests and tsc find it without a build).
  await writePageScriptModule(
    appPageScript(fileURLToPath(new URL('.', import.meta.url)), 'LAB_PAGE_SCRIPT'),
  );
  return {
    // The worker is its own entry: tinypool loads it by file name in each worker thread.
    entry: ['src/cli.ts', 'src/run-worker.ts'],
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: true,
    target: 'node20',
  };
});
