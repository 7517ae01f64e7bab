/**
 * The encoding experiment: trains the same surrogate-gradient digits
 * classifier with a rate, a latency and a delta encoder
 * (examples/sg-encoding-*.spikeflow.json) and prints, for each, the held-out
 * accuracy, spikes and synaptic operations per sample (in the event-driven
 * simulation with the trained weights) against the multiply-accumulates of an
 * equal-sized dense ANN, as a Markdown table.
 *
 *   npm run experiment:encoding [-- --epochs N]
 *
 * With `--fashion` it runs on Fashion-MNIST instead (Debian's
 * dataset-fashion-mnist): the two-hidden-layer network of
 * examples/datasets/sg-fashion-mnist.spikeflow.json with its encoder swapped
 * for each code, trained on the last `--train N` (default 10 000) of the
 * 60 000 training images for `--epochs N` (default 2) and tested on the 10 000
 * test images. Latency and delta codes send at most one spike per pixel where
 * the 250 Hz rate code sends up to five, so their input weights start
 * `INPUT_SCALE` times larger.
 *
 *   npm run experiment:encoding -- --fashion [--train N] [--epochs N]
 *
 * `--full` is the whole experiment: all 60 000 training images for the example's
 * own epochs (4), as the README's table (about 25 CPU-minutes per code; run one
 * code per process with `--rate`, `--latency` or `--delta` to use more cores).
 *
 *   npm run experiment:encoding -- --fashion --full [--rate|--latency|--delta]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { EngineClient } from '../engine/protocol/client.ts';
import type { EngineEvent, TrainingSummary } from '../engine/protocol/messages.ts';
import { createInProcessEngine } from '../engine/hosts/in-process.ts';
import { provideDocumentDatasets } from '../engine/hosts/dataset-files-node.ts';
import { defaultParams, getKind } from '../engine/kinds/index.ts';
import type { GraphDocument } from '../engine/format/document.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENCODINGS = ['rate', 'latency', 'delta'] as const;

function parseCount(argv: readonly string[], flag: string): number | undefined {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const n = Number(argv[i + 1]);
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`${flag} needs a whole number ≥ 1 (got ${argv[i + 1]})`);
  return n;
}

const FASHION = path.join(root, 'examples', 'datasets', 'sg-fashion-mnist.spikeflow.json');
/** How much larger the input weights of a latency or delta code start than the rate code's (one spike per pixel against up to five). */
const INPUT_SCALE = 4;

/** The Fashion-MNIST example with its encoder turned into `enc`, on the last `nTrain` training images and the whole test set. */
function fashionDocument(enc: (typeof ENCODINGS)[number], nTrain: number): GraphDocument {
  const doc = JSON.parse(readFileSync(FASHION, 'utf8')) as GraphDocument;
  const old = doc.nodes.find((n) => n.id === 'fashion')!;
  const kind = `${enc}-encoder`;
  const own = defaultParams(getKind(kind)!.params);
  // The input fields (files, presentation, rest, subset) carry over; the code's own fields keep their defaults.
  const params: Record<string, unknown> = { ...own };
  for (const k of Object.keys(own)) if (k in old.params) params[k] = old.params[k];
  Object.assign(params, { first_sample: 60000 - nTrain, sample_count: nTrain + 10000 });
  if (enc === 'latency') Object.assign(params, { form: 'linear', t_max_ms: 15, threshold: 0 });
  if (enc === 'delta') params.threshold = 0.1;
  doc.nodes = doc.nodes.map((n) => (n === old ? { ...n, kind, label: `Fashion-MNIST (${enc} code)`, params } : n));
  if (enc !== 'rate') {
    doc.edges = doc.edges.map((e) => {
      if (e.source.node !== 'fashion') return e;
      const w = e.params.weight as { dist: string; low: number; high: number };
      return { ...e, params: { ...e.params, weight: { ...w, high: w.high * INPUT_SCALE } } };
    });
  }
  return doc;
}

