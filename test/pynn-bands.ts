/**
 * The MODELS.md §6 band checks of the benchmark examples exported to PyNN, run
 * through `spikeflow run --backend … --json` (test/pynn-bands.test.ts in CI,
 * test/pynn-bands-brunel-neuron.test.ts for Brunel base on pyNN.neuron).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { main, type CliIo } from '../engine/hosts/cli.ts';
import { backendMissing, type PyNNBackend } from '../engine/hosts/backend-run.ts';
import { requireTool } from './require-tool.ts';
import { ROOT } from './helpers.ts';

/** A MODELS.md §6 band for one benchmark and the simulators it is checked on here. */
export interface Band {
  readonly model: string;
  readonly file: string;
  readonly rate: readonly [number, number];
  readonly cv: readonly [number, number];
  readonly backends: readonly PyNNBackend[];
}

export const BANDS: readonly Band[] = [
  { model: 'CUBA', file: 'cuba.spikeflow.json', rate: [5.0, 6.6], cv: [0.523 - 0.04, 0.523 + 0.04], backends: ['brian2', 'neuron'] },
  { model: 'COBA', file: 'coba.spikeflow.json', rate: [17, 21.5], cv: [1.53 - 0.15, 1.53 + 0.15], backends: ['brian2', 'neuron'] },
  { model: 'Brunel base', file: 'brunel.spikeflow.json', rate: [36.0, 38.2], cv: [0.443 - 0.03, 0.443 + 0.03], backends: ['brian2', 'neuron'] },
];

/** `spikeflow run FILE --backend B --duration-ms 1000 --json`'s statistics. */
export async function runOn(backend: PyNNBackend, file: string): Promise<{ mean_rate_hz: number; cv_isi: number; run_ms: number; build_ms: number }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(['run', path.join(ROOT, 'examples', file), '--backend', backend, '--duration-ms', '1000', '--json'], io);
  if (code !== 0) throw new Error(`spikeflow run --backend ${backend} ${file} failed (${code}): ${err}`);
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** Runs each band case on `backends` and checks rate and CV(ISI). */
export function bandSuite(backends: readonly PyNNBackend[], keep: (b: Band, backend: PyNNBackend) => boolean): void {
  const present: Record<string, boolean> = {
    brian2: backends.includes('brian2') && requireTool('pyNN.brian2 (python3-pynn, python3-brian)', backendMissing('brian2') === null, 'apt-get install -y python3-pynn python3-brian'),
    neuron: backends.includes('neuron') && requireTool('pyNN.neuron with compiled mechanisms', backendMissing('neuron') === null, 'see .ci/run (python3-pynn python3-neuron neuron-dev, nrnivmodl)'),
  };
  let codegen: string | undefined;
  beforeAll(() => {
    codegen = process.env.SPIKEFLOW_BRIAN2_CODEGEN;
    process.env.SPIKEFLOW_BRIAN2_CODEGEN = 'numpy';
  });
  afterAll(() => {
    if (codegen === undefined) delete process.env.SPIKEFLOW_BRIAN2_CODEGEN;
    else process.env.SPIKEFLOW_BRIAN2_CODEGEN = codegen;
  });
  describe.each(backends.map((b) => [b, present[b]] as const))('the MODELS.md benchmarks exported to PyNN, on pyNN.%s', (backend, here) => {
    const cases = BANDS.filter((b) => b.backends.includes(backend) && keep(b, backend)).map((b) => [b.model, b] as const);
    it.runIf(here).each(cases)(
      '%s: rate and CV(ISI) over 1 s inside the MODELS.md §6 bands',
      async (model, { file, rate, cv }) => {
        const stats = await runOn(backend, file);
        process.stderr.write(
          `\npyNN.${backend} ${model} 1 s: rate ${stats.mean_rate_hz.toFixed(3)} Hz, CV(ISI) ${stats.cv_isi.toFixed(3)}, build ${(stats.build_ms / 1000).toFixed(0)} s, run ${(stats.run_ms / 1000).toFixed(0)} s\n`,
        );
        expect(stats.mean_rate_hz).toBeGreaterThanOrEqual(rate[0]);
        expect(stats.mean_rate_hz).toBeLessThanOrEqual(rate[1]);
        expect(stats.cv_isi).toBeGreaterThanOrEqual(cv[0]);
        expect(stats.cv_isi).toBeLessThanOrEqual(cv[1]);
      },
      1_800_000,
    );
  });
}
