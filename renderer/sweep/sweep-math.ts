/**
 * The Sweep panel's pure part: the set-up as the user types it (checked row by
 * row), the table of finished runs summarised per point for the plots, colours
 * of the heatmap, and the time left. No React, no DOM.
 */
import { parseSet, SweepSpecError, type SweepRow, type SweepSet, type SweepValue } from '../../engine/compile/sweep.ts';

/** One parameter row of the panel: `NODE.FIELD` and its VALUES, as typed. */
export interface SetRow {
  readonly target: string;
  readonly values: string;
}

/** A row parsed: its set, or what is wrong with it. */
export type ParsedRow = { readonly ok: true; readonly set: SweepSet } | { readonly ok: false; readonly message: string };

/** Parse one row as `--set TARGET=VALUES` takes it. */
export function parseRow(row: SetRow): ParsedRow {
  try {
    return { ok: true, set: parseSet(`${row.target.trim()}=${row.values}`) };
  } catch (e) {
    if (e instanceof SweepSpecError) return { ok: false, message: e.message.replace(/^--set /, '') };
    throw e;
  }
}

/** `NODE.FIELD=VALUES` → a row (split at the first `=`). */
export function rowOf(set: string): SetRow {
  const eq = set.indexOf('=');
  return eq < 0 ? { target: set, values: '' } : { target: set.slice(0, eq), values: set.slice(eq + 1) };
}

/** A point's runs for one metric: every seed's value and their mean (null when none finished with a value). */
export interface PointSummary {
  readonly point: number;
  readonly values: Readonly<Record<string, SweepValue>>;
  /** Seed and value of each finished run with a value for the metric. */
  readonly seeds: readonly { readonly seed: number; readonly value: number }[];
  readonly mean: number | null;
}

/** The finished rows summarised per point for one metric, in point order. */
export function summarize(rows: readonly SweepRow[], metric: string): PointSummary[] {
  const byPoint = new Map<number, { values: Readonly<Record<string, SweepValue>>; seeds: { seed: number; value: number }[] }>();
  for (const r of rows) {
    const entry = byPoint.get(r.point) ?? { values: r.values, seeds: [] };
    byPoint.set(r.point, entry);
    const v = r.metrics?.[metric];
    if (typeof v === 'number' && Number.isFinite(v)) entry.seeds.push({ seed: r.seed, value: v });
  }
  return [...byPoint.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([point, e]) => {
      const seeds = e.seeds.sort((a, b) => a.seed - b.seed);
      return { point, values: e.values, seeds, mean: seeds.length ? seeds.reduce((s, x) => s + x.value, 0) / seeds.length : null };
    });
}

/** Where a value sits on an axis: its number for numeric sets, else its index among the set's values. */
export function axisOf(set: SweepSet): { numeric: boolean; position(v: SweepValue): number; min: number; max: number } {
  const numeric = set.values.every((v) => typeof v === 'number');
  const position = (v: SweepValue) => (numeric ? (v as number) : set.values.indexOf(v));
  const ps = set.values.map(position);
  return { numeric, position, min: Math.min(...ps), max: Math.max(...ps) };
}

/** The lowest and highest of the numbers given (null when there are none). */
export function extent(xs: readonly (number | null)[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    if (x === null || !Number.isFinite(x)) continue;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return min <= max ? { min, max } : null;
}

/** About five round tick values covering [min, max]. */
export function ticks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-9; t += step) out.push(Number.parseFloat(t.toPrecision(12)));
  return out;
}

/** Viridis, sampled at 9 stops (matplotlib's): perceptually even, readable in grey. */
const VIRIDIS = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [253, 231, 37],
];

/** The colour of t in [0, 1] (clamped) on the viridis scale, as `rgb(r, g, b)`. */
export function colourOf(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const c = VIRIDIS[i].map((a, k) => Math.round(a + (VIRIDIS[i + 1][k] - a) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** About how long the rest takes, from the runs finished so far (null before the first). */
export function secondsLeft(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0) return null;
  return ((total - done) * elapsedMs) / done / 1000;
}

/** A number for a label: up to 4 significant digits, no trailing zeros. */
/**
 * An axis title for a swept target. A target that sets several fields to the
 * same value (`a.w+b.w+c.w`) is named by its first field and how many more;
 * anything still longer than `max` characters is cut with an ellipsis. The
 * full target goes in the title's tooltip.
 */
export function axisTitle(target: string, max = 60): string {
  const fields = target.split('+').map((f) => f.trim());
  const named = fields.length > 1 ? `${fields[0]} + ${fields.length - 1} more` : target;
  return named.length > max ? `${named.slice(0, max - 1)}…` : named;
}

export function shortNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3)) return x.toExponential(2);
  return String(Number.parseFloat(x.toPrecision(4)));
}
