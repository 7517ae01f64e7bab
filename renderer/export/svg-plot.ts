/**
 * Results panels re-drawn as SVG text (vector figures for papers): the raster as
 * one tick path per population, traces as polylines (rates as steps), the run's
 * statistics as a table. Pure: strings out, no DOM. The full run is drawn, not
 * the panel's zoom; too many points are thinned evenly and the file says so.
 */
import type { MonitorData, RatePopulationData, SpikePopulationData, StatePopulationData } from '../../engine/format/monitor-export.ts';
import type { RunStats } from '../../engine/sim/stats.ts';
import { formatTick, niceTicks } from '../results/raster-math.ts';
import type { Histogram, PopulationIsi } from '../results/isi-math.ts';

/** Points (spikes or samples) drawn at most; more are thinned evenly. */
export const MAX_SVG_POINTS = 200_000;

const COLORS = ['#3b5bdb', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#0b7285', '#e67700', '#5c940d'];
const W = 960;
const H = 420;
const M = { left: 110, right: 20, top: 30, bottom: 36 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const FONT = 'font-family="system-ui, sans-serif" font-size="11"';

/** Escape text for SVG content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Comments cannot hold `--`. */
function comment(s: string): string {
  return `<!-- ${s.replace(/--+/g, '-')} -->`;
}

/** Keep every `stride`-th point so at most `max` remain. */
export function thinningStride(total: number, max = MAX_SVG_POINTS): number {
  return total <= max ? 1 : Math.ceil(total / max);
}

const r2 = (x: number) => Math.round(x * 100) / 100;

function header(title: string, notes: string[]): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<title>${escapeXml(title)}</title>`,
    ...notes.map(comment),
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
  ];
}

function timeAxis(durationMs: number): string[] {
  const out: string[] = [];
  const { step, ticks } = niceTicks(0, durationMs, 8);
  const y = M.top + PH;
  out.push(`<g class="axis" stroke="#868e96" fill="none"><line x1="${M.left}" y1="${y}" x2="${M.left + PW}" y2="${y}"/>`);
  for (const t of ticks) {
    const x = r2(M.left + (t / durationMs) * PW);
    out.push(`<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}"/>`);
  }
  out.push('</g>', `<g ${FONT} fill="#495057" text-anchor="middle">`);
  for (const t of ticks) out.push(`<text x="${r2(M.left + (t / durationMs) * PW)}" y="${y + 16}">${escapeXml(formatTick(t, step))}</text>`);
  out.push(`<text x="${M.left + PW / 2}" y="${y + 31}">t (ms)</text></g>`);
  return out;
}

/**
 * The raster: population bands stacked top to bottom (row = neuron), one short
 * vertical tick per spike. `sizes` gives each population's neuron count.
 */
export function rasterSvg(title: string, data: { readonly populations: readonly SpikePopulationData[] }, sizes: readonly number[], durationMs: number): string {
  const total = data.populations.reduce((a, p) => a + p.neuron.length, 0);
  const stride = thinningStride(total);
  const shown = data.populations.reduce((a, p) => a + Math.ceil(p.neuron.length / stride), 0);
  const notes = [`Spikeflow raster: ${total} spikes over ${durationMs} ms`];
  if (stride > 1) notes.push(`decimated: 1 in every ${stride} spikes of each population is drawn (${shown} of ${total}); export CSV or NPZ for all of them`);
  const out = header(title, notes);
  const rows = Math.max(
    1,
    sizes.reduce((a, n) => a + n, 0),
  );
  const rowH = PH / rows;
  let row0 = 0;
  data.populations.forEach((p, i) => {
    const color = COLORS[i % COLORS.length];
    const size = sizes[i] ?? 0;
    const yTop = M.top + row0 * rowH;
    const tick = Math.max(2, r2(rowH * 0.8));
    out.push(`<g ${FONT} fill="#495057" text-anchor="end"><text x="${M.left - 8}" y="${r2(yTop + (size * rowH) / 2 + 4)}">${escapeXml(p.population)}</text></g>`);
    let d = '';
    for (let k = 0; k < p.neuron.length; k += stride) {
      d += `M${r2(M.left + (p.tMs[k] / durationMs) * PW)} ${r2(yTop + p.neuron[k] * rowH)}v${tick}`;
    }
    out.push(`<path class="spikes" data-population="${escapeXml(p.population)}" stroke="${color}" stroke-width="1.2" fill="none" d="${d}"/>`);
    if (i > 0) out.push(`<line x1="${M.left}" y1="${r2(yTop)}" x2="${M.left + PW}" y2="${r2(yTop)}" stroke="#dee2e6"/>`);
    row0 += size;
  });
  out.push(...timeAxis(durationMs), '</svg>');
  return out.join('\n') + '\n';
}

