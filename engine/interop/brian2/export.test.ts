import { describe, it, expect } from 'vitest';
import type { NetworkPlan, PopulationPlan, ProjectionPlan } from '../../core/plan.ts';
import { defaultParams, getKind } from '../../kinds/index.ts';
import { plan as basePlan, pop as basePop, proj as baseProj } from '../../test-support/test-plans.ts';
import { exportBrian2, type Brian2Realised } from './export.ts';

// The shared builders (engine/test-support/test-plans.ts) with this file's defaults: a size argument,
// wires of weight 2 and delay 1 ms without autapses, 10 ms runs.
const pop = (nodeId: string, kind: string, size: number, params: Record<string, unknown> = {}): PopulationPlan => basePop(nodeId, kind, { ...params, size });
const wire = (edgeId: string, source: number, target: number, more: Partial<ProjectionPlan> = {}): ProjectionPlan =>
  baseProj(edgeId, source, target, { allowAutapses: false, weight: 2, delayMs: 1, ...more });
const plan = (populations: readonly PopulationPlan[], projections: ProjectionPlan[], more: Partial<NetworkPlan> = {}): NetworkPlan =>
  basePlan({ durationMs: 10, seed: 1, populations: [...populations], projections, ...more });

/** Hand-made realised arrays: what realize() would give, with every synapse of `syn` per projection (default: one 0 → 0 synapse, weight 2, 10 steps). */
function realised(p: NetworkPlan, more: Partial<Brian2Realised> & { syn?: Record<string, Partial<Brian2Realised['projections'][number]>> } = {}): Brian2Realised {
  const sources = new Set(['spike-generator', 'poisson-source']);
  return {
    steps: p.nSteps,
    populations: p.populations.flatMap((x, index) => (sources.has(x.kind) || x.kind.endsWith('-current') ? [] : [{ index, initial: { v: new Float64Array(x.size).fill(-65) } }])),
    projections: p.projections.map((x, index) => ({
      index,
      pre: Int32Array.of(0),
      post: Int32Array.of(0),
      weight: Float64Array.of(2),
      delaySteps: Int32Array.of(10),
      ...more.syn?.[x.edgeId],
    })),
    sources: p.populations.flatMap((x, index) => (sources.has(x.kind) ? [{ index, i: new Int32Array(0), step: new Int32Array(0) }] : [])),
    drives: [],
    currents: [],
    ...more,
  };
}

