/**
 * One form field generated from a param spec. Inputs carry `data-testid="param-<name>"`
 * (dist sub-fields `param-<name>-<key>`, the family picker `param-<name>-family`).
 */
import { useId } from 'react';
import type { DistFamily, DistParam, ParamSpec } from '../../engine/kinds/index.ts';
import { checkParamValue } from '../../engine/kinds/index.ts';
import { FieldRow, ParsedField, ParsedInput } from './fields.tsx';
import { DIST_FIELDS, convertDist, distFamily, formatNumber, formatNumberList, parseNumber, parseNumberList } from './param-text.ts';
import type { Parsed } from './param-text.ts';

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
  onChange(value: unknown, mergeKey?: string): void;
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
  // The field's own check first (short), then a cross-field or run issue.
  const error = checkParamValue(spec, value) ?? props.issue ?? null;
  const sessionKey = `${owner}.${name}`;
  const testId = `param-${name}`;
  const tooltip = tooltipOf(spec);
  switch (spec.type) {
    case 'number':
      return (
        <ParsedField
          label={spec.label} tooltip={tooltip} unit={unit} error={error}
          value={value} format={formatNumber} parse={parseNumber}
          onCommit={(v, k) => onChange(v, k)} sessionKey={sessionKey} testId={testId}
        />
      );
    case 'numbers':
      return (
        <ParsedField
          label={spec.label} tooltip={`${tooltip}\nA comma-separated list.`} unit={unit} error={error}
          value={value} format={formatNumberList} parse={parseNumberList}
          onCommit={(v, k) => onChange(v, k)} sessionKey={sessionKey} testId={testId} placeholder="e.g. 10, 20.5, 40"
        />
      );
    case 'string':
      return (
        <ParsedField
          label={spec.label} tooltip={tooltip} error={error}
          value={value} format={formatText} parse={parseText}
          onCommit={(v, k) => onChange(v, k)} sessionKey={sessionKey} testId={testId}
        />
      );
    case 'enum':
      return <EnumField {...props} error={error} tooltip={tooltip} />;
    case 'boolean':
      return <BooleanField {...props} error={error} tooltip={tooltip} />;
    case 'dist':
      return <DistField {...props} spec={spec} unit={unit} error={error} tooltip={tooltip} sessionKey={sessionKey} />;
    default: {
      const never: never = spec;
      return <div>Unsupported param {JSON.stringify(never)}</div>;
    }
  }
}

function EnumField(props: ParamFieldProps & { error: string | null; tooltip: string }) {
  const id = useId();
  const spec = props.spec as Extract<ParamSpec, { type: 'enum' }>;
  const known = spec.options.some((o) => o.value === props.value);
  return (
    <FieldRow label={spec.label} tooltip={props.tooltip} error={props.error} htmlFor={id}>
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
    <FieldRow label={props.spec.label} tooltip={props.tooltip} error={props.error} htmlFor={id}>
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
    <FieldRow label={spec.label} tooltip={props.tooltip} unit={unit} error={props.error} htmlFor={id} wide={family !== 'constant' && family !== null}>
      <div className={`sf-dist${family === 'constant' || family === null ? ' is-constant' : ''}`}>
        {picker}
        {family === 'constant' || family === null ? (
          <ParsedInput
            value={value} format={formatNumber} parse={parseNumber}
            onCommit={(v, k) => props.onChange(v, k)} sessionKey={props.sessionKey} testId={`param-${name}`}
            invalid={!!props.error} title={spec.tooltip} className="sf-dist-const"
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
