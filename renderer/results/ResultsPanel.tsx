/**
 * The results area: one tab per monitor of the last run (spike monitors draw a
 * raster, state and rate monitors draw traces), a Statistics tab with a table per
 * population and the totals, and the run's statistics line under every tab.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { silentPopulations } from './silence.ts';
import { flattenDocument } from '../../engine/format/groups.ts';
import { useEditorState, useServices } from '../app/EditorContext.tsx';
import { RasterPanel } from './RasterPanel.tsx';
import { TracePanel } from './TracePanel.tsx';
import { LearnedWeightsBar, WeightPanel } from './WeightPanel.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { fmtInt, statsItems } from './run-format.ts';
import { ExportMenu } from './ExportMenu.tsx';
import { keepLabel } from './result-labels.ts';
import type { ExportSource } from './ExportMenu.tsx';
import { monitorCsv, monitorNpz } from '../../engine/format/monitor-export.ts';
import { learningCsv, spikeMonitorData, statsCsv, traceMonitorData, weightsCsv, weightsNpz } from '../export/monitor-data.ts';
import { isiSvg, learningSvg, rasterSvg, statsSvg, traceSvg, weightsSvg } from '../export/svg-plot.ts';
import { isiPopulations } from './isi-math.ts';
import type { WeightRecord } from '../engine/weight-buffers.ts';
import type { DocNode } from '../../engine/format/document.ts';
import type { RunStats } from '../../engine/sim/stats.ts';
import type { MonitorRecord } from '../engine/spike-buffers.ts';
import type { TraceRecord } from '../engine/trace-buffers.ts';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { SHOW_HISTORY_EVENT, useHistoryState } from '../history/HistoryContext.tsx';
import { LearningPanel } from '../learning/LearningPanel.tsx';
import { flatNodesOf } from '../groups/level.ts';

/** The open tab's export builders; they read the buffers when a format is chosen. */
function exportSource(
  tabId: string | null,
  spikeRecord: MonitorRecord | undefined,
  traceRecord: TraceRecord | undefined,
  stats: RunStats | null,
  nodes: readonly DocNode[],
  dtMs: number,
  durationMs: number,
  canvas: () => HTMLCanvasElement | null,
  views: { isi(): boolean; criticality(): { canvas: HTMLCanvasElement; summary: string } | null; weights?: WeightRecord; weightCanvas(): HTMLCanvasElement | null },
): ExportSource | null {
  const labelOf = (id: string) => nodes.find((n) => n.id === id)?.label || id;
  if (tabId === null) {
    if (!stats) return null;
    return { id: 'stats', canvas: () => null, csv: () => statsCsv(stats), svg: () => statsSvg('Run statistics', stats, labelOf) };
  }
  if (spikeRecord) {
    const data = () => spikeMonitorData(spikeRecord, dtMs);
    const sizes = spikeRecord.series.map((s) => s.size);
    return {
      id: tabId,
      canvas,
      csv: () => monitorCsv(data()),
      npz: () => monitorNpz(data()),
      svg: () => {
        // The view shown is the one exported: the raster, the ISI/CV histograms, or the criticality plots (as an image).
        if (views.isi()) return isiSvg(`${labelOf(tabId)}: ISI and CV`, isiPopulations(spikeRecord, dtMs));
        const crit = views.criticality();
        if (crit) {
          const dpr = window.devicePixelRatio || 1;
          return weightsSvg(`${labelOf(tabId)}: criticality`, crit.summary, crit.canvas.toDataURL('image/png'), { width: crit.canvas.width / dpr, height: crit.canvas.height / dpr });
        }
        const d = data();
        return d.records === 'spikes' ? rasterSvg(labelOf(tabId), d, sizes, durationMs) : '';
      },
    };
  }
  if (views.weights) {
    const rec = views.weights;
    return {
      id: tabId,
      canvas: () => views.weightCanvas(),
      csv: () => weightsCsv(rec, dtMs),
      npz: () => weightsNpz(rec, dtMs),
      svg: () => {
        const c = views.weightCanvas();
        const dpr = window.devicePixelRatio || 1;
        const summary = `${rec.pre?.length ?? 0} synapses, ${rec.sourceSize} → ${rec.targetSize} neurons, snapshot at t = ${+(rec.step * dtMs).toPrecision(6)} ms`;
        return c ? weightsSvg(`${labelOf(tabId)}: weights of ${labelOf(rec.nodeId)}`, summary, c.toDataURL('image/png'), { width: c.width / dpr, height: c.height / dpr }) : '';
      },
    };
  }
  if (traceRecord) {
    const data = () => traceMonitorData(traceRecord, dtMs);
    return {
      id: tabId,
      canvas,
      csv: () => monitorCsv(data()),
      npz: () => monitorNpz(data()),
      svg: () => {
        const d = data();
        return d.records === 'spikes' ? '' : traceSvg(labelOf(tabId), d, traceRecord.quantity, durationMs);
      },
    };
  }
  return null;
}

