import { defineConfig } from 'tsup';

export default defineConfig({
  // replay-child.js is the script the check forks; it sits beside index.js in dist/ as it sits
  // beside check-linux.ts in src/, so one relative URL finds it from either. linux-findings.js is
  // the command behind docs/lab-findings.md's section.
  entry: ['src/index.ts', 'src/replay-child.js', 'src/linux-findings.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
