import { describe, it, expect } from 'vitest';
import { SgNetwork, type SgLifSpec, type SgLoss, type SgPopulationSpec, type SgProjectionSpec } from './sg-network.ts';
import { gradCheck, type GradCheckSample } from './grad-check.ts';
import { synapticFactor } from '../sim/lif-curr-exp.ts';
import { Rng } from '../sim/rng.ts';
import type { Surrogate } from './surrogate.ts';

const dt = 1;
function lif(tauM = 10, tauE = 5, tauI = 8, refSteps = 0, vInit = -60): SgLifSpec {
  return {
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

describe('SgNetwork BPTT', () => {
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
