import { describe, it, expect } from 'vitest';
import { SgNetwork, synapticFactorGrad, type SgLifSpec, type SgLoss, type SgModel, type SgPopulationSpec, type SgProjectionSpec } from './sg-network.ts';
import { gradCheck, type GradCheckSample } from './grad-check.ts';
import { synapticFactor } from '../sim/lif-curr-exp.ts';
import { Rng } from '../sim/rng.ts';
import type { Surrogate } from './surrogate.ts';

const dt = 1;
function lif(tauM = 10, tauE = 5, tauI = 8, refSteps = 0, vInit = -60, model: SgModel = 'current'): SgLifSpec {
  const tauW = 30;
  return {
    model,
    ...(model === 'alif' ? { bw: Math.exp(-dt / tauW), cw: synapticFactor(dt, tauM, tauW), jump: 3 } : {}),
    a: Math.exp(-dt / tauM),
    be: Math.exp(-dt / tauE),
    bi: Math.exp(-dt / tauI),
    ce: synapticFactor(dt, tauM, tauE),
    ci: synapticFactor(dt, tauM, tauI),
    vRest: -65,
    vReset: -70,
    vTh: -50,
    vInit,
    refSteps,
    tau: { dt, m: tauM, exc: tauE, inh: tauI, w: model === 'alif' ? tauW : tauM },
  };
}

/** All-to-all CSR (with or without autapses). */
function dense(ns: number, nt: number, autapses = true): { rowPtr: Uint32Array; col: Uint32Array } {
  const cols: number[] = [];
  const rowPtr = new Uint32Array(ns + 1);
  for (let i = 0; i < ns; i++) {
    for (let j = 0; j < nt; j++) if (autapses || i !== j) cols.push(j);
    rowPtr[i + 1] = cols.length;
  }
  return { rowPtr, col: Uint32Array.from(cols) };
}

function proj(edgeId: string, source: number, target: number, ns: number, nt: number, rng: Rng, scale: number, extra: Partial<SgProjectionSpec> = {}): SgProjectionSpec {
  const { rowPtr, col } = dense(ns, nt, source !== target);
  const w = Float64Array.from(col, () => scale * (rng.uniform() * 2 - 0.5));
  return { edgeId, source, target, receptor: 0, sign: 1, rowPtr, col, delay: null, dConst: 0, w, ...extra };
}

/** 3 inputs → 4 hidden (recurrent, one inhibitory delayed path) → 2 outputs. */
function smallRecurrent(loss: SgLoss, surrogate: Surrogate, smooth: boolean, T = 25): SgNetwork {
  const rng = new Rng(7, 'test');
  const pops: SgPopulationSpec[] = [
    { nodeId: 'in', size: 3, lif: null },
    { nodeId: 'hid', size: 4, lif: lif() },
    { nodeId: 'out', size: 2, lif: lif(12, 4, 6, 0, -65) },
  ];
  const recDelay = new Int32Array(12).map((_, k) => k % 3);
  const projections: SgProjectionSpec[] = [
    proj('in-hid', 0, 1, 3, 4, rng, 12),
    proj('hid-hid', 1, 1, 4, 4, rng, 4, { receptor: 1, sign: -1, delay: recDelay }),
    proj('hid-out', 1, 2, 4, 2, rng, 10, { dConst: 1 }),
    proj('in-out', 0, 2, 3, 2, rng, 3, { receptor: 1, sign: -1 }),
  ];
  return new SgNetwork(pops, projections, { steps: T, surrogate, slope: 2, loss, readout: 2, smooth });
}

/**
 * 3 inputs → 5 hidden → 4 hidden (recurrent, delayed, inhibitory) → 2 outputs, every
 * trained population of `model`, with a skip projection from the first hidden layer to the readout.
 */
