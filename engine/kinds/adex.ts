import { defineNodeKind } from './define.ts';
import { ms, mv, NEURON_COUNT, neuronInputs, SPIKES_OUT } from './neuron-common.ts';
import { AdEx, ADEX_BYTES } from '../sim/adex.ts';

/** Naud, Marcille, Clopath & Gerstner (2008), Table 1 (V_T = −50 mV, Δ_T = 2 mV throughout). */
const naud = (c: number, gL: number, eL: number, a: number, tauW: number, b: number, vReset: number) => ({
  c_pf: c,
  g_l_ns: gL,
  e_l_mv: eL,
  v_t_mv: -50,
  delta_t_mv: 2,
  a_ns: a,
  tau_w_ms: tauW,
  b_pa: b,
  v_reset_mv: vReset,
  v_init_mv: eL,
  w_init_pa: 0,
});

export const adex = defineNodeKind({
  id: 'adex',
  label: 'AdEx',
  category: 'neuron',
  help: [
    'Adaptive exponential integrate-and-fire neurons (Brette & Gerstner 2005): a sharp exponential spike onset and an',
    "adaptation current w, coupled to V (a) and incremented by spikes (b). The presets are Naud et al. (2008)'s firing",
    'patterns; each shows under its own DC current: tonic and adapting 500 pA, initial burst 400 pA, bursting 210 pA.',
    '  C dV/dt = −g_L(V − E_L) + g_L·Δ_T·exp((V − V_T)/Δ_T) − w + I      (held at V_reset while refractory)',
    '  τ_w dw/dt = a(V − E_L) − w',
    '  I = I_exc + I_inh + I_ext,   τe dI_exc/dt = −I_exc,   τi dI_inh/dt = −I_inh',
    'Spike when V > V_peak (the cut-off) and not refractory; then V ← V_reset, w ← w + b.',
    'Synapses are current-based and exponential: a spike on an exc wire adds its weight (pA) to I_exc; on an inh wire',
    'it subtracts it from I_inh. A DC current (pA) adds to I directly.',
    'Integration: forward Euler at dt for V and w (right-hand sides at the start of the step), exact exponential decay',
    'for the synaptic currents. The exponent is capped at 50 so one step can never overflow; a V that shoots past',
    'V_peak is reset in the same step.',
  ].join('\n'),
  inputs: neuronInputs('pA'),
  outputs: SPIKES_OUT,
  params: {
    size: NEURON_COUNT,
    c_pf: { type: 'number', default: 200, min: 0, exclusiveMin: true, max: 1e6, unit: 'pF', label: 'C', tooltip: 'Membrane capacitance.' },
    g_l_ns: { type: 'number', default: 10, min: 0, max: 1e6, unit: 'nS', label: 'g_L', tooltip: 'Leak conductance (τm = C/g_L).' },
    e_l_mv: mv('E_L', -70, 'Leak reversal (resting) potential.'),
    v_t_mv: mv('V_T', -50, 'Threshold slope point: where the exponential takes over.'),
    delta_t_mv: {
      type: 'number',
      default: 2,
      min: 0,
      exclusiveMin: true,
      max: 100,
      unit: 'mV',
      label: 'Δ_T',
      tooltip: 'Slope factor: sharpness of the spike onset (small: close to a hard threshold at V_T).',
    },
    a_ns: { type: 'number', default: 2, min: -1e6, max: 1e6, unit: 'nS', label: 'a', tooltip: 'Subthreshold adaptation: coupling of w to V − E_L.' },
    tau_w_ms: ms('τ_w', 30, 'Time constant of the adaptation current w.'),
    b_pa: { type: 'number', default: 0, min: -1e6, max: 1e6, unit: 'pA', label: 'b', tooltip: 'Spike-triggered adaptation: jump of w at every spike.' },
    v_reset_mv: mv('V_reset', -58, 'Potential after a spike.'),
    v_peak_mv: mv('V_peak', 0, 'Spike cut-off: a spike is registered when V exceeds this.'),
    t_ref_ms: ms('Refractory', 0, 'Refractory period (V held at V_reset); rounded to whole steps. Naud et al. use none.', 0, false),
    tau_syn_exc_ms: ms('τ exc', 5, 'Decay time constant of excitatory synaptic current.'),
    tau_syn_inh_ms: ms('τ inh', 10, 'Decay time constant of inhibitory synaptic current.'),
    v_init_mv: {
      type: 'dist',
      default: -70,
      families: ['constant', 'uniform', 'normal'],
      unit: 'mV',
      min: -1000,
      max: 1000,
      label: 'Initial V',
      tooltip: 'Membrane potential at t = 0: a constant, or drawn per neuron.',
    },
    w_init_pa: {
      type: 'dist',
      default: 0,
      families: ['constant', 'uniform', 'normal'],
      unit: 'pA',
      min: -1e6,
      max: 1e6,
      label: 'Initial w',
      tooltip: 'Adaptation current at t = 0.',
    },
  },
  spikeLevel: { param: 'v_peak_mv' },
  state: [
    { id: 'v', unit: 'mV', label: 'membrane potential' },
    { id: 'w', unit: 'pA', label: 'adaptation current' },
    { id: 'i_exc', unit: 'pA', label: 'excitatory current' },
    { id: 'i_inh', unit: 'pA', label: 'inhibitory current' },
  ],
  presets: [
    { name: 'Tonic (500 pA)', values: naud(200, 10, -70, 2, 30, 0, -58) },
    { name: 'Adapting (500 pA)', values: naud(200, 12, -70, 2, 300, 60, -58) },
    { name: 'Initial burst (400 pA)', values: naud(130, 18, -58, 4, 150, 120, -50) },
    { name: 'Bursting (210 pA)', values: naud(200, 10, -58, 2, 120, 100, -46) },
  ],
  size: (p) => p.size,
  check: (p) => {
    const out: [string, string][] = [];
    if (p.v_reset_mv >= p.v_peak_mv) out.push(['v_reset_mv', `must be below V_peak (${p.v_peak_mv} mV)`]);
    if (p.v_t_mv >= p.v_peak_mv) out.push(['v_t_mv', `must be below V_peak (${p.v_peak_mv} mV)`]);
    return out;
  },
  runtime: {
    role: 'neurons',
    receptors: ['exc', 'inh'],
    receptorSign: [1, -1],
    bytesPerNeuron: ADEX_BYTES,
    create: (params, size, ctx) => new AdEx(params, size, ctx),
  },
});
