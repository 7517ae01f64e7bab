import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { ROOT } from './helpers.ts';
import type { GraphDocument } from '../engine/format/document.ts';
import { hasPythonModules, PYTHON, requireTool } from './require-tool.ts';
import { benchDocument, parseTrainingArgs, peerArgs, pinnedEnv, trainingTable, trainOurs, type TrainingRun } from '../bench/training.ts';

const DATA = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';
const haveData = requireTool('Fashion-MNIST (dataset-fashion-mnist)', existsSync(DATA), 'apt-get install dataset-fashion-mnist');
const haveTorch = requireTool('PyTorch (python3-torch)', hasPythonModules('torch', 'numpy'), 'apt-get install python3-torch');

describe('the training bench (npm run bench -- --training)', () => {
  it('reads its options and refuses an unknown one or a bad count, naming the flag', () => {
    expect(parseTrainingArgs(['--training', '--samples', '64', '--threads', '2'])).toMatchObject({ samples: 64, threads: 2, test: 1000, repeats: 3, epochs: 1 });
    expect(parseTrainingArgs(['--training', '--epochs', '2', '--seed', '3'])).toMatchObject({ epochs: 2, seed: 3 });
    expect(() => parseTrainingArgs(['--training', '--samples', '0'])).toThrow(/--samples needs a whole number ≥ 1 \(got "0"\)/);
    expect(() => parseTrainingArgs(['--training', '--batch', '2'])).toThrow(/unknown option "--batch"/);
  });

  it("gives a run's seed to both sides: ours as the document's simulation seed (initial weights) and the trainer's (batches), the peer's as --seed", () => {
    const doc = {
      format: 'spikeflow-graph',
      version: 2,
      simulation: { dt_ms: 1, duration_ms: 100, seed: 1 },
      nodes: [
        { id: 't', kind: 'sg-trainer', params: { seed: 1, epochs: 4 } },
        { id: 'e', kind: 'rate-encoder', params: { input: 'file' } },
      ],
      edges: [],
    } as unknown as GraphDocument;
    const b = benchDocument(doc, 100, 20, 1000, 2, 7);
    expect(b.simulation.seed).toBe(7);
    expect(b.nodes[0].params).toMatchObject({ seed: 7, epochs: 2, validation_fraction: 0 });
    expect(b.nodes[1].params).toMatchObject({ first_sample: 900, sample_count: 120 });
    expect(benchDocument(doc, 100, 20, 1000).simulation.seed).toBe(1);
    const o = parseTrainingArgs(['--training']);
    expect(peerArgs({ ...o, seed: 3 }).slice(-2)).toEqual(['--seed', '3']);
    expect(peerArgs(o)).not.toContain('--seed');
  });

  it('prints both trainers side by side with the epoch-time ratio from the median time per sample, and the difference of their test accuracies', () => {
    const run = (peer: TrainingRun['peer'], s: number, acc = 0.6): TrainingRun => ({
      peer,
      threads: 1,
      train_samples: 100,
      epochs: 1,
      train_s: s,
      // The peer's CPU time twice its wall time (two busy threads), ours the same as the wall.
      train_cpu_s: peer === 'pytorch' ? 2 * s : s,
      test_samples: 10,
      test_s: 1,
      train_accuracy: 0.5,
      test_accuracy: acc,
    });
    // Medians: ours 2 s and the peer's 4 s per 100 samples: 20 and 40 ms per sample, 0.50×;
    // by CPU ours 20 and the peer's 80 ms per sample: 0.25×.
    // Test accuracies: ours 0.6 each time, the peer's median 0.615.
    const table = trainingTable([run('spikeflow', 2), run('spikeflow', 1), run('spikeflow', 9)], [run('pytorch', 4, 0.61), run('pytorch', 4, 0.615), run('pytorch', 5, 0.7)], 1000);
    expect(table).toContain('| Spikeflow | 1 | 3 | 20.000 | 20.000 | 1.00 | 20.0 | 50.0 % | 60.0 % |');
    expect(table).toContain('| PyTorch | 1 | 3 | 40.000 | 80.000 | 2.00 | 40.0 | 50.0 % | 61.5 % |');
    expect(table).toContain('Spikeflow / PyTorch epoch time: 0.50× (target ≤ 1.0×); by CPU time: 0.25×');
    expect(table).toContain('Test accuracy, Spikeflow − PyTorch (medians, the same 10 test images after the same 1 epoch(s) on the same 100 training images): -1.5 points (target: within 1)');
    // The peer's 61, 61.5 and 70 %: mean 64.17, sd √(51.17 / 2) = 5.06.
    expect(table).toContain('Test accuracy over the runs (mean ± sd; run r has seed r + 1 on both sides): Spikeflow 60.0 ± 0.0 % (3 runs), PyTorch 64.2 ± 5.1 % (3 runs)');
  });

  it("pins every thread pool of a bench child to the bench's thread count in its environment", () => {
    expect(pinnedEnv(2)).toMatchObject({ OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' });
    expect(pinnedEnv(1).PATH).toBe(process.env.PATH);
  });

  it.runIf(haveData && haveTorch)(
    "the PyTorch peer and ours train two epochs of the same tiny Fashion-MNIST subset with the example's membrane loss and report what the bench reads",
    async () => {
      const o = parseTrainingArgs(['--training', '--samples', '64', '--test', '32', '--epochs', '2', '--seed', '2']);
      // Started without the bench's pinned environment: the script pins its own thread pools to --threads before importing torch.
      const { OMP_NUM_THREADS: _o, MKL_NUM_THREADS: _m, OPENBLAS_NUM_THREADS: _b, ...env } = process.env;
      const { stdout } = await promisify(execFile)(PYTHON, peerArgs(o), { cwd: ROOT, timeout: 180_000, env });
      const peer = JSON.parse(stdout.trim().split('\n').pop()!) as TrainingRun;
      expect(peer).toMatchObject({ peer: 'pytorch', threads: 1, interop_threads: 1, omp_num_threads: 1, train_samples: 64, test_samples: 32, epochs: 2 });
      expect(peer.train_s).toBeGreaterThan(0);
      expect(peer.train_cpu_s).toBeGreaterThan(0);
      for (const a of [peer.train_accuracy, peer.test_accuracy]) expect(a >= 0 && a <= 1).toBe(true);
      const ours = await trainOurs(o);
      expect(ours).toMatchObject({ peer: 'spikeflow', train_samples: 64, test_samples: 32, epochs: 2 });
      expect(ours.train_cpu_s).toBeGreaterThan(0);
      expect(trainingTable([ours], [peer], 57000)).toMatch(/Spikeflow \/ PyTorch epoch time: \d+\.\d\d×/);
    },
    240_000,
  );
});
