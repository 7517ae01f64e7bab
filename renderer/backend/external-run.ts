/**
 * Spikes recorded by another simulator (a PyNN script run on NEST, NEURON or
 * Brian2, from the desktop app or elsewhere) as a finished run, in the form the
 * run history keeps and the results panels draw: one raster per spike monitor,
 * statistics from the recorded populations, labelled with the simulator.
 */
import type { GraphDocument } from '../../engine/format/document.ts';
import type { NetworkPlan } from '../../engine/core/plan.ts';
import type { RunStats } from '../../engine/sim/stats.ts';
import { getKind, runtimeOf } from '../../engine/kinds/index.ts';
import type { ExternalRunInfo, ExternalSpikes } from '../../electron/backend-api.ts';
import type { MonitorRecord } from '../engine/spike-buffers.ts';
import type { FinishedRunData } from '../history/run-record.ts';
import { flatNodesOf } from '../groups/level.ts';

/** A run of the document's script elsewhere: what it recorded, and who ran it. */
export interface ExternalRun {
  /** Shown as the run's engine, e.g. `pyNN.neuron, 2 MPI processes`. */
  readonly label: string;
  readonly info: ExternalRunInfo;
  readonly spikes: readonly ExternalSpikes[];
}

/** The engine label of a run: the simulator, and its processes and threads when more than one. */
export function externalLabel(info: Pick<ExternalRunInfo, 'simulator' | 'processes' | 'threads'>): string {
  const simulator = info.simulator.startsWith('pyNN.') ? info.simulator : `pyNN.${info.simulator}`;
  const extra = [info.processes > 1 ? `${info.processes} MPI processes` : '', info.threads > 1 ? `${info.threads} threads` : ''].filter(Boolean);
  return [simulator, ...extra].join(', ');
}

/**
 * The finished run `run` is for `doc` (compiled to `plan`, the plan the script was
 * exported from). Only spike monitors get tabs: the script records spikes only.
 * Throws, naming the monitor and population, when a spike does not fit the plan.
 */
export function externalRunData(doc: GraphDocument, plan: NetworkPlan, run: ExternalRun): FinishedRunData {
  const nodes = flatNodesOf(doc);
  const label = (id: string) => nodes.find((n) => n.id === id)?.label || id;
  const spikeMonitors = plan.monitors.filter((m) => {
    const rt = getKind(m.kind)?.runtime;
    return rt?.role === 'monitor' && rt.records === 'spikes';
  });
  const known = new Set(spikeMonitors.flatMap((m) => m.sources.map((s) => `${m.nodeId}\u0000${plan.populations[s].nodeId}`)));
  for (const s of run.spikes) if (!known.has(`${s.monitorId}\u0000${s.nodeId}`)) throw new Error(`monitor ${s.monitorId}: it does not record population ${s.nodeId} in this document`);
  const records: MonitorRecord[] = spikeMonitors.map((m) => {
    const series = m.sources.map((src) => {
      const pop = plan.populations[src];
      const got = run.spikes.find((s) => s.monitorId === m.nodeId && s.nodeId === pop.nodeId);
      const neuron = Int32Array.from(got?.neuron ?? []);
      const step = Int32Array.from(got?.step ?? []);
      if (neuron.length !== step.length) throw new Error(`monitor ${m.nodeId}, population ${pop.nodeId}: ${neuron.length} neuron indices but ${step.length} times`);
      for (let k = 0; k < neuron.length; k++) {
        if (neuron[k] < 0 || neuron[k] >= pop.size) throw new Error(`monitor ${m.nodeId}, population ${pop.nodeId}: neuron ${neuron[k]} is outside its ${pop.size} neurons`);
        if (step[k] < 0 || step[k] > plan.nSteps)
          throw new Error(`monitor ${m.nodeId}, population ${pop.nodeId}: a spike at ${Number((step[k] * plan.dtMs).toFixed(6))} ms is outside the ${plan.durationMs} ms run`);
      }
      return { nodeId: pop.nodeId, label: label(pop.nodeId), size: pop.size, neuron, step, count: neuron.length };
    });
    const received = series.reduce((a, s) => a + s.count, 0);
    return { monitorId: m.nodeId, label: label(m.nodeId), series, received, truncated: false, evicted: 0 };
  });
  return {
    doc,
    stats: externalStats(plan, records, run.info),
    stopped: false,
    engineVersion: run.label,
    monitors: records.map((r) => ({ monitorId: r.monitorId, records: 'spikes' as const })),
    spikes: records,
    traces: [],
  };
}

/**
 * Statistics of the recorded neuron populations (the first monitor that records
 * each). What the script does not report (synapses, synaptic events) is 0.
 */
function externalStats(plan: NetworkPlan, records: readonly MonitorRecord[], info: ExternalRunInfo): RunStats {
  const seconds = (plan.nSteps * plan.dtMs) / 1000;
  const populations: { nodeId: string; kind: string; size: number; spikes: number; rate_hz: number }[] = [];
  for (const r of records)
    for (const s of r.series) {
      const pop = plan.populations.find((p) => p.nodeId === s.nodeId)!;
      if (runtimeOf(pop.kind)?.role !== 'neurons' || populations.some((p) => p.nodeId === s.nodeId)) continue;
      populations.push({ nodeId: s.nodeId, kind: pop.kind, size: s.size, spikes: s.count, rate_hz: seconds > 0 ? s.count / (s.size * seconds) : 0 });
    }
  const recorded = populations.reduce((a, p) => a + p.size, 0);
  const spikes = populations.reduce((a, p) => a + p.spikes, 0);
  return {
    neurons: plan.populations.filter((p) => runtimeOf(p.kind)?.role === 'neurons').reduce((a, p) => a + p.size, 0),
    source_channels: plan.populations.filter((p) => runtimeOf(p.kind)?.role === 'spike-source').reduce((a, p) => a + p.size, 0),
    synapses: 0,
    spikes,
    source_spikes: 0,
    mean_rate_hz: recorded && seconds > 0 ? spikes / (recorded * seconds) : 0,
    sparsity: recorded && plan.nSteps ? spikes / (recorded * plan.nSteps) : 0,
    synaptic_events: 0,
    external_events: 0,
    dense_macs: 0,
    steps: plan.nSteps,
    dt_ms: plan.dtMs,
    simulated_ms: plan.nSteps * plan.dtMs,
    build_ms: info.build_ms,
    run_ms: info.run_ms,
    realtime_factor: info.run_ms > 0 ? (1000 * seconds) / info.run_ms : 0,
    populations,
    threads: info.threads,
  };
}
