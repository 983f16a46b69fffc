import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    // The kernel check forks a Node process per policy and maps thousands of blocks in it: this
    // limit only catches a hang on a small shared machine.
    testTimeout: 120_000,
    include: ['src/**/*.test.ts'],
  },
});
