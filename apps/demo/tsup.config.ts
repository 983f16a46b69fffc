import { defineConfig } from 'tsup';

export default defineConfig({
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
});
