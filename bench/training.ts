/**
 * `npm run bench -- --training`: Spikeflow's surrogate-gradient trainer
 * against a PyTorch implementation of the same network, encoder, surrogate and
 * BPTT (bench/peers/torch_sg.py), on the same machine and the same threads.
 *
 *   npm run bench -- --training [--samples 2000] [--test 1000] [--epochs 1] [--repeats 3] [--threads 1]
 *                               [--doc examples/datasets/sg-fashion-mnist.spikeflow.json]
 *
 * Both train `--epochs` epochs (the document's schedule over them) on the last
 * `--samples` training images and test the final weights on the first `--test`
 * test images, the same images on both sides; repeat r gives both sides the seed
 * r + 1 (ours: initial weights and batch order, the document's simulation and
 * trainer seeds; the peer's: torch.manual_seed), so both vary from run to run and a
 * repeat is reproducible; each run is a fresh child process, ours and the
 * peer's alternating, so a loaded machine's noise hits both. The epoch time is
 * the median training time per sample times the example's training samples
 * (the training file less its validation share). The load average is printed
 * with the figures, since the machine may be shared.
 *
 * With `--child` it is the child itself: ours trains in-process and prints one
 * JSON line, the same fields as the peer's.
 */
import { execFile } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { provideDocumentDatasets } from '../engine/hosts/dataset-files-node.ts';
import { TrainingJob } from '../engine/learn/trainer.ts';
import type { GraphDocument } from '../engine/format/document.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
export const PEER_SCRIPT = 'bench/peers/torch_sg.py';
const DEFAULT_DOC = 'examples/datasets/sg-fashion-mnist.spikeflow.json';

/** One side's run: the peer's JSON line, or ours in the same fields. */
export interface TrainingRun {
  readonly peer: 'spikeflow' | 'pytorch';
  readonly threads: number;
  readonly train_samples: number;
  readonly epochs: number;
  readonly train_s: number;
  /** CPU time of the training (user + system, every thread of the process): on a loaded machine, fairer than the wall time. */
  readonly train_cpu_s: number;
  readonly test_samples: number;
  readonly test_s: number;
  readonly train_accuracy: number;
  readonly test_accuracy: number;
}

export interface TrainingBenchOptions {
  readonly doc: string;
  readonly samples: number;
  readonly test: number;
  readonly repeats: number;
  readonly threads: number;
  readonly epochs: number;
  /** The seed of a run: ours, the document's simulation seed (initial weights) and the trainer's (batches); the peer's torch.manual_seed. The bench gives repeat r the seed r + 1. */
  readonly seed?: number;
}