/** The weight panel's canvases (heatmap, histogram, receptive fields) drawn side by side into one, for PNG and SVG. */
function sideBySide(canvases: HTMLCanvasElement[]): HTMLCanvasElement | null {
  const shown = canvases.filter((c) => c.width > 0 && c.height > 0);
  if (shown.length === 0) return null;
  const out = document.createElement('canvas');
  out.width = shown.reduce((a, c) => a + c.width, 0);
  out.height = Math.max(...shown.map((c) => c.height));
  const ctx = out.getContext('2d')!;
  let x = 0;
  for (const c of shown) {
    ctx.drawImage(c, x, 0);
    x += c.width;
  }
  return out;
}

/** Mark a node on the canvas while its tab is hovered (a class on React Flow's node wrapper). */
function hoverNode(id: string, on: boolean): void {
  const el = document.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
  el?.classList.toggle('sf-linked-hover', on);
}

const KIND_WORD = { spikes: 'raster', state: 'traces', rate: 'rate', weights: 'weights' } as const;

/** The Statistics tab's key; no node id can hold a NUL character. */
const STATS_TAB = '\u0000stats';
/** The History tab's key (run history, renderer/history/). */
const HISTORY_TAB = '\u0000history';
/** The Learning tab's key (a training run's learning curve, renderer/learning/). */
const LEARNING_TAB = '\u0000learning';

