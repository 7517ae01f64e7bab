/**
 * Text ↔ value for inspector fields. An input keeps the user's raw text while it
 * does not parse; these helpers decide when it does. Pure, unit-tested.
 */
import type { DistFamily, DistParam, DistValue, ParamSpec } from '../../engine/kinds/index.ts';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** Numbers as people type them: `12`, `-0.5`, `1e3`, `.5`; not empty, not `1,5`. */
export function parseNumber(text: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'needs a number' };
  const x = Number(t);
  if (!Number.isFinite(x)) return { ok: false, message: `"${t}" is not a number` };
  return { ok: true, value: x };
}

export function formatNumber(x: unknown): string {
  return typeof x === 'number' ? String(x) : x === undefined || x === null ? '' : String(x);
}

/**
 * A number for reading on the canvas: six significant digits, so floating-point noise
 * (`0.8999999999999999`) shows as `0.9`. Fields that edit a value use `formatNumber`,
 * which keeps every digit.
 */
export function displayNumber(x: unknown): string {
  if (typeof x !== 'number' || !Number.isFinite(x) || Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(6)));
}

/** A comma- or space-separated list of numbers; empty text is the empty list. */
export function parseNumberList(text: string): Parsed<number[]> {
  const t = text.trim();
  if (t === '') return { ok: true, value: [] };
  const parts = t.split(/[\s,;]+/).filter((p) => p !== '');
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const x = Number(parts[i]);
    if (!Number.isFinite(x)) return { ok: false, message: `item ${i + 1} ("${parts[i]}") is not a number` };
    out.push(x);
  }
  return { ok: true, value: out };
}

export function formatNumberList(xs: unknown): string {
  // A plain loop: a spike list may hold a million times.
  if (!Array.isArray(xs)) return formatNumber(xs);
  const parts = new Array<string>(xs.length);
  for (let i = 0; i < xs.length; i++) parts[i] = formatNumber(xs[i]);
  return parts.join(', ');
}

/** The family of a dist value (a bare number is `constant`). */
export function distFamily(v: unknown): DistFamily | null {
  if (typeof v === 'number') return 'constant';
  if (v && typeof v === 'object' && 'dist' in v) {
    const d = (v as { dist: unknown }).dist;
    if (d === 'uniform' || d === 'normal' || d === 'lognormal') return d;
  }
  return null;
}

/** The numeric fields of each family, in display order; `optional` fields may be blank. */
export const DIST_FIELDS: Readonly<Record<Exclude<DistFamily, 'constant'>, readonly { key: string; label: string; optional?: boolean }[]>> = {
  uniform: [
    { key: 'low', label: 'low' },
    { key: 'high', label: 'high' },
  ],
  normal: [
    { key: 'mean', label: 'mean' },
    { key: 'sd', label: 'sd' },
    { key: 'min', label: 'min', optional: true },
    { key: 'max', label: 'max', optional: true },
  ],
  lognormal: [
    { key: 'mu', label: 'μ (log)' },
    { key: 'sigma', label: 'σ (log)' },
  ],
};

function tidy(x: number): number {
  return Number(x.toPrecision(6));
}

/** The central value of a distribution (median for lognormal). */
export function distCentre(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const num = (k: string) => (typeof o[k] === 'number' ? (o[k] as number) : 0);
    switch (o.dist) {
      case 'uniform':
        return (num('low') + num('high')) / 2;
      case 'normal':
        return num('mean');
      case 'lognormal':
        return Math.exp(num('mu'));
    }
  }
  return 0;
}

/**
 * Switch a dist value to another family, keeping its centre, with a modest spread
 * (a tenth of the centre, or 1 when it is 0) that respects the param's bounds.
 */
export function convertDist(v: unknown, family: DistFamily, spec: Pick<DistParam, 'min' | 'max'>): DistValue {
  let c = distCentre(v);
  if (spec.min !== undefined && c < spec.min) c = spec.min;
  if (spec.max !== undefined && c > spec.max) c = spec.max;
  const spread = c !== 0 ? Math.abs(c) / 10 : 1;
  const clip = (x: number) => Math.min(spec.max ?? Infinity, Math.max(spec.min ?? -Infinity, x));
  switch (family) {
    case 'constant':
      return tidy(c);
    case 'uniform':
      return { dist: 'uniform', low: tidy(clip(c - spread)), high: tidy(clip(c + spread)) };
    case 'normal':
      return { dist: 'normal', mean: tidy(c), sd: tidy(spread) };
    case 'lognormal':
      return { dist: 'lognormal', mu: tidy(Math.log(c > 0 ? c : 1)), sigma: 0.25 };
  }
}

/** A short human form of a dist value, e.g. `1.5`, `U(0, 2)`, `N(1, 0.2)`, `logN(0, 0.25)`. */
export function formatDist(v: unknown, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  const n = displayNumber;
  if (typeof v === 'number') return `${n(v)}${u}`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    switch (o.dist) {
      case 'uniform':
        return `U(${n(o.low)}, ${n(o.high)})${u}`;
      case 'normal':
        return `N(${n(o.mean)}, ${n(o.sd)})${u}`;
      case 'lognormal':
        return `logN(${n(o.mu)}, ${n(o.sigma)})`;
    }
  }
  return '?';
}

/** Lists longer than this show as a summary with an Edit toggle (thousands of spike times stay fast). */
export const LONG_LIST = 64;

/** Text values longer than this (embedded datasets) show collapsed until asked for. */
export const LONG_TEXT = 20_000;

function groupDigits(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : String(Number(x.toPrecision(6)));
}

/** `2,000 values, 0.5–1,999 ms`; `1 value, 3 ms`; `no values`. Loops once, no spread (lists can be huge). */
export function summarizeNumbers(xs: unknown, unit?: string): string {
  if (!Array.isArray(xs)) return 'not a list';
  const n = xs.length;
  if (n === 0) return 'no values';
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs as unknown[]) {
    if (typeof x !== 'number' || !Number.isFinite(x)) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const u = unit ? ` ${unit}` : '';
  const count = `${n.toLocaleString('en-US')} value${n === 1 ? '' : 's'}`;
  if (!(lo <= hi)) return count;
  return lo === hi ? `${count}, ${groupDigits(lo)}${u}` : `${count}, ${groupDigits(lo)}–${groupDigits(hi)}${u}`;
}

/** `12 kB`, `1.4 MB`: the size of a text as stored (UTF-16 code units ≈ bytes for CSV). */
export function formatSize(chars: number): string {
  if (chars < 1000) return `${chars} B`;
  if (chars < 1_000_000) return `${Math.round(chars / 1000)} kB`;
  return `${(chars / 1_000_000).toFixed(1)} MB`;
}

/**
 * Whether a string param is edited as multi-line text: the spec says so
 * (`multiline: true`, if the kind API carries it), or its name ends in `_data`
 * (embedded data such as the encoders' `custom_data`).
 */
export function isMultilineParam(name: string, spec: ParamSpec): boolean {
  if (spec.type !== 'string') return false;
  return (spec as { readonly multiline?: boolean }).multiline === true || name.endsWith('_data');
}

/** Value equality for fields and presets: lists element by element (they may be long), other objects as JSON. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The first preset whose every value the params hold now (what the preset picker shows), or undefined. */
export function matchingPreset<P extends { readonly name: string; readonly values: Readonly<Record<string, unknown>> }>(
  presets: readonly P[] | undefined,
  params: Readonly<Record<string, unknown>>,
): P | undefined {
  return presets?.find((p) => Object.entries(p.values).every(([k, v]) => sameValue(params[k], v)));
}
