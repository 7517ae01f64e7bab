/**
 * The import and export dialogs. Import: dt, the file's time unit (with the guess), the reset
 * and what an Input becomes, then — recomputed on every change — what will be imported and
 * what will not, with reasons. Export: a table of formats (EXPORT_FORMATS), the consent a
 * format may take (NIR's static weights + Input nodes), and what cannot be exported.
 */
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { NirImportChoices } from '../../engine/interop/nir/convert.ts';
import type { NirGraph } from '../../engine/interop/nir/model.ts';
import { describeNotImported, guessReset, guessTimeUnit, nirToDocumentDraft, suggestedDtMs } from '../../engine/interop/nir/to-document.ts';
import type { NirInputChoice } from '../../engine/interop/nir/to-document.ts';
import type { AppServices } from '../app/actions.ts';
import { EXPORT_FORMATS, exportFileName } from './formats.ts';
import { finishExport, finishImport } from './interop.ts';
import { closeInterop, interopStore } from './store.ts';
import './interop.css';

export function InteropDialog() {
  const request = useStore(interopStore, (s) => s.request);
  useEffect(() => {
    if (!request) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeInterop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [request]);
  if (!request) return null;
  return (
    <div className="sf-modal-backdrop">
      {request.type === 'import' && <ImportDialog key={request.fileName} app={request.app} fileName={request.fileName} graph={request.graph} defaults={request.defaults} />}
      {request.type === 'import-error' && <ImportError fileName={request.fileName} problems={request.problems} />}
      {request.type === 'export' && <ExportDialog app={request.app} initial={request.format} />}
    </div>
  );
}

/** Runs the dialog's main action, showing its failure in the dialog. */
function useAction() {
  const busy = useStore(interopStore, (s) => s.busy);
  const error = useStore(interopStore, (s) => s.error);
  const run = (action: () => Promise<boolean>) => {
    interopStore.setState({ busy: true, error: null });
    action().then(
      (done) => (done ? closeInterop() : interopStore.setState({ busy: false })),
      (e: unknown) => interopStore.setState({ busy: false, error: e instanceof Error ? e.message : String(e) }),
    );
  };
  return { busy, error, run };
}

function Lines(props: { title: string; lines: readonly string[]; testId: string; tone?: 'bad' }) {
  if (props.lines.length === 0) return null;
  return (
    <section className="sf-interop-lines" data-testid={props.testId}>
      <h3>
        {props.title} ({props.lines.length})
      </h3>
      <ul className={props.tone === 'bad' ? 'is-bad' : undefined}>
        {props.lines.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    </section>
  );
}

/** The dialog's failure (if any), Cancel and the main action. */
function Footer(props: { error: string | null; okLabel: string; testId: string; disabled: boolean; onOk: () => void }) {
  return (
    <>
      {props.error && (
        <p className="sf-interop-error" role="alert">
          {props.error}
        </p>
      )}
      <div className="sf-modal-actions">
        <button type="button" className="sf-btn" onClick={closeInterop}>
          Cancel
        </button>
        <button type="button" className="sf-btn is-primary" data-testid={props.testId} disabled={props.disabled} onClick={props.onOk}>
          {props.okLabel}
        </button>
      </div>
    </>
  );
}

const INPUTS: readonly { value: NirInputChoice; label: string }[] = [
  { value: 'spike-generator', label: 'Spikes from a file (spike generator)' },
  { value: 'poisson-source', label: 'A generator (Poisson source)' },
  { value: 'rate-encoder', label: 'A dataset (rate encoder)' },
];

function ImportDialog(props: { app: AppServices; fileName: string; graph: NirGraph; defaults: NirImportChoices }) {
  const { graph } = props;
  const [choices, setChoices] = useState<NirImportChoices>(props.defaults);
  const [dtText, setDtText] = useState(String(props.defaults.dtMs));
  const { busy, error, run } = useAction();
  const dt = Number(dtText);
  const dtOk = Number.isFinite(dt) && dt > 0;
  const unitGuess = guessTimeUnit(graph);
  const resetGuess = guessReset(graph);
  const preview = useMemo(() => (dtOk ? nirToDocumentDraft(graph, { ...choices, dtMs: dt }) : null), [graph, choices, dt, dtOk]);
  const set = (patch: Partial<NirImportChoices>) => setChoices((c) => ({ ...c, ...patch }));
  return (
    <div className="sf-modal sf-interop" role="dialog" aria-modal="true" aria-labelledby="sf-import-title" data-testid="nir-import-dialog">
      <h2 id="sf-import-title">Import NIR — {props.fileName}</h2>
      <p>NIR files carry numbers without units, a time step or a reset rule: check these before importing.</p>
      <div className="sf-interop-fields">
        <label className="sf-field">
          <span className="sf-field-label">dt (ms)</span>
          <input className="sf-input" data-testid="nir-dt" value={dtText} onChange={(e) => setDtText(e.target.value)} aria-invalid={!dtOk} />
        </label>
        <span className="sf-interop-hint">
          {dtOk ? `default ${suggestedDtMs(graph, choices.timeUnit)} ms (${'dt' in graph.metadata ? "the file's metadata dt" : 'no dt in the file'})` : 'dt must be a number above 0'}
        </span>
        <label className="sf-field">
          <span className="sf-field-label">Times in the file</span>
          <select
            className="sf-input"
            data-testid="nir-time-unit"
            value={choices.timeUnit}
            onChange={(e) => {
              const timeUnit = e.target.value as 's' | 'ms';
              set({ timeUnit });
              setDtText(String(suggestedDtMs(graph, timeUnit)));
            }}
          >
            <option value="s">seconds</option>
            <option value="ms">milliseconds</option>
          </select>
        </label>
        <span className="sf-interop-hint">
          guess: {unitGuess === 's' ? 'seconds' : 'milliseconds'} (
          {'time_unit' in graph.metadata ? 'the file says so' : unitGuess === 'ms' ? 'every time constant is above 1' : 'a time constant is at most 1, as snnTorch and Norse write'})
        </span>
        <label className="sf-field">
          <span className="sf-field-label">Reset</span>
          <select className="sf-input" data-testid="nir-reset" value={choices.reset} onChange={(e) => set({ reset: e.target.value as NirImportChoices['reset'] })}>
            <option value="subtract">subtract the threshold</option>
            <option value="to-v-reset">v → v_reset</option>
          </select>
        </label>
        <span className="sf-interop-hint">
          guess: {resetGuess === 'subtract' ? 'subtract' : 'v → v_reset'} ({'reset' in graph.metadata ? 'the file says so' : resetGuess === 'subtract' ? 'every v_reset is 0' : 'a v_reset is not 0'})
        </span>
        <label className="sf-field">
          <span className="sf-field-label">Input</span>
          <select className="sf-input" data-testid="nir-input" value={choices.input} onChange={(e) => set({ input: e.target.value as NirInputChoice })}>
            {INPUTS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {preview && (
        <p className="sf-interop-summary" data-testid="nir-import-summary">
          {preview.doc.nodes.length} nodes and {preview.doc.edges.length} wires will be imported; {preview.notImported.length} NIR node(s) will not.
        </p>
      )}
      <div className="sf-interop-scroll">
        <Lines title="Not imported" lines={preview?.notImported.map(describeNotImported) ?? []} testId="nir-not-imported" tone="bad" />
        <Lines title="Choices made" lines={preview?.notes ?? []} testId="nir-import-notes" />
      </div>
      <Footer
        error={error}
        okLabel={busy ? 'Importing…' : 'Import'}
        testId="nir-import-ok"
        disabled={!dtOk || busy || preview?.doc.nodes.length === 0}
        onOk={() => run(() => finishImport(props.app, props.fileName, graph, { ...choices, dtMs: dt }))}
      />
    </div>
  );
}

function ImportError(props: { fileName: string; problems: readonly string[] }) {
  return (
    <div className="sf-modal sf-interop" role="alertdialog" aria-modal="true" aria-labelledby="sf-import-error-title" data-testid="nir-import-error">
      <h2 id="sf-import-error-title">Cannot import {props.fileName}</h2>
      <p>It is not a NIR graph Spikeflow can read. The open document is unchanged.</p>
      <div className="sf-interop-scroll">
        <Lines title="Problems" lines={props.problems} testId="nir-import-problems" tone="bad" />
      </div>
      <div className="sf-modal-actions">
        <button type="button" className="sf-btn is-primary" onClick={closeInterop}>
          OK
        </button>
      </div>
    </div>
  );
}

function ExportDialog(props: { app: AppServices; initial: string }) {
  const [formatId, setFormatId] = useState(props.initial);
  const [consent, setConsent] = useState(false);
  const { busy, error, run } = useAction();
  const doc = props.app.editor.doc;
  const format = EXPORT_FORMATS.find((f) => f.id === formatId) ?? EXPORT_FORMATS[0];
  const agreed = consent && format.consent !== undefined;
  const check = useMemo(() => format.check(doc, agreed), [format, doc, agreed]);
  return (
    <div className="sf-modal sf-interop" role="dialog" aria-modal="true" aria-labelledby="sf-export-title" data-testid="export-dialog">
      <h2 id="sf-export-title">Export “{doc.meta.name || 'Untitled'}”</h2>
      <table className="sf-interop-formats" data-testid="export-formats">
        <tbody>
          {EXPORT_FORMATS.map((f) => (
            <tr key={f.id} className={f.id === format.id ? 'is-chosen' : undefined} onClick={() => setFormatId(f.id)}>
              <td>
                <input type="radio" name="sf-export-format" checked={f.id === format.id} onChange={() => setFormatId(f.id)} data-testid={`export-format-${f.id}`} aria-label={f.label} />
              </td>
              <td className="sf-interop-format-name">
                {f.label} <span className="sf-mono">{f.extension}</span>
              </td>
              <td>{f.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {format.consent && (
        <label className="sf-interop-consent" title={format.consent.help}>
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="export-consent" />
          <span>
            <strong>{format.consent.label}</strong> — {format.consent.help}
          </span>
        </label>
      )}
      <p className="sf-interop-summary" data-testid="export-summary">
        {check.blocked.length > 0
          ? `${check.blocked.length} item(s) cannot be exported as ${format.label}: nothing will be written.`
          : `Will write ${exportFileName(doc, format)}${check.omitted.length ? `, without ${check.omitted.length} item(s)` : ''}.`}
      </p>
      <div className="sf-interop-scroll">
        <Lines title="Cannot be exported" lines={check.blocked} testId="export-blocked" tone="bad" />
        <Lines title="Left out" lines={check.omitted} testId="export-omitted" />
        <Lines title="Notes" lines={check.notes} testId="export-notes" />
      </div>
      <Footer
        error={error}
        okLabel={busy ? 'Exporting…' : 'Export'}
        testId="export-ok"
        disabled={busy || check.blocked.length > 0}
        onOk={() => run(() => finishExport(props.app, format.id, agreed))}
      />
    </div>
  );
}
