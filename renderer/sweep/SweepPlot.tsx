/**
 * The sweep's plot, in SVG: a line for one parameter (every seed a dot, the mean a
 * line) or a heatmap for two (first parameter on x, second on y, the mean over
 * seeds as colour, with its scale). Hovering shows the values; a click opens the
 * point (with that dot's seed, or the point's first) as a run.
 */
import { useState } from 'react';
import type { SweepPoint } from '../../engine/compile/sweep.ts';
import type { SweepRun } from './sweep-runner.ts';
import { axisOf, axisTitle, colourOf, extent, shortNumber, summarize, ticks, type PointSummary } from './sweep-math.ts';

const W = 540;
const H = 300;

interface Hover {
  readonly x: number;
  readonly y: number;
  readonly lines: readonly string[];
}

export interface SweepPlotProps {
  readonly run: SweepRun;
  readonly metric: string;
  onOpen(point: number, seed: number): void;
}

export function SweepPlot(props: SweepPlotProps) {
  const [hover, setHover] = useState<Hover | null>(null);
  const sets = props.run.sets;
  const summary = summarize(props.run.rows, props.metric);
  if (sets.length > 2)
    return (
      <p className="sf-muted" data-testid="sweep-plot-none">
        The plot draws one parameter (a line) or two (a heatmap); this sweep has {sets.length}. Export the table to see every point.
      </p>
    );
  const show = (x: number, y: number, lines: string[]) => setHover({ x, y, lines });
  return (
    <div className="sf-sweep-plot" onMouseLeave={() => setHover(null)}>
      {sets.length === 1 ? <LinePlot {...props} summary={summary} show={show} /> : <Heatmap {...props} summary={summary} show={show} />}
      {hover && (
        <div className="sf-sweep-tip" data-testid="sweep-tip" style={hover.x > W / 2 ? { right: W - hover.x + 12, top: hover.y + 12 } : { left: hover.x + 12, top: hover.y + 12 }}>
          {hover.lines.map((l, i) => (
            <div key={i}>{l}</div>
          ))}
        </div>
      )}
    </div>
  );
}

type Show = (x: number, y: number, lines: string[]) => void;

function valuesLines(values: SweepPoint['values']): string[] {
  return Object.entries(values).map(([k, v]) => `${k} = ${typeof v === 'number' ? shortNumber(v) : String(v)}`);
}

function LinePlot({ run, metric, onOpen, summary, show }: SweepPlotProps & { summary: PointSummary[]; show: Show }) {
  const set = run.sets[0];
  const ax = axisOf(set);
  const m = { l: 58, r: 16, t: 14, b: 42 };
  const ys = extent(summary.flatMap((p) => [...p.seeds.map((s) => s.value), p.mean]));
  const y0 = ys ? ys.min - (ys.max - ys.min || Math.abs(ys.min) || 1) * 0.08 : 0;
  const y1 = ys ? ys.max + (ys.max - ys.min || Math.abs(ys.max) || 1) * 0.08 : 1;
  // A little room at both ends, so the end points' dots are not cut by the frame.
  const pad = ax.min === ax.max ? 1 : (ax.max - ax.min) * 0.04;
  const x0 = ax.min - pad;
  const x1 = ax.max + pad;
  const px = (v: number) => m.l + ((v - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (v: number) => H - m.b - ((v - y0) / (y1 - y0)) * (H - m.t - m.b);
  const xTicks = ax.numeric ? ticks(ax.min, ax.max).filter((t) => t >= x0 && t <= x1) : set.values.map((_, i) => i);
  const means = summary.filter((p) => p.mean !== null);
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} data-testid="sweep-line-plot" role="img" aria-label={`${metric} against ${set.target}`}>
      <rect x={m.l} y={m.t} width={W - m.l - m.r} height={H - m.t - m.b} className="sf-sweep-frame" />
      {ticks(y0, y1).map((t) => (
        <g key={`y${t}`}>
          <line x1={m.l} x2={W - m.r} y1={py(t)} y2={py(t)} className="sf-sweep-grid" />
          <text x={m.l - 6} y={py(t) + 4} textAnchor="end" className="sf-sweep-tick">
            {shortNumber(t)}
          </text>
        </g>
      ))}
      {xTicks.map((t) => (
        <text key={`x${t}`} x={px(t)} y={H - m.b + 16} textAnchor="middle" className="sf-sweep-tick">
          {ax.numeric ? shortNumber(t) : String(set.values[t])}
        </text>
      ))}
      <text x={(m.l + W - m.r) / 2} y={H - 6} textAnchor="middle" className="sf-sweep-label">
        <title>{set.target}</title>
        {axisTitle(set.target)}
      </text>
      <text x={12} y={(m.t + H - m.b) / 2} textAnchor="middle" transform={`rotate(-90 12 ${(m.t + H - m.b) / 2})`} className="sf-sweep-label">
        {metric}
      </text>
      <polyline data-testid="sweep-mean-line" className="sf-sweep-mean" points={means.map((p) => `${px(ax.position(p.values[set.target]))},${py(p.mean!)}`).join(' ')} />
      {summary.flatMap((p) =>
        p.seeds.map((s) => {
          const cx = px(ax.position(p.values[set.target]));
          const cy = py(s.value);
          return (
            <circle
              key={`${p.point}/${s.seed}`}
              cx={cx}
              cy={cy}
              r={run.seeds > 1 ? 3 : 4.5}
              className="sf-sweep-dot"
              data-testid="sweep-dot"
              data-point={p.point}
              data-seed={s.seed}
              onMouseEnter={() =>
                show(cx, cy, [
                  ...valuesLines(p.values),
                  `seed ${s.seed}: ${metric} = ${shortNumber(s.value)}`,
                  ...(run.seeds > 1 ? [`mean of ${p.seeds.length}: ${shortNumber(p.mean)}`] : []),
                  'click: open as a run',
                ])
              }
              onClick={() => onOpen(p.point, s.seed)}
            />
          );
        }),
      )}
    </svg>
  );
}

