/** Run statistics, reported for every run (UI, protocol `finished`, CLI `--json`). */
import type { ReadoutStats } from './plasticity/readout.ts';
import type { SpikeMonitorStats } from '../analysis/spike-train-stats.ts';
import type { ThreadsProfile } from './parallel/profile.ts';

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
  /** Spike monitors only (absent when there are none): CV(ISI), synchrony and, when asked, the criticality analysis (engine/analysis, issue 16). */
  readonly monitors?: readonly SpikeMonitorStats[];
  /** Where the time went, when the run was asked to profile (`RunOptions.profile`, CLI `--profile`; parallel runs add every thread's figures). */
  readonly profile?: RunProfile;
}

/**
 * Wall milliseconds per build phase and per step phase of a profiled run
 * (`BuildOptions.profile`). `run` has one entry per phase of the schedule
 * (schedule.ts `SCHEDULE`); a Poisson drive fused into its group's absorb pass
 * counts under `absorb` (`paths.fusedDrives` says how many are).
 */
export interface RunProfile {
  /** populations, synapses, rings (and wiring), drives, setup (wasm delivery, blocked delivery, monitors). */
  readonly build_ms: Readonly<Record<string, number>>;
  /** currents, update, threshold, deliverSpikes, driveInputs, absorb, reset, record. */
  readonly run_ms: Readonly<Record<string, number>>;
  /** Which fast paths ran (`Stepper.fastPaths`). */
  readonly paths: {
    readonly arenaBytes: number;
    readonly arenaUsed: number;
    readonly wasmProjections: number;
    readonly fusedAbsorbs: number;
    readonly fusedDrives: number;
    readonly blockedProjections: number;
    /** Rings delivered as per-target counts (`Network` count rings; absent: none). */
    readonly countRings?: number;
    /** Parallel runs: projections split by source (parallel/shard.ts `splitBySource`). */
    readonly splitBySource?: number;
    /** Groups whose update pass also absorbs their count rings (absent: none). */
    readonly fusedUpdates?: number;
  };
  /** Parallel runs: every thread's phases, busy and barrier-wait times, and the critical path (parallel/profile.ts). */
  readonly threads?: ThreadsProfile;
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

/** A population as the statistics see it. */
export interface StatsPop {
  readonly nodeId: string;
  readonly kind: string;
  readonly size: number;
  /** Spikes so far. */
  readonly total: number;
}

/** What the statistics read of a network (one thread or parallel). */
export interface StatsSource {
  readonly step: number;
  readonly dtMs: number;
  readonly synapses: number;
  readonly externalEvents: number;
  readonly projections: readonly { readonly events: number }[];
}

/**
 * The statistics of the steps `net` has run, for its populations in plan
 * order: `roleOf` tells neuron populations from spike sources (current sources:
 * null, counted in neither).
 */
export function runStats<P extends StatsPop>(pops: readonly P[], roleOf: (p: P) => 'neurons' | 'source' | null, net: StatsSource, buildMs: number, runMs: number): RunStats {
  const steps = net.step;
  const simulatedMs = steps * net.dtMs;
  const rate = (spikes: number, size: number) => (size > 0 && simulatedMs > 0 ? spikes / (size * (simulatedMs / 1000)) : 0);
  const populations: PopulationStats[] = [];
  let neurons = 0;
  let spikes = 0;
  let sourceChannels = 0;
  let sourceSpikes = 0;
  for (const pop of pops) {
    const role = roleOf(pop);
    if (role === 'neurons') {
      neurons += pop.size;
      spikes += pop.total;
    } else if (role === 'source') {
      sourceChannels += pop.size;
      sourceSpikes += pop.total;
    } else continue;
    populations.push({ nodeId: pop.nodeId, kind: pop.kind, size: pop.size, spikes: pop.total, rate_hz: simulatedMs > 0 ? pop.total / (pop.size * (simulatedMs / 1000)) : 0 });
  }
  let events = 0;
  for (const pr of net.projections) events += pr.events;
  return {
    neurons,
    source_channels: sourceChannels,
    synapses: net.synapses,
    spikes,
    source_spikes: sourceSpikes,
    mean_rate_hz: neurons > 0 ? rate(spikes, neurons) : 0,
    sparsity: neurons > 0 && steps > 0 ? spikes / (neurons * steps) : 0,
    synaptic_events: events,
    external_events: net.externalEvents,
    dense_macs: net.synapses * steps,
    steps,
    dt_ms: net.dtMs,
    simulated_ms: simulatedMs,
    build_ms: buildMs,
    run_ms: runMs,
    realtime_factor: runMs > 0 ? simulatedMs / runMs : 0,
    populations,
  };
}

/**
 * A profiled run's time in the groups the bench reports: neuron update
 * (update, threshold, reset), spike delivery, drive (Poisson and other drives
 * filled on their own), ring absorb (with any drive fused into it), and other
 * (currents, monitors, and what `runMs` has beyond the phases: the loop, chunks).
 */
export function profileGroups(p: RunProfile, runMs: number): { name: string; ms: number }[] {
  const r = (k: string) => p.run_ms[k] ?? 0;
  const groups = [
    // Groups with count rings absorb them (and draw their drive) in their update pass.
    { name: (p.paths.fusedUpdates ?? 0) > 0 ? 'neuron update (with fused absorb + drive)' : 'neuron update', ms: r('update') + r('threshold') + r('reset') },
    { name: 'spike delivery', ms: r('deliverSpikes') },
    { name: p.paths.fusedDrives > 0 ? 'drive (unfused)' : 'drive', ms: r('driveInputs') },
    { name: p.paths.fusedDrives > 0 ? 'ring absorb + fused drive' : 'ring absorb', ms: r('absorb') },
  ];
  const phases = Object.values(p.run_ms).reduce((a, b) => a + b, 0);
  groups.push({ name: 'other', ms: r('currents') + r('record') + Math.max(0, runMs - phases) });
  return groups;
}

/** One line each for the build and the run of a profiled run, seconds and shares. */
export function profileText(p: RunProfile, runMs: number): string {
  const s = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
  const build = Object.entries(p.build_ms)
    .map(([k, ms]) => `${k} ${s(ms)} s`)
    .join(', ');
  const run = profileGroups(p, runMs)
    .map((g) => `${g.name} ${s(g.ms)} s (${runMs > 0 ? Math.round((100 * g.ms) / runMs) : 0} %)`)
    .join(', ');
  const threads = p.threads
    ? p.threads.threads.map((t, k) => `\nthread ${k}: busy ${s(t.busy_ms)} s, waiting at the barrier ${s(t.wait_ms)} s`).join('') +
      `\ncritical path (Σ of the slowest thread's busy time per step) ${s(p.threads.critical_path_ms)} s of ${s(runMs)} s`
    : '';
  return `build: ${build}\nrun: ${run}${threads}`;
}
