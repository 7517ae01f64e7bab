/**
 * What a node shows of its params on the canvas: the size first (neurons,
 * channels), then the next few active number-like params, formatted with units.
 */
import type { NodeKind, ParamSpec } from '../../engine/kinds/index.ts';
import { paramActive } from '../../engine/kinds/index.ts';
import { formatDist } from '../inspector/param-text.ts';

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
  return String(x);
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
    case 'numbers':
      return Array.isArray(v) ? `${v.length} values` : String(v);
  }
}

/** Up to `max` key params of a node, size first. */
export function nodeSummary(kind: NodeKind, params: Readonly<Record<string, unknown>>, max = 3): SummaryItem[] {
  const entries = Object.entries(kind.params).filter(([, s]) => paramActive(s, params));
  entries.sort(([a], [b]) => (a === 'size' ? -1 : b === 'size' ? 1 : 0));
  const out: SummaryItem[] = [];
  for (const [name, spec] of entries) {
    if (out.length >= max) break;
    if (spec.type === 'string' || spec.type === 'boolean') continue;
    out.push({ name, label: spec.label, text: valueText(spec, params[name]) });
  }
  return out;
}
