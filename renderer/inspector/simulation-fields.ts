/** The document's simulation settings as form fields (document inspector and toolbar). */
export const SIMULATION_FIELDS = [
  { key: 'dt_ms', label: 'Time step', short: 'dt', unit: 'ms', tooltip: 'Integration step. Smaller is more accurate and slower.' },
  { key: 'duration_ms', label: 'Duration', short: 'T', unit: 'ms', tooltip: 'Simulated time of a run: a whole number of steps.' },
  { key: 'seed', label: 'Seed', short: 'seed', unit: '', tooltip: 'Seed of the random draws: the same seed gives the same network and spikes.' },
] as const;

/** The document's step order (`simulation.same_step_delivery`, engine/sim/schedule.ts), a checkbox under the fields above. */
export const SAME_STEP_FIELD = {
  key: 'same_step_delivery',
  label: 'Same-step delivery',
  tooltip:
    "Discrete graph order, as NIR graphs run (the NIR import turns it on): within a step, populations update in the graph's order, and a spike crosses a zero-delay wire into a delta-synapse population (LIF under forward Euler, IF, LI, I) in the step it is fired, before that population's threshold. A loop back to the same or an earlier population still takes one step. Off (the default): Brian2's order, where every spike arrives in the next step. Runs on one thread, without plasticity or learning.",
  on: 'On: a spike reaches LIF (Euler), IF, LI and I targets through a zero-delay wire in its own step, as in NIR.',
  off: 'Off: every spike arrives in the next step (Brian2’s order).',
} as const;
