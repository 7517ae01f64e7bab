/** Run statistics, reported for every run (UI, protocol `finished`, CLI `--json`). */
import type { ReadoutStats } from './plasticity/readout.ts';

export type { ReadoutStats } from './plasticity/readout.ts';

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
  /** Plastic projections only (absent when there are none): their final weights, summarised. */
  readonly plastic?: readonly PlasticStats[];
  /** Threads the run used (absent from older engines: one). */
  readonly threads?: number;
  /** Why the run used fewer threads than asked, when it did. */
  readonly threads_note?: string;
  /** Classifier readouts only (absent when there are none): train and test accuracy (issue 5). */
  readonly readouts?: readonly ReadoutStats[];
}

/** A plastic projection's weights at the end of the run (MODELS.md §4 "Reported"). */
export interface PlasticStats {
  /** The plasticity node. */
  readonly nodeId: string;
  /** The wire out of it, into the target. */
  readonly edgeId: string;
  readonly synapses: number;
  readonly w_max: number;
  readonly w_mean_over_wmax: number;
  /** Fraction of weights below 0.1·w_max. */
  readonly frac_low: number;
  /** Fraction of weights above 0.9·w_max. */
  readonly frac_high: number;
  /** Counts in 20 bins of width w_max/20 over [0, w_max], the last bin closed. */
  readonly w_hist_20: readonly number[];
}
