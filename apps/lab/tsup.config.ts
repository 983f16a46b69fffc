import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker is its own entry: tinypool loads it by file name in each worker thread.
  entry: ['src/cli.ts', 'src/run-worker.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