export function ResultsPanel() {
  const { runner, editor } = useServices();
  const sectionRef = useRef<HTMLElement>(null);
  // A single selected node: when it is a monitor with a tab, that tab opens.
  const selectedNode = useEditorState((s) => (s.selection.nodes.length === 1 && s.selection.edges.length === 0 ? s.selection.nodes[0] : null));
  const run = useEditorState((s) => s.run);
  // Every node, inside groups too (renderer/groups): monitors and populations may sit in one.
  const nodes = useEditorState((s) => flatNodesOf(s.doc));
  // The flat graph the engine ran (groups opened), for the silence reasons and wiring checks.
  const rawDoc = useEditorState((s) => s.doc);
  const doc = useMemo(() => flattenDocument(rawDoc).doc, [rawDoc]);
  const docDurationMs = useEditorState((s) => s.doc.simulation.duration_ms);
  const [chosen, setChosen] = useState<string | null>(null);
  // Re-read on every results version: the buffers are mutated in place.
  const tabs = runner.monitors;
  // With no monitor to show, the statistics are the result.
  const showHistory = chosen === HISTORY_TAB;
  // A training run opens on its learning curve.
  const hasLearning = runner.learning.trainerId !== null;
  const showLearning = hasLearning && (chosen === LEARNING_TAB || chosen === null);
  const historyCount = useHistoryState((s) => s.entries.length);
  const showStats = !showHistory && !showLearning && (chosen === STATS_TAB || (tabs.length === 0 && run.stats !== null));
  const tab = showStats || showHistory || showLearning ? undefined : (tabs.find((m) => m.monitorId === chosen) ?? tabs[0]);
  // Before any run, the axis shows the document's duration.
  const durationMs = run.nSteps > 0 ? run.nSteps * run.dtMs : docDurationMs > 0 ? docDurationMs : 1;
  const dtMs = run.dtMs || 0.1;
  const live = run.phase === 'running' || run.phase === 'paused' || run.phase === 'stopping';
  const nowMs = live ? run.step * run.dtMs : null;
  const spikeRecord = tab?.records === 'spikes' ? runner.spikes.get(tab.monitorId) : undefined;
  const traceRecord = tab && tab.records !== 'spikes' && tab.records !== 'weights' ? runner.traces.get(tab.monitorId) : undefined;
  const kept = spikeRecord ? spikeRecord.series.reduce((a, s) => a + s.count, 0) : 0;
  // A monitor wired since the last run says so, instead of "nothing is wired".
  const wiredSinceRun = !!spikeRecord && spikeRecord.series.length === 0 && doc.edges.some((e) => e.target.node === tab?.monitorId);
  // After a run, a silent population observed by this monitor gets its likely reason.
  const silent = useMemo(() => (tab && tab.records === 'spikes' && run.stats && !live ? silentPopulations(doc, run.stats, tab.monitorId) : []), [tab, run.stats, live, doc]);
  // A run kept from another engine (renderer/backend/) opens in History.
  useEffect(() => {
    const show = () => setChosen(HISTORY_TAB);
    window.addEventListener(SHOW_HISTORY_EVENT, show);
    return () => window.removeEventListener(SHOW_HISTORY_EVENT, show);
  }, []);
  useEffect(() => {
    if (selectedNode && runner.monitors.some((m) => m.monitorId === selectedNode)) setChosen(selectedNode);
  }, [selectedNode, runner, tabs]);
  // Trace a neuron picked on the raster: one undoable edit (a state monitor on its
  // population), then a fresh run so its trace shows at once; during a run, from the next.
  const traceNeuron = (populationId: string, neuron: number) => {
    const monitorId = editor.traceNeuron(populationId, neuron);
    if (!monitorId) return;
    setChosen(monitorId);
    if (live) editor.setNotice({ level: 'info', text: `Neuron ${neuron} will be traced from the next run (monitor ${monitorId}).` });
    else void runner.run();
  };
  const weightRecord = tab?.records === 'weights' ? runner.weights.get(tab.monitorId) : undefined;
  const learningSource: ExportSource | null =
    showLearning && runner.learning.history.length > 0
      ? {
          id: `${runner.learning.trainerId ?? 'training'}-learning-curve`,
          canvas: () => null,
          csv: () => learningCsv(runner.learning.history),
          svg: () => learningSvg(`Learning curve of ${nodes.find((n) => n.id === runner.learning.trainerId)?.label ?? 'the trainer'}`, runner.learning.history),
        }
      : null;
  const source = showHistory
    ? null
    : showLearning
      ? learningSource
      : exportSource(
          showStats ? null : (tab?.monitorId ?? null),
          spikeRecord,
          traceRecord,
          run.stats,
          nodes,
          dtMs,
          durationMs,
          () => sectionRef.current?.querySelector<HTMLCanvasElement>('canvas.sf-plot-canvas') ?? null,
          {
            isi: () => sectionRef.current?.querySelector('[data-testid="isi-cv"]') != null,
            criticality: () => {
              const canvas = sectionRef.current?.querySelector<HTMLCanvasElement>('[data-testid="criticality"]');
              const summary = sectionRef.current?.querySelector('[data-testid="criticality-summary"] p')?.textContent ?? '';
              return canvas ? { canvas, summary } : null;
            },
            weights: weightRecord?.w ? weightRecord : undefined,
            weightCanvas: () => sideBySide([...(sectionRef.current?.querySelectorAll<HTMLCanvasElement>('[data-testid="weight-panel"] canvas') ?? [])]),
          },
        );
  return (
    <section className="sf-results" aria-label="Results" data-testid="results" ref={sectionRef}>
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
                className={`sf-tab${m === tab ? ' is-active' : ''}${selectedNode === m.monitorId ? ' is-linked' : ''}`}
                data-testid={`results-tab-${m.monitorId}`}
                title="Shows this monitor's results; click to select its node"
                onClick={() => {
                  setChosen(m.monitorId);
                  if (nodes.some((n) => n.id === m.monitorId)) editor.setSelection({ nodes: [m.monitorId], edges: [] });
                }}
                onPointerEnter={() => hoverNode(m.monitorId, true)}
                onPointerLeave={() => hoverNode(m.monitorId, false)}
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
          {hasLearning && (
            <button
              type="button"
              role="tab"
              aria-selected={showLearning}
              className={`sf-tab${showLearning ? ' is-active' : ''}`}
              data-testid="results-tab-learning"
              title="The training run's loss and accuracy per epoch"
              onClick={() => setChosen(LEARNING_TAB)}
            >
              Learning
            </button>
          )}
          <button
            type="button"
            role="tab"
            aria-selected={showHistory}
            className={`sf-tab${showHistory ? ' is-active' : ''}`}
            data-testid="results-tab-history"
            title="Kept runs of this document: open, re-run, compare, delete"
            onClick={() => setChosen(HISTORY_TAB)}
          >
            History
            <span className="sf-tab-kind" data-testid="history-count">
              {historyCount}
            </span>
          </button>
        </div>
        {spikeRecord && (
          <span className="sf-muted sf-results-count" data-testid="raster-count">
            {fmtInt(kept)} spike{kept === 1 ? '' : 's'} recorded{spikeRecord.truncated ? ` (of ${fmtInt(spikeRecord.received)}; the rest were not kept)` : ''}
          </span>
        )}
        {traceRecord?.truncated && <span className="sf-muted sf-results-count">memory cap reached: later samples were not kept</span>}
        {(spikeRecord || traceRecord) && keepLabel((spikeRecord ?? traceRecord)!, dtMs) && (
          <span
            className="sf-muted sf-results-count sf-results-keep"
            data-testid="monitor-keep"
            title={`${keepLabel((spikeRecord ?? traceRecord)!, dtMs)}. Set by the monitor's Keep, Window and cap params.`}
          >
            {keepLabel((spikeRecord ?? traceRecord)!, dtMs)}
          </span>
        )}
        {source && <ExportMenu source={source} disabled={live} />}
      </div>
      <LearnedWeightsBar />
      {showHistory ? (
        <HistoryPanel />
      ) : showLearning ? (
        <LearningPanel learning={runner.learning} version={run.resultsVersion} />
      ) : showStats ? (
        <StatsPanel stats={run.stats} nodes={nodes} emptyText={live ? 'The statistics appear when the run ends.' : 'Run the network to see its statistics.'} />
      ) : tab?.records === 'weights' ? (
        <WeightPanel monitorId={tab.monitorId} version={run.resultsVersion} live={live} dtMs={dtMs} />
      ) : traceRecord ? (
        <TracePanel record={traceRecord} dtMs={dtMs} durationMs={durationMs} nowMs={nowMs} version={run.resultsVersion} />
      ) : (
        <>
          <RasterPanel
            record={spikeRecord}
            dtMs={dtMs}
            durationMs={durationMs}
            nowMs={nowMs}
            version={run.resultsVersion}
            onTraceNeuron={traceNeuron}
            emptyText={wiredSinceRun ? 'Wired since the last run: run again to see its spikes.' : undefined}
            criticality={run.stats?.monitors?.find((m) => m.nodeId === tab?.monitorId)?.criticality}
          />
          {silent.length > 0 && (
            <div className="sf-silence" data-testid="silence-note" role="note">
              {silent.map((s) => (
                <p key={s.nodeId} data-node-id={s.nodeId}>
                  <strong>{s.label} fired no spikes.</strong> {s.reason}
                </p>
              ))}
            </div>
          )}
        </>
      )}
      {!showHistory && (
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
      )}
    </section>
  );
}
