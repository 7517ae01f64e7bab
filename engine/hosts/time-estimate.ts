/**
 * A rough bound on a simulation's wall time, reported beside the memory estimate
 * (`run --json`, `validate --json`) and refused only past a limit the user sets
 * (`--max-minutes`). One formula, constants measured on one thread of a shared
 * 2-core machine (`spikeflow run --threads 1`, 500 ms): Brunel (3 125 neurons,
 * 3.9 M synapses, 38 Hz) took 568 ms for 5 000 steps, Poisson E/I (100 neurons,
 * 3 160 synapses) 86 ms. The formula gives 1.0 s and 0.1 s for them: an upper
 * bound within a factor of about two for networks firing at Brunel's rates or
 * less; one firing much faster, or with costly plasticity, can take longer, and
 * more threads take less. Training is not estimated.
 */
import type { NetworkPlan } from '../core/plan.ts';

/** Fixed cost of one step (scheduling, progress, the sources): seconds. */
export const STEP_S = 20e-6;
/** One neuron's update in one step: seconds. */
export const NEURON_STEP_S = 20e-9;
/** One synapse in one step, at Brunel's firing rates (38 Hz, 0.1 ms steps): seconds. */
export const SYNAPSE_STEP_S = 0.03e-9;

/** Estimated wall time of simulating `plan` on one thread, in seconds (see the module comment). */
export function estimateWallSeconds(plan: NetworkPlan, synapses: number): number {
  const neurons = plan.populations.reduce((n, p) => n + p.size, 0);
  return plan.nSteps * (STEP_S + neurons * NEURON_STEP_S + synapses * SYNAPSE_STEP_S);
}

/** Seconds as "12 s", "3.4 min" or "5.0 h". */
export function formatSeconds(s: number): string {
  if (s < 90) return `${s.toPrecision(2)} s`;
  if (s < 5400) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
