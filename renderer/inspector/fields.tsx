/**
 * Inspector inputs. Text inputs keep the user's raw text while it does not parse
 * (with the reason under the field); every text that parses is committed to the
 * document at once, and all commits of one focus session share a merge key, so a
 * whole typed value is one undo step.
 */
import { useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useServices } from '../app/EditorContext.tsx';
import { sameValue } from './param-text.ts';
import type { Parsed } from './param-text.ts';

let focusSessions = 0;

/** Merge key per focus session of one field; sealing the history on blur ends the session. */
export function useEditSession(base: string): { mergeKey: () => string; onFocus: () => void; onBlur: () => void } {
  const { editor } = useServices();
  const token = useRef(0);
  return {
    mergeKey: () => {
      if (token.current === 0) token.current = ++focusSessions;
      return `${base}#${token.current}`;
    },
    onFocus: () => {
      token.current = ++focusSessions;
    },
    onBlur: () => {
      token.current = 0;
      editor.sealHistory();
    },
  };
}

/**
 * Text state for a value-backed input: the text follows the value when it changes
 * from outside (undo, another field), and keeps what the user typed otherwise.
 */
export function useParsedText<T>(
  value: unknown,
  format: (v: unknown) => string,
  parse: (text: string) => Parsed<T>,
  commit: (v: T) => void,
): { text: string; parseError: string | null; onChange: (text: string) => void } {
  const [text, setText] = useState(() => format(value));
  const [shown, setShown] = useState<unknown>(value);
  const [parseError, setParseError] = useState<string | null>(null);
  if (!sameValue(value, shown)) {
    // Derived state, React's way: adjust during render when the prop moved.
    setShown(value);
    setText(format(value));
    setParseError(null);
  }
  return {
    text,
    parseError,
    onChange: (t) => {
      setText(t);
      const p = parse(t);
      if (p.ok) {
        setParseError(null);
        setShown(p.value);
        commit(p.value);
      } else setParseError(p.message);
    },
  };
}

/** How a row is laid out: label beside the control, beside it aligned to the top (`wide`), or above it (`block`). */
export type FieldLayout = 'inline' | 'wide' | 'block';

/** One labelled row: label (with tooltip), control, unit, extras (buttons, a summary), and the error under it. */
export function FieldRow(props: {
  label: string;
  tooltip?: string;
  unit?: string;
  error?: string | null;
  htmlFor?: string;
  children: ReactNode;
  wide?: boolean;
  layout?: FieldLayout;
  /** Shown under the control, above the error (e.g. an import button). */
  extra?: ReactNode;
  /** `data-testid` of the error line. */
  errorTestId?: string;
}) {
  const { label, tooltip, unit, error, htmlFor, children, extra } = props;
  const layout = props.layout ?? (props.wide ? 'wide' : 'inline');
  return (
    <div className={`sf-field${error ? ' has-error' : ''}${layout === 'inline' ? '' : ` is-${layout}`}`}>
      <label className="sf-field-label" htmlFor={htmlFor} title={tooltip}>
        {label}
      </label>
      <div className="sf-field-control">
        {children}
        {(layout !== 'block' || unit) && <span className="sf-field-unit">{unit}</span>}
      </div>
      {extra && <div className="sf-field-extra">{extra}</div>}
      {error && (
        <div className="sf-field-error" role="alert" data-testid={props.errorTestId}>
          {error}
        </div>
      )}
    </div>
  );
}

export interface TextInputProps<T> {
  value: unknown;
  format: (v: unknown) => string;
  parse: (text: string) => Parsed<T>;
  onCommit: (v: T, mergeKey: string) => void;
  /** Identifies the field for merging history (`lif1.tau_m_ms`). */
  sessionKey: string;
  testId?: string;
  invalid?: boolean;
  placeholder?: string;
  className?: string;
  title?: string;
  multiline?: boolean;
  /** Rows of a multi-line input (default 3). */
  rows?: number;
}

/** The input element of a parsed text, with its current parse problem. */
function useBoundInput<T>(props: TextInputProps<T>, id?: string): { input: ReactNode; parseError: string | null } {
  const session = useEditSession(props.sessionKey);
  const { text, parseError, onChange } = useParsedText(props.value, props.format, props.parse, (v) => props.onCommit(v, session.mergeKey()));
  const invalid = !!parseError || !!props.invalid;
  const common = {
    id,
    className: `sf-input${props.className ? ` ${props.className}` : ''}${invalid ? ' is-invalid' : ''}`,
    value: text,
    placeholder: props.placeholder,
    title: parseError ?? props.title,
    'data-testid': props.testId,
    'aria-invalid': invalid ? true : undefined,
    spellCheck: false,
    onFocus: session.onFocus,
    onBlur: session.onBlur,
  };
  const input = props.multiline ? (
    <textarea {...common} rows={props.rows ?? 3} onChange={(e) => onChange(e.target.value)} />
  ) : (
    <input
      {...common}
      type="text"
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
      }}
    />
  );
  return { input, parseError };
}

/** A bare input (toolbar, dist sub-fields): its problem shows as a red outline and tooltip. */
export function ParsedInput<T>(props: TextInputProps<T>) {
  return <>{useBoundInput(props).input}</>;
}

/** A labelled input whose parse problem, or else the given error, shows under it. */
export function ParsedField<T>(props: TextInputProps<T> & { label: string; tooltip?: string; unit?: string; error?: string | null; layout?: FieldLayout; extra?: ReactNode; errorTestId?: string }) {
  const id = useId();
  const { input, parseError } = useBoundInput({ ...props, invalid: props.invalid || !!props.error, title: props.title ?? props.tooltip }, id);
  return (
    <FieldRow
      label={props.label}
      tooltip={props.tooltip}
      unit={props.unit}
      error={parseError ?? props.error ?? null}
      htmlFor={id}
      layout={props.layout ?? (props.multiline ? 'wide' : 'inline')}
      extra={props.extra}
      errorTestId={props.errorTestId}
    >
      {input}
    </FieldRow>
  );
}
