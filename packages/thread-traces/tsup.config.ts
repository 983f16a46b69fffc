import { defineConfig } from 'tsup';

export default defineConfig({
  // `index` runs anywhere (it takes text); `node` reads files, plain or gzip.
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
