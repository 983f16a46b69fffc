import { defineConfig } from 'vitest/config';

// `vitest run` at the root runs every package's own project; each package also has a
// vitest.config.ts of its own (defineProject), so `vitest run` inside a package works too.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
