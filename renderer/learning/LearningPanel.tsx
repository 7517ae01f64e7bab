/**
 * The Learning tab: a training run's loss and accuracy per epoch (train and
 * test), each trained layer's spike rate and gradient norm as it trains, how
 * far the run is, and — when it ends — the test accuracy of the trained
 * network and of the same weights in the event-driven simulation, the
 * confusion matrix on the test set and the first misclassified samples.
 * Its controls pause and resume the run, save its checkpoint or resume from
 * one (the app's, or the CLI's `--checkpoint`), and export the trained
 * weights as `.npz` or the trained network as NIR.
 */
import { useEffect, useRef } from 'react';
import type { LearningBuffers } from './learning-buffers.ts';
import { curvePaths, lossRange } from './learning-buffers.ts';
import { LearningControls } from './LearningControls.tsx';
import { decades, niceMax, sampleImage, seriesPath } from './learning-view.ts';
import { inputDataset } from '../../engine/kinds/encoder-input.ts';

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

const LAYER_COLORS = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599'];
const SW = 220;
const SH = 90;

/** One small live plot per quantity: a line per trained layer over the batches trained. */
function LayerChart({ l, quantity }: { l: LearningBuffers; quantity: 'rate' | 'grad' }) {
  const xMax = Math.max(1, l.epochs * Math.max(1, l.batches));
  const all = l.layers.flatMap((s) => (quantity === 'rate' ? s.rateHz : s.gradNorm));
  const rateMax = niceMax(Math.max(0, ...all));
  const [lo, hi] = decades(all);
  const title = quantity === 'rate' ? 'Spike rate per layer' : 'Gradient norm per layer';
  const ticks = quantity === 'rate' ? [0, rateMax / 2, rateMax].map((v, i) => ({ f: i / 2, text: `${v} Hz` })) : [lo, hi].map((d, i) => ({ f: i, text: `1e${d}` }));
  return (
    <figure className="sf-learning-chart" data-testid={`learning-layers-${quantity}`} data-layer-count={l.layers.length} data-points={l.layers[0]?.at.length ?? 0}>
      <figcaption>
        {title}
        {l.layers.map((s, i) => (
          <span key={s.name} className="sf-learning-key" style={{ color: LAYER_COLORS[i % LAYER_COLORS.length] }}>
            — {s.name}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`-44 -8 ${SW + 52} ${SH + 26}`} width={SW + 52} height={SH + 26} role="img" aria-label={`${title} over the batches trained`}>
        <rect x={0} y={0} width={SW} height={SH} fill="none" stroke="#dee2e6" />
        {ticks.map((t) => (
          <text key={t.f} x={-4} y={SH - t.f * SH + 3} textAnchor="end" fontSize={10} fill="#868e96">
            {t.text}
          </text>
        ))}
        <text x={SW} y={SH + 14} fontSize={10} fill="#868e96" textAnchor="end">
          {l.epochs} epoch{l.epochs === 1 ? '' : 's'}
        </text>
        {l.layers.map((s, i) => (
          <path
            key={s.name}
            d={
              quantity === 'rate'
                ? seriesPath(s.at, s.rateHz, xMax, 0, rateMax, SW, SH)
                : seriesPath(
                    s.at,
                    s.gradNorm.map((g) => (g > 0 ? Math.log10(g) : NaN)),
                    xMax,
                    lo,
                    hi,
                    SW,
                    SH,
                  )
            }
            fill="none"
            stroke={LAYER_COLORS[i % LAYER_COLORS.length]}
            strokeWidth={1.4}
            data-testid={`learning-layer-path-${quantity}-${s.name}`}
          />
        ))}
      </svg>
    </figure>
  );
}

/** confusion[true][predicted] as a grid: rows are true classes, columns predicted; shade by the row's share. */
function ConfusionMatrix({ confusion }: { confusion: readonly (readonly number[])[] }) {
  const n = confusion.length;
  const cell = n <= 12 ? 24 : Math.max(6, Math.floor(288 / n));
  const off = 22;
  return (
    <figure className="sf-learning-chart" data-testid="learning-confusion" data-classes={n}>
      <figcaption title="Rows: the true class; columns: the predicted class; counts of test samples">Test confusion (row true, col predicted)</figcaption>
      <svg width={off + n * cell + 4} height={off + n * cell + 4} role="img" aria-label="Confusion matrix">
        {confusion.map((row, t) => {
          const total = row.reduce((a, b) => a + b, 0) || 1;
          return row.map((c, p) => (
            <g key={`${t}-${p}`}>
              <rect
                x={off + p * cell}
                y={off + t * cell}
                width={cell - 1}
                height={cell - 1}
                fill={t === p ? `rgba(47, 158, 68, ${0.1 + 0.9 * (c / total)})` : c > 0 ? `rgba(224, 49, 49, ${0.15 + 0.85 * (c / total)})` : '#f8f9fa'}
                data-testid={`confusion-${t}-${p}`}
                data-count={c}
              >
                <title>{`true ${t}, predicted ${p}: ${c}`}</title>
              </rect>
              {n <= 12 && c > 0 && (
                <text x={off + p * cell + cell / 2 - 0.5} y={off + t * cell + cell / 2 + 3.5} fontSize={10} textAnchor="middle" fill={c / total > 0.5 ? '#fff' : '#212529'}>
                  {c}
                </text>
              )}
            </g>
          ));
        })}
        {n <= 12 &&
          confusion.map((_, k) => (
            <g key={k}>
              <text x={off + k * cell + cell / 2} y={off - 6} fontSize={10} textAnchor="middle" fill="#868e96">
                {k}
              </text>
              <text x={off - 6} y={off + k * cell + cell / 2 + 3} fontSize={10} textAnchor="end" fill="#868e96">
                {k}
              </text>
            </g>
          ))}
      </svg>
    </figure>
  );
}

/** One misclassified sample drawn from the encoder's dataset, with its true and predicted class. */
function SampleThumb({ image, label, predicted, sample }: { image: ReturnType<typeof sampleImage>; label: number; predicted: number; sample: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || !image) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
  }, [image]);
  const scale = image ? Math.max(1, Math.floor(56 / Math.max(image.width, image.height))) : 1;
  return (
    <figure className="sf-learning-sample" data-testid="learning-misclassified-sample" data-sample={sample} data-label={label} data-predicted={predicted}>
      {image && (
        <canvas ref={canvas} width={image.width} height={image.height} style={{ width: image.width * scale, height: image.height * scale, imageRendering: 'pixelated', border: '1px solid #dee2e6' }} />
      )}
      <figcaption>
        <span title="true class">{label}</span> →{' '}
        <span className="sf-error-text" title="predicted class">
          {predicted}
        </span>
      </figcaption>
    </figure>
  );
}

