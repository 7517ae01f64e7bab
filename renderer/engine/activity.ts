/**
 * Activity on the canvas: firing rates per population and traffic per wire,
 * computed from the cumulative counts in the engine's `progress` events
 * (`counts`: spikes per population, `events`: synaptic events per projection).
 * It needs no spike monitor, so every population has a rate.
 *
 * Definitions (what the badges and wires show):
 * - while a run goes on, a population's rate is Δspikes / (size · Δt) over the
 *   last `RATE_WINDOW_MS` of simulated time (from the newest progress sample back
 *   to the newest sample at least that old, or the run's start);
 * - once the run has ended (finished or stopped), it is the run's mean rate:
 *   spikes / (size · simulated time), i.e. the run statistics' `rate_hz`;
 * - the sparkline holds the rate in `SPARK_BINS` bins over the last
 *   `SPARK_WINDOW_MS` of simulated time (over all of it while less has run),
 *   cumulative counts interpolated linearly between progress samples;
 * - a wire's traffic is Δevents / Δt (synaptic events per simulated second) over
 *   the same window as the rate (whole run once ended).
 *
 * The tracker lives outside the editor store. While a run streams, listeners hear of
 * changes at most once per `ACTIVITY_UPDATE_MS`, in an animation frame, so the canvas
 * (every node's badge and every wire) re-renders a few times a second, never per event;
 * the start and the end of a run are heard in the next frame.
 */
import type { NetworkPlan } from '../../engine/core/plan.ts';
import type { ProgressEvent } from '../../engine/protocol/messages.ts';
import { getKind } from '../../engine/kinds/index.ts';

/** Simulated time over which the live rate and traffic are measured. */
export const RATE_WINDOW_MS = 200;
/** Simulated time the sparkline covers. */
export const SPARK_WINDOW_MS = 2000;
/** Points in a sparkline. */
export const SPARK_BINS = 40;
/** While a run streams, listeners hear of it at most this often (ms). */
export const ACTIVITY_UPDATE_MS = 250;
/** Samples kept: enough for the sparkline at any chunk size. */
const MAX_SAMPLES = 4096;

interface Sample {
  readonly tMs: number;
  readonly counts: readonly number[];
  readonly events: readonly number[];
}

/** What a population's badge shows. */
export interface PopulationActivity {
  /** Live rate over the last window, or the run's mean once it has ended. */
  readonly rate_hz: number;
  /** `'window'` while running, `'mean'` once the run has ended. */
  readonly basis: 'window' | 'mean';
  /** Rates in `SPARK_BINS` bins over the last `SPARK_WINDOW_MS` (or all that has run), oldest first. */
  readonly spark_hz: readonly number[];
}

/** What a wire shows. */
export interface WireActivity {
  /** Synaptic events per simulated second. */
  readonly events_per_s: number;
  /** 0..1: this wire's traffic relative to the busiest wire (log scale). */
  readonly level: number;
}

export type ActivityScheduler = (cb: () => void) => void;

const defaultScheduler: ActivityScheduler = typeof requestAnimationFrame === 'function' ? (cb) => requestAnimationFrame(() => cb()) : (cb) => setTimeout(cb, 16);

const STORAGE_KEY = 'spikeflow.showActivity';

function readVisible(): boolean {
  try {
    return globalThis.sessionStorage?.getItem(STORAGE_KEY) !== 'false';
  } catch {
    return true;
  }
}

