/**
 * The run's statistics in full: a table with one row per population (neurons
 * and spike sources: label, kind, size, spikes, rate) and the totals beside it.
 * Shown in the results area's "Statistics" tab.
 */
import { getKind } from '../../engine/kinds/index.ts';
import type { RunStats } from '../../engine/sim/stats.ts';
import type { DocNode } from '../../engine/format/document.ts';
import { plasticRows, populationRows, readoutRows, totalsItems } from './run-format.ts';
import type { PlasticRow, ReadoutRow } from './run-format.ts';

export interface StatsPanelProps {
  readonly stats: RunStats | null;
  readonly nodes: readonly DocNode[];
  /** Shown when there are no statistics yet. */
  readonly emptyText: string;
}

export function StatsPanel({ stats, nodes, emptyText }: StatsPanelProps) {
  if (!stats) {
    return (
      <div className="sf-stats-panel is-empty" data-testid="run-stats-table">
        <p className="sf-muted">{emptyText}</p>
      </div>
    );
  }
  const labelOf = (id: string) => nodes.find((n) => n.id === id)?.label;
  const rows = populationRows(stats, labelOf, (kindId) => getKind(kindId));
  const plastic = plasticRows(stats, labelOf);
  const readouts = readoutRows(stats, labelOf);
  return (
    <div className="sf-stats-panel">
      <div className="sf-stats-table-wrap">
        <table className="sf-stats-table" data-testid="run-stats-table">
          <thead>
            <tr>
              <th scope="col">Population</th>
              <th scope="col">Kind</th>
              <th scope="col" className="is-num">
                Size
              </th>
              <th scope="col" className="is-num">
                Spikes
              </th>
              <th scope="col" className="is-num" title="Spikes per neuron (or channel) per simulated second">
                Rate (Hz)
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.nodeId} data-testid={`run-stats-row-${r.nodeId}`}>
                <th scope="row" title={r.nodeId}>
                  <span className={`sf-stats-dot cat-${r.category}`} />
                  {r.label}
                  {r.label !== r.nodeId && <span className="sf-muted"> {r.nodeId}</span>}
                </th>
                <td title={r.kind}>{r.kind}</td>
                <td className="is-num">{r.size}</td>
                <td className="is-num" data-testid={`run-stats-spikes-${r.nodeId}`}>
                  {r.spikes}
                </td>
                <td className="is-num">{r.rate}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={5} className="sf-muted">
                  No populations ran.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {plastic.length > 0 && <PlasticTable rows={plastic} />}
        {readouts.length > 0 && <ReadoutTable rows={readouts} />}
      </div>
      <dl className="sf-stats-totals" data-testid="run-stats-totals">
        {totalsItems(stats).map((it) => (
          <div key={it.label} title={it.title}>
            <dt>{it.label}</dt>
            <dd>{it.value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Final weights of each plastic projection, with a 20-bin histogram over [0, w_max]. */
function PlasticTable({ rows }: { rows: readonly PlasticRow[] }) {
  return (
    <table className="sf-stats-table sf-plastic-table" data-testid="run-stats-plastic">
      <thead>
        <tr>
          <th scope="col">Plastic projection</th>
          <th scope="col" className="is-num">
            Synapses
          </th>
          <th scope="col" className="is-num" title="Mean final weight / w_max">
            w / w_max
          </th>
          <th scope="col" className="is-num" title="Weights below 0.1·w_max">
            low
          </th>
          <th scope="col" className="is-num" title="Weights above 0.9·w_max">
            high
          </th>
          <th scope="col" title="Final weights in 20 bins over [0, w_max]">
            Weights
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.nodeId} data-testid={`run-stats-plastic-${r.nodeId}`}>
            <th scope="row" title={r.nodeId}>
              <span className="sf-stats-dot cat-plasticity" />
              {r.label}
            </th>
            <td className="is-num">{r.synapses}</td>
            <td className="is-num">{r.mean}</td>
            <td className="is-num">{r.low}</td>
            <td className="is-num">{r.high}</td>
            <td>
              <svg className="sf-spark" width="80" height="16" viewBox="0 0 80 16" aria-label="weight histogram, 0 to w_max">
                {r.bars.map((b, i) => (
                  <rect key={i} x={i * 4} y={16 - Math.max(b > 0 ? 1 : 0, b * 16)} width="3" height={Math.max(b > 0 ? 1 : 0, b * 16)} />
                ))}
              </svg>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Train and test accuracy of each classifier readout. */
function ReadoutTable({ rows }: { rows: readonly ReadoutRow[] }) {
  return (
    <table className="sf-stats-table" data-testid="run-stats-readouts">
      <thead>
        <tr>
          <th scope="col">Readout</th>
          <th scope="col">Assignment</th>
          <th scope="col" className="is-num" title="Fixed groups: train phase (learning on); Diehl & Cook: label phase (frozen)">
            Train accuracy
          </th>
          <th scope="col" className="is-num" title="Test phase: learning frozen, held-out samples">
            Test accuracy
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.nodeId} data-testid={`run-stats-readout-${r.nodeId}`}>
            <th scope="row" title={r.nodeId}>
              <span className="sf-stats-dot cat-monitor" />
              {r.label}
            </th>
            <td>{r.assignment}</td>
            <td className="is-num">{r.train}</td>
            <td className="is-num">{r.test}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