function Misclassified({ l }: { l: LearningBuffers }) {
  const wrong = l.summary?.misclassified ?? [];
  if (wrong.length === 0) return null;
  const dataset = l.encoderParams ? inputDataset(l.encoderParams) : null;
  const first = Number(l.encoderParams?.first_sample) || 0;
  return (
    <figure className="sf-learning-chart" data-testid="learning-misclassified">
      <figcaption>Misclassified (true → predicted)</figcaption>
      <div className="sf-learning-samples">
        {wrong.map((m) => (
          <SampleThumb key={m.sample} sample={m.sample} label={m.label} predicted={m.predicted} image={dataset ? sampleImage(dataset, first + m.sample) : null} />
        ))}
      </div>
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
      <LearningControls learning={l} />
      <p className="sf-learning-status" data-testid="learning-status">
        {s
          ? `Trained ${s.epochs}/${s.epochsPlanned} epochs${s.stopped ? ' (stopped)' : ''} in ${(s.trainMs / 1000).toFixed(1)} s on ${s.trainSamples} samples.`
          : `Epoch ${Math.min(l.epoch + 1, epochs)}/${epochs}, batch ${l.batch}/${l.batches} · ${(l.wallMs / 1000).toFixed(1)} s`}
        {l.resumedFrom && ` Resumed from ${l.resumedFrom}.`}
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
      <div className="sf-learning-charts">
        {l.layers.length > 0 && <LayerChart l={l} quantity="rate" />}
        {l.layers.length > 0 && <LayerChart l={l} quantity="grad" />}
        {s?.confusion && s.confusion.length > 0 && <ConfusionMatrix confusion={s.confusion} />}
        <Misclassified l={l} />
      </div>
    </div>
  );
}
