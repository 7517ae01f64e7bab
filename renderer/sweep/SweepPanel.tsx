/**
 * The Sweep panel (issue 16): parameters to sweep (NODE.FIELD and values: a list,
 * FROM:TO:STEP or log:FROM:TO:N, as `spikeflow sweep --set`), seeds, duration,
 * jobs and metrics; Run with a progress bar, the time left and Cancel; a line
 * (one parameter) or a heatmap (two) of a chosen metric, where a click opens the
 * point as a run; export of the table; saving the set-up into the document.
 */
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { AppServices } from '../app/actions.ts';
import { ServicesContext, useEditorState } from '../app/EditorContext.tsx';
import { Icon } from '../ui/Icon.tsx';
import { parseRow, secondsLeft } from './sweep-math.ts';
import { cancelSweep, documentMetrics, exportTable, followDocument, openPoint, saveSetup, startSweep, sweepStore, type SweepState } from './sweep-runner.ts';
import { SweepPlot } from './SweepPlot.tsx';
import './sweep.css';

const set = (patch: Partial<SweepState>) => sweepStore.setState(patch);

function formatSeconds(s: number): string {
  if (s < 90) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  if (s < 5400) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function SweepPanel({ app }: { app: AppServices }) {
  const open = useStore(sweepStore, (s) => s.open);
  if (!open) return null;
  return (
    <ServicesContext.Provider value={app}>
      <PanelBody app={app} />
    </ServicesContext.Provider>
  );
}

function PanelBody({ app }: { app: AppServices }) {
  const s = useStore(sweepStore);
  const doc = useEditorState((e) => e.doc);
  const epoch = useEditorState((e) => e.docEpoch);
  useEffect(() => followDocument(app.editor.state.doc, epoch), [app, epoch]);
  const known = useMemo(() => documentMetrics(doc), [doc]);
  const running = s.phase === 'running';
  const title = s.label || 'Sweep';
  return (
    <aside className="sf-sweep" data-testid="sweep-panel" aria-label="Sweep">
      <header className="sf-sweep-head">
        <strong>{title}</strong>
        <span className="sf-muted"> — {doc.meta.name || 'Untitled'}</span>
        <button type="button" className="sf-icon-btn" aria-label="Close the sweep panel" data-testid="sweep-close" onClick={() => set({ open: false })}>
          <Icon name="close" size={12} />
        </button>
      </header>
      <div className="sf-sweep-body">
        <section className="sf-sweep-sets">
          {s.rows.map((r, i) => {
            const parsed = r.target.trim() || r.values.trim() ? parseRow(r) : null;
            return (
              <div className="sf-sweep-row" key={i} data-testid={`sweep-set-${i}`}>
                <span className="sf-sweep-axis">{i === 0 ? 'x' : i === 1 ? 'y' : `${i + 1}`}</span>
                <input
                  className="sf-input sf-sweep-target"
                  value={r.target}
                  title={r.target}
                  placeholder="NODE.FIELD"
                  aria-label={`Parameter ${i + 1}`}
                  data-testid={`sweep-target-${i}`}
                  disabled={running}
                  onChange={(e) => set({ rows: s.rows.map((x, k) => (k === i ? { ...x, target: e.target.value } : x)) })}
                />
                <input
                  className="sf-input sf-sweep-values"
                  value={r.values}
                  placeholder="1,2,3 | 0:8:0.5 | log:1:100:5"
                  aria-label={`Values of parameter ${i + 1}`}
                  data-testid={`sweep-values-${i}`}
                  disabled={running}
                  onChange={(e) => set({ rows: s.rows.map((x, k) => (k === i ? { ...x, values: e.target.value } : x)) })}
                />
                <span className={`sf-sweep-count${parsed && !parsed.ok ? ' is-bad' : ''}`} data-testid={`sweep-count-${i}`} title={parsed && !parsed.ok ? parsed.message : undefined}>
                  {parsed ? (parsed.ok ? `${parsed.set.values.length} values` : 'invalid') : ''}
                </span>
                <button type="button" className="sf-icon-btn" aria-label={`Remove parameter ${i + 1}`} disabled={running} onClick={() => set({ rows: s.rows.filter((_, k) => k !== i) })}>
                  <Icon name="close" size={10} />
                </button>
              </div>
            );
          })}
          <button type="button" className="sf-btn" data-testid="sweep-add" disabled={running} onClick={() => set({ rows: [...s.rows, { target: '', values: '' }] })}>
            + Parameter
          </button>
        </section>
        <section className="sf-sweep-settings">
          <label>
            Seeds <input className="sf-input" data-testid="sweep-seeds" value={s.seeds} disabled={running} onChange={(e) => set({ seeds: e.target.value })} />
          </label>
          <label title="Blank: the document's duration">
            Duration{' '}
            <input
              className="sf-input"
              data-testid="sweep-duration"
              value={s.durationMs}
              placeholder={String(doc.simulation.duration_ms)}
              disabled={running}
              onChange={(e) => set({ durationMs: e.target.value })}
            />{' '}
            ms
          </label>
          <label title="Engines running at once, each in its own worker">
            Jobs <input className="sf-input" data-testid="sweep-jobs" value={s.jobs} disabled={running} onChange={(e) => set({ jobs: e.target.value })} />
          </label>
        </section>
        <MetricChooser known={known} chosen={s.metrics} disabled={running} />
        <section className="sf-sweep-actions">
          {running ? (
            <button type="button" className="sf-btn is-danger" data-testid="sweep-cancel" onClick={cancelSweep}>
              Cancel
            </button>
          ) : (
            <button type="button" className="sf-btn is-primary" data-testid="sweep-run" onClick={() => void startSweep(app)}>
              Run sweep
            </button>
          )}
          <button type="button" className="sf-btn" data-testid="sweep-save" disabled={running} onClick={() => saveSetup(app)} title="Write this set-up into the document (undoable)">
            Save set-up
          </button>
          <span className="sf-sweep-spacer" />
          <button type="button" className="sf-btn" data-testid="sweep-export-csv" disabled={!s.run?.rows.length} onClick={() => void exportTable(app, 'csv')}>
            CSV
          </button>
          <button type="button" className="sf-btn" data-testid="sweep-export-json" disabled={!s.run?.rows.length} onClick={() => void exportTable(app, 'json')}>
            JSON
          </button>
        </section>
        {s.problems.length > 0 && (
          <ul className="sf-sweep-problems" role="alert" data-testid="sweep-problems">
            {s.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        )}
        {s.notice && (
          <p className="sf-sweep-notice sf-muted" data-testid="sweep-notice">
            {s.notice}
          </p>
        )}
        <Progress />
        {s.run && s.run.rows.length > 0 && <PlotArea app={app} />}
      </div>
    </aside>
  );
}

function MetricChooser({ known, chosen, disabled }: { known: readonly string[]; chosen: readonly string[]; disabled: boolean }) {
  const all = chosen.length === 0;
  const toggle = (m: string) => {
    const base = all ? known : chosen;
    const next = base.includes(m) ? base.filter((x) => x !== m) : [...base, m];
    set({ metrics: next.length === known.length ? [] : next });
  };
  return (
    <details className="sf-sweep-metrics" data-testid="sweep-metrics">
      <summary>
        Metrics: {all ? `all ${known.length}` : `${chosen.length} of ${known.length}`}
        {!all && (
          <button type="button" className="sf-link" disabled={disabled} onClick={() => set({ metrics: [] })}>
            all
          </button>
        )}
      </summary>
      <div className="sf-sweep-metric-list">
        {known.map((m) => (
          <label key={m}>
            <input type="checkbox" checked={all || chosen.includes(m)} disabled={disabled} onChange={() => toggle(m)} data-testid={`sweep-metric-${m}`} /> {m}
          </label>
        ))}
      </div>
    </details>
  );
}

/** The progress bar, the runs done, the time elapsed and left; ticks every half second while running. */
function Progress() {
  const phase = useStore(sweepStore, (s) => s.phase);
  const run = useStore(sweepStore, (s) => s.run);
  const failures = useStore(sweepStore, (s) => s.failures);
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (phase !== 'running') return;
    const t = window.setInterval(() => setNow(performance.now()), 500);
    return () => window.clearInterval(t);
  }, [phase]);
  if (!run) return null;
  const done = run.rows.length;
  const elapsed = (run.endedAt ?? now) - run.startedAt;
  const left = secondsLeft(done, run.total, elapsed);
  const text =
    phase === 'running'
      ? `${done} / ${run.total} runs · ${formatSeconds(elapsed / 1000)} elapsed${left !== null ? ` · about ${formatSeconds(left)} left` : ''}`
      : `${phase === 'cancelled' ? 'Cancelled' : 'Done'}: ${done} of ${run.total} runs in ${formatSeconds(elapsed / 1000)}`;
  return (
    <div className="sf-sweep-progress" data-testid="sweep-progress" data-phase={phase} data-done={done} data-total={run.total}>
      <div className="sf-sweep-bar" role="progressbar" aria-valuemin={0} aria-valuemax={run.total} aria-valuenow={done}>
        <div style={{ width: `${(100 * done) / Math.max(1, run.total)}%` }} />
      </div>
      <span data-testid="sweep-progress-text">
        {text}
        {failures > 0 && <span className="sf-sweep-bad"> · {failures} failed</span>}
      </span>
    </div>
  );
}

function PlotArea({ app }: { app: AppServices }) {
  const run = useStore(sweepStore, (s) => s.run)!;
  const metric = useStore(sweepStore, (s) => s.plotMetric) ?? run.metrics[0];
  const [opened, setOpened] = useState<string | null>(null);
  const onOpen = (point: number, seed: number) => {
    void openPoint(app, point, seed).then((ok) =>
      setOpened(
        ok ? `Point ${point}, seed ${seed} runs as an ordinary run: its results are in the results panel and the run history keeps it.` : 'That point could not run now (is a run under way?).',
      ),
    );
  };
  return (
    <section className="sf-sweep-plot-area">
      <label className="sf-sweep-metric-pick">
        Plot{' '}
        <select className="sf-input" value={metric} data-testid="sweep-plot-metric" onChange={(e) => set({ plotMetric: e.target.value })}>
          {run.metrics.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <SweepPlot run={run} metric={metric} onOpen={onOpen} />
      {opened && (
        <p className="sf-muted sf-sweep-opened" data-testid="sweep-opened">
          {opened}
        </p>
      )}
    </section>
  );
}
