import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './test/sequencer.ts';

// Two projects: unit and cross-layer tests (among them runs of whole benchmark
// networks on other simulators), and the browser end-to-end tests (build the web
// app once, drive Debian Chromium with playwright-core). Files known to run for
// minutes start first (test/sequencer.ts).
//
// The unit project runs two files at a time (vitest's own default is one worker
// fewer than the cores: one file at a time on CI's 2 cores), so that the long
// single-process runs of other simulators (Brunel on pyNN.neuron: ~6 min of one
// core) go on beside the rest instead of before it. The e2e project stays serial:
// it drives one Chromium at a time.
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    sequence: { sequencer: LongFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: ['node_modules/**', 'dist/**', 'dist-electron/**', 'test/e2e/**'],
          testTimeout: 60_000,
          maxWorkers: 2,
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
