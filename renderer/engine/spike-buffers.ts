/**
 * Spike storage for the results panel: per monitor, per observed population, two
 * growable typed arrays (population-local neuron index, step). Chunks from the
 * engine are appended with one `set` each; nothing is allocated per spike.
 *
 * Memory is bounded per monitor (the monitor node's `keep`, `window_ms`,
 * `max_spikes`):
 * - `all` keeps every spike up to the cap; further spikes are counted but not
 *   kept, and `truncated` says so;
 * - `window` keeps only the spikes of the last `windowSteps` steps (and at most
 *   the cap, dropping the oldest); `evicted` counts what left.
 *
 * A series' `neuron`/`step` are views that start at its oldest kept spike, so
 * readers index `[0, count)` whatever the mode; the backing arrays are at most
 * twice the kept count (plus the initial capacity).
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

/** How a monitor bounds its memory (from the spike monitor's params). */
export interface SpikeKeep {
  readonly mode: 'all' | 'window';
  /** With `window`: steps of the most recent simulated time kept. */
  readonly windowSteps: number;
  /** Spikes kept at most, over all series of the monitor. */
  readonly cap: number;
}

export interface MonitorRecord {
  readonly monitorId: string;
  readonly label: string;
  readonly series: SpikeSeries[];
  /** How memory is bounded (absent in records made elsewhere, e.g. a stored run: keep all). */
  readonly keep?: SpikeKeep;
  /** Spikes received, kept or not. */
  received: number;
  /** `all` mode: spikes past the cap were not kept. */
  truncated: boolean;
  /** Spikes dropped from the front (left the window, or the oldest past the cap). */
  evicted?: number;
  /** Latest step of any spike received (-1 before the first). */
  latestStep?: number;
}

/** Spikes kept per monitor before further ones are dropped (about 200 MB of arrays). */
export const DEFAULT_SPIKE_CAP = 25_000_000;

const INITIAL_CAPACITY = 4096;

interface Backing {
  neuron: Int32Array;
  step: Int32Array;
  /** Index of the oldest kept spike in the backing arrays. */
  head: number;
}

/** The keep settings of a spike monitor's params (missing ones: the defaults). */
export function spikeKeepOf(params: Readonly<Record<string, unknown>>, dtMs: number): SpikeKeep {
  const mode = params.keep === 'window' ? 'window' : 'all';
  const windowMs = typeof params.window_ms === 'number' && params.window_ms > 0 ? params.window_ms : 10_000;
  const cap = typeof params.max_spikes === 'number' && params.max_spikes >= 1 ? Math.floor(params.max_spikes) : DEFAULT_SPIKE_CAP;
  return { mode, windowSteps: Math.max(1, Math.round(windowMs / dtMs)), cap };
}

export class SpikeBuffers {
  private readonly monitors = new Map<string, MonitorRecord>();
  private readonly backing = new WeakMap<SpikeSeries, Backing>();

  constructor(private readonly cap = DEFAULT_SPIKE_CAP) {}

