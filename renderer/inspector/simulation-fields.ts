/** The document's simulation settings as form fields (document inspector and toolbar). */
export const SIMULATION_FIELDS = [
  { key: 'dt_ms', label: 'Time step', short: 'dt', unit: 'ms', tooltip: 'Integration step. Smaller is more accurate and slower.' },
  { key: 'duration_ms', label: 'Duration', short: 'T', unit: 'ms', tooltip: 'Simulated time of a run: a whole number of steps.' },
  { key: 'seed', label: 'Seed', short: 'seed', unit: '', tooltip: 'Seed of the random draws: the same seed gives the same network and spikes.' },
] as const;
