import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    // Speed is measured by `pnpm bench`, not by tests: this limit only catches a hang. Turbo runs
    // the packages' tests side by side on small shared machines, where a 100,000-probe loop can
    // take several seconds.
    testTimeout: 120_000,
    include: ['src/**/*.test.ts'],
  },
});
