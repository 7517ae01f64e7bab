import { defineNodeKind } from './define.ts';
import { ms, mv, NEURON_COUNT, neuronInputs, SPIKES_OUT } from './neuron-common.ts';
import { LifCondExp, LIF_COND_EXP_BYTES } from '../sim/lif-cond-exp.ts';

const gInit = (label: string, tooltip: string) => ({ type: 'dist', default: 0, families: ['constant', 'uniform', 'normal'], unit: '× g_L', min: -1e6, max: 1e6, label, tooltip }) as const;

export const lifCondExp = defineNodeKind({
  id: 'lif-cond-exp',
  label: 'LIF (conductance, exp. synapses)',
  category: 'neuron',
  help: [
    'Leaky integrate-and-fire neurons with conductance-based, exponentially decaying synapses (as PyNN IF_cond_exp,',
    'written like the COBA benchmark of Vogels & Abbott 2005). Conductances are in units of the leak conductance g_L',
    '(dimensionless), so a weight of 0.6 is a jump of 0.6·g_L (6 nS for g_L = 10 nS):',
    '  τm dV/dt = g_exc·(E_exc − V) + g_inh·(E_inh − V) − (V − E_l) + R·I_ext   (held at v_reset while refractory)',
    '  τe dg_exc/dt = −g_exc,   τi dg_inh/dt = −g_inh',
    'Spike when V > v_th (strict) and not refractory; then V ← v_reset for t_ref.',
    'A spike on an exc wire adds its weight to g_exc, on an inh wire to g_inh (weights are conductance jumps ≥ 0;',
    'the reversal potential makes inhibition inhibitory).',
    'Integration: forward Euler at dt for V and both conductances, every right-hand side taken at the start of the step',
    '(the method Brian2 picks for this model); keep dt well below τe and τi.',
  ].join('\n'),
  inputs: neuronInputs('× g_L', false),
  outputs: SPIKES_OUT,
  params: {
    size: NEURON_COUNT,
    tau_m_ms: ms('τm', 20, 'Membrane time constant C/g_L.'),
    e_l_mv: mv('E leak', -60, 'Leak reversal (resting) potential.'),
    v_reset_mv: mv('V reset', -60, 'Potential after a spike.'),
    v_th_mv: mv('V threshold', -50, 'A neuron spikes when V exceeds this.'),
    t_ref_ms: ms('Refractory', 5, 'Refractory period; rounded to whole steps.', 0, false),
    e_exc_mv: mv('E exc', 0, 'Reversal potential of excitatory synapses.'),
    e_inh_mv: mv('E inh', -80, 'Reversal potential of inhibitory synapses.'),
    tau_syn_exc_ms: ms('τ exc', 5, 'Decay time constant of the excitatory conductance.'),
    tau_syn_inh_ms: ms('τ inh', 10, 'Decay time constant of the inhibitory conductance.'),
    r_m_mohm: { type: 'number', default: 100, min: 0, unit: 'MΩ', label: 'R membrane', tooltip: 'Membrane resistance 1/g_L: an injected current I (pA) drives R·I (mV = MΩ·pA/1000).' },
    v_init_mv: {
      type: 'dist',
      default: -60,
      families: ['constant', 'uniform', 'normal'],
      unit: 'mV',
      min: -1000,
      max: 1000,
      label: 'Initial V',
      tooltip: 'Membrane potential at t = 0: a constant, or drawn per neuron (COBA: normal, mean −65, sd 5).',
    },
    g_exc_init: gInit('Initial g exc', 'Excitatory conductance at t = 0, in units of g_L. Drawn values are not clipped (COBA: normal, mean 4, sd 1.5).'),
    g_inh_init: gInit('Initial g inh', 'Inhibitory conductance at t = 0, in units of g_L. Drawn values are not clipped, so some may start negative (COBA: normal, mean 20, sd 12).'),
  },
  spikeLevel: { param: 'v_th_mv' },
  state: [
    { id: 'v', unit: 'mV', label: 'membrane potential' },
    { id: 'g_exc', unit: '× g_L', label: 'excitatory conductance' },
    { id: 'g_inh', unit: '× g_L', label: 'inhibitory conductance' },
  ],
  size: (p) => p.size,
  check: (p) => (p.v_reset_mv >= p.v_th_mv ? [['v_reset_mv', `must be below the threshold (${p.v_th_mv} mV)`]] : []),
  runtime: {
    role: 'neurons',
    receptors: ['exc', 'inh'],
    receptorSign: [1, 1],
    bytesPerNeuron: LIF_COND_EXP_BYTES,
    create: (params, size, ctx) => new LifCondExp(params, size, ctx),
  },
});
