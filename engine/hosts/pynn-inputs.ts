/**
 * The spikes Spikeflow's engine draws for a plan's spike sources (Poisson
 * sources, encoders, dataset inputs), for the PyNN script's side `.npz`: taken
 * from the engine's own build with the plan's seed (realize.ts), so the script
 * gets exactly the input a Spikeflow run gets, on any process count.
 */
import type { NetworkPlan } from '../core/plan.ts';
import { realize } from './realize.ts';
import type { SourceSpikes } from './pynn-script.ts';

export const sourceSpikes: SourceSpikes = (plan: NetworkPlan, nodeIds: readonly string[]) => {
  const want = new Set(nodeIds);
  const out = new Map<string, { neuron: Int32Array; step: Int32Array }>();
  for (const s of realize(plan).sources) if (want.has(s.nodeId)) out.set(s.nodeId, { neuron: s.i, step: s.step });
  return out;
};
