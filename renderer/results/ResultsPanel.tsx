/**
 * The results area: one tab per monitor of the last run (spike monitors draw a
 * raster, state and rate monitors draw traces), a Statistics tab with a table per
 * population and the totals, and the run's statistics line under every tab.
 */
import { useState } from 'react';
import { useEditorState, useServices } from '../app/EditorContext.tsx';
import { RasterPanel } from './RasterPanel.tsx';
import { TracePanel } from './TracePanel.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { fmtInt, statsItems } from './run-format.ts';

const KIND_WORD = { spikes: 'raster', state: 'traces', rate: 'rate' } as const;

/** The Statistics tab's key; no node id can hold a NUL character. */
const STATS_TAB = '\u0000stats';

export function ResultsPanel() {
  const { runner } = useServices();
  const run = useEditorState((s) => s.run);
  const nodes = useEditorState((s) => s.doc.nodes);
  const docDurationMs = useEditorState((s) => s.doc.simulation.duration_ms);
  const [chosen, setChosen] = useState<string | null>(null);
  // Re-read on every results version: the buffers are mutated in place.
  const tabs = runner.monitors;
  // With no monitor to show, the statistics are the result.
  const showStats = chosen === STATS_TAB || (tabs.length === 0 && run.stats !== null);
  const tab = showStats ? undefined : (tabs.find((m) => m.monitorId === chosen) ?? tabs[0]);
  // Before any run, the axis shows the document's duration.
  const durationMs = run.nSteps > 0 ? run.nSteps * run.dtMs : docDurationMs > 0 ? docDurationMs : 1;
  const dtMs = run.dtMs || 0.1;
  const live = run.phase === 'running' || run.phase === 'paused' || run.phase === 'stopping';
  const nowMs = live ? run.step * run.dtMs : null;
  const spikeRecord = tab?.records === 'spikes' ? runner.spikes.get(tab.monitorId) : undefined;
  const traceRecord = tab && tab.records !== 'spikes' ? runner.traces.get(tab.monitorId) : undefined;
  const kept = spikeRecord ? spikeRecord.series.reduce((a, s) => a + s.count, 0) : 0;
  return (
    <section className="sf-results" aria-label="Results" data-testid="results">
      <div className="sf-results-head">
        <div className="sf-tabs" role="tablist">
          {tabs.length === 0 && !run.stats && <span className="sf-panel-title-inline">Results</span>}
          {tabs.map((m) => {
            // The monitor's current label, if it still exists.
            const label = nodes.find((n) => n.id === m.monitorId)?.label || m.monitorId;
            return (
              <button
                key={m.monitorId}
                type="button"
                role="tab"
                aria-selected={m === tab}
                className={`sf-tab${m === tab ? ' is-active' : ''}`}
                data-testid={`results-tab-${m.monitorId}`}
                onClick={() => setChosen(m.monitorId)}
              >
                {label}
                <span className="sf-tab-kind">{KIND_WORD[m.records]}</span>
              </button>
            );
          })}
          {(tabs.length > 0 || run.stats) && (
            <button
              type="button"
              role="tab"
              aria-selected={showStats}
              className={`sf-tab${showStats ? ' is-active' : ''}`}
              data-testid="results-tab-stats"
              title="Spikes and rates per population, and the run's totals"
              onClick={() => setChosen(STATS_TAB)}
            >
              Statistics
            </button>
          )}
        </div>
        {spikeRecord && (
          <span className="sf-muted sf-results-count" data-testid="raster-count">
            {fmtInt(kept)} spike{kept === 1 ? '' : 's'} recorded{spikeRecord.truncated ? ` (of ${fmtInt(spikeRecord.received)}; the rest were not kept)` : ''}
          </span>
        )}
        {traceRecord?.truncated && <span className="sf-muted sf-results-count">memory cap reached: later samples were not kept</span>}
      </div>
      {showStats ? (
        <StatsPanel stats={run.stats} nodes={nodes} emptyText={live ? 'The statistics appear when the run ends.' : 'Run the network to see its statistics.'} />
      ) : traceRecord ? (
        <TracePanel record={traceRecord} dtMs={dtMs} durationMs={durationMs} nowMs={nowMs} version={run.resultsVersion} />
      ) : (
        <RasterPanel record={spikeRecord} dtMs={dtMs} durationMs={durationMs} nowMs={nowMs} version={run.resultsVersion} />
      )}
      <div className="sf-stats" data-testid="run-stats">
        {run.stats ? (
          statsItems(run.stats).map((it) => (
            <span key={it.label} className="sf-stat" title={it.title}>
              <span className="sf-stat-label">{it.label}</span> <span className="sf-stat-value">{it.value}</span>
            </span>
          ))
        ) : (
          <span className="sf-muted">
            {tabs.length === 0 && run.phase !== 'idle' && run.phase !== 'refused'
              ? 'This network has no monitor: add a Spike monitor and wire a population into it to see a raster.'
              : 'Run statistics appear here when a run ends.'}
          </span>
        )}
      </div>
    </section>
  );
}