function deep(model: SgModel, loss: SgLoss, rateReg = 0, T = 25, learnTau = false): SgNetwork {
  const rng = new Rng(11, 'deep');
  const pops: SgPopulationSpec[] = [
    { nodeId: 'in', size: 3, lif: null },
    { nodeId: 'h1', size: 5, lif: lif(10, 5, 8, 0, -60, model) },
    { nodeId: 'h2', size: 4, lif: lif(15, 4, 6, 0, -62, model) },
    { nodeId: 'out', size: 2, lif: lif(12, 4, 6, 0, -70, model) },
  ];
  // Delta synapses jump V at once: smaller weights keep the layers near threshold.
  const k = model === 'delta' ? 0.35 : 1;
  const recDelay = new Int32Array(12).map((_, i) => 1 + (i % 2));
  const projections: SgProjectionSpec[] = [
    proj('in-h1', 0, 1, 3, 5, rng, 14 * k),
    proj('h1-h2', 1, 2, 5, 4, rng, 10 * k),
    proj('h2-h2', 2, 2, 4, 4, rng, 5 * k, { receptor: 1, sign: -1, delay: recDelay }),
    proj('h2-out', 2, 3, 4, 2, rng, 12 * k, { dConst: 1 }),
    proj('h1-out', 1, 3, 5, 2, rng, 4 * k, { receptor: 1, sign: -1 }),
  ];
  return new SgNetwork(pops, projections, { steps: T, surrogate: 'fast-sigmoid', slope: 2, loss, readout: 3, smooth: true, rateReg, learnTau });
}

function randomSample(seed: number, T: number, label: number): GradCheckSample {
  const rng = new Rng(seed, 'spikes');
  const ptr = new Int32Array(T + 1);
  const idx: number[] = [];
  for (let n = 0; n < T; n++) {
    for (let c = 0; c < 3; c++) if (rng.uniform() < 0.3) idx.push(c);
    ptr[n + 1] = idx.length;
  }
  return { inputs: [[0, ptr, Int32Array.from(idx)]], label };
}

/**
 * 40 inputs → 24 → 20 → 3, every wire all-to-all without per-synapse delays
 * (an exc and an inh wire into each hidden layer, the readout's one step
 * late), strong enough that every layer spikes with hard spikes.
 */
function layered(model: SgModel, f32Kernels: boolean): SgNetwork {
  const rng = new Rng(13, 'f32');
  const sizes = [40, 24, 20, 3];
  const pops: SgPopulationSpec[] = sizes.map((size, i) => ({ nodeId: ['in', 'h1', 'h2', 'out'][i], size, lif: i === 0 ? null : lif(10, 5, 8, 0, -60, model) }));
  const k = model === 'delta' ? 0.6 : 2;
  const wire = (edgeId: string, source: number, target: number, scale: number, receptor: 0 | 1, dConst = 0): SgProjectionSpec => {
    const { rowPtr, col } = dense(sizes[source], sizes[target]);
    return { edgeId, source, target, receptor, sign: receptor ? -1 : 1, rowPtr, col, delay: null, dConst, w: Float64Array.from(col, () => scale * k * rng.uniform()) };
  };
  const projections = [wire('in-h1', 0, 1, 6, 0), wire('in-h1-inh', 0, 1, 3, 1), wire('h1-h2', 1, 2, 8, 0), wire('h1-h2-inh', 1, 2, 3, 1), wire('h2-out', 2, 3, 8, 0, 1)];
  return new SgNetwork(pops, projections, { steps: 25, surrogate: 'fast-sigmoid', slope: 2, loss: 'count', readout: 3, f32Kernels });
}

function randomInput(seed: number, T: number, channels: number, p: number): [Int32Array, Int32Array] {
  const rng = new Rng(seed, 'spikes');
  const ptr = new Int32Array(T + 1);
  const idx: number[] = [];
  for (let n = 0; n < T; n++) {
    for (let c = 0; c < channels; c++) if (rng.uniform() < p) idx.push(c);
    ptr[n + 1] = idx.length;
  }
  return [ptr, Int32Array.from(idx)];
}

