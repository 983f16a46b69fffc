import { defineConfig } from 'tsup';

export default defineConfig({
  // `page/index` is what the reports' page scripts import (`@vmars/cli-support/page`): no Node.
  entry: { index: 'src/index.ts', 'page/index': 'src/page/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
