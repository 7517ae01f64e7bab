/**
 * A neuron param holding one value per neuron (a list, as a NIR import writes it): the
 * inspector says so, summarises the array (n, min, mean, max and a small histogram), and lets
 * the user edit it as text, load it from a `.csv` or `.npy` file (parsed here, in the
 * renderer: engine/core/npy-read.ts), or turn it back into one value (the mean).
 * Test ids: `param-<name>-per-neuron`, `-histogram`, `-edit`, `-load`, `-one`.
 */
import { useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { readNpy, isNpy } from '../../engine/core/npy-read.ts';
import { FieldRow, ParsedField } from './fields.tsx';
import { formatNumberList, parseNumberList } from './param-text.ts';
import type { Parsed } from './param-text.ts';

/** n, min, mean, max and 12 histogram bins of the finite values. */
export function arraySummary(xs: readonly number[]): { n: number; min: number; mean: number; max: number; bins: number[] } {
  const finite = xs.filter((x) => Number.isFinite(x));
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const mean = finite.reduce((a, b) => a + b, 0) / (finite.length || 1);
  const bins = new Array<number>(12).fill(0);
  for (const x of finite) bins[max === min ? 0 : Math.min(11, Math.floor(((x - min) / (max - min)) * 12))]++;
  return { n: xs.length, min, mean, max, bins };
}

const short = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : '—');

/** The numbers of a `.npy` (any shape, flattened) or of a CSV / text file (commas, semicolons, spaces, new lines). */
export function numbersFromFile(name: string, bytes: Uint8Array): Parsed<number[]> {
  if (/\.npy$/i.test(name) || isNpy(bytes)) {
    try {
      return { ok: true, value: Array.from(readNpy(bytes).data, Number) };
    } catch (e) {
      return { ok: false, message: `${name}: ${(e as Error).message}` };
    }
  }
  const text = new TextDecoder().decode(bytes);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  // A header line (a name such as "tau_m_ms") is skipped.
  const body = lines.length > 0 && !parseNumberList(lines[0]).ok ? lines.slice(1) : lines;
  const parsed = parseNumberList(body.join(','));
  return parsed.ok ? parsed : { ok: false, message: `${name}: ${parsed.message}` };
}

export function PerNeuronField(props: {
  name: string;
  label: string;
  tooltip: string;
  unit?: string;
  value: readonly number[];
  error: string | null;
  extra?: ReactNode;
  sessionKey: string;
  onChange(value: unknown, mergeKey?: string): void;
}) {
  const { name, value, unit } = props;
  const [editing, setEditing] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const s = useMemo(() => arraySummary(value), [value]);
  const top = Math.max(...s.bins, 1);
  const u = unit ? ` ${unit}` : '';
  const load = async (f: File) => {
    const parsed = numbersFromFile(f.name, new Uint8Array(await f.arrayBuffer()));
    if (!parsed.ok) setLoadError(parsed.message);
    else if (parsed.value.length !== value.length) setLoadError(`${f.name} holds ${parsed.value.length} values; this node has ${value.length} neurons`);
    else {
      setLoadError(null);
      props.onChange(parsed.value);
    }
  };
  const summary = (
    <div className="sf-summary">
      <span className="sf-summary-text" data-testid={`param-${name}-per-neuron`} title="One value per neuron">
        per neuron: {s.n} values, min {short(s.min)}, mean {short(s.mean)}, max {short(s.max)}
        {u}
      </span>
      <svg width={60} height={16} data-testid={`param-${name}-histogram`} aria-label={`histogram of ${props.label}`} role="img">
        {s.bins.map((c, k) => (
          <rect key={k} x={k * 5} y={16 - (14 * c) / top} width={4} height={(14 * c) / top} fill="currentColor" opacity={0.7} />
        ))}
      </svg>
    </div>
  );
  const buttons = (
    <div className="sf-summary" style={{ flexWrap: 'wrap', gap: 4 }}>
      <button type="button" className="sf-btn sf-btn-small" data-testid={`param-${name}-edit`} onClick={() => setEditing(!editing)} title="Show the values as text to edit or paste them">
        {editing ? 'Done' : 'Edit'}
      </button>
      <button type="button" className="sf-btn sf-btn-small" data-testid={`param-${name}-load`} onClick={() => file.current?.click()} title="Load one value per neuron from a .csv or .npy file">
        Load CSV / .npy…
      </button>
      <button
        type="button"
        className="sf-btn sf-btn-small"
        data-testid={`param-${name}-one`}
        onClick={() => props.onChange(Number(s.mean.toPrecision(12)))}
        title="Use one value (the mean) for every neuron"
      >
        One value
      </button>
      <input
        ref={file}
        type="file"
        accept=".csv,.txt,.npy"
        hidden
        data-testid={`param-${name}-file`}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void load(f);
        }}
      />
    </div>
  );
  const extra = (
    <>
      {summary}
      {buttons}
      {props.extra}
    </>
  );
  if (!editing) {
    return (
      <FieldRow label={props.label} tooltip={props.tooltip} error={loadError ?? props.error} extra={extra} errorTestId={`param-${name}-error`}>
        <span className="sf-muted">{s.n} values</span>
      </FieldRow>
    );
  }
  return (
    <ParsedField
      label={props.label}
      tooltip={`${props.tooltip}\nOne value per neuron, comma-separated.`}
      unit={unit}
      error={loadError ?? props.error}
      extra={extra}
      value={value}
      format={formatNumberList}
      parse={parseNumberList}
      multiline
      rows={4}
      layout="block"
      className="sf-mono sf-wrap"
      onCommit={(v, k) => props.onChange(v, k)}
      sessionKey={props.sessionKey}
      testId={`param-${name}`}
      errorTestId={`param-${name}-error`}
    />
  );
}
