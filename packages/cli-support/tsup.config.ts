import { defineConfig } from 'tsup';

export default defineConfig({
  // `page/index` is what the reports' page scripts import (`@vmars/cli-support/page`): no Node.
  entry: { index: 'src/index.ts', 'page/index': 'src/page/index.ts' },
  format: ['esm'],
  // No shared chunk: the page scripts bundle page/index.js, and a chunk's hashed name would
  // change their generated bundles whenever anything in the chunk did.
  splitting: false,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