async function train(file: string, epochs: number | undefined, doc?: GraphDocument): Promise<TrainingSummary> {
  // A document's dataset files are read by the host before it loads, as the CLI does.
  if (doc) await provideDocumentDatasets(doc, file);
  const loaded = loadDocument(doc ? JSON.stringify(doc) : readFileSync(file, 'utf8'));
  if (!loaded.ok) throw new Error(`${file}: ${loaded.issues.map((i) => i.message).join('; ')}`);
  const c = compileDocument(loaded.doc);
  if (!c.ok) throw new Error(`${file}: ${c.issues.map((i) => i.message).join('; ')}`);
  let plan = c.plan;
  if (epochs !== undefined) plan = { ...plan, trainers: plan.trainers!.map((t) => ({ ...t, params: { ...t.params, epochs } })) };
  const engine = createInProcessEngine();
  const client = new EngineClient(engine.endpoint);
  const done = new Promise<Extract<EngineEvent, { type: 'finished' | 'failed' }>>((resolve) =>
    client.onEvent((e) => {
      if (e.type === 'train-progress' && e.report) {
        process.stderr.write(`  ${path.basename(file)} epoch ${e.report.epoch}/${e.epochs}: loss ${e.report.loss.toFixed(3)}, test ${(100 * (e.report.testAccuracy ?? 0)).toFixed(1)} %\n`);
      }
      if (e.type === 'finished' || e.type === 'failed') resolve(e);
    }),
  );
  await client.hello();
  await client.run(plan, { noYield: true });
  const end = await done;
  engine.close();
  if (end.type === 'failed') throw new Error(`${file}: ${end.error.message}`);
  return end.training!;
}

const argv = process.argv.slice(2);
const fashion = argv.includes('--fashion');
const full = argv.includes('--full');
if (full && !fashion) throw new Error('--full is for --fashion (the digits experiment always uses all its samples)');
const nTrain = parseCount(argv, '--train') ?? (full ? 60000 : 10000);
if (fashion && nTrain > 60000) throw new Error('--train: Fashion-MNIST has 60 000 training images');
// The example's own epochs with --full (the trainer node's), else 2 on Fashion-MNIST.
const epochs = parseCount(argv, '--epochs') ?? (fashion && !full ? 2 : undefined);
/** The Fashion-MNIST example's trainer settings (its epochs and validation hold-out), for the table's title. */
const fashionTrainer = (JSON.parse(readFileSync(FASHION, 'utf8')) as GraphDocument).nodes.find((n) => n.kind === 'sg-trainer')!.params as { epochs: number; validation_fraction: number };
const only = ENCODINGS.filter((e) => argv.includes(`--${e}`));
const rows: string[] = [];
for (const enc of only.length > 0 ? only : ENCODINGS) {
  const file = fashion ? FASHION : path.join(root, 'examples', `sg-encoding-${enc}.spikeflow.json`);
  process.stderr.write(`training ${path.relative(root, file)}${fashion ? ` with a ${enc} code` : ''}\n`);
  const t = await train(file, epochs, fashion ? fashionDocument(enc, nTrain) : undefined);
  const s = t.simulated!;
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
  rows.push(
    `| ${enc} | ${pct(t.testAccuracy)} | ${pct(s.testAccuracy)} | ${s.inputSpikesPerSample.toFixed(1)} | ${s.spikesPerSample.toFixed(1)} | ` +
      `${Math.round(s.synopsPerSample).toLocaleString('en')} | ${t.denseMacsPerSample.toLocaleString('en')} | ` +
      `${(s.synopsPerSample / t.denseMacsPerSample).toFixed(2)} | ${(t.trainMs / 1000).toFixed(0)} s |`,
  );
}
const what = fashion
  ? `Fashion-MNIST, ${nTrain} training images (${100 * fashionTrainer.validation_fraction} % of them held out for validation); test accuracy on the 10 000 test images`
  : 'test accuracy on the 359 held-out digits';
console.log(`Encoding experiment (${epochs ?? (fashion ? fashionTrainer.epochs : "the examples'")} epochs; ${what})\n`);
console.log(
  '| encoding | test accuracy (trained model) | test accuracy (event-driven simulation) | input spikes / sample | network spikes / sample | synaptic ops / sample | dense ANN MACs / sample | synops / MACs | training time |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
