import { defineConfig } from 'vitest/config';

// One vitest run for the whole workspace: packages resolve each other's TypeScript sources
// through the `@fdl/source` export condition, so tests never need a prior build.
export default defineConfig({
  resolve: { conditions: ['@fdl/source'] },
  ssr: { resolve: { conditions: ['@fdl/source'], externalConditions: ['@fdl/source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'tools/*/src/**/*.test.ts',
      'docs/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
