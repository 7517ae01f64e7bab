import { describe, it, expect } from 'vitest';
import type { NetworkPlan, PopulationPlan, ProjectionPlan } from '../../core/plan.ts';
import { defaultParams, getKind } from '../../kinds/index.ts';
import { plan as basePlan, pop as basePop, proj as baseProj } from '../../test-support/test-plans.ts';
import { exportPyNN } from './export.ts';

// The shared builders (engine/test-support/test-plans.ts) with this file's defaults: a size argument,
// wires of weight 2 and delay 1 ms without autapses, 10 ms runs.
const pop = (nodeId: string, kind: string, size: number, params: Record<string, unknown> = {}): PopulationPlan => basePop(nodeId, kind, { ...params, size });
const wire = (edgeId: string, source: number, target: number, more: Partial<ProjectionPlan> = {}): ProjectionPlan =>
  baseProj(edgeId, source, target, { allowAutapses: false, weight: 2, delayMs: 1, ...more });
const plan = (populations: PopulationPlan[], projections: ProjectionPlan[], more: Partial<NetworkPlan> = {}): NetworkPlan =>
  basePlan({ durationMs: 10, seed: 7, populations: [...populations], projections, ...more });

describe('PyNN export', () => {
  it('writes a current LIF as IF_curr_exp in PyNN units: cm = τm/R nF, weights w/R nA, inhibition negative', () => {
    const out = exportPyNN(
      plan([pop('cells', 'lif-curr-exp', 4, { tau_m_ms: 20, r_m_mohm: 100 })], [wire('rec', 0, 0, { receptor: 'inh', weight: 9, rule: 'bernoulli', p: 0.1, allowAutapses: true })]),
    );
    expect(out.notExported).toEqual([]);
    expect(out.script).toContain('cells = sim.Population(4, sim.IF_curr_exp(cm=0.2, tau_m=20.0,');
    // 9 mV of the engine's R·I variable over R = 100 MΩ: 0.09 nA, negative for inhibition.
    expect(out.script).toContain(
      'sim.FixedProbabilityConnector(0.1, allow_self_connections=True, rng=rng),\n    sim.StaticSynapse(weight=-9.0*0.01, delay=max(1.0, MIN_DELAY)),\n    receptor_type="inhibitory"',
    );
  });

  it("maps each connectivity rule to its PyNN connector on the script's seeded rng", () => {
    const rules: [Partial<ProjectionPlan>, string][] = [
      [{ rule: 'one-to-one' }, 'sim.OneToOneConnector()'],
      [{ rule: 'fixed-in-degree', n: 5 }, 'sim.FixedNumberPreConnector(5, allow_self_connections=False, with_replacement=False, rng=rng)'],
      [{ rule: 'fixed-out-degree', n: 3, allowMultapses: true }, 'sim.FixedNumberPostConnector(3, allow_self_connections=False, with_replacement=True, rng=rng)'],
      [{ rule: 'fixed-total', n: 9 }, 'sim.FixedTotalNumberConnector(9, allow_self_connections=False, with_replacement=False, rng=rng)'],
      [{ rule: 'all-to-all', allowAutapses: true }, 'sim.AllToAllConnector(allow_self_connections=True)'],
    ];
    for (const [more, connector] of rules) expect(exportPyNN(plan([pop('a', 'lif-delta', 10)], [wire('w', 0, 0, more)])).script).toContain(connector);
    expect(exportPyNN(plan([], [])).script).toContain('rng = NumpyRNG(seed=SEED, parallel_safe=True)');
  });

  it('writes drawn values as RandomDistribution, scaled to PyNN units, negated for inhibition, delays kept at one step or more', () => {
    const out = exportPyNN(
      plan(
        [pop('cells', 'lif-cond-exp', 4, { r_m_mohm: 100, v_init_mv: { dist: 'normal', mean: -65, sd: 5 } }), pop('cur', 'lif-curr-exp', 2, { r_m_mohm: 50 })],
        [
          wire('g', 0, 0, { weight: { dist: 'uniform', low: 0.5, high: 1 }, delayMs: { dist: 'uniform', low: 0, high: 2 } }),
          wire('i', 0, 1, { receptor: 'inh', weight: { dist: 'normal', mean: 2, sd: 1, min: 0 } }),
        ],
      ),
    );
    expect(out.script).toContain("cells.initialize(v=RandomDistribution('normal', mu=-65.0, sigma=5.0, rng=rng), gsyn_exc=0.0, gsyn_inh=0.0)");
    expect(out.script).toContain(
      "weight=RandomDistribution('uniform', low=0.5*0.01, high=1.0*0.01, rng=rng), delay=RandomDistribution('uniform', low=max(0.0, MIN_DELAY), high=max(2.0, MIN_DELAY), rng=rng)",
    );
    // normal ≥ 0 mV, inhibitory: mean −2, clipped to (−∞, 0], over R = 50 MΩ.
    expect(out.script).toContain("weight=RandomDistribution('normal_clipped', mu=-2.0*0.02, sigma=1.0*0.02, low=-np.inf, high=-0.0*0.02, rng=rng)");
  });

  it('reads Poisson inputs from the side .npz and writes generator spikes on the step the engine emits them', () => {
    const out = exportPyNN(
      plan(
        [pop('noise', 'poisson-source', 3), pop('gen', 'spike-generator', 2, { neurons: [0, 0, 1], times_ms: [0.05, 0.06, 0.14] }), pop('cells', 'lif-curr-exp', 2)],
        [wire('a', 0, 2), wire('b', 1, 2)],
      ),
      { inputsFile: 'x.inputs.npz' },
    );
    expect(out.inputs).toEqual(['noise']);
    expect(out.script).toContain('noise = sim.Population(3, sim.SpikeSourceArray(spike_times=spike_trains("noise", 3)), label="noise")');
    expect(out.script).toContain("parser.add_argument('--inputs', default=BASE + '.inputs.npz'");
    // 0.05 and 0.06 ms are both step 0 (one spike), 0.14 ms is step 1.
    expect(out.script).toContain('    sim.Sequence([0.0]),\n    sim.Sequence([0.1]),');
  });

  it('lists what PyNN cannot express, with the reason, in the result and the header', () => {
    const out = exportPyNN(
      plan(
        [pop('cells', 'lif-curr-exp', 2), pop('odd', 'alif', 2), pop('ou', 'ou-current', 1)],
        [wire('to-odd', 0, 1), wire('tri', 0, 0, { plasticity: { nodeId: 'trip', rule: 'triplet-stdp', params: {} } })],
        { injections: [{ edgeId: 'c', source: 2, target: 0, targetPort: 'current' }], monitors: [{ nodeId: 'v', kind: 'state-monitor', sources: [0], params: {} }] },
      ),
    );
    expect(out.notExported).toEqual([
      'not exported: node odd — kind "alif" has no PyNN standard cell type that behaves the same',
      'not exported: node ou — current source kind "ou-current" has no PyNN equivalent (PyNN\'s NoisyCurrentSource is white noise, not an Ornstein–Uhlenbeck current)',
      'not exported: wire to-odd — its target is not exported',
      'not exported: wire tri — plasticity rule "triplet-stdp" (node trip) has no PyNN equivalent (PyNN has pair STDP only)',
      'not exported: node v — monitor kind "state-monitor": the script records spikes only',
    ]);
    for (const line of out.notExported) expect(out.script).toContain(`  ${line}`);
  });

  it('writes pair STDP as STDPMechanism with amplitudes as fractions of w_max and the simulator’s dendritic delay fraction', () => {
    const stdp = { nodeId: 'learn', rule: 'stdp', params: { ...defaultParams(getKind('stdp')!.params), w_max: 2, a_pre: 0.02, a_post: -0.021, tau_pre_ms: 20, tau_post_ms: 25 } };
    const out = exportPyNN(plan([pop('in', 'spike-generator', 1), pop('cells', 'lif-curr-exp', 1, { r_m_mohm: 100 })], [wire('p', 0, 1, { plasticity: stdp, weight: 1 })]));
    expect(out.script).toContain('timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=25.0, A_plus=0.01, A_minus=0.0105)');
    expect(out.script).toContain('weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=2.0*0.01)');
    expect(out.script).toContain('dendritic_delay_fraction=DDF');
  });

  it('records what the spike monitors observe and writes the files `spikeflow run --out` writes', () => {
    const out = exportPyNN(plan([pop('cells', 'lif-curr-exp', 2)], [], { monitors: [{ nodeId: 'raster', kind: 'spike-monitor', sources: [0], params: {} }] }));
    expect(out.script).toContain("cells.record('spikes')");
    expect(out.script).toContain('    ("raster", "cells", cells),');
    expect(out.script).toContain("name = '%s.%s.spikes.csv' % (monitor, node)");
  });

  it("refuses what PyNN's cell types cannot express and names the node and field: reset by subtraction, per-neuron R (the weight's scale); Euler is listed as approximated; a bias becomes i_offset", () => {
    const out = exportPyNN(
      plan(
        [
          pop('lists', 'lif-curr-exp', 3, { r_m_mohm: { perNeuron: [100, 200, 100] }, v_th_mv: { perNeuron: [-50, -51, -52] } }),
          pop('deltas', 'lif-delta', 2, { tau_m_ms: { perNeuron: [10, 20] } }),
          pop('sub', 'lif-delta', 3, { reset: 'subtract' }),
          pop('eul', 'lif-curr-exp', 3, { integration: 'euler', i_bias_pa: 250 }),
          pop('biased', 'lif-delta', 3, { i_bias_pa: 120 }),
          pop('li', 'li-curr-exp', 3),
        ],
        [],
      ),
    );
    expect(out.notExported).toEqual([
      "not exported: node lists — field r_m_mohm: per-neuron values here change the scale of the node's synaptic weights (or NEURON's stand-in synapse) neuron by neuron, which PyNN's connectors cannot give per target; give one value for the node",
      "not exported: node deltas — field tau_m_ms: per-neuron values here change the scale of the node's synaptic weights (or NEURON's stand-in synapse) neuron by neuron, which PyNN's connectors cannot give per target; give one value for the node",
      'not exported: node sub — field reset is "subtract": PyNN\'s standard cell types reset to v_reset and cannot subtract the threshold',
      'not exported: node li — kind "li-curr-exp" has no PyNN standard cell type that behaves the same',
    ]);
    expect(out.approximations).toContain(
      'approximated: node eul: field integration is "euler", but PyNN has no choice of method: each simulator integrates its own way (exactly on NEST and Brian2), so spikes may shift by a step',
    );
    // 250 pA and 120 pA as PyNN's offset current in nA.
    expect(out.script).toMatch(/eul = sim\.Population\(3, sim\.IF_curr_exp\([^)]*i_offset=0\.25, tau_syn_E=5\.0/);
    expect(out.script).toMatch(/biased = sim\.Population\(3, delta_cell\([^)]*i_offset=0\.12,/);
  });

  it('writes per-neuron values as arrays in PyNN units in the side .npz, set per neuron: derived values follow (cm = τm/R), equal ones stay scalars, initial values too', () => {
    const out = exportPyNN(
      plan(
        [
          pop('cells', 'lif-curr-exp', 3, { r_m_mohm: 100, tau_m_ms: { perNeuron: [10, 20, 30] }, v_th_mv: { perNeuron: [-50, -50, -50] }, i_bias_pa: { perNeuron: [0, 150, 300] } }),
          pop('izh', 'izhikevich', 2, { b: 0.2, v_init_mv: { perNeuron: [-70, -60] } }),
        ],
        [],
      ),
    );
    expect(out.notExported).toEqual([]);
    // The constructor takes neuron 0's values; set() gives each neuron its own.
    expect(out.script).toContain('cells = sim.Population(3, sim.IF_curr_exp(cm=0.1, tau_m=10.0, v_rest=-65.0, v_reset=-65.0, v_thresh=-50.0,');
    expect(out.script).toContain('cells.set(cm=inputs["cells_param_cm"], tau_m=inputs["cells_param_tau_m"], i_offset=inputs["cells_param_i_offset"])');
    const arr = (k: string) => Array.from(out.arrays.find((a) => a.name === k)!.data);
    // τm/R: 10, 20, 30 ms over 100 MΩ = 0.1, 0.2, 0.3 nF; 0, 150, 300 pA = 0, 0.15, 0.3 nA. Equal thresholds stay one value.
    expect(arr('cells_param_cm')).toEqual([0.1, 0.2, 0.3]);
    expect(arr('cells_param_tau_m')).toEqual([10, 20, 30]);
    expect(arr('cells_param_i_offset')).toEqual([0, 0.15, 0.3]);
    expect(out.arrays.some((a) => a.name === 'cells_param_v_thresh')).toBe(false);
    // Izhikevich's initial u = b·v per neuron: 0.2 × (−70, −60).
    expect(out.script).toContain('izh.initialize(v=inputs["izh_init_v"], u=inputs["izh_init_u"])');
    expect(arr('izh_init_v')).toEqual([-70, -60]);
    expect(arr('izh_init_u')).toEqual([-14, -12]);
    expect(out.approximations.join('\n')).not.toContain('mean initial v');
  });

  it('writes an external Poisson drive as sources of at most 0.02 spikes per step (Brian2 fires once per step), one source per neuron on NEURON', () => {
    const out = exportPyNN(
      plan([pop('exc', 'lif-delta', 50)], [], { drives: [{ edgeId: 'd', nodeId: 'ext', kind: 'poisson-drive', target: 0, params: { count: 1000, rate_hz: 20, weight: 0.1, receptor: 'exc' } }] }),
    );
    // 1000 × 20 Hz = 20 kHz per neuron: 2 spikes per 0.1 ms step, so 100 sources of 200 Hz (0.02 per step).
    expect(out.script).toContain("k = 1 if args.simulator == 'neuron' else 100");
    expect(out.script).toContain('drive_ext_exc = sim.Population(50 * k, sim.SpikeSourcePoisson(rate=20000.0 / k), label="drive_ext_exc")');
    expect(out.script).toContain('sim.FromListConnector(np.column_stack([np.arange(50 * k), np.repeat(np.arange(50), k)]))');
    expect(out.approximations).toEqual([
      expect.stringContaining('approximated: node exc: lif-delta is IF_curr_delta'),
      "approximated: node ext: the external Poisson drive (1000 inputs × 20 Hz per neuron) is drawn by the simulator (SpikeSourcePoisson: 100 sources of 200 Hz per neuron, one of 20000 Hz on NEURON), so its spikes are not Spikeflow's and differ between process counts",
    ]);
  });

  it('writes a synapse list with its own delays as FromListConnector weight and delay columns, and refuses a negative stored weight naming the wire and field', () => {
    const out = exportPyNN(
      plan(
        [pop('a', 'lif-curr-exp', 2, { r_m_mohm: 100 }), pop('b', 'lif-curr-exp', 2, { r_m_mohm: 100 })],
        [wire('listed', 0, 1, { synapses: { pre: [0, 1], post: [1, 0], w: [5, 2], delayMs: [0.04, 2.5] } }), wire('signed', 1, 0, { synapses: { pre: [0, 1], post: [0, 1], w: [1, -3] } })],
      ),
    );
    expect(out.notExported).toEqual(['not exported: wire signed — field weights: synapse 1 has weight -3 on receptor "exc", a sign PyNN\'s excitatory synapses refuse']);
    expect(out.script).toContain(
      'sim.FromListConnector(np.column_stack([inputs["listed_pre"], inputs["listed_post"], inputs["listed_w"], np.maximum(inputs["listed_d"], MIN_DELAY)]), column_names=[\'weight\', \'delay\'])',
    );
    // 0.04 ms rounds to step 0, kept at one step (0.1 ms); 2.5 ms is 25 steps. Weights 5 and 2 mV over 100 MΩ.
    const d = out.arrays.find((x) => x.name === 'listed_d')!.data;
    expect(Array.from(d)).toEqual([0.1, 2.5]);
    expect(Array.from(out.arrays.find((x) => x.name === 'listed_w')!.data)).toEqual([0.05, 0.02]);
    expect(out.script).toMatch(/max_delay=2\.6,/);
  });
});
