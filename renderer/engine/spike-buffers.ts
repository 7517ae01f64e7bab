/**
 * Spike storage for the results panel: per monitor, per observed population, two
 * growable typed arrays (population-local neuron index, step). Chunks from the
 * engine are appended with one `set` each; nothing is allocated per spike.
 *
 * A cap protects the window from running out of memory on a runaway network:
 * past it, further spikes are counted but not kept, and `truncated` says so.
 */

/** One observed population of a monitor. */
export interface SpikeSeries {
  readonly nodeId: string;
  readonly label: string;
  readonly size: number;
  neuron: Int32Array;
  step: Int32Array;
  count: number;
}

export interface MonitorRecord {
  readonly monitorId: string;
  readonly label: string;
  readonly series: SpikeSeries[];
  /** Spikes received, kept or not. */
  received: number;
  truncated: boolean;
}

/** Spikes kept per monitor before further ones are dropped (about 200 MB of arrays). */
export const DEFAULT_SPIKE_CAP = 25_000_000;

const INITIAL_CAPACITY = 4096;

export class SpikeBuffers {
  private readonly monitors = new Map<string, MonitorRecord>();

  constructor(private readonly cap = DEFAULT_SPIKE_CAP) {}

  /** Start afresh with these monitors and their observed populations. */
  reset(monitors: readonly { monitorId: string; label: string; sources: readonly { nodeId: string; label: string; size: number }[] }[]): void {
    this.monitors.clear();
    for (const m of monitors) {
      this.monitors.set(m.monitorId, {
        monitorId: m.monitorId,
        label: m.label,
        received: 0,
        truncated: false,
        series: m.sources.map((s) => ({
          nodeId: s.nodeId,
          label: s.label,
          size: s.size,
          neuron: new Int32Array(INITIAL_CAPACITY),
          step: new Int32Array(INITIAL_CAPACITY),
          count: 0,
        })),
      });
    }
  }

  clear(): void {
    this.monitors.clear();
  }

  get(monitorId: string): MonitorRecord | undefined {
    return this.monitors.get(monitorId);
  }

  list(): MonitorRecord[] {
    return [...this.monitors.values()];
  }

  /**
   * Append one chunk (`neuron[k]` spiked in `step[k]`). Returns false when the
   * monitor or source is unknown (a chunk of an older run).
   */
  append(monitorId: string, source: number, neuron: Int32Array, step: Int32Array): boolean {
    const m = this.monitors.get(monitorId);
    const s = m?.series[source];
    if (!m || !s) return false;
    const n = Math.min(neuron.length, step.length);
    m.received += n;
    const kept = m.series.reduce((a, x) => a + x.count, 0);
    const take = Math.max(0, Math.min(n, this.cap - kept));
    if (take < n) m.truncated = true;
    if (take === 0) return true;
    ensureCapacity(s, s.count + take);
    s.neuron.set(take === neuron.length ? neuron : neuron.subarray(0, take), s.count);
    s.step.set(take === step.length ? step : step.subarray(0, take), s.count);
    s.count += take;
    return true;
  }

  /** Spikes kept across every series of a monitor. */
  kept(monitorId: string): number {
    return this.monitors.get(monitorId)?.series.reduce((a, s) => a + s.count, 0) ?? 0;
  }
}

function ensureCapacity(s: SpikeSeries, needed: number): void {
  if (needed <= s.neuron.length) return;
  let cap = s.neuron.length;
  while (cap < needed) cap *= 2;
  const neuron = new Int32Array(cap);
  neuron.set(s.neuron.subarray(0, s.count));
  const step = new Int32Array(cap);
  step.set(s.step.subarray(0, s.count));
  s.neuron = neuron;
  s.step = step;
}
