/** Declaration pieces every neuron kind shares: unit-carrying param builders, the size param, and the ports. */
import type { PortSpec } from './define.ts';

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

/** A projection input (weights in `weightUnit`) and a current/drive input. */
export function neuronInputs(weightUnit: string): readonly PortSpec[] {
  return [
    { id: 'in', label: 'synapses', type: 'spikes', role: 'projection', multiple: true, weightUnit },
    { id: 'current', label: 'current / drive', type: 'current', role: 'inject', multiple: true },
  ];
}

export const SPIKES_OUT: readonly PortSpec[] = [{ id: 'spikes', label: 'spikes', type: 'spikes' }];
