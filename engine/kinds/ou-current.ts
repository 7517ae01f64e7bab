import { defineNodeKind } from './define.ts';
import { OuCurrent } from '../sim/ou.ts';

export const ouCurrent = defineNodeKind({
  id: 'ou-current',
  label: 'Noise current (OU)',
  category: 'input',
  help: [
    'A fluctuating current, the Ornstein–Uhlenbeck process  τ dI/dt = −(I − μ) + σ·√(2τ)·ξ(t)  (ξ white noise):',
    'Gaussian, with mean μ, standard deviation σ and correlation time τ (autocorrelation σ²·e^(−|Δt|/τ)), in pA.',
    'Independent: every neuron of the target gets its own process (background synaptic bombardment, as in the point-conductance model).',
    'Shared: all neurons of a target get the same current (a common input, which correlates them).',
    'Integration: the exact update I ← μ + (I − μ)·e^(−dt/τ) + σ·√(1 − e^(−2dt/τ))·N(0, 1) each step, so the statistics do not depend on dt.',
    'I starts from its stationary distribution N(μ, σ²); the value at the start of a step is held over the step. Each wire draws its own noise.',
  ].join('\n'),
  inputs: [],
  outputs: [{ id: 'current', label: 'current', type: 'current' }],
  params: {
    mean_pa: { type: 'number', default: 100, min: -1e6, max: 1e6, unit: 'pA', label: 'Mean μ', tooltip: 'Mean of the current.' },
    sigma_pa: { type: 'number', default: 50, min: 0, max: 1e6, unit: 'pA', label: 'σ', tooltip: 'Standard deviation of the current (its stationary spread about the mean).' },
    tau_ms: { type: 'number', default: 10, min: 0, exclusiveMin: true, max: 1e6, unit: 'ms', label: 'τ', tooltip: 'Correlation time: how long a fluctuation lasts.' },
    noise: {
      type: 'enum',
      default: 'independent',
      options: [
        { value: 'independent', label: 'Independent per neuron' },
        { value: 'shared', label: 'Shared by all neurons' },
      ],
      label: 'Noise',
      tooltip: 'Independent: each target neuron gets its own noise. Shared: one noise current for the whole target.',
    },
  },
  runtime: {
    role: 'current-source',
    create: (params, ctx, targetSize) => new OuCurrent(params.mean_pa as number, params.sigma_pa as number, params.tau_ms as number, params.noise === 'shared' ? 1 : targetSize, ctx),
  },
});
