import { defineNodeKind } from './define.ts';
import { BIAS_CURRENT, ms, mv, NEURON_COUNT, neuronInputs, RESET_MODE, SPIKES_OUT, vInit, excInhNeurons, each } from './neuron-common.ts';
import { IfDelta, IF_DELTA_BYTES } from '../sim/if-delta.ts';

/** Membrane capacitance (pF): how fast a current charges V of the non-leaky kinds. */
export const CAPACITANCE = {
  type: 'number',
  default: 250,
  min: 0,
  exclusiveMin: true,
  max: 1e12,
  unit: 'pF',
  label: 'C membrane',
  tooltip: 'Membrane capacitance: a current I (pA) moves V at I/C mV per ms. NIR’s dv/dt = R·I has R = 1/C.',
  perNeuron: true,
} as const;

export const ifDelta = defineNodeKind({
  id: 'if-delta',
  label: 'IF (no leak, delta synapses)',
  category: 'neuron',
  help: [
    'Integrate-and-fire neurons without leak (NIR IF), with delta synapses: V only changes by input.',
    '  C dV/dt = I_ext + I_bias      (held while refractory)',
    '  on arrival: V ← V + w (exc wire) or V ← V − w (inh wire)',
    'Spike when V > v_th (strict) and not refractory; then V ← v_reset, or with reset = subtract',
    'V ← V − (v_th − v_reset) (NIR’s discrete reference with v_reset = 0). Input arriving while refractory,',
    'including in the step of its own spike, is discarded. Units: mV, pA, pF (pA/pF = mV/ms).',
    'Integration: exact, V ← V + (dt/C)·(I_ext + I_bias) (I_ext held over the step; forward Euler gives the same).',
  ].join('\n'),
  inputs: neuronInputs('mV'),
  outputs: SPIKES_OUT,
  params: {
    size: NEURON_COUNT,
    v_reset_mv: each(mv('V reset', 0, 'Potential after a spike (or, with reset = subtract, the threshold minus the amount subtracted).')),
    v_th_mv: each(mv('V threshold', 1, 'A neuron spikes when V exceeds this.')),
    t_ref_ms: ms('Refractory', 0, 'Refractory period; rounded to whole steps. Input arriving during it is discarded.', 0, false),
    c_m_pf: CAPACITANCE,
    v_init_mv: vInit(0),
    reset: RESET_MODE,
    i_bias_pa: BIAS_CURRENT,
  },
  spikeLevel: { param: 'v_th_mv' },
  state: [{ id: 'v', unit: 'mV', label: 'membrane potential' }],
  size: (p) => p.size,
  check: (p) => (p.v_reset_mv >= p.v_th_mv ? [['v_reset_mv', `must be below the threshold (${p.v_th_mv} mV)`]] : []),
  runtime: excInhNeurons(IF_DELTA_BYTES, (params, size, ctx) => new IfDelta(params, size, ctx)),
});
