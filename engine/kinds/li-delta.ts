import { defineNodeKind } from './define.ts';
import { BIAS_CURRENT, INTEGRATION, ms, mv, NEURON_COUNT, neuronInputs, READOUT_OUT, vInit, excInhNeurons, each } from './neuron-common.ts';
import { LifDelta, LIF_DELTA_BYTES } from '../sim/lif-delta.ts';

export const liDelta = defineNodeKind({
  id: 'li-delta',
  label: 'Leaky integrator (non-spiking)',
  category: 'neuron',
  help: [
    'A non-spiking leaky integrator (NIR LI) with delta synapses: the LIF membrane without threshold or reset. A readout:',
    'record V with a state monitor wired from its output.',
    '  τm dV/dt = −(V − v_rest) + R·(I_ext + I_bias)',
    '  on arrival: V ← V + w (exc wire) or V ← V − w (inh wire)',
    'Integration: exact, V ← E + (V − E)·e^{−dt/τm} with E = v_rest + R·(I_ext + I_bias) (I_ext held over the step);',
    'or forward Euler (integration = euler), V ← V + (dt/τm)·(E − V), as NIR’s discrete reference.',
  ].join('\n'),
  inputs: neuronInputs('mV'),
  outputs: READOUT_OUT,
  params: {
    size: NEURON_COUNT,
    tau_m_ms: each(ms('τm', 20, 'Membrane time constant.')),
    v_rest_mv: each(mv('V rest', 0, 'Resting potential (NIR v_leak).')),
    r_m_mohm: each({ type: 'number', default: 100, min: 0, unit: 'MΩ', label: 'R membrane', tooltip: 'Membrane resistance: a current I (pA) shifts the equilibrium by R·I (mV = MΩ·pA/1000).' }),
    v_init_mv: vInit(0, 'V at t = 0: a constant, or drawn per neuron.'),
    integration: INTEGRATION,
    i_bias_pa: BIAS_CURRENT,
  },
  spiking: false,
  state: [{ id: 'v', unit: 'mV', label: 'membrane potential' }],
  size: (p) => p.size,
  // The LIF group with an unreachable threshold: the same kernels (wasm included) run it.
  runtime: excInhNeurons(LIF_DELTA_BYTES, (params, size, ctx) => new LifDelta({ ...params, v_th_mv: Infinity, v_reset_mv: 0, t_ref_ms: 0 }, size, ctx)),
});
