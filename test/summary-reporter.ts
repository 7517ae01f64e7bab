/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, that
 * CI tools read whatever the runner. Skips are listed by name, never silent.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skipped: string[] = [];
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped.push(t.fullName);
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
    }
    for (const s of skipped) process.stdout.write(`SKIPPED: ${s}\n`);
    process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped.length} skipped\n`);
  }
}
