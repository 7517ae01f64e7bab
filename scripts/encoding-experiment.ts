/**
 * The encoding experiment: trains the same surrogate-gradient digits
 * classifier with a rate, a latency and a delta encoder
 * (examples/sg-encoding-*.spikeflow.json) and prints, for each, the held-out
 * accuracy, spikes and synaptic operations per sample (in the event-driven
 * simulation with the trained weights) against the multiply-accumulates of an
 * equal-sized dense ANN, as a Markdown table.
 *
 *   npm run experiment:encoding [-- --epochs N]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { EngineClient } from '../engine/protocol/client.ts';
import type { EngineEvent, TrainingSummary } from '../engine/protocol/messages.ts';
import { createInProcessEngine } from '../engine/hosts/in-process.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENCODINGS = ['rate', 'latency', 'delta'] as const;

function parseEpochs(argv: readonly string[]): number | undefined {
  const i = argv.indexOf('--epochs');
  if (i < 0) return undefined;
  const n = Number(argv[i + 1]);
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`--epochs needs a whole number ≥ 1 (got ${argv[i + 1]})`);
  return n;
}

async function train(file: string, epochs: number | undefined): Promise<TrainingSummary> {
  const loaded = loadDocument(readFileSync(file, 'utf8'));
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

const epochs = parseEpochs(process.argv.slice(2));
const rows: string[] = [];
for (const enc of ENCODINGS) {
  const file = path.join(root, 'examples', `sg-encoding-${enc}.spikeflow.json`);
  process.stderr.write(`training ${path.relative(root, file)}\n`);
  const t = await train(file, epochs);
  const s = t.simulated!;
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
  rows.push(
    `| ${enc} | ${pct(t.testAccuracy)} | ${pct(s.testAccuracy)} | ${s.inputSpikesPerSample.toFixed(1)} | ${s.spikesPerSample.toFixed(1)} | ` +
      `${Math.round(s.synopsPerSample).toLocaleString('en')} | ${t.denseMacsPerSample.toLocaleString('en')} | ` +
      `${(s.synopsPerSample / t.denseMacsPerSample).toFixed(2)} | ${(t.trainMs / 1000).toFixed(0)} s |`,
  );
}
console.log(`Encoding experiment (${epochs ?? "the examples'"} epochs; ${'test accuracy on the 359 held-out digits'})\n`);
console.log(
  '| encoding | test accuracy (trained model) | test accuracy (event-driven simulation) | input spikes / sample | network spikes / sample | synaptic ops / sample | dense ANN MACs / sample | synops / MACs | training time |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
