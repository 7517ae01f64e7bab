/**
 * A stored run drawn by the results area's own panels: raster for spike monitors,
 * traces for state and rate monitors, the statistics table. The tab is controlled,
 * so two views side by side (comparison) show the same monitor.
 */
import { RasterPanel } from '../results/RasterPanel.tsx';
import { StatsPanel } from '../results/StatsPanel.tsx';
import { TracePanel } from '../results/TracePanel.tsx';
import { fmtInt, statsItems } from '../results/run-format.ts';
import type { RunMonitorTab, StoredRun } from './run-record.ts';

/** The Statistics tab's key (no node id holds a NUL). */
export const STATS_TAB = '\u0000stats';

const KIND_WORD: Readonly<Record<string, string>> = { spikes: 'raster', state: 'traces', rate: 'rate', weights: 'weights' };

/** The monitor tabs of several runs, in order of first appearance (for a shared tab row). */
export function unionTabs(runs: readonly (StoredRun | null)[]): RunMonitorTab[] {
  const out: RunMonitorTab[] = [];
  for (const r of runs) for (const m of r?.monitors ?? []) if (!out.some((x) => x.monitorId === m.monitorId)) out.push(m);
  return out;
}

/** The tab to show: the chosen one when it exists, else the first monitor, else statistics. */
export function effectiveTab(tabs: readonly RunMonitorTab[], chosen: string | null): string {
  if (chosen === STATS_TAB) return STATS_TAB;
  return tabs.find((t) => t.monitorId === chosen)?.monitorId ?? tabs[0]?.monitorId ?? STATS_TAB;
}

/** A tab row for monitor tabs plus Statistics; labels come from `labelOf`. */
export function RunTabs({ tabs, tab, onTab, labelOf, testId }: { tabs: readonly RunMonitorTab[]; tab: string; onTab: (id: string) => void; labelOf: (id: string) => string; testId: string }) {
  return (
    <div className="sf-tabs" role="tablist" data-testid={testId}>
      {tabs.map((m) => (
        <button
          key={m.monitorId}
          type="button"
          role="tab"
          aria-selected={m.monitorId === tab}
          className={`sf-tab${m.monitorId === tab ? ' is-active' : ''}`}
          data-testid={`${testId}-${m.monitorId}`}
          onClick={() => onTab(m.monitorId)}
        >
          {labelOf(m.monitorId)}
          <span className="sf-tab-kind">{KIND_WORD[m.records] ?? m.records}</span>
        </button>
      ))}
      <button type="button" role="tab" aria-selected={tab === STATS_TAB} className={`sf-tab${tab === STATS_TAB ? ' is-active' : ''}`} data-testid={`${testId}-stats`} onClick={() => onTab(STATS_TAB)}>
        Statistics
      </button>
    </div>
  );
}

/**
 * One run's panel for `tab` (a monitor id or {@link STATS_TAB}), with its statistics line
 * (`statsLine={false}`: only the recorded spike count, when a comparison table shows the rest).
 */
export function RunView({ run, tab, testId, statsLine = true }: { run: StoredRun; tab: string; testId: string; statsLine?: boolean }) {
  const dtMs = run.stats.dt_ms || run.meta.dtMs;
  const durationMs = run.meta.durationMs > 0 ? run.meta.durationMs : Math.max(1, run.stats.simulated_ms);
  const monitor = run.monitors.find((m) => m.monitorId === tab);
  const spikeRecord = monitor?.records === 'spikes' ? run.spikes.get(monitor.monitorId) : undefined;
  const traceRecord = monitor && monitor.records !== 'spikes' ? run.traces.get(monitor.monitorId) : undefined;
  const kept = spikeRecord ? spikeRecord.series.reduce((a, s) => a + s.count, 0) : 0;
  let body;
  if (tab === STATS_TAB) body = <StatsPanel stats={run.stats} nodes={run.doc.nodes} emptyText="This run has no statistics." />;
  else if (!monitor)
    body = (
      <p className="sf-muted sf-history-missing">
        Run {run.meta.number} has no monitor “{tab}”.
      </p>
    );
  else if (traceRecord) body = <TracePanel record={traceRecord} dtMs={dtMs} durationMs={durationMs} nowMs={null} version={0} />;
  else if (monitor.records !== 'spikes') body = <p className="sf-muted sf-history-missing">The history keeps spikes, traces and rates; this monitor's {monitor.records} are not kept.</p>;
  else
    body = <RasterPanel record={spikeRecord} dtMs={dtMs} durationMs={durationMs} nowMs={null} version={0} criticality={run.stats.monitors?.find((m) => m.nodeId === monitor.monitorId)?.criticality} />;
  return (
    <div className="sf-history-run" data-testid={testId} data-run-id={run.meta.id} data-spikes={run.meta.spikes} data-kept-spikes={spikeRecord ? kept : undefined}>
      {body}
      {(statsLine || spikeRecord) && (
        <div className="sf-stats">
          {spikeRecord && (
            <span className="sf-stat">
              <span className="sf-stat-label">recorded</span> <span className="sf-stat-value">{fmtInt(kept)} spikes</span>
            </span>
          )}
          {statsLine &&
            statsItems(run.stats).map((it) => (
              <span key={it.label} className="sf-stat" title={it.title}>
                <span className="sf-stat-label">{it.label}</span> <span className="sf-stat-value">{it.value}</span>
              </span>
            ))}
        </div>
      )}
    </div>
  );
}
