import { defineConfig } from 'vitest/config';

// The packed-install test runs alone (it packs the built packages and installs them with npm in
// a temporary project); it is not one of the workspace's vitest projects.
export default defineConfig({
  test: {
    include: ['scripts/packed-install.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