function Heatmap({ run, metric, onOpen, summary, show }: SweepPlotProps & { summary: PointSummary[]; show: Show }) {
  const [sx, sy] = run.sets;
  const m = { l: 64, r: 96, t: 14, b: 42 };
  const nx = sx.values.length;
  const ny = sy.values.length;
  const cw = (W - m.l - m.r) / nx;
  const ch = (H - m.t - m.b) / ny;
  const range = extent(summary.map((p) => p.mean));
  const t = (v: number) => (range && range.max > range.min ? (v - range.min) / (range.max - range.min) : 0.5);
  const byPoint = new Map(summary.map((p) => [p.point, p]));
  // Label at most about 8 values per axis.
  const every = (n: number) => Math.max(1, Math.ceil(n / 8));
  const legendX = W - m.r + 18;
  const legendH = H - m.t - m.b;
  const stops = Array.from({ length: 11 }, (_, i) => i / 10);
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} data-testid="sweep-heatmap" role="img" aria-label={`${metric} over ${sx.target} and ${sy.target}`}>
      <defs>
        <linearGradient id="sf-sweep-scale" x1="0" y1="1" x2="0" y2="0">
          {stops.map((s) => (
            <stop key={s} offset={s} stopColor={colourOf(s)} />
          ))}
        </linearGradient>
      </defs>
      {run.points.map((pt) => {
        // The first set varies slowest: index = ix × ny + iy.
        const ix = Math.floor(pt.index / ny);
        const iy = pt.index % ny;
        const p = byPoint.get(pt.index);
        const x = m.l + ix * cw;
        const y = H - m.b - (iy + 1) * ch;
        const fill = p && p.mean !== null ? colourOf(t(p.mean)) : undefined;
        return (
          <rect
            key={pt.index}
            x={x}
            y={y}
            width={cw + 0.5}
            height={ch + 0.5}
            className={fill ? 'sf-sweep-cell' : 'sf-sweep-cell is-empty'}
            style={fill ? { fill } : undefined}
            data-testid="sweep-cell"
            data-point={pt.index}
            onMouseEnter={() =>
              show(x + cw / 2, y + ch / 2, [
                ...valuesLines(pt.values),
                p ? `${metric} = ${shortNumber(p.mean)}${p.seeds.length > 1 ? ` (mean of ${p.seeds.length} seeds)` : ''}` : 'not run yet',
                ...(p?.seeds.length ? ['click: open as a run'] : []),
              ])
            }
            onClick={() => p?.seeds.length && onOpen(pt.index, p.seeds[0].seed)}
          />
        );
      })}
      <rect x={m.l} y={m.t} width={W - m.l - m.r} height={H - m.t - m.b} className="sf-sweep-frame is-top" />
      {sx.values.map((v, i) =>
        i % every(nx) === 0 ? (
          <text key={`x${i}`} x={m.l + (i + 0.5) * cw} y={H - m.b + 16} textAnchor="middle" className="sf-sweep-tick">
            {typeof v === 'number' ? shortNumber(v) : String(v)}
          </text>
        ) : null,
      )}
      {sy.values.map((v, i) =>
        i % every(ny) === 0 ? (
          <text key={`y${i}`} x={m.l - 6} y={H - m.b - (i + 0.5) * ch + 4} textAnchor="end" className="sf-sweep-tick">
            {typeof v === 'number' ? shortNumber(v) : String(v)}
          </text>
        ) : null,
      )}
      <text x={(m.l + W - m.r) / 2} y={H - 6} textAnchor="middle" className="sf-sweep-label">
        <title>{sx.target}</title>
        {axisTitle(sx.target)}
      </text>
      <text x={12} y={(m.t + H - m.b) / 2} textAnchor="middle" transform={`rotate(-90 12 ${(m.t + H - m.b) / 2})`} className="sf-sweep-label">
        <title>{sy.target}</title>
        {axisTitle(sy.target)}
      </text>
      <g data-testid="sweep-scale">
        <rect x={legendX} y={m.t} width={12} height={legendH} fill="url(#sf-sweep-scale)" className="sf-sweep-scale" />
        {range &&
          (range.max > range.min ? ticks(range.min, range.max, 4) : [range.min]).map((v) => {
            const y = m.t + legendH * (1 - t(v));
            return (
              <g key={v}>
                <line x1={legendX + 12} x2={legendX + 16} y1={y} y2={y} className="sf-sweep-axis-line" />
                <text x={legendX + 18} y={y + 4} className="sf-sweep-tick">
                  {shortNumber(v)}
                </text>
              </g>
            );
          })}
        <text x={W - 6} y={(m.t + H - m.b) / 2} textAnchor="middle" transform={`rotate(-90 ${W - 6} ${(m.t + H - m.b) / 2})`} className="sf-sweep-label">
          {metric}
        </text>
      </g>
    </svg>
  );
}
