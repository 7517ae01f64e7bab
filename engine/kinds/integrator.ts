import { defineNodeKind } from './define.ts';
import { BIAS_CURRENT, NEURON_COUNT, neuronInputs, READOUT_OUT, vInit, excInhNeurons } from './neuron-common.ts';
import { IfDelta, IF_DELTA_BYTES } from '../sim/if-delta.ts';
import { CAPACITANCE } from './if-delta.ts';

export const integrator = defineNodeKind({
  id: 'integrator',
  label: 'Integrator (non-spiking)',
  category: 'neuron',
  help: [
    'A non-spiking integrator (NIR I): V sums its input and never leaks, resets or spikes. A readout: record V with a',
    'state monitor wired from its output.',
    '  C dV/dt = I_ext + I_bias,   on arrival: V ← V + w (exc wire) or V ← V − w (inh wire)',
    'Units: mV, pA, pF (pA/pF = mV/ms). Integration: exact, V ← V + (dt/C)·(I_ext + I_bias) (I_ext held over the step).',
  ].join('\n'),
  inputs: neuronInputs('mV'),
  outputs: READOUT_OUT,
  params: {
    size: NEURON_COUNT,
    c_m_pf: CAPACITANCE,
    v_init_mv: vInit(0, 'V at t = 0: a constant, or drawn per neuron.'),
    i_bias_pa: BIAS_CURRENT,
  },
  spiking: false,
  state: [{ id: 'v', unit: 'mV', label: 'integrated input' }],
  size: (p) => p.size,
  runtime: excInhNeurons(IF_DELTA_BYTES, (params, size, ctx) => new IfDelta({ ...params, v_th_mv: Infinity, v_reset_mv: 0, t_ref_ms: 0 }, size, ctx)),
});
