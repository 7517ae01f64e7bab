/**
 * The figures of README "Criticality" (issue 16) from the two sweeps' tables:
 *
 *   npx tsx scripts/criticality-figures.ts [BRUNEL_CSV] [RESERVOIR_CSV]
 *
 * (defaults: docs/criticality-brunel-phase.csv and docs/criticality-reservoir.csv,
 * copies of the sweeps' results.csv). Writes docs/criticality-brunel-phase.svg
 * (heatmaps of the mean rate, CV(ISI), synchrony and 100–300 Hz power over g and η, with the value
 * in each cell and Brunel's Fig. 8 points A–D marked) and
 * docs/criticality-reservoir.svg (measured and designed branching ratio, avalanche
 * exponents and counts, memory capacity, digit accuracy and the E, probe and I rates
 * against the coupling J, every seed a dot and the mean a line), and prints the numbers
 * it drew (means with the range over seeds).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = path.join(ROOT, 'docs');

type Row = Record<string, string>;

function readCsv(file: string): Row[] {
  const [head, ...rows] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

const num = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));
const fmt = (x: number | null, digits = 2) => (x === null || !Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(digits));
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Viridis, five stops, linearly interpolated; t in [0, 1]. */
function viridis(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((a, k) => Math.round(a + (stops[i + 1][k] - a) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;

/** Words of `s` in lines of at most `max` characters. */
function wrap(s: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of s.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= max) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** A white figure of the panels with a caption along the bottom. */
function figure(width: number, height: number, panels: string[], caption: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...panels,
    ...wrap(caption, Math.floor((width - 40) / 6.6)).map((line, i, lines) => text(20, height - 14 - (lines.length - 1 - i) * 15, line, 'font-size="12"')),
    '</svg>',
  ].join('\n');
}

/** One heatmap panel: x values across, y values up, a value (or null) per cell. */
function heatmap(
  ox: number,
  oy: number,
  title: string,
  xs: number[],
  ys: number[],
  value: (x: number, y: number) => number | null,
  opts: { log?: boolean; marks?: { x: number; y: number; label: string }[] },
): string {
  const cw = 44;
  const ch = 34;
  const vals = xs.flatMap((x) => ys.map((y) => value(x, y))).filter((v): v is number => v !== null && Number.isFinite(v) && (!opts.log || v > 0));
  const tr = (v: number) => (opts.log ? Math.log10(v) : v);
  const lo = Math.min(...vals.map(tr));
  const hi = Math.max(...vals.map(tr));
  const out: string[] = [text(ox + (xs.length * cw) / 2, oy - 12, title, 'text-anchor="middle" font-size="14" font-weight="bold"')];
  ys.forEach((y, j) => {
    const cy = oy + (ys.length - 1 - j) * ch;
    out.push(text(ox - 6, cy + ch / 2 + 4, String(y), 'text-anchor="end" font-size="11"'));
    xs.forEach((x, i) => {
      const v = value(x, y);
      const cx = ox + i * cw;
      const ok = v !== null && Number.isFinite(v) && (!opts.log || v > 0);
      const t = ok && hi > lo ? (tr(v) - lo) / (hi - lo) : 0.5;
      out.push(`<rect x="${cx}" y="${cy}" width="${cw}" height="${ch}" fill="${ok ? viridis(t) : '#ddd'}" stroke="#fff" stroke-width="1"/>`);
      out.push(text(cx + cw / 2, cy + ch / 2 + 4, ok ? fmt(v) : 'silent', `text-anchor="middle" font-size="10" fill="${ok && t > 0.6 ? '#000' : ok ? '#fff' : '#555'}"`));
    });
  });
  xs.forEach((x, i) => out.push(text(ox + i * cw + cw / 2, oy + ys.length * ch + 14, String(x), 'text-anchor="middle" font-size="11"')));
  out.push(text(ox + (xs.length * cw) / 2, oy + ys.length * ch + 32, 'g (inhibition / excitation)', 'text-anchor="middle" font-size="12"'));
  out.push(text(ox - 34, oy + (ys.length * ch) / 2, 'η = ν_ext / ν_thr', `text-anchor="middle" font-size="12" transform="rotate(-90 ${ox - 34} ${oy + (ys.length * ch) / 2})"`));
  for (const m of opts.marks ?? []) {
    const i = xs.indexOf(m.x);
    const j = ys.indexOf(m.y);
    if (i < 0 || j < 0) continue;
    const cx = ox + i * cw;
    const cy = oy + (ys.length - 1 - j) * ch;
    out.push(`<rect x="${cx + 1.5}" y="${cy + 1.5}" width="${cw - 3}" height="${ch - 3}" fill="none" stroke="#e4002b" stroke-width="2.5"/>`);
    out.push(text(cx + 4, cy + 11, m.label, 'font-size="10" font-weight="bold" fill="#e4002b"'));
  }
  return out.join('\n');
}

function brunelFigure(rows: Row[]): { svg: string; summary: string[] } {
  const W = 'e_ie.weight+e_ii.weight';
  const R = 'ext.rate_hz';
  // Inhibitory weight g·J with J = 0.25 mV; drive rate η·ν_thr with ν_thr = 10 Hz (examples/criticality/brunel-phase.spikeflow.json).
  const gOf = (r: Row) => Math.round((Number(r[W]) / 0.25) * 100) / 100;
  const etaOf = (r: Row) => Math.round((Number(r[R]) / 10) * 100) / 100;
  const gs = [...new Set(rows.map(gOf))].sort((a, b) => a - b);
  const etas = [...new Set(rows.map(etaOf))].sort((a, b) => a - b);
  const at = (key: string) => (g: number, eta: number) => {
    const r = rows.find((x) => gOf(x) === g && etaOf(x) === eta);
    const v = r ? num(r[key]) : null;
    return key === 'mean_rate_hz' && v !== null && v < 0.1 ? null : v;
  };
  const marks = [
    { x: 3, y: 2, label: 'A' },
    { x: 6, y: 4, label: 'B' },
    { x: 5, y: 2, label: 'C' },
    { x: 4.5, y: 0.9, label: 'D' },
  ];
  const panelW = gs.length * 44 + 90;
  const panelH = etas.length * 34 + 90;
  const width = 2 * panelW + 40;
  const height = 2 * panelH + 75;
  const panels = [
    heatmap(80, 50, 'mean rate (Hz, log colour)', gs, etas, at('mean_rate_hz'), { log: true, marks }),
    heatmap(80 + panelW, 50, 'CV(ISI)', gs, etas, at('raster.cv_isi_mean'), { marks }),
    heatmap(80, 50 + panelH, 'synchrony (CV of 1 ms population count)', gs, etas, at('raster.synchrony'), { marks }),
    heatmap(80 + panelW, 50 + panelH, '100–300 Hz power of the 1 ms count / Poisson (log colour)', gs, etas, at('raster.fast_power'), { log: true, marks }),
  ];
  const caption =
    'Brunel (2000) model A, 4000 E + 1000 I, C_E = 400, J = 0.25 mV, D = 1.5 ms, 1 s per point. Red: Brunel Fig. 8 — A (3, 2) SR, B (6, 4) SI fast, C (5, 2) AI, D (4.5, 0.9) SI slow. Grey: silent (< 0.1 Hz).';
  const svg = figure(width, height, panels, caption);
  const summary = marks.map(
    (m) =>
      `${m.label} (g ${m.x}, η ${m.y}): rate ${fmt(at('mean_rate_hz')(m.x, m.y))} Hz, CV ${fmt(at('raster.cv_isi_mean')(m.x, m.y))}, synchrony ${fmt(at('raster.synchrony')(m.x, m.y))}, ` +
      `100–300 Hz power ${fmt(at('raster.fast_power')(m.x, m.y))}, peak ${fmt(at('raster.peak_hz')(m.x, m.y), 0)} Hz (${fmt(at('raster.peak_power')(m.x, m.y))})`,
  );
  return { svg, summary };
}

interface Series {
  readonly key: string;
  readonly label: string;
  readonly color: string;
}

/** One line panel: every seed a dot, the mean over seeds a line, against the swept value. */
function linePanel(ox: number, oy: number, w: number, h: number, title: string, rows: Row[], xKey: string, series: Series[], yRange?: [number, number], refY?: number, xLabel = xKey): string {
  const xs = [...new Set(rows.map((r) => Number(r[xKey])))].sort((a, b) => a - b);
  const pts = series.flatMap((s) => rows.map((r) => num(r[s.key])).filter((v): v is number => v !== null && Number.isFinite(v)));
  if (pts.length === 0 || xs.length === 0)
    return [
      text(ox + w / 2, oy - 10, title, 'text-anchor="middle" font-size="13" font-weight="bold"'),
      `<rect x="${ox}" y="${oy}" width="${w}" height="${h}" fill="none" stroke="#444"/>`,
      text(ox + w / 2, oy + h / 2, `no ${series.map((s) => s.key).join(', ')} in the table`, 'text-anchor="middle" font-size="11" fill="#a00"'),
    ].join('\n');
  let [lo, hi] = yRange ?? [Math.min(...pts, refY ?? Infinity), Math.max(...pts, refY ?? -Infinity)];
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.05;
  lo = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
  hi += pad;
  const X = (x: number) => ox + ((x - xs[0]) / (xs[xs.length - 1] - xs[0] || 1)) * w;
  const Y = (y: number) => oy + h - ((y - lo) / (hi - lo)) * h;
  const out: string[] = [text(ox + w / 2, oy - 10, title, 'text-anchor="middle" font-size="13" font-weight="bold"')];
  out.push(`<rect x="${ox}" y="${oy}" width="${w}" height="${h}" fill="none" stroke="#444"/>`);
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    out.push(`<line x1="${ox - 4}" x2="${ox}" y1="${Y(v)}" y2="${Y(v)}" stroke="#444"/>`, text(ox - 6, Y(v) + 4, fmt(v), 'text-anchor="end" font-size="10"'));
  }
  let lastTick = -Infinity;
  for (const x of xs) {
    if (X(x) - lastTick < 34) continue;
    lastTick = X(x);
    out.push(text(X(x), oy + h + 14, String(x), 'text-anchor="middle" font-size="10"'));
  }
  out.push(text(ox + w / 2, oy + h + 30, xLabel, 'text-anchor="middle" font-size="11"'));
  if (refY !== undefined && refY > lo && refY < hi) out.push(`<line x1="${ox}" x2="${ox + w}" y1="${Y(refY)}" y2="${Y(refY)}" stroke="#999" stroke-dasharray="4 3"/>`);
  series.forEach((s, si) => {
    const means: [number, number][] = [];
    for (const x of xs) {
      const vs = rows
        .filter((r) => Number(r[xKey]) === x)
        .map((r) => num(r[s.key]))
        .filter((v): v is number => v !== null && Number.isFinite(v));
      for (const v of vs) out.push(`<circle cx="${X(x)}" cy="${Y(v)}" r="2.5" fill="${s.color}" fill-opacity="0.5"/>`);
      if (vs.length) means.push([x, vs.reduce((a, b) => a + b, 0) / vs.length]);
    }
    if (means.length > 1) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${means.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ')}"/>`);
    if (series.length > 1) out.push(`<rect x="${ox + 8}" y="${oy + 8 + si * 15}" width="10" height="3" fill="${s.color}"/>`, text(ox + 22, oy + 13 + si * 15, s.label, 'font-size="10"'));
  });
  return out.join('\n');
}

/**
 * The reservoir's designed branching ratio (examples/criticality/reservoir.spikeflow.json): each E spike
 * gives 40·J mV of excitation and, through 0.5 relayed I spikes of 40 targets each, 20·J mV of
 * inhibition, over a 20 mV threshold: m = (40·J − 20·J)/20 = J.
 */
const mDesigned = (j: number) => ((40 - 20) * j) / 20;

/** The swept column of the reservoir's table: every ee_* and ie_* weight set together (J). */
const couplingKey = (rows: Row[]) => Object.keys(rows[0] ?? {}).find((k) => k.startsWith('ee_')) ?? 'e_ee.weight';

function reservoirFigure(rows: Row[]): { svg: string; summary: string[] } {
  const J = couplingKey(rows);
  // Mean E rate over the three E populations (180 + 180 + 40 neurons).
  const eRate = (r: Row) => (180 * Number(r['exc_u.rate_hz']) + 180 * Number(r['exc_d.rate_hz']) + 40 * Number(r['probe.rate_hz'])) / 400;
  // The drive h: the E rate without recurrence (J = 0), per seed; below m = 1 the rate is h/(1 − m), so 1 − h/rate is the m the gain
  // implies (not drawn above the designed m = 1, where the rate is no longer h/(1 − m)).
  const drive = new Map(rows.filter((r) => r.status === 'ok' && Number(r[J]) === 0).map((r) => [r.seed, eRate(r)]));
  const ok: Row[] = rows
    .filter((r) => r.status === 'ok')
    .map((r) => ({
      ...r,
      m_designed: String(mDesigned(Number(r[J]))),
      e_rate: String(eRate(r)),
      m_gain: drive.has(r.seed) && mDesigned(Number(r[J])) < 1 ? String(1 - drive.get(r.seed)! / eRate(r)) : '',
    }));
  const w = 250;
  const h = 170;
  const col = (i: number) => 70 + i * (w + 80);
  const row2 = 50 + h + 80;
  const xLabel = 'coupling J (mV); designed m = J';
  const panel = (i: number, y: number, title: string, series: Series[], refY?: number) => linePanel(col(i), y, w, h, title, ok, J, series, undefined, refY, xLabel);
  const panels = [
    panel(
      0,
      50,
      'branching ratio',
      [
        { key: 'activity.branching_m', label: 'm measured on the probe (multistep regression)', color: '#1f77b4' },
        { key: 'm_designed', label: 'm designed, (40 − 20)·J/θ', color: '#aaaaaa' },
        { key: 'm_gain', label: 'm from the gain, 1 − h/rate', color: '#2ca02c' },
      ],
      1,
    ),
    panel(
      1,
      50,
      'avalanche exponents (probe)',
      [
        { key: 'activity.size_exponent', label: 'size τ (critical 1.5)', color: '#d62728' },
        { key: 'activity.duration_exponent', label: 'duration α (critical 2)', color: '#2ca02c' },
      ],
      1.5,
    ),
    panel(2, 50, 'rate (Hz)', [
      { key: 'e_rate', label: 'E (all 400)', color: '#9467bd' },
      { key: 'probe.rate_hz', label: 'probe (no input)', color: '#8c564b' },
      { key: 'inh.rate_hz', label: 'I relays', color: '#e377c2' },
    ]),
    panel(0, row2, 'memory capacity Σ r²_k (10 ms bins)', [{ key: 'memory.memory_capacity', label: 'MC', color: '#ff7f0e' }]),
    panel(1, row2, 'digits, held-out accuracy', [{ key: 'readout.test_accuracy', label: 'test', color: '#17becf' }], 0.1),
    panel(2, row2, 'avalanches on the probe (1.5 ms bins)', [{ key: 'activity.avalanches', label: 'avalanches', color: '#7f7f7f' }]),
  ];
  const width = col(3) - 40;
  const height = row2 + h + 85;
  const seeds = new Set(ok.map((r) => r.seed)).size;
  const caption = `E/I reservoir of leak-free IF neurons: 400 E (180 driven by u, 180 by the digits, 40 without input: the probe), 100 fast I relays; every E→E and I→E weight J (designed m = J). 45 s per run, ${seeds} seeds per point: dots; line: mean. Dashed: m = 1, τ = 1.5, chance 0.1.`;
  const svg = figure(width, height, panels, caption);
  const xs = [...new Set(ok.map((r) => Number(r[J])))].sort((a, b) => a - b);
  const stat = (x: number, key: string) => {
    const vs = ok
      .filter((r) => Number(r[J]) === x)
      .map((r) => num(r[key]))
      .filter((v): v is number => v !== null && Number.isFinite(v));
    return vs.length ? { mean: vs.reduce((a, b) => a + b, 0) / vs.length, lo: Math.min(...vs), hi: Math.max(...vs) } : null;
  };
  const ms = (x: number, key: string, digits = 2) => {
    const s = stat(x, key);
    return s === null ? '–' : `${fmt(s.mean, digits)} [${fmt(s.lo, digits)}–${fmt(s.hi, digits)}]`;
  };
  const summary = xs.map(
    (x) =>
      `J ${x} (m designed ${fmt(mDesigned(x))}): E rate ${ms(x, 'e_rate', 1)} Hz (m from the gain ${ms(x, 'm_gain', 3)}), probe ${ms(x, 'probe.rate_hz', 1)} Hz, I ${ms(x, 'inh.rate_hz', 1)} Hz, m ${ms(x, 'activity.branching_m', 3)}, ` +
      `avalanches ${ms(x, 'activity.avalanches', 0)}, τ ${ms(x, 'activity.size_exponent')} (p ${ms(x, 'activity.size_p')}), α ${ms(x, 'activity.duration_exponent')} (p ${ms(x, 'activity.duration_p')}), ` +
      `MC ${ms(x, 'memory.memory_capacity', 3)}, test accuracy ${ms(x, 'readout.test_accuracy', 3)}`,
  );
  return { svg, summary };
}

const brunel = brunelFigure(readCsv(process.argv[2] ?? path.join(DOCS, 'criticality-brunel-phase.csv')));
writeFileSync(path.join(DOCS, 'criticality-brunel-phase.svg'), brunel.svg + '\n');
console.log('docs/criticality-brunel-phase.svg\n  ' + brunel.summary.join('\n  '));
const reservoir = reservoirFigure(readCsv(process.argv[3] ?? path.join(DOCS, 'criticality-reservoir.csv')));
writeFileSync(path.join(DOCS, 'criticality-reservoir.svg'), reservoir.svg + '\n');
console.log('docs/criticality-reservoir.svg\n  ' + reservoir.summary.join('\n  '));