/** Latest sample with `tMs <= t` (samples sorted by time); index 0 when none. */
function sampleAtOrBefore(samples: readonly Sample[], t: number): number {
  let lo = 0;
  let hi = samples.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (samples[mid].tMs <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Map a non-negative quantity to 0..1 relative to `max`, on a log scale. */
export function trafficLevel(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  return Math.min(1, Math.log1p(value) / Math.log1p(max));
}

/** Stroke width in px for a wire's traffic level: 1 px idle … 4 px the busiest. */
export function trafficWidthPx(level: number): number {
  return 1 + 3 * Math.max(0, Math.min(1, level));
}

export class ActivityTracker {
  private popIndex = new Map<string, number>();
  private sizes: number[] = [];
  private edgeIndex = new Map<string, number>();
  private samples: Sample[] = [];
  private ended = false;
  private scheduled = false;
  /** When listeners last heard of a change (the clock's ms). */
  private lastTold = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<() => void>();
  private cachePop = new Map<string, PopulationActivity>();
  private cacheWire: Map<string, WireActivity> | null = null;
  /** Bumps on every change listeners hear about (for `useSyncExternalStore`). */
  version = 0;
  /** Whether the canvas shows activity; session state, kept across reloads of the tab. */
  visible = readVisible();

  constructor(
    private readonly schedule: ActivityScheduler = defaultScheduler,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Start tracking a run of `plan`; populations that emit spikes get a badge. */
  reset(plan: NetworkPlan): void {
    this.popIndex.clear();
    this.sizes = plan.populations.map((p) => p.size);
    plan.populations.forEach((p, i) => {
      const role = getKind(p.kind)?.runtime.role;
      if ((role === 'neurons' || role === 'spike-source') && p.size > 0) this.popIndex.set(p.nodeId, i);
    });
    this.edgeIndex = new Map(plan.projections.map((p, k) => [p.edgeId, k]));
    this.samples = [{ tMs: 0, counts: plan.populations.map(() => 0), events: plan.projections.map(() => 0) }];
    this.ended = false;
    this.changed(true);
  }

  /** Forget everything (another document was opened). */
  clear(): void {
    this.popIndex.clear();
    this.edgeIndex.clear();
    this.samples = [];
    this.ended = false;
    this.changed(true);
  }

  /** Take a progress event; ignored when the engine sent no counts. */
  push(e: ProgressEvent, dtMs: number): void {
    if (!e.counts || this.samples.length === 0) return;
    const tMs = e.step * dtMs;
    const last = this.samples[this.samples.length - 1];
    if (tMs < last.tMs) return;
    const sample: Sample = { tMs, counts: e.counts, events: e.events ?? last.events };
    // A repeated step (e.g. progress after a pause) replaces rather than adds a zero-length span.
    if (tMs === last.tMs) this.samples[this.samples.length - 1] = sample;
    else this.samples.push(sample);
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(1, this.samples.length - MAX_SAMPLES);
    this.changed();
  }

  /** The run ended: badges switch to the run's mean rate. */
  end(): void {
    this.ended = true;
    this.changed(true);
  }

  /** Whether there is anything to show. */
  get hasData(): boolean {
    return this.samples.length > 1;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    try {
      globalThis.sessionStorage?.setItem(STORAGE_KEY, String(visible));
    } catch {
      // No storage (tests, locked-down browser): the toggle lasts for this page only.
    }
    this.version++;
    for (const l of this.listeners) l();
  }

  /** Subscribe to changes (at most one call per animation frame). */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** A population's activity, or null when it has none to show (not a population, no data). */
  population(nodeId: string): PopulationActivity | null {
    const i = this.popIndex.get(nodeId);
    if (i === undefined || !this.hasData) return null;
    const cached = this.cachePop.get(nodeId);
    if (cached) return cached;
    const samples = this.samples;
    const last = samples[samples.length - 1];
    const size = this.sizes[i];
    const rateBetween = (a: Sample, b: Sample) => (b.tMs > a.tMs ? ((b.counts[i] - a.counts[i]) * 1000) / (size * (b.tMs - a.tMs)) : NaN);
    const from = this.ended ? samples[0] : samples[sampleAtOrBefore(samples, last.tMs - RATE_WINDOW_MS)];
    const rate = rateBetween(from, last);
    // Cumulative count at time t, linear between samples (a chunk's spikes spread over it).
    const countAt = (t: number) => {
      const k = sampleAtOrBefore(samples, t);
      const s0 = samples[k];
      const s1 = samples[k + 1];
      if (!s1 || t <= s0.tMs) return s0.counts[i];
      return s0.counts[i] + ((s1.counts[i] - s0.counts[i]) * (t - s0.tMs)) / (s1.tMs - s0.tMs);
    };
    // Until 2 s have run the sparkline covers what has run, so it is never half empty.
    const spanMs = Math.min(SPARK_WINDOW_MS, last.tMs);
    const binMs = spanMs / SPARK_BINS;
    const t0 = last.tMs - spanMs;
    const spark: number[] = [];
    for (let b = 0; b < SPARK_BINS; b++) {
      const lo = t0 + b * binMs;
      spark.push(((countAt(lo + binMs) - countAt(lo)) * 1000) / (size * binMs));
    }
    const out: PopulationActivity = { rate_hz: Number.isFinite(rate) ? rate : 0, basis: this.ended ? 'mean' : 'window', spark_hz: spark };
    this.cachePop.set(nodeId, out);
    return out;
  }

  /** A projection wire's traffic, or null when it is not a projection of the run. */
  wire(edgeId: string): WireActivity | null {
    if (!this.hasData || !this.edgeIndex.has(edgeId)) return null;
    if (!this.cacheWire) {
      const samples = this.samples;
      const last = samples[samples.length - 1];
      const from = this.ended ? samples[0] : samples[sampleAtOrBefore(samples, last.tMs - RATE_WINDOW_MS)];
      const dtS = (last.tMs - from.tMs) / 1000;
      const perS = new Map<string, number>();
      let max = 0;
      for (const [id, k] of this.edgeIndex) {
        const v = dtS > 0 ? (last.events[k] - from.events[k]) / dtS : 0;
        perS.set(id, v);
        max = Math.max(max, v);
      }
      this.cacheWire = new Map([...perS].map(([id, v]) => [id, { events_per_s: v, level: trafficLevel(v, max) }]));
    }
    return this.cacheWire.get(edgeId) ?? null;
  }

  /** Tell listeners in a frame; a run's progress (`now` false) no sooner than {@link ACTIVITY_UPDATE_MS} after the last time. */
  private changed(now = false): void {
    this.cachePop.clear();
    this.cacheWire = null;
    if (now && this.timer !== undefined) {
      // The start or end of a run does not wait for the progress throttle.
      clearTimeout(this.timer);
      this.timer = undefined;
      this.scheduled = false;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    const tell = () => {
      this.timer = undefined;
      this.schedule(() => {
        this.scheduled = false;
        this.lastTold = this.clock();
        this.version++;
        for (const l of this.listeners) l();
      });
    };
    const wait = now ? 0 : this.lastTold + ACTIVITY_UPDATE_MS - this.clock();
    if (wait > 0) this.timer = setTimeout(tell, wait);
    else tell();
  }
}
