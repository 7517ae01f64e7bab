import { defineNodeKind } from './define.ts';
import { BIAS_CURRENT, INTEGRATION, ms, mv, NEURON_COUNT, neuronInputs, READOUT_OUT, vInit, excInhNeurons, each } from './neuron-common.ts';
import { LifCurrExp } from '../sim/lif-curr-exp.ts';

export const liCurrExp = defineNodeKind({
  id: 'li-curr-exp',
  label: 'Leaky integrator (current, exp. synapses)',
  category: 'neuron',
  help: [
    'A non-spiking leaky integrator with current-based exponential synapses (NIR CubaLI): the lif-curr-exp membrane',
    'without threshold or reset. A readout: record v, i_exc or i_inh with a state monitor wired from its output.',
    '  τm dV/dt = −(V − v_rest) + I_exc + I_inh + R·(I_ext + I_bias)',
    '  τe dI_exc/dt = −I_exc,   τi dI_inh/dt = −I_inh     (currents as the voltage R·I they drive, mV)',
    'A spike on an exc wire adds its weight (mV) to I_exc; on an inh wire it subtracts it from I_inh.',
    'Integration: exact (one matrix exponential step per dt, I_ext held over the step); or forward Euler',
    '(integration = euler): V ← V + (dt/τm)·(E − V + I_exc + I_inh), I ← I·(1 − dt/τ), as NIR’s discrete reference.',
  ].join('\n'),
  inputs: neuronInputs('mV'),
  outputs: READOUT_OUT,
  params: {
    size: NEURON_COUNT,
    tau_m_ms: each(ms('τm', 20, 'Membrane time constant.')),
    v_rest_mv: each(mv('V rest', 0, 'Resting potential (NIR v_leak).')),
    tau_syn_exc_ms: each(ms('τ exc', 5, 'Decay time constant of the excitatory synaptic current.')),
    tau_syn_inh_ms: each(ms('τ inh', 5, 'Decay time constant of the inhibitory synaptic current.')),
    r_m_mohm: each({ type: 'number', default: 100, min: 0, unit: 'MΩ', label: 'R membrane', tooltip: 'Membrane resistance: an injected current I (pA) drives R·I (mV = MΩ·pA/1000).' }),
    v_init_mv: vInit(0, 'V at t = 0: a constant, or drawn per neuron.'),
    integration: INTEGRATION,
    i_bias_pa: BIAS_CURRENT,
  },
  spiking: false,
  state: [
    { id: 'v', unit: 'mV', label: 'membrane potential' },
    { id: 'i_exc', unit: 'mV', label: 'excitatory current (R·I)' },
    { id: 'i_inh', unit: 'mV', label: 'inhibitory current (R·I)' },
  ],
  size: (p) => p.size,
  // The lif-curr-exp group with an unreachable threshold: the same kernels (wasm included) run it.
  runtime: excInhNeurons(4 * 8 + 4, (params, size, ctx) => new LifCurrExp({ ...params, v_th_mv: Infinity, v_reset_mv: 0, t_ref_ms: 0 }, size, ctx)),
});
