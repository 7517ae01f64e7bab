/**
 * The results area's History tab: the kept runs of the open document (newest
 * first), and for each: open its results in the usual panels, re-run it exactly
 * (its stored graph and seed), or delete it (after asking). Tick two runs to
 * compare them side by side, with the parameters that changed between them.
 */
import { useEffect, useState } from 'react';
import { useEditorState } from '../app/EditorContext.tsx';
import { isRunActive } from '../store/run-state.ts';
import { fmtInt, fmtMs, fmtRate } from '../results/run-format.ts';
import { requestResultsHeight, useHistory, useHistoryState } from './HistoryContext.tsx';
import { diffDocuments } from './param-diff.ts';
import { MAX_KEEP, MAX_RUN_BYTES } from './run-history.ts';
import type { RunMeta, StoredRun } from './run-record.ts';
import { RunTabs, RunView, effectiveTab, unionTabs } from './RunView.tsx';
import './history.css';

function fmtDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function fmtBytes(n: number): string {
  if (n >= 1048576) return `${(n / 1048576).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} kB`;
  return `${n} B`;
}

/** Load a stored run; `null` while loading. */
function useStoredRun(id: string): { run: StoredRun | null; error: string | null } {
  const history = useHistory();
  const [state, setState] = useState<{ id: string; run: StoredRun | null; error: string | null }>({ id, run: null, error: null });
  useEffect(() => {
    let live = true;
    history.load(id).then(
      (run) => live && setState({ id, run, error: null }),
      (e: unknown) => live && setState({ id, run: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [history, id]);
  return state.id === id ? state : { run: null, error: null };
}

export function HistoryPanel() {
  const view = useHistoryState((s) => s.view);
  // A run's panels, and two side by side, need more height than the list.
  useEffect(() => {
    if (view.mode !== 'list') requestResultsHeight(view.mode === 'compare' ? 480 : 400);
  }, [view.mode]);
  return (
    <div className="sf-history" data-testid="history">
      {view.mode === 'list' && <HistoryList />}
      {view.mode === 'open' && <OpenRun key={view.id} id={view.id} />}
      {view.mode === 'compare' && <CompareRuns key={`${view.a}/${view.b}`} a={view.a} b={view.b} />}
    </div>
  );
}

function ErrorLine() {
  const error = useHistoryState((s) => s.error);
  if (!error) return null;
  return (
    <div className="sf-history-error" role="alert" data-testid="history-error">
      {error}
    </div>
  );
}

function HistoryList() {
  const history = useHistory();
  const entries = useHistoryState((s) => s.entries);
  const loading = useHistoryState((s) => s.loading);
  const keep = useHistoryState((s) => s.keep);
  const where = useHistoryState((s) => s.where);
  const selected = useHistoryState((s) => s.selected);
  const check = useHistoryState((s) => s.rerunCheck);
  const busy = useEditorState((s) => isRunActive(s.run.phase));
  const [keepText, setKeepText] = useState(String(keep));
  const commitKeep = () => {
    const n = Number(keepText);
    if (Number.isFinite(n) && n >= 1) history.setKeep(n);
    setKeepText(String(history.state.keep));
  };
  const pair = selected.length === 2 ? (entries.filter((e) => selected.includes(e.id)).sort((x, y) => x.number - y.number) as RunMeta[]) : [];
  return (
    <div className="sf-history-list">
      <div className="sf-history-bar">
        <span className="sf-muted" data-testid="history-summary">
          {entries.length} run{entries.length === 1 ? '' : 's'} kept {where}. Keeps the newest
        </span>
        <input
          className="sf-input sf-history-keep"
          data-testid="history-keep"
          type="number"
          min={1}
          max={MAX_KEEP}
          value={keepText}
          title={`Runs kept per document (1–${MAX_KEEP}); older ones are deleted when a new run ends. A run over ${MAX_RUN_BYTES / 1048576} MB of data is not kept.`}
          onChange={(e) => setKeepText(e.currentTarget.value)}
          onBlur={commitKeep}
          onKeyDown={(e) => e.key === 'Enter' && commitKeep()}
        />
        <span className="sf-muted">runs per document.</span>
        <button
          type="button"
          className="sf-btn"
          data-testid="history-compare"
          disabled={pair.length !== 2}
          title={pair.length === 2 ? `Compare run ${pair[0].number} with run ${pair[1].number}` : 'Tick two runs to compare them'}
          onClick={() => history.setView({ mode: 'compare', a: pair[0].id, b: pair[1].id })}
        >
          Compare{pair.length === 2 ? ` ${pair[0].number} ↔ ${pair[1].number}` : ''}
        </button>
      </div>
      <ErrorLine />
      {check && (
        <div className={`sf-history-check${check.same ? '' : ' is-diff'}`} data-testid="history-rerun-check" data-same={String(check.same)}>
          Re-run of run {check.number}: {fmtInt(check.newSpikes)} spikes, {check.same ? 'the same as stored' : `but ${fmtInt(check.storedSpikes)} were stored`}.
        </div>
      )}
      <div className="sf-history-table-wrap">
        <table className="sf-stats-table sf-history-table">
          <thead>
            <tr>
              <th scope="col" title="Tick two to compare" />
              <th scope="col">Run</th>
              <th scope="col">Date</th>
              <th scope="col" className="is-num">
                Seed
              </th>
              <th scope="col" className="is-num" title="Simulated time (of the document's duration)">
                Duration
              </th>
              <th scope="col" className="is-num">
                Spikes
              </th>
              <th scope="col" className="is-num">
                Mean rate (Hz)
              </th>
              <th scope="col" className="is-num" title="Wall-clock time of the simulation">
                Wall
              </th>
              <th scope="col">Engine</th>
              <th scope="col" className="is-num">
                Size
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="history-row" data-run-id={e.id} data-number={e.number} data-seed={e.seed} data-spikes={e.spikes}>
                <td>
                  <input type="checkbox" data-testid="history-select" aria-label={`Compare run ${e.number}`} checked={selected.includes(e.id)} onChange={() => history.toggleSelected(e.id)} />
                </td>
                <th scope="row">
                  {e.number}
                  {e.outcome === 'stopped' && <span className="sf-muted"> stopped</span>}
                  {e.rerunOf && (
                    <span className="sf-muted" title="A re-run of a stored run">
                      {' '}
                      re-run
                    </span>
                  )}
                </th>
                <td>{fmtDate(e.createdAt)}</td>
                <td className="is-num">{e.seed}</td>
                <td className="is-num">
                  {e.simulatedMs < e.durationMs ? `${fmtMs(e.simulatedMs)} of ` : ''}
                  {fmtMs(e.durationMs)}
                </td>
                <td className="is-num">{fmtInt(e.spikes)}</td>
                <td className="is-num">{fmtRate(e.meanRateHz)}</td>
                <td className="is-num">{fmtMs(e.wallMs)}</td>
                <td title="Engine version">{e.engineVersion || '—'}</td>
                <td className="is-num">{fmtBytes(e.bytes)}</td>
                <td className="sf-history-actions">
                  <button type="button" className="sf-btn" data-testid="history-open" onClick={() => history.setView({ mode: 'open', id: e.id })} title="Show this run's results">
                    Open
                  </button>
                  <button
                    type="button"
                    className="sf-btn"
                    data-testid="history-rerun"
                    disabled={busy}
                    onClick={() => void history.rerun(e.id)}
                    title="Run its stored graph again with the same seed (the open graph is unchanged)"
                  >
                    Re-run
                  </button>
                  <button type="button" className="sf-btn" data-testid="history-delete" onClick={() => void history.remove(e.id)} title="Delete this run from the history">
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {entries.length === 0 && (
              <tr>
                <td colSpan={11} className="sf-muted">
                  {loading ? 'Reading the history…' : 'No runs yet: every run that ends is kept here with its graph, seed and results.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function BackButton() {
  const history = useHistory();
  return (
    <button type="button" className="sf-btn" data-testid="history-back" onClick={() => history.setView({ mode: 'list' })} title="Back to the list of runs">
      ← Runs
    </button>
  );
}

function runTitle(m: RunMeta): string {
  return `Run ${m.number} · ${fmtDate(m.createdAt)} · seed ${m.seed}${m.engineVersion ? ` · engine ${m.engineVersion}` : ''}`;
}

function OpenRun({ id }: { id: string }) {
  const history = useHistory();
  const { run, error } = useStoredRun(id);
  const busy = useEditorState((s) => isRunActive(s.run.phase));
  const [chosen, setChosen] = useState<string | null>(null);
  if (!run) {
    return (
      <div className="sf-history-open">
        <div className="sf-history-bar">
          <BackButton />
          <span className={error ? 'sf-history-error' : 'sf-muted'}>{error ?? 'Loading the run…'}</span>
        </div>
      </div>
    );
  }
  const tab = effectiveTab(run.monitors, chosen);
  const labelOf = (nodeId: string) => run.doc.nodes.find((n) => n.id === nodeId)?.label || nodeId;
  return (
    <div className="sf-history-open">
      <div className="sf-history-bar">
        <BackButton />
        <strong data-testid="history-open-title">{runTitle(run.meta)}</strong>
        <RunTabs tabs={run.monitors} tab={tab} onTab={setChosen} labelOf={labelOf} testId="history-tab" />
        <span className="sf-history-spacer" />
        <button type="button" className="sf-btn" data-testid="history-open-rerun" disabled={busy} onClick={() => void history.rerun(id)}>
          Re-run
        </button>
        <button type="button" className="sf-btn" onClick={() => void history.remove(id)}>
          Delete
        </button>
      </div>
      <RunView run={run} tab={tab} testId="history-run" />
    </div>
  );
}

function CompareRuns({ a, b }: { a: string; b: string }) {
  const left = useStoredRun(a);
  const right = useStoredRun(b);
  const [chosen, setChosen] = useState<string | null>(null);
  const runs = [left.run, right.run];
  const tabs = unionTabs(runs);
  const tab = effectiveTab(tabs, chosen);
  const labelOf = (nodeId: string) => runs.map((r) => r?.doc.nodes.find((n) => n.id === nodeId)?.label).find((l) => l) || nodeId;
  const error = left.error ?? right.error;
  return (
    <div className="sf-history-compare">
      <div className="sf-history-bar">
        <BackButton />
        <strong>{left.run && right.run ? `Run ${left.run.meta.number} ↔ run ${right.run.meta.number}` : error ? '' : 'Loading…'}</strong>
        {error && <span className="sf-history-error">{error}</span>}
        {left.run && right.run && <RunTabs tabs={tabs} tab={tab} onTab={setChosen} labelOf={labelOf} testId="compare-tab" />}
      </div>
      {left.run && right.run && (
        <div className="sf-history-compare-body">
          <ComparisonSide a={left.run} b={right.run} />
          <div className="sf-history-pair">
            {[left.run, right.run].map((r, i) => (
              <div key={r.meta.id} className="sf-history-pair-col">
                <div className="sf-history-caption">
                  <span className={`sf-history-badge is-${i === 0 ? 'a' : 'b'}`}>{i === 0 ? 'A' : 'B'}</span> {runTitle(r.meta)}
                </div>
                <RunView run={r} tab={tab} testId={i === 0 ? 'compare-run-a' : 'compare-run-b'} statsLine={false} />
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

/** The parameter diff, and the headline results of both runs. */
function ComparisonSide({ a, b }: { a: StoredRun; b: StoredRun }) {
  const changes = diffDocuments(a.doc, b.doc);
  const rows: { label: string; a: string; b: string }[] = [
    { label: 'spikes', a: fmtInt(a.stats.spikes), b: fmtInt(b.stats.spikes) },
    { label: 'source spikes', a: fmtInt(a.stats.source_spikes), b: fmtInt(b.stats.source_spikes) },
    { label: 'synapses', a: fmtInt(a.stats.synapses), b: fmtInt(b.stats.synapses) },
    { label: 'mean rate (Hz)', a: fmtRate(a.stats.mean_rate_hz), b: fmtRate(b.stats.mean_rate_hz) },
    { label: 'simulated', a: fmtMs(a.stats.simulated_ms), b: fmtMs(b.stats.simulated_ms) },
    { label: 'wall', a: fmtMs(a.stats.run_ms), b: fmtMs(b.stats.run_ms) },
    { label: 'engine', a: a.meta.engineVersion || '—', b: b.meta.engineVersion || '—' },
  ];
  return (
    <div className="sf-history-side">
      <table className="sf-stats-table sf-history-diff" data-testid="history-diff" data-changes={changes.length}>
        <thead>
          <tr>
            <th scope="col">Changed</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c, i) => (
            <tr key={i} data-testid="history-diff-row" data-scope={c.scope} data-id={c.id} data-field={c.field}>
              <th scope="row" title={`${c.where} › ${c.field}`}>
                <span className="sf-muted">{c.where} ›</span> {c.field}
              </th>
              <td className="is-num" title={c.before}>
                {c.before}
              </td>
              <td className="is-num" title={c.after}>
                {c.after}
              </td>
            </tr>
          ))}
          {changes.length === 0 && (
            <tr>
              <td colSpan={3} className="sf-muted">
                Same graph and settings.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <table className="sf-stats-table sf-history-diff" data-testid="history-results">
        <thead>
          <tr>
            <th scope="col">Results</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} className={r.a !== r.b ? 'is-changed' : undefined}>
              <th scope="row">{r.label}</th>
              <td className="is-num">{r.a}</td>
              <td className="is-num">{r.b}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