describe('Brian2 export', () => {
  it('lists every node and wire it cannot express, with the reason, in the result and the script header', () => {
    const p = plan([pop('noise', 'poisson-source', 3), pop('cells', 'lif-delta', 4), pop('odd', 'alif', 2), pop('ou', 'ou-current', 0)], [wire('in', 0, 1), wire('to-odd', 1, 2)], {
      injections: [{ edgeId: 'o', source: 3, target: 1, targetPort: 'current' }],
      monitors: [
        { nodeId: 'vm', kind: 'state-monitor', sources: [1], params: { variable: 'w' } },
        { nodeId: 'rm', kind: 'rate-monitor', sources: [1], params: {} },
      ],
    });
    const out = exportBrian2(p, realised(p, { currents: [{ target: 1, value: null }], steps: 50 }));
    expect(out.notExported).toEqual([
      'not exported: node ou — a current that differs per neuron (noise, into cells) is not exported',
      'not exported: node odd — kind "alif" has no Brian2 mapping yet',
      'not exported: wire to-odd — its target is not exported',
      'not exported: node vm — field variable: "w" of cells is not a state variable of its Brian2 group',
      'not exported: node rm — monitor kind "rate-monitor": the script records spikes and state monitors only',
      'not exported: the run — inputs were realised for 50 of 100 steps; the script runs 50',
    ]);
    for (const line of out.notExported) expect(out.script).toContain(`  ${line}`);
    expect(out.script).toContain("cells = NeuronGroup(4, '''");
    expect(out.script).toContain('net.run(5*ms)');
  });

  it("writes a source's realised spikes as a SpikeGeneratorGroup on the steps that emit them", () => {
    const p = plan([pop('in', 'spike-generator', 2, { neurons: [0, 0, 1], times_ms: [0.05, 0.06, 0.14] })], []);
    const out = exportBrian2(p, realised(p, { sources: [{ index: 0, i: Int32Array.of(0, 1), step: Int32Array.of(0, 1) }] }));
    expect(out.script).toContain('in_ = SpikeGeneratorGroup(2, np.array([0, 1], dtype=int),\n    np.array([0, 1], dtype=int)*defaultclock.dt');
  });

  it('writes the drawn synapses, weights, delays and initial values, in the side .npz when longer than the inline limit', () => {
    const p = plan([pop('cells', 'lif-curr-exp', 3)], [wire('rec', 0, 0, { rule: 'bernoulli', p: 0.5, receptor: 'inh', weight: { dist: 'uniform', low: 0, high: 1 } })]);
    const real = realised(p, {
      populations: [{ index: 0, initial: { v: Float64Array.of(-70, -60, -55), i_exc: new Float64Array(3), i_inh: new Float64Array(3) } }],
      syn: { rec: { pre: Int32Array.of(0, 2, 2), post: Int32Array.of(1, 0, 1), weight: Float64Array.of(0.25, 0.5, 0.75), delaySteps: Int32Array.of(0, 3, 12) } },
    });
    const inline = exportBrian2(p, real);
    expect(inline.arrays).toEqual([]);
    expect(inline.script).toContain('cells.v = np.array([-70, -60, -55])\ncells.ie = 0\ncells.ii = 0');
    expect(inline.script).toContain('syn_rec.connect(i=np.array([0, 2, 2], dtype=int), j=np.array([1, 0, 1], dtype=int))');
    expect(inline.script).toContain('syn_rec.w = np.array([0.25, 0.5, 0.75])');
    expect(inline.script).toContain('syn_rec.pre.delay = np.array([0, 3, 12], dtype=int)*defaultclock.dt');
    // With delays the engine sums each step's arrivals in a ring slot, then adds the slot: an accumulator here.
    expect(inline.script).toContain("on_pre='''\n    acc_inh_post -= w\n'''");
    expect(inline.script).toContain("cells.run_regularly('''\n    ii += acc_inh\n    acc_inh = 0\n''', when='synapses'");

    const side = exportBrian2(p, real, { inlineMax: 2 });
    expect(side.arrays.map((a) => [a.name, a.descr, a.shape])).toEqual([
      ['cells_v', '<f8', [3]],
      ['syn_rec_i', '<i4', [3]],
      ['syn_rec_j', '<i4', [3]],
      ['syn_rec_w', '<f8', [3]],
      ['syn_rec_delay', '<i4', [3]],
    ]);
    expect(side.script).toContain("data = np.load(os.path.splitext(os.path.abspath(__file__))[0] + '.npz')");
    expect(side.script).toContain('syn_rec.connect(i=data["syn_rec_i"], j=data["syn_rec_j"])');
  });

  it('adds the input of a wire without delay straight to the receptor, and keeps the readable all-to-all form', () => {
    const p = plan([pop('a', 'spike-generator', 2), pop('b', 'lif-cond-exp', 2)], [wire('ab', 0, 1, { delayMs: 0 })]);
    const out = exportBrian2(p, realised(p, { syn: { ab: { pre: Int32Array.of(0, 0, 1, 1), post: Int32Array.of(0, 1, 0, 1), weight: new Float64Array(4).fill(2), delaySteps: new Int32Array(4) } } }));
    expect(out.script).toContain("on_pre='''\n    ge_post += w\n''', delay=0*ms");
    expect(out.script).toContain('syn_ab.connect()');
    expect(out.script).not.toContain('run_regularly');
  });

  it('gates a delta LIF group: its accumulators are added to V unless refractory, in the order the engine made its rings', () => {
    const p = plan([pop('g', 'spike-generator', 1), pop('d', 'lif-delta', 1, { t_ref_ms: 2 })], [wire('i', 0, 1, { receptor: 'inh', delayMs: 0 }), wire('e', 0, 1)]);
    const out = exportBrian2(p, realised(p));
    expect(out.script).toContain('acc_inh : 1');
    expect(out.script).toContain(
      "d.run_regularly('''\n    v += int(not_refractory) * acc_inh\n    v += int(not_refractory) * acc_exc\n    acc_inh = 0\n    acc_exc = 0\n''', when='synapses', order=2",
    );
  });

  it("writes a LIF's bias current into its resting potential, reset by subtraction and forward Euler as its params ask", () => {
    const p = plan([pop('d', 'lif-delta', 1, { v_rest_mv: 0, r_m_mohm: 100, i_bias_pa: 50, reset: 'subtract', v_th_mv: 20, v_reset_mv: 10, integration: 'euler' })], []);
    const out = exportBrian2(p, realised(p));
    // E = 0 + (100/1000)·50 = 5 mV; subtract v_th − v_reset = 10 mV.
    expect(out.script).toContain('dv/dt = (-(v - (5)) + 0)/(20*ms) : 1 (unless refractory)');
    expect(out.script).toContain('threshold="v > 20", reset="v = v - 10", refractory=2*ms, method="euler"');
  });

  it("writes a drive's realised events per step as a TimedArray added to the receptor's input after the synapses", () => {
    const p = plan([pop('d', 'lif-delta', 2)], [], { nSteps: 3, drives: [{ edgeId: 'x', nodeId: 'ext', kind: 'poisson-drive', params: {}, target: 0 }] });
    const counts = Uint16Array.of(1, 0, 2, 3, 0, 0xffff);
    const out = exportBrian2(p, realised(p, { drives: [{ edgeId: 'x', target: 0, size: 2, receptor: 'exc', sign: 1, weight: 0.1, counts }] }));
    // Two 16-bit counts to an int32 (little-endian: the first in the low half), unpacked by numpy's view.
    expect(out.arrays.map((a) => [a.name, a.descr, a.shape, [...a.parts()].flatMap((x) => [...x])])).toEqual([['drive_x', '<i4', [3], [1, 2 + 3 * 65536, -65536]]]);
    expect(out.script).toContain('drive_x = TimedArray(data["drive_x"].view(np.uint16)[:6].reshape(3, 2), dt=defaultclock.dt)');
    expect(out.script).toContain("d.run_regularly('acc_exc += drive_x(t, i) * 0.1', when='synapses', order=0");
  });

  it('folds a constant current into the equations and writes one that switches as a TimedArray of its steps', () => {
    const p = plan([pop('dc', 'dc-current', 0), pop('a', 'lif-curr-exp', 1), pop('b', 'lif-curr-exp', 1)], [], {
      nSteps: 4,
      injections: [
        { edgeId: 'x', source: 0, target: 1, targetPort: 'current' },
        { edgeId: 'y', source: 0, target: 2, targetPort: 'current' },
      ],
    });
    const out = exportBrian2(
      p,
      realised(p, {
        currents: [
          { target: 1, value: new Float64Array(4).fill(150) },
          { target: 2, value: Float64Array.of(0, 150, 150, 0) },
        ],
      }),
    );
    // R·I/1000 = 100 MΩ · 150 pA = 15 mV.
    expect(out.script).toContain('+ ie + ii + 15)/(20*ms)');
    expect(out.script).toContain('I_b = TimedArray(np.array([0, 150, 150, 0]), dt=defaultclock.dt)');
    expect(out.script).toContain('+ ie + ii + 100*I_b(t)/1000)/(20*ms)');
  });

  it("writes pair STDP with on_pre delivering first, and every projection's postsynaptic pathway after all presynaptic ones", () => {
    const stdp = { nodeId: 'rule', rule: 'stdp', params: { ...defaultParams(getKind('stdp')!.params), a_pre: 0.01, a_post: -0.0105, w_max: 2, tau_pre_ms: 20, tau_post_ms: 20 } };
    const p = plan([pop('in', 'poisson-source', 2), pop('out', 'lif-curr-exp', 1)], [wire('learn', 0, 1, { plasticity: stdp, delayMs: 0 }), wire('fixed', 0, 1)]);
    const out = exportBrian2(p, realised(p, { syn: { learn: { delaySteps: Int32Array.of(0) } } }));
    expect(out.notExported).toEqual([]);
    expect(out.script).toContain(
      "dapre/dt = -apre/(20*ms) : 1 (event-driven)\n    dapost/dt = -apost/(20*ms) : 1 (event-driven)\n''', on_pre='''\n    acc_exc_post += w\n    apre += 0.01\n    w = clip(w + apost, 0, 2)\n''', on_post='''\n    apost += -0.0105\n    w = clip(w + apre, 0, 2)\n''', delay=0*ms",
    );
    expect(out.script).toContain('syn_learn.pre.order = 0');
    expect(out.script).toContain('syn_fixed.pre.order = 1');
    expect(out.script).toContain('syn_learn.post.order = 2');
    const other = exportBrian2(plan(p.populations, [wire('learn', 0, 1, { plasticity: { ...stdp, rule: 'triplet-stdp' } })]), realised(p));
    expect(other.notExported).toEqual(['not exported: wire learn — rule "triplet-stdp" (node rule) has no Brian2 mapping yet']);
  });

  it('learns at the spike and delivers after the delay on a plastic wire with delays: two presynaptic pathways', () => {
    const stdp = { nodeId: 'rule', rule: 'stdp', params: { ...defaultParams(getKind('stdp')!.params), a_pre: 0.01, a_post: -0.0105, w_max: 2, pairing: 'nearest', mode: 'multiplicative' } };
    const p = plan([pop('in', 'poisson-source', 2), pop('out', 'lif-curr-exp', 1)], [wire('learn', 0, 1, { plasticity: stdp })]);
    const out = exportBrian2(p, realised(p));
    expect(out.script).toContain(
      "on_pre={'pre': '''\n    w_sent = w\n    apre = 0.01\n    w = clip(w + apost*w/2, 0, 2)\n''', 'deliver': '''\n    acc_exc_post += w_sent\n'''}, on_post='''\n    apost = -0.0105\n    w = clip(w + apre*(1 - w/2), 0, 2)\n''', delay={'deliver': 1*ms}",
    );
    expect(out.script).toContain('syn_learn.deliver.order = 0');
  });
});
