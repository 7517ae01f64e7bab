/**
 * The order `npm test` starts its files in: vitest's own (projects apart; on a
 * clean clone, without timings, larger files first), except that the files
 * known to run for minutes start first within their project, so that none of
 * them starts near the end and stretches the run's tail (CI runs on a clean
 * clone, where vitest has no timings to go by). The unit project runs two files
 * at a time (vitest.config.ts): the longest one (Brunel on pyNN.neuron, one
 * core for ~6 min) then runs beside all the others on the second worker.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The long files, longest first (CPU on this 2-core machine, measured 2026-12-07). */
export const LONG_FIRST: readonly string[] = [
  'test/pynn-bands-brunel-neuron.test.ts', // Brunel base on pyNN.neuron: ~370 s of CPU
  'test/pynn-bands.test.ts', // five band runs on pyNN.brian2 and pyNN.neuron: ~3 min
  'test/brian2-examples.test.ts', // Brian2 scripts of the examples: ~2 min
];

/** Where `moduleId` comes in {@link LONG_FIRST}, or its length when not there. */
export function longRank(moduleId: string): number {
  const path = moduleId.replaceAll('\\', '/');
  const i = LONG_FIRST.findIndex((f) => path.endsWith(`/${f}`));
  return i < 0 ? LONG_FIRST.length : i;
}

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const projectAt = new Map<string, number>();
    sorted.forEach((f, i) => {
      if (!projectAt.has(f.project.name)) projectAt.set(f.project.name, i);
    });
    return sorted
      .map((f, i) => ({ f, i, p: projectAt.get(f.project.name)!, r: longRank(f.moduleId) }))
      .sort((a, b) => a.p - b.p || a.r - b.r || a.i - b.i)
      .map(({ f }) => f);
  }
}
