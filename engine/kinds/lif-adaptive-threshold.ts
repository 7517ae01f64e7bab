import { defineNodeKind } from './define.ts';
import { ms, mv, NEURON_COUNT, neuronInputs, SPIKES_OUT } from './neuron-common.ts';
import { ADAPTIVE_LIF_BYTES, AdaptiveThresholdLif } from '../sim/plasticity/adaptive-threshold.ts';

/**
 * Homeostasis as a neuron kind rather than a node wired to a population: the
 * threshold is read in the neuron's own threshold test every step, so it
 * belongs to the neuron's state (one array beside V, no extra pass), and a
 * separate node would need a new way of reaching into another group's kernel.
 */
export const lifAdaptiveThreshold = defineNodeKind({
  id: 'lif-adaptive-threshold',
  label: 'LIF (adaptive threshold)',
  category: 'neuron',
  help: [
    'Leaky integrate-and-fire neurons with current-based exponential synapses (as LIF (current)) and the homeostatic',
    "adaptive threshold of Diehl & Cook (2015): each spike raises the neuron's own threshold by θ+, which decays slowly,",
    'so neurons that fire a lot become harder to excite and every neuron gets a share of the inputs.',
    '  τm dV/dt = −(V − v_rest) + I_exc + I_inh + R·I_ext      (held at v_reset while refractory)',
    '  τe dI_exc/dt = −I_exc,   τi dI_inh/dt = −I_inh,   τθ dθ/dt = −θ',
    'Spike when V > v_th + θ (strict) and not refractory; then V ← v_reset and θ ← θ + θ+.',
    "θ only changes while learning is on: when a classifier readout's train phase ends, θ is frozen as learnt (no",
    "growth, no decay), as in Diehl & Cook's test mode. θ starts at 0.",
    'Integration: exact (the system is linear between spikes; one exponential step per dt, I_ext held over the step).',
  ].join('\n'),
  inputs: neuronInputs('mV'),
  outputs: SPIKES_OUT,
  params: {
    size: NEURON_COUNT,
    tau_m_ms: ms('τm', 20, 'Membrane time constant.'),
    v_rest_mv: mv('V rest', -65, 'Resting potential (where V relaxes without input).'),
    v_reset_mv: mv('V reset', -65, 'Potential after a spike.'),
    v_th_mv: mv('V threshold', -52, 'The threshold without adaptation; the neuron spikes when V exceeds this + θ.'),
    t_ref_ms: ms('Refractory', 5, 'Refractory period; rounded to whole steps.', 0, false),
    tau_syn_exc_ms: ms('τ exc', 5, 'Decay time constant of excitatory synaptic current.'),
    tau_syn_inh_ms: ms('τ inh', 10, 'Decay time constant of inhibitory synaptic current.'),
    theta_plus_mv: { type: 'number', default: 0.05, min: 0, max: 1000, unit: 'mV', label: 'θ+', tooltip: 'Threshold increase per spike (while learning).' },
    tau_theta_ms: ms('τθ', 1e7, 'Decay time constant of the threshold increase θ (Diehl & Cook: 10⁷ ms, so it barely decays in a run).'),
    r_m_mohm: { type: 'number', default: 100, min: 0, unit: 'MΩ', label: 'R membrane', tooltip: 'Membrane resistance: an injected current I (pA) drives R·I (mV = MΩ·pA/1000).' },
    v_init_mv: {
      type: 'dist',
      default: -65,
      families: ['constant', 'uniform', 'normal'],
      unit: 'mV',
      min: -1000,
      max: 1000,
      label: 'Initial V',
      tooltip: 'Membrane potential at t = 0: a constant, or drawn per neuron.',
    },
  },
  spikeLevel: { param: 'v_th_mv' },
  state: [
    { id: 'v', unit: 'mV', label: 'membrane potential' },
    { id: 'i_exc', unit: 'mV', label: 'excitatory current (R·I)' },
    { id: 'i_inh', unit: 'mV', label: 'inhibitory current (R·I)' },
    { id: 'theta', unit: 'mV', label: 'threshold increase θ' },
  ],
  size: (p) => p.size,
  check: (p) => (p.v_reset_mv >= p.v_th_mv ? [['v_reset_mv', `must be below the threshold (${p.v_th_mv} mV)`]] : []),
  runtime: {
    role: 'neurons',
    receptors: ['exc', 'inh'],
    receptorSign: [1, -1],
    bytesPerNeuron: ADAPTIVE_LIF_BYTES,
    create: (params, size, ctx) => new AdaptiveThresholdLif(params, size, ctx),
  },
});
