import { defineNodeKind } from './define.ts';
import { BIAS_CURRENT, INTEGRATION, ms, mv, NEURON_COUNT, neuronInputs, RESET_MODE, SPIKES_OUT, vInit, excInhNeurons, each } from './neuron-common.ts';
import { LifCurrExp } from '../sim/lif-curr-exp.ts';

export const lifCurrExp = defineNodeKind({
  id: 'lif-curr-exp',
  label: 'LIF (current, exp. synapses)',
  category: 'neuron',
  help: [
    'Leaky integrate-and-fire neurons with current-based, exponentially decaying synapses (as PyNN IF_curr_exp,',
    'written like the CUBA benchmark). Synaptic currents are expressed as the voltage R·I they drive:',
    '  τm dV/dt = −(V − v_rest) + I_exc + I_inh + R·I_ext      (held at v_reset while refractory)',
    '  τe dI_exc/dt = −I_exc,   τi dI_inh/dt = −I_inh',
    'Spike when V > v_th (strict) and not refractory; then V ← v_reset for t_ref.',
    'A spike on an exc wire adds its weight (mV) to I_exc; on an inh wire it subtracts it from I_inh.',
    'Integration: exact (the system is linear; one matrix exponential step per dt, with I_ext held over the step);',
    'or forward Euler (integration = euler): V ← V + (dt/τm)·(E − V + I_exc + I_inh), I ← I·(1 − dt/τ), as NIR’s',
    'discrete reference (V sees the currents at the start of the step). E = v_rest + R·(I_ext + I_bias).',
    'Reset = subtract: V ← V − (v_th − v_reset) instead of V ← v_reset (NIR’s discrete reference with v_reset = 0).',
  ].join('\n'),
  inputs: neuronInputs('mV'),
  outputs: SPIKES_OUT,
  params: {
    size: NEURON_COUNT,
    tau_m_ms: each(ms('τm', 20, 'Membrane time constant.')),
    v_rest_mv: each(mv('V rest', -65, 'Resting potential (where V relaxes without input).')),
    v_reset_mv: each(mv('V reset', -65, 'Potential after a spike.')),
    v_th_mv: each(mv('V threshold', -50, 'A neuron spikes when V exceeds this.')),
    t_ref_ms: ms('Refractory', 2, 'Refractory period; rounded to whole steps.', 0, false),
    tau_syn_exc_ms: each(ms('τ exc', 5, 'Decay time constant of excitatory synaptic current.')),
    tau_syn_inh_ms: each(ms('τ inh', 10, 'Decay time constant of inhibitory synaptic current.')),
    r_m_mohm: each({ type: 'number', default: 100, min: 0, unit: 'MΩ', label: 'R membrane', tooltip: 'Membrane resistance: an injected current I (pA) drives R·I (mV = MΩ·pA/1000).' }),
    v_init_mv: vInit(-65),
    reset: RESET_MODE,
    integration: INTEGRATION,
    i_bias_pa: BIAS_CURRENT,
  },
  spikeLevel: { param: 'v_th_mv' },
  state: [
    { id: 'v', unit: 'mV', label: 'membrane potential' },
    { id: 'i_exc', unit: 'mV', label: 'excitatory current (R·I)' },
    { id: 'i_inh', unit: 'mV', label: 'inhibitory current (R·I)' },
  ],
  size: (p) => p.size,
  check: (p) => (p.v_reset_mv >= p.v_th_mv ? [['v_reset_mv', `must be below the threshold (${p.v_th_mv} mV)`]] : []),
  runtime: excInhNeurons(4 * 8 + 4, (params, size, ctx) => new LifCurrExp(params, size, ctx)),
});
