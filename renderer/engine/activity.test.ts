import { describe, it, expect, vi } from 'vitest';
import { ACTIVITY_UPDATE_MS, ActivityTracker, SPARK_BINS, trafficLevel, trafficWidthPx } from './activity.ts';
import { plan, pop, proj } from '../../engine/test-support/test-plans.ts';
import type { ProgressEvent } from '../../engine/protocol/messages.ts';

const DT_MS = 0.1;

/** A tracker whose frames run on `flush()` and whose clock is `clock.ms`. */
function tracker() {
  const frames: (() => void)[] = [];
  const clock = { ms: 1000 };
  const t = new ActivityTracker(
    (cb) => frames.push(cb),
    () => clock.ms,
  );
  t.reset(
    plan({
      populations: [pop('in', 'poisson-source', { size: 10, rate_hz: 10 }), pop('lif', 'lif-curr-exp', { size: 4 }), pop('dc', 'dc-current', { size: 4 })],
      projections: [proj('w', 0, 1), proj('v', 1, 1)],
      injections: [{ edgeId: 'i', source: 2, target: 1, targetPort: 'current' }],
    }),
  );
  const flush = () => frames.splice(0).forEach((f) => f());
  return { t, flush, clock };
}

function progress(tMs: number, counts: number[], events: number[]): ProgressEvent {
  return { type: 'progress', runId: 1, step: Math.round(tMs / DT_MS), nSteps: 100_000, wallMs: 0, counts, events };
}

describe('ActivityTracker', () => {
  it('gives the live rate over the last 200 ms of simulated time, then the run mean once ended', () => {
    const { t } = tracker();
    expect(t.population('in')).toBeNull(); // no data yet
    t.push(progress(100, [5, 0, 0], [0, 0]), DT_MS);
    t.push(progress(200, [15, 2, 0], [0, 0]), DT_MS);
    t.push(progress(300, [25, 2, 0], [0, 0]), DT_MS);
    // Window from t=100 (the newest sample at least 200 ms old) to t=300: 20 spikes / (10 · 0.2 s).
    expect(t.population('in')).toMatchObject({ rate_hz: 10, basis: 'window' });
    // lif: 0 spikes at t=100, 2 at t=300 → 2 / (4 · 0.2 s).
    expect(t.population('lif')!.rate_hz).toBeCloseTo(2.5, 12);
    t.end();
    // 25 spikes / (10 neurons · 0.3 s).
    expect(t.population('in')).toMatchObject({ basis: 'mean' });
    expect(t.population('in')!.rate_hz).toBeCloseTo(25 / 3, 12);
    expect(t.population('lif')!.rate_hz).toBeCloseTo(2 / 1.2, 12);
  });

  it('gives no badge to current sources or unknown nodes', () => {
    const { t } = tracker();
    t.push(progress(100, [5, 1, 0], [3, 0]), DT_MS);
    expect(t.population('dc')).toBeNull();
    expect(t.population('nope')).toBeNull();
    expect(t.wire('nope')).toBeNull();
  });

  it('fills a sparkline over what has run until 2 s have, then over the last 2 s', () => {
    const { t } = tracker();
    // 20 spikes per 100 ms in 10 neurons: 20 Hz throughout.
    for (let k = 1; k <= 10; k++) t.push(progress(k * 100, [20 * k, 0, 0], [0, 0]), DT_MS);
    let spark = t.population('in')!.spark_hz;
    expect(spark).toHaveLength(SPARK_BINS);
    for (const x of spark) expect(x).toBeCloseTo(20, 9);
    // Then 1 s more at 0 Hz and 1 s at 40 Hz: the last 2 s are half 0, half 40.
    t.push(progress(2000, [200, 0, 0], [0, 0]), DT_MS);
    t.push(progress(3000, [600, 0, 0], [0, 0]), DT_MS);
    spark = t.population('in')!.spark_hz;
    expect(spark.slice(0, SPARK_BINS / 2).every((x) => Math.abs(x) < 1e-9)).toBe(true);
    for (const x of spark.slice(SPARK_BINS / 2)) expect(x).toBeCloseTo(40, 9);
  });

  it('measures wire traffic in events per simulated second, scaled to the busiest wire', () => {
    const { t } = tracker();
    t.push(progress(100, [0, 0, 0], [100, 0]), DT_MS);
    t.push(progress(300, [0, 0, 0], [1100, 9]), DT_MS);
    // (1100 - 100) events over 0.2 s.
    expect(t.wire('w')).toMatchObject({ events_per_s: 5000, level: 1 });
    const v = t.wire('v')!;
    expect(v.events_per_s).toBeCloseTo(45, 9);
    expect(v.level).toBeCloseTo(Math.log1p(45) / Math.log1p(5000), 12);
  });

  it('tells listeners of a streaming run at most once per ACTIVITY_UPDATE_MS, in a frame, however many events arrive', () => {
    vi.useFakeTimers();
    try {
      const { t, flush, clock } = tracker();
      flush();
      let calls = 0;
      t.subscribe(() => calls++);
      // The reset was told at 1000 ms: progress 10 ms later waits for the rest of the interval.
      clock.ms += 10;
      for (let k = 1; k <= 50; k++) t.push(progress(k, [k, 0, 0], [0, 0]), DT_MS);
      flush();
      expect(calls).toBe(0);
      vi.advanceTimersByTime(ACTIVITY_UPDATE_MS - 10);
      clock.ms += ACTIVITY_UPDATE_MS - 10;
      flush();
      expect(calls).toBe(1);
      expect(t.population('lif')!.basis).toBe('window');
      // The run's end is told in the next frame, throttle or not.
      t.push(progress(60, [60, 0, 0], [0, 0]), DT_MS);
      t.end();
      flush();
      expect(calls).toBe(2);
      expect(t.population('lif')!.basis).toBe('mean');
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores progress from an engine that sends no counts', () => {
    const { t } = tracker();
    t.push({ type: 'progress', runId: 1, step: 1000, nSteps: 2000, wallMs: 0 }, DT_MS);
    expect(t.hasData).toBe(false);
  });
});

describe('traffic scale', () => {
  it('maps traffic to 0..1 on a log scale and to 1–4 px', () => {
    expect(trafficLevel(0, 100)).toBe(0);
    expect(trafficLevel(100, 100)).toBe(1);
    expect(trafficLevel(9, 99)).toBeCloseTo(Math.log(10) / Math.log(100), 12);
    expect(trafficWidthPx(0)).toBe(1);
    expect(trafficWidthPx(1)).toBe(4);
    expect(trafficWidthPx(0.5)).toBe(2.5);
  });
});
