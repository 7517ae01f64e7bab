import { defineNodeKind } from './define.ts';
import { createPoissonDrive } from '../sim/poisson-drive.ts';

export const poissonDrive = defineNodeKind({
  id: 'poisson-drive',
  label: 'Poisson drive',
  category: 'input',
  help: [
    "External Poisson input without explicit synapses (Brunel 2000's external drive; Brian2's PoissonInput).",
    'Every neuron of each population it feeds gets its own `count` independent Poisson inputs of rate `rate_hz`:',
    'in each step it receives k ~ Binomial(count, rate·dt) external spikes, and its receptor gets k·weight',
    "(subtracted on receptors where the population's inhibition is negative). The input arrives in the synapses phase,",
    'so it is gated like a recurrent spike (a delta-synapse LIF discards it while refractory).',
    "The weight is in the unit of the target's synapses: mV for LIF (delta) and LIF (current), × g_L for LIF (conductance),",
    'pA for Izhikevich and AdEx.',
    'Wire its output into a population\'s "current" input. Each draw is one random number and a table look-up (exact',
    'Binomial, probabilities resolved to 2⁻³²).',
  ].join('\n'),
  inputs: [],
  outputs: [{ id: 'drive', label: 'drive', type: 'current' }],
  params: {
    count: {
      type: 'number',
      default: 1000,
      min: 0,
      max: 100_000_000,
      integer: true,
      unit: 'inputs',
      label: 'Inputs per neuron',
      tooltip: "Independent external Poisson inputs per target neuron (Brunel's C_ext).",
    },
    rate_hz: { type: 'number', default: 20, min: 0, max: 10_000, unit: 'Hz', label: 'Rate', tooltip: "Rate of each external input (Brunel's ν_ext); rate·dt must not exceed 1." },
    // No fixed unit: like a projection's weight, it takes the unit of the synapses it feeds.
    weight: {
      type: 'number',
      default: 0.1,
      min: 0,
      max: 1e6,
      label: 'Weight',
      tooltip: "Effect of one external spike, in the unit of the target's synapses: mV for LIF (delta) and LIF (current), × g_L for LIF (conductance), pA for Izhikevich and AdEx. Brunel: J = 0.1 mV.",
    },
    receptor: {
      type: 'enum',
      default: 'exc',
      options: [
        { value: 'exc', label: 'Excitatory' },
        { value: 'inh', label: 'Inhibitory' },
      ],
      label: 'Receptor',
      tooltip: 'Which synaptic variable of the target the external spikes act on.',
    },
  },
  runtime: {
    role: 'drive',
    receptorParam: 'receptor',
    create: (params, targetSize, ctx, sign) => createPoissonDrive(params, targetSize, ctx, sign),
  },
});
