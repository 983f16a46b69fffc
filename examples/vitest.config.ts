import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['*.test.ts'],
    // The examples run as child processes of the built programs, and the README check runs tsc:
    // seconds each on a small shared machine.
    testTimeout: 120_000,
  },
});
