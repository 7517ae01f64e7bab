/**
 * Writes the surrogate-gradient examples (examples/sg-*.spikeflow.json) from
 * one recipe, so the four share every setting but the encoder:
 * `npx tsx scripts/make-sg-examples.ts`.
 *
 * encoder → hidden LIF (exc + inh wires) → readout LIF, 10 neurons (exc + inh
 * wires), with a surrogate-gradient trainer on the readout.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultParams, getKind, PROJECTION_PARAMS } from '../engine/kinds/index.ts';
import { newDocument, serializeDocument, loadDocument } from '../engine/format/load.ts';
import type { DocEdge, DocNode, GraphDocument } from '../engine/format/document.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples');

export type Encoding = 'rate' | 'latency' | 'delta';

/** Settings shared by every example (the encoding experiment varies only the encoder). */
export const SG_RECIPE = {
  dtMs: 1,
  presentationMs: 20,
  restMs: 40,
  hidden: 128,
  epochs: 20,
  batchSize: 32,
  learningRate: 0.03,
  initMaxMv: 4,
  maxRateHz: 500,
  rateMode: 'regular' as 'poisson' | 'regular',
};

function node(id: string, kind: string, label: string, x: number, y: number, params: Record<string, unknown>): DocNode {
  return { id, kind, label, position: { x, y }, params: { ...defaultParams(getKind(kind)!.params), ...params } };
}

function wire(id: string, s: string, t: string, params?: Record<string, unknown>, tp = 'in'): DocEdge {
  return { id, source: { node: s, port: 'spikes' }, target: { node: t, port: tp }, params: params ?? {} };
}

const LIF = { tau_m_ms: 10, v_rest_mv: -65, v_reset_mv: -65, v_th_mv: -50, t_ref_ms: 0, tau_syn_exc_ms: 5, tau_syn_inh_ms: 5, v_init_mv: -65 };

export function sgDocument(encoding: Encoding, name: string, description: string): GraphDocument {
  const r = SG_RECIPE;
  const doc = newDocument(name, { clock: () => new Date('2026-11-29T00:00:00.000Z') });
  doc.meta.description = description;
  doc.simulation = { ...doc.simulation, dt_ms: r.dtMs, duration_ms: 1000, seed: 1 };
  const input = { input: 'digits', presentation_ms: r.presentationMs, rest_ms: r.restMs, order: 'sequential' };
  const encoder =
    encoding === 'rate'
      ? node('digits', 'rate-encoder', 'Digits (rate code)', 40, 200, { ...input, max_rate_hz: r.maxRateHz, mode: r.rateMode })
      : encoding === 'latency'
        ? node('digits', 'latency-encoder', 'Digits (latency code)', 40, 200, { ...input, form: 'linear', t_max_ms: 15, threshold: 0 })
        : node('digits', 'delta-encoder', 'Digits (delta code)', 40, 200, { ...input, threshold: 0.1 });
  const w = (receptor: 'exc' | 'inh', high: number) => ({
    ...defaultParams(PROJECTION_PARAMS),
    rule: 'all-to-all',
    weight: { dist: 'uniform', low: 0, high },
    receptor,
  });
  const inMax = encoding === 'rate' ? r.initMaxMv : 2 * r.initMaxMv;
  doc.nodes = [
    encoder,
    node('hidden', 'lif-curr-exp', 'Hidden LIF', 380, 200, { size: r.hidden, ...LIF }),
    node('readout', 'lif-curr-exp', 'Readout (one per digit)', 720, 200, { size: 10, ...LIF }),
    node('trainer', 'sg-trainer', 'Surrogate-gradient trainer', 1040, 200, {
      epochs: r.epochs,
      batch_size: r.batchSize,
      learning_rate: r.learningRate,
      surrogate: 'fast-sigmoid',
      slope: 5,
      loss: 'count',
      test_fraction: 0.2,
      seed: 1,
    }),
    node('raster', 'spike-monitor', 'Readout spikes', 1040, 380, {}),
  ];
  doc.edges = [
    // Excitation a little above inhibition at the start, so the readout fires from the first epoch.
    wire('in-exc', 'digits', 'hidden', w('exc', 1.5 * inMax)),
    wire('in-inh', 'digits', 'hidden', w('inh', inMax)),
    wire('hid-exc', 'hidden', 'readout', w('exc', 4 * r.initMaxMv)),
    wire('hid-inh', 'hidden', 'readout', w('inh', 3 * r.initMaxMv)),
    wire('train', 'readout', 'trainer', undefined, 'readout'),
    wire('watch', 'readout', 'raster', undefined, 'spikes'),
  ];
  return doc;
}

const HOW =
  ' Press Run to train: the Learning tab draws loss and accuracy per epoch; then the trained weights are checked in the event-driven simulation and can be stored in the document. CLI: node bin/spikeflow.mjs run examples/%f --json.';

const EXAMPLES: [string, Encoding, string, string][] = [
  [
    'sg-digits',
    'rate',
    'Surrogate-gradient classifier on the digits',
    "The bundled 8×8 digits (1797), rate-coded (Poisson, up to 250 Hz, 20 ms per digit), feed 128 hidden LIF neurons, which feed 10 readout LIF neurons, one per digit; each layer has an excitatory and an inhibitory wire, so a connection can take either sign. The trainer learns every weight by backprop through time with a fast-sigmoid surrogate, cross-entropy on the readout's spike counts and Adam, on 80 % of the digits, and tests on the 20 % it never saw.",
  ],
  [
    'sg-encoding-rate',
    'rate',
    'Encoding experiment: rate code',
    'The encoding experiment, rate code: the surrogate-gradient digits classifier (128 hidden LIF, 10 readout) with a Poisson rate encoder. Its siblings sg-encoding-latency and sg-encoding-delta differ only in the encoder; npm run experiment:encoding trains all three and prints accuracy, spikes and synaptic operations per sample.',
  ],
  [
    'sg-encoding-latency',
    'latency',
    'Encoding experiment: latency code',
    'The encoding experiment, latency code: the surrogate-gradient digits classifier (128 hidden LIF, 10 readout) with a latency encoder (one spike per pixel, earlier for more ink, within 15 ms). Its siblings sg-encoding-rate and sg-encoding-delta differ only in the encoder; npm run experiment:encoding trains all three and prints the table.',
  ],
  [
    'sg-encoding-delta',
    'delta',
    'Encoding experiment: delta code',
    'The encoding experiment, delta code: the surrogate-gradient digits classifier (128 hidden LIF, 10 readout) with a delta encoder (ON/OFF channels: a spike when a pixel changes by 0.1 or more, so one ON spike per inked pixel at the onset of a digit). Its siblings sg-encoding-rate and sg-encoding-latency differ only in the encoder; npm run experiment:encoding trains all three and prints the table.',
  ],
];

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const [file, enc, name, desc] of EXAMPLES) {
    const doc = sgDocument(enc, name, desc + HOW.replace('%f', `${file}.spikeflow.json`));
    // Through the loader, so the file is in the canonical form the examples test expects.
    const loaded = loadDocument(serializeDocument(doc));
    if (!loaded.ok) throw new Error(`${file}: ${loaded.issues.map((i) => i.message).join('; ')}`);
    writeFileSync(path.join(dir, `${file}.spikeflow.json`), serializeDocument(loaded.doc));
    console.log(`wrote examples/${file}.spikeflow.json`);
  }
}
