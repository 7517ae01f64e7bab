/** Run statistics, reported for every run (UI, protocol `finished`, CLI `--json`). */

export interface PopulationStats {
  readonly nodeId: string;
  readonly kind: string;
  readonly size: number;
  readonly spikes: number;
  readonly rate_hz: number;
}

export interface RunStats {
  /** Neurons in neuron populations (input channels not included). */
  readonly neurons: number;
  /** Channels of spike sources (Poisson, generators, encoders). */
  readonly source_channels: number;
  readonly synapses: number;
  /** Spikes of neuron populations. */
  readonly spikes: number;
  readonly source_spikes: number;
  /** spikes / (neurons · simulated seconds). */
  readonly mean_rate_hz: number;
  /** Fraction of neuron-steps with a spike: spikes / (neurons · steps). */
  readonly sparsity: number;
  /** Synapses walked because their source spiked (all projections). */
  readonly synaptic_events: number;
  /** Input events that came from drives, not synapses (e.g. Brunel's external Poisson spikes). */
  readonly external_events: number;
  /** What a dense, clock-driven pass would cost: synapses × steps multiply-accumulates. */
  readonly dense_macs: number;
  readonly steps: number;
  readonly dt_ms: number;
  readonly simulated_ms: number;
  readonly build_ms: number;
  readonly run_ms: number;
  /** Simulated time / wall time of the run. */
  readonly realtime_factor: number;
  readonly populations: readonly PopulationStats[];
}