function valueAxis(lo: number, hi: number, label: string): string[] {
  const { ticks } = niceTicks(lo, hi, 5);
  const y = (v: number) => r2(M.top + PH - ((v - lo) / (hi - lo)) * PH);
  const out = [`<g stroke="#eef0f2">`];
  for (const v of ticks) out.push(`<line x1="${M.left}" y1="${y(v)}" x2="${M.left + PW}" y2="${y(v)}"/>`);
  out.push('</g>', `<g ${FONT} fill="#495057" text-anchor="end">`);
  for (const v of ticks) out.push(`<text x="${M.left - 6}" y="${y(v) + 4}">${+v.toPrecision(6)}</text>`);
  out.push(`<text x="${M.left - 6}" y="${M.top - 12}" font-weight="600">${escapeXml(label)}</text></g>`);
  return out;
}

/**
 * State traces (one polyline per recorded neuron) or population rates (a step
 * line per population: the rate holds over its whole bin).
 */
export function traceSvg(title: string, data: Extract<MonitorData, { records: 'state' | 'rate' }>, quantity: string, durationMs: number): string {
  const lines: { name: string; t: Float64Array; v: ArrayLike<number>; stride: number; offset: number; count: number; steps: number }[] = [];
  if (data.records === 'rate') {
    for (const p of data.populations as readonly RatePopulationData[]) {
      const binMs = p.tMs.length > 1 ? p.tMs[1] - p.tMs[0] : durationMs;
      lines.push({ name: p.population, t: p.tMs, v: p.rateHz, stride: 1, offset: 0, count: p.tMs.length, steps: binMs });
    }
  } else {
    for (const p of data.populations as readonly StatePopulationData[]) {
      p.neurons.forEach((n, c) => lines.push({ name: `${p.population} n${n}`, t: p.tMs, v: p.values, stride: p.neurons.length, offset: c, count: p.tMs.length, steps: 0 }));
    }
  }
  const total = lines.reduce((a, l) => a + l.count, 0);
  const every = thinningStride(total);
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lines) {
    for (let r = 0; r < l.count; r++) {
      const x = l.v[r * l.stride + l.offset];
      if (Number.isFinite(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
  }
  if (!(lo <= hi)) [lo, hi] = [0, 1];
  if (data.records === 'rate') lo = Math.min(0, lo);
  if (hi - lo < 1e-9) [lo, hi] = [lo - 1, hi + 1];
  // A little headroom so lines at the extremes are not cut by the frame.
  const pad = 0.04 * (hi - lo);
  [lo, hi] = [data.records === 'rate' && lo === 0 ? 0 : lo - pad, hi + pad];
  const notes = [`Spikeflow ${data.records === 'rate' ? 'population rate' : 'state traces'}: ${lines.length} line(s), ${total} samples over ${durationMs} ms`];
  if (every > 1) notes.push(`decimated: 1 in every ${every} samples is drawn; export CSV or NPZ for all of them`);
  const out = header(title, notes);
  out.push(...valueAxis(lo, hi, quantity));
  const X = (t: number) => r2(M.left + (t / durationMs) * PW);
  const Y = (v: number) => r2(M.top + PH - ((v - lo) / (hi - lo)) * PH);
  lines.forEach((l, i) => {
    const pts: string[] = [];
    for (let r = 0; r < l.count; r += every) {
      const v = l.v[r * l.stride + l.offset];
      if (!Number.isFinite(v)) continue;
      pts.push(`${X(l.t[r])},${Y(v)}`);
      if (l.steps > 0) pts.push(`${X(l.t[r] + l.steps * every)},${Y(v)}`);
    }
    out.push(`<polyline class="trace" data-line="${escapeXml(l.name)}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.2" points="${pts.join(' ')}"/>`);
  });
  out.push(`<g ${FONT} text-anchor="start">`);
  lines.slice(0, 6).forEach((l, i) => out.push(`<text x="${M.left + 8 + i * 130}" y="${M.top - 12}" fill="${COLORS[i % COLORS.length]}">${escapeXml(l.name)}</text>`));
  out.push('</g>', ...timeAxis(durationMs), '</svg>');
  return out.join('\n') + '\n';
}

/** The Statistics tab as an SVG table: one row per population, then the totals. */
export function statsSvg(title: string, stats: RunStats, labelOf: (nodeId: string) => string): string {
  const rowH = 20;
  const cols = [
    { head: 'Population', x: 16, anchor: 'start' },
    { head: 'Kind', x: 260, anchor: 'start' },
    { head: 'Size', x: 520, anchor: 'end' },
    { head: 'Spikes', x: 640, anchor: 'end' },
    { head: 'Rate (Hz)', x: 760, anchor: 'end' },
  ];
  const height = 40 + rowH * (stats.populations.length + 3);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${800}" height="${height}" viewBox="0 0 800 ${height}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="800" height="${height}" fill="#ffffff"/>`,
    `<g ${FONT} fill="#212529">`,
  ];
  const row = (y: number, cells: string[], weight = '400') =>
    cells.forEach((c, i) => out.push(`<text x="${cols[i].x}" y="${y}" text-anchor="${cols[i].anchor}" font-weight="${weight}">${escapeXml(c)}</text>`));
  row(
    24,
    cols.map((c) => c.head),
    '600',
  );
  out.push(`<line x1="8" y1="30" x2="792" y2="30" stroke="#dee2e6"/>`);
  stats.populations.forEach((p, i) => row(48 + i * rowH, [labelOf(p.nodeId), p.kind, String(p.size), String(p.spikes), p.rate_hz.toFixed(3)]));
  const y = 48 + stats.populations.length * rowH + 8;
  row(y + rowH, [`Total: ${stats.spikes} spikes of ${stats.neurons} neurons, mean ${stats.mean_rate_hz.toFixed(3)} Hz, ${stats.synaptic_events} synaptic events`, '', '', '', '']);
  out.push('</g>', '</svg>');
  return out.join('\n') + '\n';
}

/** One histogram per population, overlaid as fractions, in the rectangle (x, y, w, h). */
function histogramPlot(x: number, y: number, w: number, h: number, hs: readonly Histogram[], names: readonly string[], xLabel: string, title: string): string[] {
  const fractions = hs.map((hist) => {
    const total = hist.counts.reduce((a, b) => a + b, 0) + hist.above;
    return Array.from(hist.counts, (c) => (total > 0 ? c / total : 0));
  });
  const max = Math.max(0, ...fractions.flat());
  const yTop = max > 0 ? max * 1.08 : 1;
  const out = [
    `<g ${FONT}><text x="${x}" y="${y - 10}" font-weight="600" fill="#212529">${escapeXml(title)}</text></g>`,
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#fbfcfd" stroke="#dee2e6"/>`,
  ];
  const { ticks: yTicks, step: yStep } = niceTicks(0, yTop, 4);
  out.push(`<g ${FONT} fill="#495057" text-anchor="end">`);
  for (const t of yTicks) out.push(`<text x="${x - 5}" y="${r2(y + h - (t / yTop) * h + 4)}">${escapeXml(formatTick(t, yStep))}</text>`);
  out.push('</g>');
  hs.forEach((hist, i) => {
    const f = fractions[i];
    const bw = w / f.length;
    let d = `M${x} ${y + h}`;
    f.forEach((v, b) => {
      const top = r2(y + h - (v / yTop) * h);
      d += `L${r2(x + b * bw)} ${top}L${r2(x + (b + 1) * bw)} ${top}`;
    });
    d += `L${x + w} ${y + h}`;
    const color = COLORS[i % COLORS.length];
    out.push(`<path class="histogram" data-population="${escapeXml(names[i])}" d="${d}" fill="${color}" fill-opacity="0.15" stroke="${color}" stroke-width="1.2"/>`);
  });
  const lo = hs[0]?.lo ?? 0;
  const hi = hs[0]?.hi ?? 1;
  const { ticks, step } = niceTicks(lo, hi, 5);
  out.push(`<g ${FONT} fill="#495057" text-anchor="middle">`);
  for (const t of ticks) out.push(`<text x="${r2(x + ((t - lo) / (hi - lo)) * w)}" y="${y + h + 16}">${escapeXml(formatTick(t, step))}</text>`);
  out.push(`<text x="${x + w / 2}" y="${y + h + 32}">${escapeXml(xLabel)}</text></g>`);
  return out;
}

/** The ISI/CV view: the inter-spike-interval and CV histograms of every population, overlaid. */
export function isiSvg(title: string, data: readonly PopulationIsi[]): string {
  const out = header(title, ["Spikeflow ISI and CV histograms: fraction of each population's intervals (ISI) or neurons (CV) per bin"]);
  const colW = W / 2;
  const names = data.map((p) => p.label);
  // The legend takes a line per population under the plots.
  const legend = Math.min(data.length, 6) * 14;
  out.push(
    ...histogramPlot(
      60,
      40,
      colW - 90,
      H - 110 - legend,
      data.map((p) => p.isi),
      names,
      'ISI (ms)',
      'Inter-spike intervals',
    ),
  );
  out.push(
    ...histogramPlot(
      colW + 50,
      40,
      colW - 80,
      H - 110 - legend,
      data.map((p) => p.cv),
      names,
      'CV',
      'CV of the ISI per neuron',
    ),
  );
  out.push(`<g ${FONT} text-anchor="start">`);
  data.slice(0, 6).forEach((p, i) => {
    const isi = Number.isFinite(p.stats.meanIsiMs) ? `mean ISI ${p.stats.meanIsiMs.toFixed(2)} ms (${p.stats.count} intervals)` : 'no interval';
    const cv = Number.isFinite(p.stats.meanCv) ? `mean CV ${p.stats.meanCv.toFixed(3)} (${p.stats.cv.length} neurons)` : 'no CV';
    out.push(`<text x="60" y="${H - 14 - legend + 14 + i * 14}" fill="${COLORS[i % COLORS.length]}">${escapeXml(`${p.label}: ${isi}, ${cv}`)}</text>`);
  });
  out.push('</g>', '</svg>');
  return out.join('\n') + '\n';
}

/** A learning curve per epoch: loss (scaled to its own maximum) and the accuracies (0–1). */
export function learningSvg(title: string, history: readonly { epoch: number; loss: number; trainAccuracy: number | null; testAccuracy: number | null }[]): string {
  const out = header(title, ['Spikeflow learning curve: loss ÷ its largest value, and train/test accuracy, per epoch']);
  const n = Math.max(1, history.length);
  const maxLoss = Math.max(1e-12, ...history.map((e) => e.loss));
  const x = (i: number) => r2(M.left + (n === 1 ? PW / 2 : (i / (n - 1)) * PW));
  const y = (v: number) => r2(M.top + PH - v * PH);
  out.push(...valueAxis(0, 1, 'fraction'));
  const lines: { name: string; values: (number | null)[] }[] = [
    { name: `loss ÷ ${+maxLoss.toPrecision(4)}`, values: history.map((e) => e.loss / maxLoss) },
    { name: 'train accuracy', values: history.map((e) => e.trainAccuracy) },
    { name: 'test accuracy', values: history.map((e) => e.testAccuracy) },
  ];
  lines.forEach((l, i) => {
    const pts = l.values.flatMap((v, k) => (v === null || !Number.isFinite(v) ? [] : [`${x(k)},${y(v)}`]));
    if (pts.length > 0) out.push(`<polyline class="curve" data-line="${escapeXml(l.name)}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.6" points="${pts.join(' ')}"/>`);
  });
  out.push(`<g ${FONT} text-anchor="start">`);
  lines.forEach((l, i) => out.push(`<text x="${M.left + 8 + i * 200}" y="${M.top - 12}" fill="${COLORS[i % COLORS.length]}">${escapeXml(l.name)}</text>`));
  out.push(
    `</g><g ${FONT} fill="#495057" text-anchor="middle"><text x="${M.left}" y="${M.top + PH + 16}">epoch 1</text><text x="${M.left + PW}" y="${M.top + PH + 16}">epoch ${n}</text></g>`,
    '</svg>',
  );
  return out.join('\n') + '\n';
}

/**
 * A weight panel as SVG: its heatmap, histogram and receptive fields are images by
 * nature, so they are embedded as one PNG (`pngDataUrl`, the panel's canvases side
 * by side) under a vector title and the snapshot's summary.
 */
export function weightsSvg(title: string, summary: string, pngDataUrl: string, size: { width: number; height: number }): string {
  const w = Math.max(200, Math.round(size.width));
  const h = Math.round(size.height) + 40;
  return (
    [
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
      `<title>${escapeXml(title)}</title>`,
      `<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`,
      `<g ${FONT} fill="#212529"><text x="8" y="16" font-weight="600">${escapeXml(title)}</text><text x="8" y="32">${escapeXml(summary)}</text></g>`,
      `<image x="0" y="40" width="${Math.round(size.width)}" height="${Math.round(size.height)}" href="${pngDataUrl}"/>`,
      '</svg>',
    ].join('\n') + '\n'
  );
}
