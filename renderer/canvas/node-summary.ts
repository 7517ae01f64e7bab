/**
 * What a node shows of its params on the canvas: the size first (neurons,
 * channels), then the next few active number-like params, formatted with units.
 */
import type { NodeKind, ParamSpec } from '../../engine/kinds/index.ts';
import { paramActive } from '../../engine/kinds/index.ts';
import { displayNumber, formatDist, isMultilineParam } from '../inspector/param-text.ts';

export interface SummaryItem {
  readonly name: string;
  readonly label: string;
  readonly text: string;
}

/** Formats a number compactly: 100000 → `100k`, 1e6 → `1M`; small numbers as they are. */
export function compactNumber(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9 && Number.isInteger(x / 1e8)) return `${x / 1e9}G`;
  if (a >= 1e6 && Number.isInteger(x / 1e5)) return `${x / 1e6}M`;
  if (a >= 1e4 && Number.isInteger(x / 1e2)) return `${x / 1e3}k`;
  return displayNumber(x);
}

function valueText(spec: ParamSpec, v: unknown): string {
  const unit = 'unit' in spec && spec.unit ? ` ${spec.unit}` : '';
  switch (spec.type) {
    case 'number':
      return typeof v === 'number' ? `${compactNumber(v)}${unit}` : String(v);
    case 'dist':
      return formatDist(v, 'unit' in spec ? spec.unit : undefined);
    case 'enum':
      return spec.options.find((o) => o.value === v)?.label ?? String(v);
    case 'boolean':
      return v ? 'yes' : 'no';
    case 'string':
      return String(v);
    case 'numbers': {
      if (!Array.isArray(v)) return String(v);
      // A short list reads better as itself than as a count.
      const text = v.length <= 4 ? v.map((x) => displayNumber(x)).join(', ') : '';
      if (v.length > 0 && v.length <= 4 && text.length <= 18) return `${text}${unit}`;
      return `${v.length.toLocaleString('en-US')} value${v.length === 1 ? '' : 's'}`;
    }
  }
}

/** Text params are shown when short (a variable name), never when they hold data or are blank. */
function shownOnNode(name: string, spec: ParamSpec, v: unknown): boolean {
  if (spec.type === 'boolean') return false;
  if (spec.type !== 'string') return true;
  return !isMultilineParam(name, spec) && typeof v === 'string' && v.trim() !== '' && v.length <= 16;
}

/** Up to `max` key params of a node, size first. */
export function nodeSummary(kind: NodeKind, params: Readonly<Record<string, unknown>>, max = 3): SummaryItem[] {
  const entries = Object.entries(kind.params).filter(([, s]) => paramActive(s, params));
  entries.sort(([a], [b]) => (a === 'size' ? -1 : b === 'size' ? 1 : 0));
  const out: SummaryItem[] = [];
  for (const [name, spec] of entries) {
    if (out.length >= max) break;
    // A value the document lacks (an older file) is not shown as "undefined".
    if (params[name] === undefined || !shownOnNode(name, spec, params[name])) continue;
    out.push({ name, label: spec.label, text: valueText(spec, params[name]) });
  }
  return out;
}

/**
 * What a wire holding explicit weights (its `weights` field, engine/format/weights.ts) shows
 * instead of its unused `weight` param: the form, its size and the range of the weights, e.g.
 * `matrix 128×64 · −0.5…1.2 mV` (a dense `[target][source]` matrix), `list 1,234 syn · 0.1…2 mV`
 * (a synapse list), `weights from net.npz` (a side file). Null when the field is not weights.
 */
export function explicitWeightsLabel(weights: unknown, unit?: string): string | null {
  if (!weights || typeof weights !== 'object') return null;
  const w = weights as { dense?: unknown; w?: unknown; file?: unknown };
  const range = (values: Iterable<unknown>): string => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of values) {
      if (typeof x !== 'number') continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (lo > hi) return '';
    const u = unit ? ` ${unit}` : '';
    return lo === hi ? ` · ${compactNumber(lo)}${u}` : ` · ${compactNumber(lo)}…${compactNumber(hi)}${u}`;
  };
  if (Array.isArray(w.dense)) {
    const rows = w.dense as unknown[][];
    const cols = Array.isArray(rows[0]) ? rows[0].length : 0;
    return `matrix ${rows.length}×${cols}${range(rows.flatMap((r) => (Array.isArray(r) ? r : [])))}`;
  }
  if (Array.isArray(w.w)) return `list ${w.w.length.toLocaleString('en-US')} syn${range(w.w)}`;
  if (typeof w.file === 'string') return `weights from ${w.file.split(/[\\/]/).pop()}`;
  return null;
}
