/**
 * One form field generated from a param spec. Inputs carry `data-testid="param-<name>"`
 * (dist sub-fields `param-<name>-<key>`, the family picker `param-<name>-family`).
 */
import { useId, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { DistFamily, DistParam, NumberListParam, ParamSpec, StringParam } from '../../engine/kinds/index.ts';
import { checkParamValue } from '../../engine/kinds/index.ts';
import { FieldRow, ParsedField, ParsedInput } from './fields.tsx';
import {
  DIST_FIELDS,
  LONG_LIST,
  LONG_TEXT,
  convertDist,
  distFamily,
  formatNumber,
  formatNumberList,
  formatSize,
  isMultilineParam,
  parseNumber,
  parseNumberList,
  summarizeNumbers,
} from './param-text.ts';
import type { Parsed } from './param-text.ts';
import { PerNeuronField } from './PerNeuronField.tsx';

export interface ParamFieldProps {
  /** Param name, e.g. `tau_m_ms`. */
  readonly name: string;
  readonly spec: ParamSpec;
  readonly value: unknown;
  /** A problem from validation or a refused run (cross-field checks, compile issues). */
  readonly issue?: string | null;
  /** Overrides the spec's unit (a projection's weight takes the target port's unit). */
  readonly unit?: string;
  /** Distinguishes fields of different nodes or wires for history merging. */
  readonly owner: string;
  /** Shown under the control (e.g. an import button and what the field holds). */
  readonly extra?: ReactNode;
  /** A failed import into this field: shown as the field's error, in place of the others. */
  readonly importError?: string | null;
  onChange(value: unknown, mergeKey?: string): void;
  /** The owner's neuron count: a per-neuron param holding one value offers "Per neuron…" (n copies, then edit, paste or load). */
  readonly neurons?: number;
  /** Right-click on a number field: "Sweep this parameter" (renderer/sweep/field-action.ts). */
  onSweep?(e: { clientX: number; clientY: number; preventDefault(): void }): void;
}

const FAMILY_LABELS: Record<DistFamily, string> = {
  constant: 'constant',
  uniform: 'uniform',
  normal: 'normal',
  lognormal: 'log-normal',
};

const parseText = (t: string): Parsed<string> => ({ ok: true, value: t });
const formatText = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

/** A blank optional field removes the key. */
function parseOptionalNumber(t: string): Parsed<number | undefined> {
  return t.trim() === '' ? { ok: true, value: undefined } : parseNumber(t);
}

function tooltipOf(spec: ParamSpec): string {
  const bounds: string[] = [];
  if ('min' in spec && spec.min !== undefined) bounds.push(`${'exclusiveMin' in spec && spec.exclusiveMin ? '>' : '≥'} ${spec.min}`);
  if ('max' in spec && spec.max !== undefined) bounds.push(`≤ ${spec.max}`);
  const unit = 'unit' in spec && spec.unit ? ` ${spec.unit}` : '';
  return `${spec.tooltip}${bounds.length ? `\nAllowed: ${bounds.join(', ')}${unit}` : ''}${'integer' in spec && spec.integer ? ' (whole number)' : ''}`;
}

export function ParamField(props: ParamFieldProps) {
  const { name, spec, value, onChange, owner } = props;
  const unit = props.unit ?? ('unit' in spec ? spec.unit : undefined);
  // Only when the value changes: a list may hold a million spike times, and unrelated edits re-render the form.
  const ownProblem = useMemo(() => checkParamValue(spec, value), [spec, value]);
  // A failed import first (it is what the user just did), then the field's own check (short), then a cross-field or run issue.
  const error = props.importError ?? ownProblem ?? props.issue ?? null;
  const sessionKey = `${owner}.${name}`;
  const testId = `param-${name}`;
  const tooltip = tooltipOf(spec);
  if ((spec.type === 'number' || spec.type === 'dist') && spec.perNeuron && Array.isArray(value)) {
    return <PerNeuronField {...props} label={spec.label} tooltip={tooltip} unit={unit} value={value as number[]} error={error} sessionKey={sessionKey} />;
  }
  // One value of a per-neuron param: "Per neuron…" makes it n copies (one undo step), which the per-neuron field then edits, pastes or loads.
  const n = props.neurons;
  if ((spec.type === 'number' || spec.type === 'dist') && spec.perNeuron && typeof value === 'number' && n !== undefined && n > 1) {
    const make = (
      <button
        type="button"
        className="sf-btn sf-btn-small"
        data-testid={`${testId}-make-per-neuron`}
        title={`Give each of the ${n} neurons its own value (starting from ${value}), then edit, paste or load them`}
        onClick={() => onChange(new Array<number>(n).fill(value))}
      >
        Per neuron…
      </button>
    );
    return (
      <ParamField
        {...props}
        neurons={undefined}
        extra={
          <>
            {props.extra}
            {make}
          </>
        }
      />
    );
  }
  switch (spec.type) {
    case 'number': {
      const field = (
        <ParsedField
          label={spec.label}
          tooltip={tooltip}
          unit={unit}
          error={error}
          extra={props.extra}
          value={value}
          format={formatNumber}
          parse={parseNumber}
          onCommit={(v, k) => onChange(v, k)}
          sessionKey={sessionKey}
          testId={testId}
          errorTestId={`${testId}-error`}
        />
      );
      return props.onSweep ? (
        <div className="sf-sweepable" onContextMenu={props.onSweep}>
          {field}
        </div>
      ) : (
        field
      );
    }
    case 'numbers':
      return <NumberListField {...props} spec={spec} unit={unit} error={error} tooltip={tooltip} sessionKey={sessionKey} />;
    case 'string':
      if (isMultilineParam(name, spec)) return <LongTextField {...props} spec={spec} error={error} tooltip={tooltip} sessionKey={sessionKey} />;
      return (
        <ParsedField
          label={spec.label}
          tooltip={tooltip}
          error={error}
          extra={props.extra}
          value={value}
          format={formatText}
          parse={parseText}
          onCommit={(v, k) => onChange(v, k)}
          sessionKey={sessionKey}
          testId={testId}
          errorTestId={`${testId}-error`}
        />
      );
    case 'enum':
      return <EnumField {...props} error={error} tooltip={tooltip} />;
    case 'boolean':
      return <BooleanField {...props} error={error} tooltip={tooltip} />;
    case 'dist': {
      const field = <DistField {...props} spec={spec} unit={unit} error={error} tooltip={tooltip} sessionKey={sessionKey} />;
      // A constant (a plain number) sweeps like a number field.
      return props.onSweep && typeof value === 'number' ? (
        <div className="sf-sweepable" onContextMenu={props.onSweep}>
          {field}
        </div>
      ) : (
        field
      );
    }
    default: {
      const never: never = spec;
      return <div>Unsupported param {JSON.stringify(never)}</div>;
    }
  }
}

/** Past this many values a text box is slow to type in (the browser lays out megabytes of text). */
const HUGE_LIST = 50_000;

type FieldExtras = { error: string | null; tooltip: string; sessionKey: string };

/** A small text button beside a summary: Edit / Done. */
function ToggleButton({ testId, onClick, children, title }: { testId: string; onClick: () => void; children: ReactNode; title: string }) {
  return (
    <button type="button" className="sf-btn sf-btn-small" data-testid={testId} title={title} onClick={onClick}>
      {children}
    </button>
  );
}

/**
 * A list of numbers. Short lists are a comma list in one line. Long ones (thousands
 * of spike times) show a summary — count, min–max — and only render their text
 * when asked (Edit), in a multi-line box, so the inspector stays quick.
 */
function NumberListField(props: ParamFieldProps & { spec: NumberListParam; unit: string | undefined } & FieldExtras) {
  const { name, spec, value, unit, error, sessionKey } = props;
  const n = Array.isArray(value) ? value.length : 0;
  const [editing, setEditing] = useState(false);
  const tooltip = `${props.tooltip}\nA comma-separated list.`;
  const summary = useMemo(() => summarizeNumbers(value, unit), [value, unit]);
  if (n > LONG_LIST && !editing) {
    return (
      <FieldRow label={spec.label} tooltip={tooltip} error={error} extra={props.extra} errorTestId={`param-${name}-error`}>
        <div className="sf-summary">
          <span className="sf-summary-text" data-testid={`param-${name}-summary`} title={`${n.toLocaleString('en-US')} values; Edit shows them as text`}>
            {summary}
          </span>
          <ToggleButton testId={`param-${name}-edit`} title="Show the values as text to edit them" onClick={() => setEditing(true)}>
            Edit
          </ToggleButton>
        </div>
      </FieldRow>
    );
  }
  const extra = editing ? (
    <>
      <div className="sf-summary">
        <span className="sf-summary-text sf-muted">{summary}</span>
        <ToggleButton testId={`param-${name}-done`} title="Hide the text again" onClick={() => setEditing(false)}>
          Done
        </ToggleButton>
      </div>
      {n > HUGE_LIST && <span className="sf-muted sf-hint">{n.toLocaleString('en-US')} values are slow to edit as text; importing a file is quicker.</span>}
      {props.extra}
    </>
  ) : (
    props.extra
  );
  return (
    <ParsedField
      label={spec.label}
      tooltip={tooltip}
      unit={unit}
      error={error}
      extra={extra}
      value={value}
      format={formatNumberList}
      parse={parseNumberList}
      multiline={editing}
      rows={6}
      layout={editing ? 'block' : 'inline'}
      className={editing ? 'sf-mono sf-wrap' : undefined}
      onCommit={(v, k) => props.onChange(v, k)}
      sessionKey={sessionKey}
      testId={`param-${name}`}
      placeholder="e.g. 10, 20.5, 40"
      errorTestId={`param-${name}-error`}
    />
  );
}

/**
 * Multi-line text (embedded data such as a dataset): a monospace, resizable box
 * with the label above it. A very long text shows its size until asked for (Edit).
 */
function LongTextField(props: ParamFieldProps & { spec: StringParam } & FieldExtras) {
  const { name, spec, value, error, sessionKey } = props;
  const text = typeof value === 'string' ? value : '';
  const [editing, setEditing] = useState(false);
  const long = text.length > LONG_TEXT;
  if (long && !editing) {
    return (
      <FieldRow label={spec.label} tooltip={props.tooltip} error={error} layout="block" extra={props.extra} errorTestId={`param-${name}-error`}>
        <div className="sf-summary">
          <span className="sf-summary-text" data-testid={`param-${name}-summary`}>
            {formatSize(text.length)} of text, {text.split('\n', 100_000).length.toLocaleString('en-US')} lines
          </span>
          <ToggleButton testId={`param-${name}-edit`} title="Show the text to edit it" onClick={() => setEditing(true)}>
            Edit
          </ToggleButton>
        </div>
      </FieldRow>
    );
  }
  const extra = long ? (
    <>
      <div className="sf-summary">
        <span className="sf-summary-text sf-muted">{formatSize(text.length)} of text</span>
        <ToggleButton testId={`param-${name}-done`} title="Hide the text again" onClick={() => setEditing(false)}>
          Done
        </ToggleButton>
      </div>
      {props.extra}
    </>
  ) : (
    props.extra
  );
  return (
    <ParsedField
      label={spec.label}
      tooltip={props.tooltip}
      error={error}
      extra={extra}
      layout="block"
      value={value}
      format={formatText}
      parse={parseText}
      multiline
      rows={6}
      className="sf-mono"
      placeholder={name === 'custom_data' ? 'label,v0,v1,…\n3,0,0.5,1\n7,1,0.25,0' : undefined}
      onCommit={(v, k) => props.onChange(v, k)}
      sessionKey={sessionKey}
      testId={`param-${name}`}
      errorTestId={`param-${name}-error`}
    />
  );
}

function EnumField(props: ParamFieldProps & { error: string | null; tooltip: string }) {
  const id = useId();
  const spec = props.spec as Extract<ParamSpec, { type: 'enum' }>;
  const known = spec.options.some((o) => o.value === props.value);
  return (
    <FieldRow label={spec.label} tooltip={props.tooltip} error={props.error} htmlFor={id} extra={props.extra} errorTestId={`param-${props.name}-error`}>
      <select
        id={id}
        className={`sf-input${props.error ? ' is-invalid' : ''}`}
        data-testid={`param-${props.name}`}
        value={String(props.value ?? '')}
        title={props.tooltip}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {!known && <option value={String(props.value ?? '')}>{String(props.value ?? '—')} (invalid)</option>}
        {spec.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldRow>
  );
}

function BooleanField(props: ParamFieldProps & { error: string | null; tooltip: string }) {
  const id = useId();
  return (
    <FieldRow label={props.spec.label} tooltip={props.tooltip} error={props.error} htmlFor={id} extra={props.extra} errorTestId={`param-${props.name}-error`}>
      <input
        id={id}
        type="checkbox"
        className="sf-checkbox"
        data-testid={`param-${props.name}`}
        checked={props.value === true}
        title={props.tooltip}
        onChange={(e) => props.onChange(e.target.checked)}
      />
    </FieldRow>
  );
}

function DistField(props: ParamFieldProps & { spec: DistParam; error: string | null; tooltip: string; sessionKey: string }) {
  const { spec, value, name, unit } = props;
  const id = useId();
  const family = distFamily(value);
  const obj = value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  const picker =
    spec.families.length > 1 ? (
      <select
        id={id}
        className="sf-input sf-dist-family"
        data-testid={`param-${name}-family`}
        value={family ?? ''}
        title="Distribution: a constant, or a value drawn per synapse or neuron"
        onChange={(e) => props.onChange(convertDist(value, e.target.value as DistFamily, spec))}
      >
        {family === null && <option value="">(invalid)</option>}
        {spec.families.map((f) => (
          <option key={f} value={f}>
            {FAMILY_LABELS[f]}
          </option>
        ))}
      </select>
    ) : null;
  return (
    <FieldRow
      label={spec.label}
      tooltip={props.tooltip}
      unit={unit}
      error={props.error}
      htmlFor={id}
      wide={family !== 'constant' && family !== null}
      extra={props.extra}
      errorTestId={`param-${name}-error`}
    >
      <div className={`sf-dist${family === 'constant' || family === null ? ' is-constant' : ''}`}>
        {picker}
        {family === 'constant' || family === null ? (
          <ParsedInput
            value={value}
            format={formatNumber}
            parse={parseNumber}
            onCommit={(v, k) => props.onChange(v, k)}
            sessionKey={props.sessionKey}
            testId={`param-${name}`}
            invalid={!!props.error}
            title={spec.tooltip}
            className="sf-dist-const"
          />
        ) : (
          <div className="sf-dist-fields">
            {DIST_FIELDS[family].map((f) => (
              <label key={f.key} className="sf-dist-sub" title={f.optional ? `${f.label} (optional clip bound; leave blank for none)` : f.label}>
                <span>{f.label}</span>
                <ParsedInput
                  value={obj?.[f.key]}
                  format={formatNumber}
                  parse={f.optional ? parseOptionalNumber : parseNumber}
                  onCommit={(v, k) => {
                    const next: Record<string, unknown> = { ...(obj ?? { dist: family }) };
                    if (v === undefined) delete next[f.key];
                    else next[f.key] = v;
                    props.onChange(next, k);
                  }}
                  sessionKey={`${props.sessionKey}.${f.key}`}
                  testId={`param-${name}-${f.key}`}
                  invalid={!!props.error}
                  placeholder={f.optional ? 'none' : undefined}
                />
              </label>
            ))}
          </div>
        )}
      </div>
    </FieldRow>
  );
}
