/**
 * The Learning tab: a training run's loss and accuracy per epoch (train and
 * test), how far the run is, and — when it ends — the test accuracy of the
 * trained network and of the same weights in the event-driven simulation.
 */
import type { LearningBuffers } from './learning-buffers.ts';
import { curvePaths, lossRange } from './learning-buffers.ts';

export interface LearningPanelProps {
  readonly learning: LearningBuffers;
  /** Changes whenever the buffers did (they are mutated in place). */
  readonly version: number;
}

const W = 320;
const H = 140;
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(1)} %`);

function Chart({
  title,
  series,
  epochs,
  yMax,
  yLabel,
}: {
  title: string;
  series: { key: string; label: string; color: string; values: (number | null)[] }[];
  epochs: number;
  yMax: number;
  yLabel: (v: number) => string;
}) {
  const paths = curvePaths(series, epochs, W, H, 0, yMax);
  return (
    <figure className="sf-learning-chart" data-testid={`learning-chart-${title.toLowerCase()}`}>
      <figcaption>
        {title}
        {series.map((s) => (
          <span key={s.key} className="sf-learning-key" style={{ color: s.color }}>
            — {s.label}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`-40 -8 ${W + 52} ${H + 28}`} width={W + 52} height={H + 28} role="img" aria-label={`${title} per epoch`}>
        <rect x={0} y={0} width={W} height={H} fill="none" stroke="#dee2e6" />
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={0} x2={W} y1={H - f * H} y2={H - f * H} stroke="#f1f3f5" />
            <text x={-4} y={H - f * H + 3} textAnchor="end" fontSize={10} fill="#868e96">
              {yLabel(f * yMax)}
            </text>
          </g>
        ))}
        <text x={0} y={H + 14} fontSize={10} fill="#868e96">
          1
        </text>
        <text x={W} y={H + 14} fontSize={10} fill="#868e96" textAnchor="end">
          epoch {epochs}
        </text>
        {paths.map((p, i) => (
          <path key={p.key} d={p.d} fill="none" stroke={series[i].color} strokeWidth={1.6} data-testid={`learning-path-${p.key}`} />
        ))}
      </svg>
    </figure>
  );
}

export function LearningPanel({ learning: l }: LearningPanelProps) {
  if (!l.trainerId) {
    return (
      <div className="sf-learning-panel is-empty" data-testid="learning-panel">
        <p className="sf-muted">Add a Surrogate-gradient trainer on a readout population and run to see the learning curve.</p>
      </div>
    );
  }
  const h = l.history;
  const epochs = Math.max(1, l.epochs);
  const s = l.summary;
  return (
    <div className="sf-learning-panel" data-testid="learning-panel" data-epoch-count={h.length}>
      <p className="sf-learning-status" data-testid="learning-status">
        {s
          ? `Trained ${s.epochs}/${s.epochsPlanned} epochs${s.stopped ? ' (stopped)' : ''} in ${(s.trainMs / 1000).toFixed(1)} s on ${s.trainSamples} samples.`
          : `Epoch ${Math.min(l.epoch + 1, epochs)}/${epochs}, batch ${l.batch}/${l.batches} · ${(l.wallMs / 1000).toFixed(1)} s`}
        {h.length > 0 && ` Last epoch: loss ${h[h.length - 1].loss.toFixed(3)}, train ${pct(h[h.length - 1].trainAccuracy)}, test ${pct(h[h.length - 1].testAccuracy)}.`}
      </p>
      <div className="sf-learning-charts">
        <Chart
          title="Loss"
          epochs={epochs}
          yMax={lossRange(h)}
          yLabel={(v) => v.toFixed(v < 1 && v > 0 ? 2 : 1)}
          series={[
            { key: 'train-loss', label: 'train', color: '#1c7ed6', values: h.map((x) => x.loss) },
            { key: 'test-loss', label: 'test', color: '#e8590c', values: h.map((x) => x.testLoss) },
          ]}
        />
        <Chart
          title="Accuracy"
          epochs={epochs}
          yMax={1}
          yLabel={(v) => `${Math.round(100 * v)} %`}
          series={[
            { key: 'train-acc', label: 'train', color: '#1c7ed6', values: h.map((x) => x.trainAccuracy) },
            { key: 'test-acc', label: 'test', color: '#e8590c', values: h.map((x) => x.testAccuracy) },
          ]}
        />
      </div>
      {s && (
        <p className="sf-learning-summary" data-testid="learning-summary">
          Test accuracy {pct(s.testAccuracy)} on {s.testSamples} held-out samples
          {s.simulated &&
            `; in the event-driven simulation ${pct(s.simulated.testAccuracy)}, with ${s.simulated.spikesPerSample.toFixed(0)} spikes and ` +
              `${s.simulated.synopsPerSample.toFixed(0)} synaptic operations per sample (an equal-sized ANN: ${s.denseMacsPerSample} multiply-accumulates)`}
          . Store the trained weights in the document to keep them.
        </p>
      )}
    </div>
  );
}
