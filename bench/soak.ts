/**
 * Soak test (issue 12; in the bench, not CI): a 100 k-neuron network (Brunel's
 * balanced network scaled to 80 000 + 20 000 LIF neurons, in-degree 100 / 25)
 * with a spike monitor (keep: window, capped), a rate monitor and a state
 * monitor runs for a wall-clock time through the CLI's own path (in-process
 * engine, `--out`'s recorder) while the process's resident memory is sampled.
 * It passes when RSS grows less than the stated limit after the warm-up.
 *
 *   npm run bench:soak                       # 10 minutes, limit 150 MB
 *   npm run bench:soak -- --minutes 2 --limit-mb 150
 *
 * Writes bench/results/soak-latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineClient } from '../engine/protocol/client.ts';
import { createInProcessEngine } from '../engine/hosts/in-process.ts';
import { RunRecorder } from '../engine/hosts/run-output.ts';
import { loadExample, planOf } from '../test/helpers.ts';
import type { EngineEvent } from '../engine/protocol/messages.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const minutes = arg('--minutes', 10);
const limitMb = arg('--limit-mb', 150);
const warmupS = Math.min(60, minutes * 60 * 0.15);

const doc = loadExample('brunel.spikeflow.json');
const set = (id: string, params: Record<string, unknown>) => Object.assign(doc.nodes.find((n) => n.id === id)!.params, params);
const edge = (id: string, params: Record<string, unknown>) => Object.assign(doc.edges.find((e) => e.id === id)!.params, params);
set('exc', { size: 80_000 });
set('inh', { size: 20_000 });
// A tenth of the in-degree with ten times the weight keeps the mean input of the base model.
for (const id of ['e_ee', 'e_ie']) edge(id, { n: 100, weight: 1 });
for (const id of ['e_ei', 'e_ii']) edge(id, { n: 25, weight: 5 });
set('raster', { keep: 'window', window_ms: 10_000, max_spikes: 5_000_000 });
doc.nodes.push(
  { id: 'rate', kind: 'rate-monitor', label: 'rate', position: { x: 0, y: 0 }, params: { bin_ms: 5 } },
  { id: 'volt', kind: 'state-monitor', label: 'volt', position: { x: 0, y: 0 }, params: { variable: 'v', neurons: [0, 1, 2], interval_ms: 1, keep: 'decimate', max_values: 1_000_000 } },
);
doc.edges.push(
  { id: 'm_rate', source: { node: 'exc', port: 'spikes' }, target: { node: 'rate', port: 'spikes' }, params: {} },
  { id: 'm_volt', source: { node: 'exc', port: 'spikes' }, target: { node: 'volt', port: 'spikes' }, params: {} },
);
const plan = planOf(doc, { durationMs: 10_000_000, seed: 1 });

const engine = createInProcessEngine({ memoryLimitBytes: 8e9 });
const client = new EngineClient(engine.endpoint);
const recorder = new RunRecorder(plan);
let step = 0;
const done = new Promise<Extract<EngineEvent, { type: 'finished' | 'failed' }>>((resolve) =>
  client.onEvent((e) => {
    if (recorder.accept(e)) return;
    if (e.type === 'progress') step = e.step;
    if (e.type === 'finished' || e.type === 'failed') resolve(e);
  }),
);
const mb = (b: number) => Math.round(b / 2 ** 20);
const samples: { t_s: number; rss_mb: number; held_mb: number; step: number }[] = [];
const t0 = performance.now();
const sample = () => {
  const s = { t_s: Math.round((performance.now() - t0) / 1000), rss_mb: mb(process.memoryUsage.rss()), held_mb: mb(recorder.heldBytes()), step };
  samples.push(s);
  console.log(`${s.t_s} s: RSS ${s.rss_mb} MB, monitor data ${s.held_mb} MB, step ${s.step} (${((s.step * plan.dtMs) / 1000).toFixed(1)} s simulated)`);
};
const timer = setInterval(sample, 10_000);
await client.hello();
const started = await client.run(plan, { chunkSteps: 200 });
console.log(`soak: ${started.neurons} neurons, ${started.synapses} synapses, built in ${(started.buildMs / 1000).toFixed(1)} s; running ${minutes} min`);
await new Promise((r) => setTimeout(r, minutes * 60_000));
await client.stop();
const end = await done;
clearInterval(timer);
sample();
engine.close();
const after = samples.filter((s) => s.t_s >= warmupS);
const base = after[0] ?? samples[0];
const peak = Math.max(...after.map((s) => s.rss_mb));
const growth = peak - base.rss_mb;
const result = {
  minutes,
  neurons: started.neurons,
  synapses: started.synapses,
  steps: step,
  simulated_s: (step * plan.dtMs) / 1000,
  end: end.type,
  rss_after_warmup_mb: base.rss_mb,
  rss_peak_mb: peak,
  growth_mb: growth,
  limit_mb: limitMb,
  pass: growth < limitMb && end.type === 'finished',
  dropped: recorder.dropped(),
  samples,
};
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench/results/soak-latest.json'), JSON.stringify(result, null, 2) + '\n');
console.log(
  `soak ${result.pass ? 'PASS' : 'FAIL'}: RSS ${base.rss_mb} MB after ${warmupS} s warm-up, peak ${peak} MB, growth ${growth} MB (limit ${limitMb} MB); ${result.simulated_s.toFixed(1)} s simulated`,
);
process.exit(result.pass ? 0 : 1);
