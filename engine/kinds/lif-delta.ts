import { defineNodeKind } from './define.ts';
import { BIAS_CURRENT, INTEGRATION, ms, mv, NEURON_COUNT, neuronInputs, RESET_MODE, SPIKES_OUT, vInit, excInhNeurons } from './neuron-common.ts';
import { LifDelta, LIF_DELTA_BYTES } from '../sim/lif-delta.ts';

export const lifDelta = defineNodeKind({
  id: 'lif-delta',
  label: 'LIF (delta synapses)',
  category: 'neuron',
  help: [
    'Leaky integrate-and-fire neurons with delta synapses, as in Brunel (2000) and NEST iaf_psc_delta: an arriving spike',
    'makes V jump by its weight (mV) at once.',
    '  τm dV/dt = −(V − v_rest) + R·I_ext      (held at v_reset while refractory)',
    '  on arrival: V ← V + w (exc wire) or V ← V − w (inh wire)',
    'Spike when V > v_th (strict) and not refractory; then V ← v_reset for t_ref.',
    'Input that arrives while the neuron is refractory — including in the step of its own spike — is discarded.',
    "The defaults are Brunel's, with potentials relative to rest (v_rest = 0); absolute potentials work as well.",
    'An external Poisson drive (poisson-drive) wired into "current" adds its jumps the same way; a DC current',
    'wired there shifts the equilibrium to v_rest + R·I.',
    'Integration: exact, V ← E + (V − E)·e^{−dt/τm} with E = v_rest + R·(I_ext + I_bias) (I_ext held over the step);',
    'or forward Euler (integration = euler), V ← V + (dt/τm)·(E − V), as NIR’s discrete reference.',
    'Reset = subtract: V ← V − (v_th − v_reset) instead of V ← v_reset (NIR’s discrete reference with v_reset = 0).',
  ].join('\n'),
  inputs: neuronInputs('mV'),
  outputs: SPIKES_OUT,
  params: {
    size: NEURON_COUNT,
    tau_m_ms: ms('τm', 20, 'Membrane time constant.'),
    v_rest_mv: mv('V rest', 0, 'Resting potential (Brunel measures V from rest, so 0).'),
    v_reset_mv: mv('V reset', 10, 'Potential after a spike.'),
    v_th_mv: mv('V threshold', 20, 'A neuron spikes when V exceeds this.'),
    t_ref_ms: ms('Refractory', 2, 'Refractory period; rounded to whole steps. Input arriving during it is discarded.', 0, false),
    r_m_mohm: { type: 'number', default: 100, min: 0, unit: 'MΩ', label: 'R membrane', tooltip: 'Membrane resistance: an injected DC current I (pA) shifts the equilibrium by R·I (mV = MΩ·pA/1000).' },
    v_init_mv: vInit(0, 'Membrane potential at t = 0: a constant, or drawn per neuron (Brunel: uniform 0–20 mV).'),
    reset: RESET_MODE,
    integration: INTEGRATION,
    i_bias_pa: BIAS_CURRENT,
  },
  spikeLevel: { param: 'v_th_mv' },
  state: [{ id: 'v', unit: 'mV', label: 'membrane potential' }],
  size: (p) => p.size,
  check: (p) => (p.v_reset_mv >= p.v_th_mv ? [['v_reset_mv', `must be below the threshold (${p.v_th_mv} mV)`]] : []),
  runtime: excInhNeurons(LIF_DELTA_BYTES, (params, size, ctx) => new LifDelta(params, size, ctx)),
});
