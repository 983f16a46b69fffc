import { defineConfig } from 'vitest/config';

// The packed-install test (it packs the built packages and installs them with npm in temporary
// projects) and the release dry run (changeset version and pnpm publish -r --dry-run in a scratch
// copy) run alone, after the build; they are not among the workspace's vitest projects.
export default defineConfig({
  test: {
    include: [
      'scripts/packed-install.test.ts',
      'scripts/release-dry-run.test.ts',
      'scripts/quiet-build.test.ts',
      'scripts/deploy-examples.test.ts',
      'scripts/check-structure.test.ts',
    ],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
