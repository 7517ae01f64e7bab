import { defineConfig } from 'vitest/config';

// Three projects: fast unit and cross-layer tests; the browser end-to-end tests
// (build the web app once, drive Debian Chromium with playwright-core); and slow
// runs on other simulators (`npm run test:slow`, not in `npm test`).
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: ['node_modules/**', 'dist/**', 'dist-electron/**', 'test/e2e/**', 'test/slow/**'],
          testTimeout: 60_000,
        },
      },
      {
        // Runs of whole benchmark networks on other simulators (PyNN on NEURON and
        // Brian2): about an hour on 2 cores, so not part of `npm test`; `npm run test:slow`.
        test: {
          name: 'slow',
          environment: 'node',
          include: ['test/slow/**/*.slow.test.ts'],
          testTimeout: 3_600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