describe('SgNetwork BPTT', () => {
  it('gives the same logits and gradients through the dense fast path as through the general one (the same wires with per-synapse zero delays), and checks a sparse wire without delays', () => {
    const build = (general: boolean) => {
      const net = deep('alif', 'count');
      // Every delay-free wire as per-synapse zero delays: the general path, with the same meaning.
      const projections = net.projections.map((p) => (general && p.delay === null && p.dConst === 0 ? { ...p, delay: new Int32Array(p.col.length) } : p));
      return new SgNetwork(net.populations, projections, net.options);
    };
    const fast = build(false);
    const general = build(true);
    for (const net of [fast, general]) {
      net.zeroGrads();
      const s = randomSample(5, net.T, 1);
      for (const [pop, ptr, idx] of s.inputs) net.setInput(pop, ptr, idx);
      net.trainSample(s.label);
    }
    fast.logits.forEach((x, c) => expect(x).toBeCloseTo(general.logits[c], 12));
    fast.grads.forEach((g, p) => g.forEach((x, k) => expect(x).toBeCloseTo(general.grads[p][k], 12)));
    expect(fast.grads[0].some((x) => x !== 0)).toBe(true);
    // A recurrent wire without autapses is not all-to-all: the column-index path, without delays here.
    const rng = new Rng(3, 'sparse');
    const pops: SgPopulationSpec[] = [
      { nodeId: 'in', size: 3, lif: null },
      { nodeId: 'hid', size: 4, lif: lif() },
      { nodeId: 'out', size: 2, lif: lif(12, 4, 6, 0, -65) },
    ];
    const sparse = new SgNetwork(pops, [proj('in-hid', 0, 1, 3, 4, rng, 12), proj('hid-hid', 1, 1, 4, 4, rng, 4, { receptor: 1, sign: -1 }), proj('hid-out', 1, 2, 4, 2, rng, 10)], {
      steps: 25,
      surrogate: 'fast-sigmoid',
      slope: 2,
      loss: 'count',
      readout: 2,
      smooth: true,
    });
    const r = gradCheck(sparse, [randomSample(1, 25, 0), randomSample(2, 25, 1)], 1e-5, 1e-6);
    expect(r.checked).toBe(12 + 12 + 8);
    expect(r.maxRelError).toBeLessThan(1e-4);
  });

  for (const model of ['current', 'alif', 'delta'] as const) {
    it(`runs the dense wires on the float32 kernels with the float64 loops' spikes and loss, and their gradients within float32 rounding (${model}, hard spikes)`, () => {
      const f32 = layered(model, true);
      const f64 = layered(model, false);
      expect(Array.from(f32.f32!.slotOf)).toEqual([0, 1, 2, 3, 4]);
      expect(f64.f32).toBeNull();
      for (const net of [f32, f64]) net.zeroGrads();
      let spikes = 0;
      for (const seed of [5, 6, 7]) {
        const results = [f32, f64].map((net) => {
          net.setInput(0, ...randomInput(seed, net.T, 40, 0.2));
          return { ...net.trainSample(seed % 3), spikes: net.spikesLast, events: net.eventsLast };
        });
        expect(results[0].spikes).toBe(results[1].spikes);
        expect(results[0].events).toBe(results[1].events);
        expect(results[0].predicted).toBe(results[1].predicted);
        expect(results[0].loss).toBeCloseTo(results[1].loss, 4);
        spikes += results[0].spikes;
      }
      expect(spikes).toBeGreaterThan(0);
      f32.flushGrads();
      f32.grads.forEach((g, p) => {
        const scale = Math.max(...f64.grads[p].map(Math.abs));
        expect(scale, f32.projections[p].edgeId).toBeGreaterThan(0);
        g.forEach((x, k) => expect(Math.abs(x - f64.grads[p][k]), `${f32.projections[p].edgeId}[${k}]`).toBeLessThanOrEqual(1e-5 * scale));
      });
    });
  }

  it('runs the float32 kernels on the weights of the last syncWeights, and flushGrads empties their gradients into grads once', () => {
    const net = layered('current', true);
    const run = () => {
      net.setInput(0, ...randomInput(5, net.T, 40, 0.2));
      net.forward();
      return Array.from(net.logits);
    };
    const before = run();
    expect(before.some((x) => x > 0)).toBe(true);
    net.projections[0].w.fill(0);
    expect(run()).toEqual(before);
    net.syncWeights();
    // No excitation reaches the first hidden layer: nothing spikes downstream.
    expect(run()).toEqual([0, 0, 0]);
    net.zeroGrads();
    net.trainSample(1);
    net.flushGrads();
    const once = net.grads.map((g) => g.slice());
    net.flushGrads();
    net.grads.forEach((g, p) => expect(Array.from(g)).toEqual(Array.from(once[p])));
  });

  for (const loss of ['count', 'max-v'] as const) {
    for (const surrogate of ['fast-sigmoid', 'arctan'] as const) {
      it(`gives the gradient of central finite differences within 1e-4 with a smooth forward pass (${loss} loss, ${surrogate})`, () => {
        const net = smallRecurrent(loss, surrogate, true);
        const samples = [randomSample(1, net.T, 0), randomSample(2, net.T, 1)];
        const r = gradCheck(net, samples, 1e-5, 1e-6);
        expect(r.checked).toBe(12 + 12 + 8 + 6);
        expect(r.maxAbsGrad).toBeGreaterThan(1e-4);
        expect(r.maxRelError).toBeLessThan(1e-4);
      });
    }
  }

  for (const model of ['current', 'alif', 'delta'] as const) {
    for (const loss of ['count', 'max-v', 'mean-v', 'first-spike'] as const) {
      it(`gives the exact gradient through two hidden layers, one recurrent, for ${model} neurons and the ${loss} loss`, () => {
        const net = deep(model, loss);
        const samples = [randomSample(3, net.T, 0), randomSample(4, net.T, 1)];
        // t̂ sums products over the window: a larger step keeps cancellation out of the differences.
        const r = gradCheck(net, samples, loss === 'first-spike' ? 1e-4 : 1e-5, 1e-6);
        expect(r.checked).toBe(15 + 20 + 12 + 8 + 10);
        expect(r.maxAbsGrad).toBeGreaterThan(1e-4);
        expect(r.maxRelError).toBeLessThan(1e-4);
      });
    }
  }

  for (const model of ['current', 'alif', 'delta'] as const) {
    it(`gives the exact gradient of the learnt time constants (τm, τsyn exc and inh, τw) of every layer for ${model} neurons, the weights' unchanged`, () => {
      for (const loss of ['count', 'mean-v'] as const) {
        const net = deep(model, loss, 0, 25, true);
        const samples = [randomSample(3, net.T, 0), randomSample(4, net.T, 1)];
        const r = gradCheck(net, samples, 1e-5, 1e-6);
        // 65 weights and 4 time constants for each of the 3 trained populations.
        expect(r.checked).toBe(65 + 3 * 4);
        expect(r.maxRelError).toBeLessThan(1e-4);
        const g = net.tauGrads;
        // τm matters in every layer; τsyn only with synaptic currents, τw only with adaptation.
        for (const t of g) expect(Math.abs(t[0])).toBeGreaterThan(1e-6);
        for (const t of g) expect(Math.abs(t[1]) > 1e-6).toBe(model !== 'delta');
        // (a readout that does not spike, mean-v, never adapts)
        g.forEach((t, i) => expect(t[3] !== 0).toBe(model === 'alif' && !(loss === 'mean-v' && i === 2)));
        // The weights' gradients are those of the network with fixed time constants.
        const fixed = deep(model, loss);
        fixed.zeroGrads();
        for (const s of samples) {
          for (const [pop, ptr, idx] of s.inputs) fixed.setInput(pop, ptr, idx);
          fixed.trainSample(s.label);
        }
        net.zeroGrads();
        for (const s of samples) {
          for (const [pop, ptr, idx] of s.inputs) net.setInput(pop, ptr, idx);
          net.trainSample(s.label);
        }
        net.grads.forEach((gw, p) => gw.forEach((x, k) => expect(x).toBeCloseTo(fixed.grads[p][k], 12)));
      }
    });
  }

  it('recomputes the decay and input factors from learnt time constants, as the engine derives them from the params', () => {
    const net = deep('alif', 'count', 0, 25, true);
    net.tauParams[0].set([20, 3, 6, 40]);
    net.applyTimeConstants();
    const L = net.pops[1].spec.lif!;
    expect(L.a).toBeCloseTo(Math.exp(-1 / 20), 15);
    expect(L.be).toBeCloseTo(Math.exp(-1 / 3), 15);
    expect(L.bi).toBeCloseTo(Math.exp(-1 / 6), 15);
    expect(L.bw).toBeCloseTo(Math.exp(-1 / 40), 15);
    expect(L.ce).toBeCloseTo(synapticFactor(1, 20, 3), 15);
    expect(L.cw).toBeCloseTo(synapticFactor(1, 20, 40), 15);
    // The spec passed in is left alone, and a time constant stays above 0.1 step.
    expect(net.populations[1].lif!.a).toBeCloseTo(Math.exp(-1 / 10), 15);
    net.tauParams[0][0] = -4;
    net.applyTimeConstants();
    expect(net.tauParams[0][0]).toBe(0.1);
  });

  it('differentiates the synaptic factor exactly, its τsyn = τm limit included', () => {
    const h = 1e-6;
    for (const [m, s] of [
      [10, 5],
      [8, 30],
      [10, 10.5],
    ]) {
      const [dm, ds] = synapticFactorGrad(1, m, s);
      expect(dm).toBeCloseTo((synapticFactor(1, m + h, s) - synapticFactor(1, m - h, s)) / (2 * h), 7);
      expect(ds).toBeCloseTo((synapticFactor(1, m, s + h) - synapticFactor(1, m, s - h)) / (2 * h), 7);
    }
    // At τs = τm differences straddle the removable singularity; the limit, to 50 digits (mpmath): ∂τm, ∂τs of (dt/τ)·e^(−dt/τ) at τ = 10, dt = 1.
    for (const s of [10, 10 + 1e-9]) {
      const [dm, ds] = synapticFactorGrad(1, 10, s);
      expect(dm).toBeCloseTo(-0.00859595547134162, 12);
      expect(ds).toBeCloseTo(0.00045241870901798, 12);
    }
  });

  it('adds the firing-rate regulariser, λ × spikes per hidden neuron, to the loss, with its exact gradient', () => {
    for (const model of ['current', 'alif', 'delta'] as const) {
      const net = deep(model, 'count', 0.5);
      const samples = [randomSample(5, net.T, 1)];
      const r = gradCheck(net, samples, 1e-5, 1e-6);
      expect(r.maxRelError).toBeLessThan(1e-4);
      // The regulariser's part: λ × smooth spikes per hidden neuron (5 + 4 of them).
      net.forward();
      let hidden = 0;
      for (const p of [1, 2]) for (const x of net.pops[p].s) hidden += x;
      expect(net.regLoss).toBeCloseTo((0.5 * hidden) / 9, 12);
    }
  });

  it('produces the same hard-spike forward pass as stepping the LIF update by hand', () => {
    // One neuron driven by one input spike train; compare V with the update written out.
    const L = lif(10, 5, 8, 2);
    const w = 40;
    const net = new SgNetwork(
      [
        { nodeId: 'in', size: 1, lif: null },
        { nodeId: 'n', size: 1, lif: L },
      ],
      [{ edgeId: 'e', source: 0, target: 1, receptor: 0, sign: 1, rowPtr: Uint32Array.of(0, 1), col: Uint32Array.of(0), delay: null, dConst: 0, w: Float64Array.of(w) }],
      { steps: 30, surrogate: 'fast-sigmoid', slope: 5, loss: 'count', readout: 1 },
    );
    const times = [0, 1, 2, 3, 10, 11, 12];
    const ptr = new Int32Array(31);
    for (let n = 0; n < 30; n++) ptr[n + 1] = ptr[n] + (times.includes(n) ? 1 : 0);
    net.setInput(0, ptr, new Int32Array(times.length));
    net.forward();
    let v = L.vInit;
    let ie = 0;
    let last = -1e9;
    let spikes = 0;
    const st = net.pops[1];
    for (let n = 0; n < 30; n++) {
      const iePrev = ie;
      ie *= L.be;
      let s = 0;
      if (n - last >= L.refSteps) {
        v = L.vRest + (v - L.vRest) * L.a + iePrev * L.ce;
        if (v > L.vTh) {
          s = 1;
          last = n;
        }
      }
      expect(st.v[n]).toBeCloseTo(v, 12);
      expect(st.s[n]).toBe(s);
      if (times.includes(n)) ie += w;
      if (s) v = L.vReset;
      spikes += s;
    }
    expect(spikes).toBeGreaterThan(1);
    expect(net.logits[0]).toBe(spikes);
  });
});