/** Parse `--training` and its options (the rest of the bench's flags do not apply). */
export function parseTrainingArgs(argv: readonly string[]): TrainingBenchOptions {
  const o: { -readonly [K in keyof TrainingBenchOptions]: TrainingBenchOptions[K] } = { doc: DEFAULT_DOC, samples: 2000, test: 1000, repeats: 3, threads: 1, epochs: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--training' || a === '--child') continue;
    const v = argv[++i];
    if (a === '--doc') {
      if (!v) throw new Error('--doc needs a document');
      o.doc = v;
      continue;
    }
    const key = { '--samples': 'samples', '--test': 'test', '--repeats': 'repeats', '--threads': 'threads', '--epochs': 'epochs', '--seed': 'seed' }[a] as
      'samples' | 'test' | 'repeats' | 'threads' | 'epochs' | 'seed' | undefined;
    if (!key) throw new Error(`bench --training: unknown option ${JSON.stringify(a)} (known: --samples, --test, --epochs, --repeats, --threads, --seed, --doc)`);
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${a} needs a whole number ≥ 1 (got ${JSON.stringify(v)})`);
    o[key] = n;
  }
  return o;
}

/** The bench's variant of a training document: `epochs` epochs on the last `samples` training images, tested on the first `test` test images. */
export function benchDocument(doc: GraphDocument, samples: number, test: number, trainCount: number, epochs = 1, seed?: number): GraphDocument {
  return {
    ...doc,
    ...(seed !== undefined ? { simulation: { ...doc.simulation, seed } } : {}),
    nodes: doc.nodes.map((n) => {
      if (n.kind === 'sg-trainer') return { ...n, params: { ...n.params, epochs, validation_fraction: 0, check_in_simulation: false, ...(seed !== undefined ? { seed } : {}) } };
      if (n.params.input === 'file') return { ...n, params: { ...n.params, first_sample: trainCount - samples, sample_count: samples + test } };
      return n;
    }),
  };
}

/** Ours, in this process (the child of the bench): build, train the epochs (timed; the test pass after each is not), test the final weights (timed). */
export async function trainOurs(o: TrainingBenchOptions): Promise<TrainingRun> {
  const file = path.resolve(root, o.doc);
  const text = readFileSync(file, 'utf8');
  await provideDocumentDatasets(JSON.parse(text), file);
  const loaded = loadDocument(text);
  if (!loaded.ok) throw new Error(`${o.doc}: ${loaded.issues.map((i) => i.message).join('; ')}`);
  const c = compileDocument(benchDocument(loaded.doc, o.samples, o.test, trainImages(file, loaded.doc), o.epochs, o.seed));
  if (!c.ok) throw new Error(c.issues.map((i) => i.message).join('; '));
  const job = new TrainingJob(c.plan, c.plan.trainers![0]);
  let trainS = 0;
  let cpuS = 0;
  let testS = 0;
  while (!job.done) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    // Train until the epoch's last batch; the test pass after it is timed apart.
    while (job.batch < job.batchesPerEpoch) job.step(() => job.batch >= job.batchesPerEpoch);
    trainS += (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    cpuS += (cpu.user + cpu.system) / 1e6;
    const t1 = performance.now();
    job.step();
    testS = (performance.now() - t1) / 1000;
  }
  const report = job.history[job.history.length - 1];
  return {
    peer: 'spikeflow',
    threads: 1,
    train_samples: job.train.length,
    epochs: job.history.length,
    train_s: trainS,
    train_cpu_s: cpuS,
    test_samples: job.test.length,
    test_s: testS,
    train_accuracy: report.trainAccuracy,
    test_accuracy: report.testAccuracy ?? NaN,
  };
}

/** The number of images in the document's training file (its IDX labels file's header). */
function trainImages(docFile: string, doc: GraphDocument): number {
  const labels = doc.nodes.find((n) => n.params.input === 'file')?.params.labels_file;
  if (typeof labels !== 'string') throw new Error(`${docFile}: no encoder reads a labels file`);
  const f = path.resolve(path.dirname(docFile), labels);
  let data = readFileSync(f);
  if (f.endsWith('.gz')) data = gunzipSync(data);
  return data.readUInt32BE(4);
}

/** The child's environment: every thread pool (OpenMP, MKL, OpenBLAS) pinned to `threads`, set before the child starts (torch sizes its pools on import). */
export function pinnedEnv(threads: number): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...process.env, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n };
}

function runJson(cmd: string, args: readonly string[], timeoutS: number, threads: number): Promise<TrainingRun> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: root, timeout: timeoutS * 1000, maxBuffer: 1 << 24, env: pinnedEnv(threads) }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${path.basename(args[args.length > 2 ? 2 : 0] ?? cmd)} failed: ${err.message}\n${stderr.split('\n').slice(-8).join('\n')}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as TrainingRun);
      } catch {
        reject(new Error(`no JSON line in the output of ${cmd} ${args.join(' ')}:\n${stdout.slice(-400)}`));
      }
    });
  });
}

/** The peer's command line. */
export function peerArgs(o: TrainingBenchOptions): string[] {
  const args = [PEER_SCRIPT, '--doc', o.doc, '--train', String(o.samples), '--test', String(o.test), '--threads', String(o.threads), '--epochs', String(o.epochs)];
  return o.seed !== undefined ? [...args, '--seed', String(o.seed)] : args;
}

/** Mean and sample standard deviation (0 for one value). */
export function meanSd(xs: readonly number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) : 0;
  return [m, Math.sqrt(v)];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The side-by-side table: seconds per epoch (median per-sample time × the epoch's samples), accuracies, the ratios. */
export function trainingTable(ours: readonly TrainingRun[], peer: readonly TrainingRun[], epochSamples: number): string {
  const row = (name: string, runs: readonly TrainingRun[]) => {
    const perSample = median(runs.map((r) => r.train_s / (r.train_samples * r.epochs)));
    const acc = median(runs.map((r) => r.test_accuracy));
    const trainAcc = median(runs.map((r) => r.train_accuracy));
    const cpuPerSample = median(runs.map((r) => r.train_cpu_s / (r.train_samples * r.epochs)));
    return {
      name,
      perSample,
      cpuPerSample,
      acc,
      line: `| ${name} | ${runs[0]?.threads ?? 1} | ${runs.length} | ${(perSample * 1e3).toFixed(3)} | ${(cpuPerSample * 1e3).toFixed(3)} | ${(cpuPerSample / perSample).toFixed(2)} | ${(perSample * epochSamples).toFixed(1)} | ${(100 * trainAcc).toFixed(1)} % | ${(100 * acc).toFixed(1)} % |`,
    };
  };
  const pm = (runs: readonly TrainingRun[]) => {
    const [m, sd] = meanSd(runs.map((r) => 100 * r.test_accuracy));
    return `${m.toFixed(1)} ± ${sd.toFixed(1)} % (${runs.length} runs)`;
  };
  const a = row('Spikeflow', ours);
  const b = row('PyTorch', peer);
  return [
    `| trainer | threads | runs | wall ms per training sample (median) | CPU ms per training sample (median) | CPU / wall | s per epoch of ${epochSamples} samples (wall) | train acc. | test acc. |`,
    '|---|---|---|---|---|---|---|---|---|',
    a.line,
    b.line,
    '',
    `Spikeflow / PyTorch epoch time: ${(a.perSample / b.perSample).toFixed(2)}× (target ≤ 1.0×); by CPU time: ${(a.cpuPerSample / b.cpuPerSample).toFixed(2)}×`,
    `Test accuracy, Spikeflow − PyTorch (medians, the same ${ours[0]?.test_samples ?? 0} test images after the same ${ours[0]?.epochs ?? 0} epoch(s) on the same ${ours[0]?.train_samples ?? 0} training images): ` +
      `${(100 * (a.acc - b.acc)).toFixed(1)} points (target: within 1)`,
    `Test accuracy over the runs (mean ± sd; run r has seed r + 1 on both sides): Spikeflow ${pm(ours)}, PyTorch ${pm(peer)}`,
  ].join('\n');
}

/** The bench: runs ours and the peer alternately and prints the table. Returns the exit code. */
export async function trainingBench(argv: readonly string[]): Promise<number> {
  const log = (s = '') => process.stdout.write(s + '\n');
  let o: TrainingBenchOptions;
  try {
    o = parseTrainingArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  // The raw JSON: loading would check the dataset files, which only the children read.
  const doc = JSON.parse(readFileSync(path.resolve(root, o.doc), 'utf8')) as GraphDocument;
  const trainer = doc.nodes.find((n) => n.kind === 'sg-trainer');
  const epochSamples = Math.round(trainImages(path.resolve(root, o.doc), doc) * (1 - ((trainer?.params.validation_fraction as number | undefined) ?? 0)));
  log(`Training bench: ${o.doc}, ${o.epochs} epoch(s) on ${o.samples} training images, test on ${o.test}; ${o.threads} thread(s); ${o.repeats} runs each, alternating.`);
  const loads: number[][] = [os.loadavg()];
  const ours: TrainingRun[] = [];
  const peer: TrainingRun[] = [];
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  for (let r = 0; r < o.repeats; r++) {
    const a = await runJson(
      process.execPath,
      [tsx, 'bench/training.ts', '--child', '--doc', o.doc, '--samples', String(o.samples), '--test', String(o.test), '--epochs', String(o.epochs), '--seed', String(r + 1)],
      3600,
      1,
    );
    ours.push(a);
    log(`  run ${r + 1}: Spikeflow ${a.train_s.toFixed(1)} s training (CPU ${a.train_cpu_s.toFixed(1)} s), test ${(100 * a.test_accuracy).toFixed(1)} %  (load ${os.loadavg()[0].toFixed(1)})`);
    const b = await runJson(PYTHON, peerArgs({ ...o, seed: r + 1 }), 3600, o.threads);
    peer.push(b);
    log(
      `  run ${r + 1}: PyTorch   ${b.train_s.toFixed(1)} s training (CPU ${b.train_cpu_s.toFixed(1)} s, ${b.threads} thread(s)), test ${(100 * b.test_accuracy).toFixed(1)} %  (load ${os.loadavg()[0].toFixed(1)})`,
    );
    loads.push(os.loadavg());
  }
  log();
  log(trainingTable(ours, peer, epochSamples));
  const l1 = loads.map((l) => l[0]);
  log(`Load average (1 min) during the bench: ${Math.min(...l1).toFixed(1)}–${Math.max(...l1).toFixed(1)} on ${os.cpus().length} cores.`);
  const out = path.join(root, 'bench', 'results');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'training-latest.json'), JSON.stringify({ options: o, epochSamples, loads, ours, peer }, null, 2) + '\n');
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv.includes('--child')) {
  trainOurs(parseTrainingArgs(process.argv.slice(2))).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
