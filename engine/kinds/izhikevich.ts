import { defineNodeKind } from './define.ts';
import { ms, NEURON_COUNT, neuronInputs, SPIKES_OUT } from './neuron-common.ts';
import { Izhikevich, IZHIKEVICH_BYTES } from '../sim/izhikevich.ts';

export const izhikevich = defineNodeKind({
  id: 'izhikevich',
  label: 'Izhikevich',
  category: 'neuron',
  help: [
    'The Izhikevich (2003) simple model: two variables and four parameters reproduce the main cortical firing patterns',
    '(see the presets; a DC current of about 10 pA shows each one).',
    '  dv/dt = 0.04·v² + 5·v + 140 − u + I,   du/dt = a·(b·v − u)      (v in mV, t in ms)',
    '  I = I_exc + I_inh + I_ext,   τe dI_exc/dt = −I_exc,   τi dI_inh/dt = −I_inh',
    'Spike when v ≥ v_peak (30 mV); then v ← c, u ← u + d. No refractory period. u starts at b·v.',
    'Currents are in the model\'s units, pA for a 1 pF membrane: 1 pA adds 1 mV/ms to dv/dt. A spike on an exc wire adds',
    'its weight (pA) to I_exc; on an inh wire it subtracts it from I_inh. A DC current (pA) adds to I directly.',
    'Integration: forward Euler at dt for v and u (both right-hand sides at the start of the step; use dt ≤ 0.1 ms),',
    'exact exponential decay for the synaptic currents.',
  ].join('\n'),
  inputs: neuronInputs('pA'),
  outputs: SPIKES_OUT,
  params: {
    size: NEURON_COUNT,
    a: { type: 'number', default: 0.02, min: 0, max: 10, unit: '1/ms', label: 'a', tooltip: 'Rate of the recovery variable u (small: slow recovery).' },
    b: { type: 'number', default: 0.2, min: -10, max: 10, unit: 'pA/mV', label: 'b', tooltip: 'Sensitivity of u to subthreshold v (larger: u follows v more, lower threshold).' },
    c_mv: { type: 'number', default: -65, min: -1000, max: 1000, unit: 'mV', label: 'c (reset)', tooltip: 'Potential v is reset to after a spike.' },
    d: { type: 'number', default: 8, min: -1000, max: 1000, unit: 'pA', label: 'd', tooltip: 'Jump of u after a spike (spike-triggered adaptation).' },
    v_peak_mv: { type: 'number', default: 30, min: -1000, max: 1000, unit: 'mV', label: 'Spike peak', tooltip: 'A spike is registered when v reaches this (then v is reset to c).' },
    tau_syn_exc_ms: ms('τ exc', 5, 'Decay time constant of excitatory synaptic current.'),
    tau_syn_inh_ms: ms('τ inh', 10, 'Decay time constant of inhibitory synaptic current.'),
    v_init_mv: {
      type: 'dist', default: -65, families: ['constant', 'uniform', 'normal'], unit: 'mV', min: -1000, max: 1000,
      label: 'Initial v', tooltip: 'Membrane potential at t = 0 (u starts at b·v).',
    },
  },
  spikeLevel: { param: 'v_peak_mv' },
  state: [
    { id: 'v', unit: 'mV', label: 'membrane potential' },
    { id: 'u', unit: 'pA', label: 'recovery variable' },
    { id: 'i_exc', unit: 'pA', label: 'excitatory current' },
    { id: 'i_inh', unit: 'pA', label: 'inhibitory current' },
  ],
  presets: [
    { name: 'Regular spiking (RS)', values: { a: 0.02, b: 0.2, c_mv: -65, d: 8 } },
    { name: 'Intrinsically bursting (IB)', values: { a: 0.02, b: 0.2, c_mv: -55, d: 4 } },
    { name: 'Chattering (CH)', values: { a: 0.02, b: 0.2, c_mv: -50, d: 2 } },
    { name: 'Fast spiking (FS)', values: { a: 0.1, b: 0.2, c_mv: -65, d: 2 } },
    { name: 'Low-threshold spiking (LTS)', values: { a: 0.02, b: 0.25, c_mv: -65, d: 2 } },
  ],
  size: (p) => p.size,
  check: (p) => (p.c_mv >= p.v_peak_mv ? [['c_mv', `must be below the spike peak (${p.v_peak_mv} mV)`]] : []),
  runtime: {
    role: 'neurons',
    receptors: ['exc', 'inh'],
    receptorSign: [1, -1],
    bytesPerNeuron: IZHIKEVICH_BYTES,
    create: (params, size, ctx) => new Izhikevich(params, size, ctx),
  },
});
