/** Declaration pieces every neuron kind shares: unit-carrying param builders, the size param, and the ports. */
import type { PortSpec } from './define.ts';
import type { NeuronRuntime } from '../sim/runtime.ts';

/** A time in ms; by default strictly positive (a time constant). */
export const ms = (label: string, def: number, tooltip: string, min = 0, exclusiveMin = true) => ({ type: 'number', default: def, min, exclusiveMin, unit: 'ms', label, tooltip }) as const;

/** A potential in mV. */
export const mv = (label: string, def: number, tooltip: string) => ({ type: 'number', default: def, min: -1000, max: 1000, unit: 'mV', label, tooltip }) as const;

export const NEURON_COUNT = {
  type: 'number',
  default: 100,
  min: 1,
  max: 100_000_000,
  integer: true,
  label: 'Neurons',
  tooltip: 'Number of neurons.',
} as const;

/**
 * A projection input (weights in `weightUnit`; explicit weights may be negative unless
 * `signedWeights` is false, e.g. for conductances) and a current/drive input.
 */
export function neuronInputs(weightUnit: string, signedWeights = true): readonly PortSpec[] {
  return [
    { id: 'in', label: 'synapses', type: 'spikes', role: 'projection', multiple: true, weightUnit, signedWeights },
    { id: 'current', label: 'current / drive', type: 'current', role: 'inject', multiple: true },
  ];
}

export const SPIKES_OUT: readonly PortSpec[] = [{ id: 'spikes', label: 'spikes', type: 'spikes' }];

/**
 * What a spike does to V (`reset`): `to-v-reset` sets V ← v_reset (the NIR equations, NEST, Brian2);
 * `subtract` lowers V by the threshold's height above the reset, V ← V − (v_th − v_reset), so the
 * overshoot is kept. With v_reset = 0 that is V ← V − v_th, exactly what NIR's discrete reference
 * implementation (nir_reference_impl.py: `v -= z * v_threshold`) and snnTorch's `reset_mechanism="subtract"` do.
 */
export const RESET_MODE = {
  type: 'enum',
  default: 'to-v-reset',
  options: [
    { value: 'to-v-reset', label: 'V ← v_reset' },
    { value: 'subtract', label: 'V ← V − (v_th − v_reset)' },
  ],
  label: 'Reset',
  tooltip: 'After a spike: set V to v_reset, or subtract (v_th − v_reset) from V and keep the overshoot (NIR discrete reference, snnTorch "subtract"; with v_reset = 0 it subtracts v_th).',
} as const;

/**
 * How a step is taken (`integration`): `exact` (the linear system's exact solution over dt, input held over the
 * step) or `euler` (one forward-Euler step, x ← x + dt·ẋ, as NIR's discrete reference and snnTorch/Norse do;
 * unstable when dt ≥ 2τ).
 */
export const INTEGRATION = {
  type: 'enum',
  default: 'exact',
  options: [
    { value: 'exact', label: 'Exact' },
    { value: 'euler', label: 'Forward Euler' },
  ],
  label: 'Integration',
  tooltip: 'Exact: the exact solution over each step (input held over the step). Forward Euler: x ← x + dt·dx/dt, as NIR’s discrete reference, snnTorch and Norse.',
} as const;

/** A constant current into every neuron (pA), added to any injected current: NIR's affine bias. */
export const BIAS_CURRENT = {
  type: 'number',
  default: 0,
  min: -1e9,
  max: 1e9,
  unit: 'pA',
  label: 'Bias current',
  tooltip: 'A constant current into every neuron, added to injected currents (NIR Affine bias; NEST I_e): it shifts the equilibrium by R·I.',
} as const;

/** The output of a non-spiking readout: wire it to a state monitor (it carries no spikes). */
export const READOUT_OUT: readonly PortSpec[] = [{ id: 'spikes', label: 'readout (no spikes)', type: 'spikes' }];

/** The initial membrane potential: a constant, or drawn per neuron. */
export const vInit = (def: number, tooltip = 'Membrane potential at t = 0: a constant, or drawn per neuron.') =>
  ({ type: 'dist', default: def, families: ['constant', 'uniform', 'normal'], unit: 'mV', min: -1000, max: 1000, label: 'Initial V', tooltip }) as const;

/** The runtime of a neuron kind with an excitatory and an inhibitory receptor (inhibition subtracts). */
export function excInhNeurons(bytesPerNeuron: number, create: NeuronRuntime['create']): NeuronRuntime {
  return { role: 'neurons', receptors: ['exc', 'inh'], receptorSign: [1, -1], bytesPerNeuron, create };
}
