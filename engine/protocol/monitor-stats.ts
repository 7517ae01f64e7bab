/**
 * The statistics every spike monitor reports when a run ends (`RunStats.monitors`):
 * CV(ISI) and synchrony, and the criticality analysis when the monitor asks for
 * it (engine/analysis). The server hands each chunk of spikes it streams to
 * `accept` before sending it, so the figures come from exactly the spikes the
 * hosts receive, for one-thread and parallel runs alike, in memory that does not
 * grow with the spikes.
 */
import type { NetworkPlan } from '../core/plan.ts';
import { SpikeTrainStats, type MemoryCapacitySetup, type SpikeMonitorStats } from '../analysis/spike-train-stats.ts';
import { spikeMonitor, spikeMonitorCriticality, spikeMonitorMemory } from '../kinds/spike-monitor.ts';

export class MonitorStatsCollector {
  private readonly byMonitor = new Map<string, { stats: SpikeTrainStats; offsets: number[] }>();

  constructor(private readonly plan: NetworkPlan) {
    for (const m of plan.monitors) {
      if (m.kind !== spikeMonitor.id) continue;
      const offsets: number[] = [];
      let n = 0;
      for (const s of m.sources) {
        offsets.push(n);
        n += plan.populations[s]?.size ?? 0;
      }
      const memory = memorySetup(plan, m.nodeId, m.sources, offsets, m.params);
      this.byMonitor.set(m.nodeId, { stats: new SpikeTrainStats(m.nodeId, n, plan.nSteps, plan.dtMs, spikeMonitorCriticality(m.params), memory), offsets });
    }
  }

  /** A chunk of spikes of source `sourceSlot` of monitor `monitorId`. */
  accept(monitorId: string, sourceSlot: number, neuron: ArrayLike<number>, step: ArrayLike<number>): void {
    const m = this.byMonitor.get(monitorId);
    if (m && sourceSlot < m.offsets.length) m.stats.add(neuron, step, m.offsets[sourceSlot]);
  }

  /** Each spike monitor's report after `steps` steps (undefined when the plan has none). */
  reports(steps: number): SpikeMonitorStats[] | undefined {
    if (this.byMonitor.size === 0) return undefined;
    return [...this.byMonitor.values()].map((m) => m.stats.report(steps, this.plan.seed));
  }
}

/** A spike monitor's memory-capacity set-up: its input population's neurons, or a message naming the monitor and field when the input is not wired in. */
function memorySetup(plan: NetworkPlan, monitorId: string, sources: readonly number[], offsets: readonly number[], params: Readonly<Record<string, unknown>>): MemoryCapacitySetup | string | null {
  const memory = spikeMonitorMemory(params);
  if (!memory) return null;
  const ids = sources.map((s) => plan.populations[s]?.nodeId ?? '');
  const slot = ids.indexOf(memory.input);
  if (slot < 0) return `spike monitor "${monitorId}": memory_input "${memory.input}" is not a population wired into it (its populations: ${ids.join(', ') || 'none'})`;
  const from = offsets[slot];
  return { ...memory, inputFrom: from, inputTo: from + (plan.populations[sources[slot]]?.size ?? 0) };
}
