/**
 * Drawn connectivity goes out to NIR, with the user's consent, as the synapses the engine
 * draws under the document's seed (engine/hosts/drawn-synapses.ts): the file loads in the
 * reference reader with those synapses in its weight matrix, and imported back it gives the
 * original document's spikes under the same seed.
 */
import { describe, it, expect } from 'vitest';
import { documentToNirDraft } from '../engine/interop/nir/from-document.ts';
import { exportNirDocument } from '../engine/interop/nir/convert.ts';
import { readNir } from '../engine/interop/nir/hdf5.ts';
import type { NirNodeOf } from '../engine/interop/nir/model.ts';
import { nirToDocumentDraft } from '../engine/interop/nir/to-document.ts';
import { withDrawnSynapses } from '../engine/hosts/drawn-synapses.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { realize } from '../engine/hosts/realize.ts';
import { drawnDocument as drawnWires } from './nir/documents.ts';
import { spikesOf, withInputSpikes } from './nir/run.ts';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../engine/hosts/cli.ts';
import { serializeDocument } from '../engine/format/serialize.ts';

async function runCli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

/** The drawn document with seeded input spikes, so that both populations fire. */
const drawnDocument = () => withInputSpikes(drawnWires(), 0.5, 11);

describe('NIR export of drawn connectivity', () => {
  it('is refused without consent, naming each drawn wire and what consent would do', () => {
    const draft = documentToNirDraft(drawnDocument());
    const reasons = draft.notExported.map((n) => `${n.id}: ${n.reason}`);
    expect(reasons.some((r) => r.startsWith('g_a: its connectivity "bernoulli" is drawn by the engine; exporting with static weights'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('a_b: its weight and delay must each be one number, or be drawn'))).toBe(true);
  });

  it('stores exactly the synapses a run of the document draws, per-synapse delays where the delay is drawn, and leaves the document itself alone', () => {
    const doc = drawnDocument();
    const before = JSON.stringify(doc);
    const out = withDrawnSynapses(doc);
    expect(out.error).toBeUndefined();
    expect(JSON.stringify(doc)).toBe(before);
    expect(out.realised.map((r) => r.edgeId)).toEqual(['g_a', 'a_b']);
    const compiled = compileDocument(doc);
    if (!compiled.ok) throw new Error('does not compile');
    const engine = realize(compiled.plan, { steps: 0 });
    const gA = out.doc.edges.find((e) => e.id === 'g_a')!.weights as { pre: number[]; post: number[]; w: number[]; delay_ms?: number[] };
    const drawnGA = engine.projections[compiled.plan.projections.findIndex((p) => p.edgeId === 'g_a')];
    expect(gA.pre).toEqual(Array.from(drawnGA.pre));
    expect(gA.post).toEqual(Array.from(drawnGA.post));
    expect(gA.w).toEqual(Array.from(drawnGA.weight));
    // Bernoulli 0.6 of 3 × 3: some pairs are missing, and the weights are drawn (not all equal).
    expect(gA.pre.length).toBeGreaterThan(0);
    expect(gA.pre.length).toBeLessThan(9);
    expect(new Set(gA.w).size).toBeGreaterThan(1);
    expect(gA.delay_ms).toBeUndefined();
    const aB = out.doc.edges.find((e) => e.id === 'a_b')!.weights as { delay_ms?: number[] };
    expect(aB.delay_ms).toHaveLength(3);
    for (const d of aB.delay_ms!) expect(d >= 1 && d <= 2).toBe(true);
  });

  it('with consent writes a file the reader loads whose weight matrix holds the drawn synapses, and imported back it fires exactly the original spikes under the same seed', async () => {
    const doc = drawnDocument();
    const drawn = withDrawnSynapses(doc);
    const out = await exportNirDocument(drawn.doc, { staticWeights: true });
    expect(out.notExported).toEqual([]);
    const graph = await readNir(out.bytes!);
    const linear = graph.nodes.get('g_a');
    expect(linear?.type).toBe('Linear');
    const stored = drawn.doc.edges.find((e) => e.id === 'g_a')!.weights as { pre: number[]; post: number[] };
    const weight = (linear as NirNodeOf<'Linear'>).params.weight;
    const nonZero = Array.from(weight.data).filter((x) => x !== 0).length;
    expect(nonZero).toBe(stored.pre.length);

    const imported = nirToDocumentDraft(graph, { dtMs: doc.simulation.dt_ms, durationMs: doc.simulation.duration_ms });
    const gen = imported.doc.nodes.find((n) => n.id === 'gen');
    gen!.params = { ...doc.nodes.find((n) => n.id === 'gen')!.params };
    const original = spikesOf(doc);
    const back = spikesOf(imported.doc);
    expect(original.filter((l) => l.startsWith('a ')).length, 'a must fire').toBeGreaterThanOrEqual(3);
    expect(original.filter((l) => l.startsWith('b ')).length, 'b must fire').toBeGreaterThanOrEqual(3);
    expect(back).toEqual(original);
    process.stdout.write(`drawn connectivity → NIR → Spikeflow: ${original.length} spikes, all identical (g_a ${stored.pre.length} of 9 synapses)\n`);
  });

  it('from the CLI: refused without --static-weights (exit 2, no file), written with it, with a note per drawn wire', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-nir-drawn-'));
    const file = path.join(dir, 'drawn.spikeflow.json');
    writeFileSync(file, serializeDocument(drawnDocument()));
    const out = path.join(dir, 'drawn.nir');
    const refused = await runCli(['export', file, '--to', 'nir', '-o', out]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('not exportable: g_a (wire gen → a) — its connectivity "bernoulli" is drawn by the engine');
    expect(existsSync(out)).toBe(false);
    const written = await runCli(['export', file, '--to', 'nir', '-o', out, '--static-weights']);
    expect(written.err).not.toMatch(/not exportable/);
    expect(written.code).toBe(0);
    expect(written.err).toMatch(/note: g_a: its \d+ drawn synapses are written as the engine draws them under seed 1/);
    const graph = await readNir(new Uint8Array(readFileSync(out)));
    const stored = withDrawnSynapses(drawnDocument()).doc.edges.find((e) => e.id === 'g_a')!.weights as { pre: number[] };
    const data = (graph.nodes.get('g_a') as NirNodeOf<'Linear'>).params.weight.data;
    expect(Array.from(data).filter((x) => x !== 0)).toHaveLength(stored.pre.length);
  });
});