  /** Start afresh with these monitors and their observed populations. */
  reset(monitors: readonly { monitorId: string; label: string; keep?: SpikeKeep; sources: readonly { nodeId: string; label: string; size: number }[] }[]): void {
    this.monitors.clear();
    for (const m of monitors) {
      const maxLength = (m.keep ?? { cap: this.cap }).cap;
      const series = m.sources.map((s) => {
        const b: Backing = { neuron: growable(INITIAL_CAPACITY, maxLength), step: growable(INITIAL_CAPACITY, maxLength), head: 0 };
        const out: SpikeSeries = { nodeId: s.nodeId, label: s.label, size: s.size, neuron: b.neuron, step: b.step, count: 0 };
        this.backing.set(out, b);
        return out;
      });
      this.monitors.set(m.monitorId, {
        monitorId: m.monitorId,
        label: m.label,
        keep: m.keep ?? { mode: 'all', windowSteps: 0, cap: this.cap },
        received: 0,
        truncated: false,
        evicted: 0,
        latestStep: -1,
        series,
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
   * Append one chunk (`neuron[k]` spiked in `step[k]`, steps non-decreasing).
   * Returns false when the monitor or source is unknown (a chunk of an older run).
   */
  append(monitorId: string, source: number, neuron: Int32Array, step: Int32Array): boolean {
    const m = this.monitors.get(monitorId) as Required<MonitorRecord> | undefined;
    const s = m?.series[source];
    if (!m || !s) return false;
    const n = Math.min(neuron.length, step.length);
    m.received += n;
    if (n === 0) return true;
    if (step[n - 1] > m.latestStep) m.latestStep = step[n - 1];
    let from = 0;
    if (m.keep.mode === 'window') {
      // Keep steps in (latest − window, latest]: the last windowSteps steps.
      const cutoff = m.latestStep - m.keep.windowSteps + 1;
      for (const x of m.series) this.dropBefore(m, x, cutoff);
      from = lowerBound(step, n, cutoff);
      m.evicted += from;
    }
    let take = n - from;
    const cap = Math.min(this.cap, m.keep.cap);
    let kept = m.series.reduce((a, x) => a + x.count, 0);
    if (kept + take > cap) {
      if (m.keep.mode === 'all') {
        take = Math.max(0, cap - kept);
        m.truncated = true;
      } else {
        // The window keeps the newest: drop the oldest, this population's first.
        if (take > cap) {
          m.evicted += take - cap;
          from = n - cap;
          take = cap;
        }
        const over = kept + take - cap;
        const own = Math.min(over, s.count);
        this.dropFront(m, s, own);
        kept -= own;
        for (const x of m.series) {
          if (kept + take <= cap) break;
          const d = Math.min(kept + take - cap, x.count);
          this.dropFront(m, x, d);
          kept -= d;
        }
      }
    }
    if (take === 0) return true;
    const b = this.ensureCapacity(s, s.count + take);
    const end = b.head + s.count;
    b.neuron.set(neuron.subarray(from, from + take), end);
    b.step.set(step.subarray(from, from + take), end);
    s.count += take;
    return true;
  }

  /**
   * The run has done `steps` steps: windowed monitors drop what is older than the
   * window before the current time (not only before their latest spike).
   */
  advance(steps: number): void {
    for (const rec of this.monitors.values()) {
      const m = rec as Required<MonitorRecord>;
      if (m.keep.mode !== 'window' || steps - 1 <= m.latestStep) continue;
      m.latestStep = steps - 1;
      const cutoff = m.latestStep - m.keep.windowSteps + 1;
      for (const x of m.series) this.dropBefore(m, x, cutoff);
    }
  }

  /** Spikes kept across every series of a monitor. */
  kept(monitorId: string): number {
    return this.monitors.get(monitorId)?.series.reduce((a, s) => a + s.count, 0) ?? 0;
  }

  private dropBefore(m: Required<MonitorRecord>, s: SpikeSeries, cutoffStep: number): void {
    this.dropFront(m, s, lowerBound(s.step, s.count, cutoffStep));
  }

  private dropFront(m: Required<MonitorRecord>, s: SpikeSeries, k: number): void {
    if (k <= 0) return;
    const b = this.backing.get(s)!;
    b.head += k;
    s.count -= k;
    m.evicted += k;
    this.view(s, b);
  }

  private view(s: SpikeSeries, b: Backing): void {
    s.neuron = b.neuron.subarray(b.head);
    s.step = b.step.subarray(b.head);
  }

  private ensureCapacity(s: SpikeSeries, needed: number): Backing {
    const b = this.backing.get(s)!;
    if (b.head + needed <= b.neuron.length) return b;
    if (needed <= b.neuron.length * 0.75) {
      // Room at the front (a quarter at least, so slides are rare): slide the kept
      // spikes down instead of growing.
      b.neuron.copyWithin(0, b.head, b.head + s.count);
      b.step.copyWithin(0, b.head, b.head + s.count);
    } else {
      let cap = b.neuron.length;
      while (cap < needed) cap *= 2;
      // In place where the buffer can grow (no copy: copying millions of spikes blocked
      // the UI thread for tens of ms, bench/ui); otherwise into new arrays.
      if (b.head === 0 && growInPlace(b.neuron, cap) && growInPlace(b.step, cap)) {
        this.view(s, b);
        return b;
      }
      const neuron = new Int32Array(cap);
      neuron.set(b.neuron.subarray(b.head, b.head + s.count));
      const step = new Int32Array(cap);
      step.set(b.step.subarray(b.head, b.head + s.count));
      b.neuron = neuron;
      b.step = step;
    }
    b.head = 0;
    this.view(s, b);
    return b;
  }
}

type Resizable = ArrayBuffer & { readonly resizable?: boolean; readonly maxByteLength?: number; resize?(byteLength: number): void };

/**
 * An Int32Array of `length` that can later grow in place up to `maxLength`: over a
 * resizable ArrayBuffer (ES2024; the array tracks the buffer's length), or a plain
 * array where the platform has none.
 */
export function growable(length: number, maxLength: number): Int32Array {
  try {
    const Growable = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => Resizable;
    const buf = new Growable(length * 4, { maxByteLength: Math.max(length, maxLength) * 4 });
    if (buf.resizable) return new Int32Array(buf);
  } catch {
    // No resizable buffers, or the reservation was refused: a plain array.
  }
  return new Int32Array(length);
}

/** Grow a {@link growable} array in place to `length`; false when it cannot. */
export function growInPlace(a: Int32Array, length: number): boolean {
  const buf = a.buffer as Resizable;
  if (!buf.resizable || !buf.resize || (buf.maxByteLength ?? 0) < length * 4 || a.byteOffset !== 0) return false;
  try {
    buf.resize(length * 4);
  } catch {
    return false;
  }
  return a.length === length;
}

/** First index in `a[0..count)` whose value is ≥ `x` (a sorted array). */
function lowerBound(a: Int32Array, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
