import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    // This limit only catches a hang: `record` runs a real command under strace, and turbo runs
    // the packages' tests side by side on small shared machines.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    include: ['src/**/*.test.ts'],
  },
});
