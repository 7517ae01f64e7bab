/**
 * Activity on the canvas while (and after) a run: a population's firing rate
 * with a sparkline of the last 2 s of simulated time, and a projection wire's
 * traffic as an overlay stroke (1–4 px, more opaque and faster dashes the busier).
 * Both read the RunController's ActivityTracker, never the document.
 */
import { memo } from 'react';
import { useActivity } from './useActivity.ts';
import { SPARK_WINDOW_MS, trafficWidthPx } from '../engine/activity.ts';
import { formatRate, sparkPath } from './sparkline.ts';

const SPARK_W = 64;
const SPARK_H = 16;

function ActivityBadgeImpl({ nodeId }: { nodeId: string }) {
  const tracker = useActivity();
  const a = tracker.visible ? tracker.population(nodeId) : null;
  if (!a) return null;
  const text = formatRate(a.rate_hz);
  const title =
    a.basis === 'mean'
      ? `Mean firing rate over the run: ${a.rate_hz.toPrecision(4)} Hz per neuron (sparkline: the last ${SPARK_WINDOW_MS / 1000} s)`
      : `Firing rate now: ${a.rate_hz.toPrecision(4)} Hz per neuron (sparkline: the last ${SPARK_WINDOW_MS / 1000} s of simulated time)`;
  return (
    <div className={`sf-node-activity basis-${a.basis}`} data-testid={`rate-badge-${nodeId}`} data-rate-hz={a.rate_hz} data-basis={a.basis} title={title}>
      <svg className="sf-node-spark" width={SPARK_W} height={SPARK_H} viewBox={`0 0 ${SPARK_W} ${SPARK_H}`} aria-hidden="true">
        <path d={sparkPath(a.spark_hz, SPARK_W, SPARK_H)} />
      </svg>
      <span className="sf-rate">
        {a.basis === 'mean' && <span className="sf-rate-basis">mean </span>}
        {text}
      </span>
    </div>
  );
}

export const ActivityBadge = memo(ActivityBadgeImpl);

function WireTrafficImpl({ edgeId, path, inh }: { edgeId: string; path: string; inh: boolean }) {
  const tracker = useActivity();
  const w = tracker.visible ? tracker.wire(edgeId) : null;
  if (!w || !(w.events_per_s > 0)) return null;
  // Busier wires: wider, more opaque, and their dashes run faster.
  const durS = 1.6 - 1.2 * w.level;
  return (
    <path
      d={path}
      fill="none"
      className={`sf-wire-traffic${inh ? ' receptor-inh' : ''}`}
      data-testid={`wire-traffic-${edgeId}`}
      data-events-per-s={w.events_per_s}
      style={{ strokeWidth: trafficWidthPx(w.level), strokeOpacity: 0.25 + 0.6 * w.level, animationDuration: `${durS.toFixed(2)}s` }}
    >
      <title>{`${Math.round(w.events_per_s).toLocaleString('en')} synaptic events per simulated second`}</title>
    </path>
  );
}

export const WireTraffic = memo(WireTrafficImpl);
