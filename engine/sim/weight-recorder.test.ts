import { describe, it, expect } from 'vitest';
import { WeightRecorder } from './weight-recorder.ts';
import { runtimeOf } from '../kinds/index.ts';

/** 2 sources → 2 targets: synapses 0→0, 0→1, 1→1. */
const csr = { nSource: 2, nTarget: 2, rowPtr: Uint32Array.from([0, 2, 3]), col: Uint32Array.from([0, 1, 1]) };

describe('WeightRecorder', () => {
  it('snapshots the initial weights and then every everySteps steps, labelled with the step they belong to', () => {
    const w = Float64Array.from([0.1, 0.2, 0.3]);
    const rec = new WeightRecorder('wm', 'stdp', csr, () => w, 3);
    for (let n = 0; n < 7; n++) {
      w[0] = n + 1; // the rule changed a weight during step n
      rec.record(n);
    }
    const out = rec.drain();
    expect(Array.from(out.steps)).toEqual([0, 3, 6]);
    // Step 2 ends with w[0] = 3, step 5 with w[0] = 6.
    expect(Array.from(out.w)).toEqual([0.1, 0.2, 0.3, 3, 0.2, 0.3, 6, 0.2, 0.3].map((x) => Math.fround(x)));
    expect(Array.from(out.pre!)).toEqual([0, 0, 1]);
    expect(Array.from(out.post!)).toEqual([0, 1, 1]);
  });

  it('sends the synapse layout only with the first drain', () => {
    const w = new Float64Array(3);
    const rec = new WeightRecorder('wm', 'stdp', csr, () => w, 1);
    rec.drain();
    rec.record(0);
    const second = rec.drain();
    expect(second.pre).toBeUndefined();
    expect(Array.from(second.steps)).toEqual([1]);
    expect(rec.pending).toBe(0);
  });
});

describe('a weight monitor in a network', () => {
  it('records the plastic projection from t = 0 every interval, ending with the final weights', async () => {
    const { defaultParams, getKind } = await import('../kinds/index.ts');
    const { newDocument } = await import('../format/load.ts');
    const { compileDocument } = await import('../compile/compile.ts');
    const { Network } = await import('./network.ts');
    const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({
      id,
      kind,
      label: id,
      position: { x: 0, y: 0 },
      params: { ...defaultParams(getKind(kind)!.params), ...params },
    });
    const wire = (id: string, s: string, sp: string, t: string, tp: string) => ({ id, source: { node: s, port: sp }, target: { node: t, port: tp }, params: {} });
    const doc = newDocument('wm');
    doc.simulation.duration_ms = 100;
    doc.nodes = [
      node('in', 'poisson-source', { size: 20, rate_hz: 100 }),
      node('stdp', 'stdp', { rule: 'all-to-all', weight: 5, w_max: 10, a_pre: 0.5, a_post: -0.5 }),
      node('out', 'lif-curr-exp', { size: 3 }),
      node('wm', 'weight-monitor', { interval_ms: 10 }),
    ];
    doc.edges = [wire('pre', 'in', 'spikes', 'stdp', 'pre'), wire('post', 'stdp', 'post', 'out', 'in'), wire('w', 'stdp', 'post', 'wm', 'projection')];
    const compiled = compileDocument(doc);
    if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join('\n'));
    expect(compiled.plan.monitors[0]).toMatchObject({ nodeId: 'wm', plasticNodeId: 'stdp', sources: [] });
    const net = new Network(compiled.plan, { runtimes: runtimeOf });
    while (net.step < net.nSteps) net.advance();
    const rec = net.weightRecorders[0];
    const out = rec.drain();
    // 1000 steps, a snapshot every 100: t = 0, 10, …, 100 ms.
    expect(Array.from(out.steps)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(out.w.length).toBe(11 * 60);
    expect(Array.from(out.w.subarray(0, 60)).every((x) => x === 5)).toBe(true);
    const final = net.plasticWeights()[0].w;
    expect(Array.from(out.w.subarray(10 * 60))).toEqual(Array.from(Float32Array.from(final)));
    expect(Array.from(final).some((x) => x !== 5)).toBe(true);
  });
});
