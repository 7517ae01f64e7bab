/**
 * "Explicit weights" in the inspector of a static projection wire: what the wire holds
 * (its rule, or a matrix / synapse list, as the canvas label says it), "Load weights…"
 * (a `.csv`, `.npy` or `.npz` file, read in the page, checked and stored by
 * renderer/store/wire-weights.ts as one undo step) and "Clear explicit weights". The help
 * lists the layouts the reader accepts (engine/format/weights-files.ts) and the unit.
 * Test ids: `wire-weights-status`, `wire-weights-load`, `wire-weights-file`,
 * `wire-weights-clear`, `wire-weights-error`, `wire-weights-loaded`, `wire-weights-help`.
 */
import { useState } from 'react';
import type { DocEdge } from '../../engine/format/document.ts';
import { useServices } from '../app/EditorContext.tsx';
import { FieldRow } from './fields.tsx';
import { explicitWeightsLabel } from '../canvas/node-summary.ts';
import { WIRE_WEIGHTS_ACCEPT, clearWireWeights, loadWireWeights } from '../store/wire-weights.ts';
import { FileButton } from '../ui/FileButton.tsx';

/** The outcome of the last load, shown while the wire still holds what it produced. */
interface Outcome {
  readonly ok: boolean;
  readonly text: string;
  readonly weights: unknown;
}

export function WireWeightsControl({ edge, unit, signed }: { edge: DocEdge; unit: string | undefined; signed: boolean }) {
  const { editor } = useServices();
  const [reading, setReading] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const held = edge.weights;
  const label = explicitWeightsLabel(held, unit);
  const sideFile = typeof held === 'object' && held !== null && typeof (held as { file?: unknown }).file === 'string';
  const current = outcome && outcome.weights === held ? outcome : null;
  const u = unit ?? 'the target input’s weight unit';
  const read = async (file: File) => {
    setReading(true);
    try {
      const content = /\.csv$/i.test(file.name) ? await file.text() : new Uint8Array(await file.arrayBuffer());
      const r = loadWireWeights(editor, edge.id, file.name, content);
      const after = editor.view.edges.find((e) => e.id === edge.id)?.weights;
      setOutcome(r.ok ? { ok: true, text: r.summary, weights: after } : { ok: false, text: r.message, weights: held });
    } catch (e) {
      setOutcome({ ok: false, text: `${file.name}: could not be read (${e instanceof Error ? e.message : String(e)})`, weights: held });
    } finally {
      setReading(false);
    }
  };
  const buttons = (
    <div className="sf-summary" style={{ flexWrap: 'wrap', gap: 4 }}>
      <FileButton
        testId="wire-weights-load"
        inputTestId="wire-weights-file"
        accept={WIRE_WEIGHTS_ACCEPT}
        disabled={reading}
        title={`Load a weight matrix or synapse list (.csv, .npy, .npz) in ${u}`}
        onFiles={([file]) => void read(file)}
      >
        {reading ? 'Reading…' : 'Load weights…'}
      </FileButton>
      {held !== undefined && (
        <button
          type="button"
          className="sf-btn sf-btn-small"
          data-testid="wire-weights-clear"
          title="Drop the explicit weights: the connectivity rule and weight draw the synapses again"
          onClick={() => {
            clearWireWeights(editor, edge.id);
            setOutcome(null);
          }}
        >
          Clear explicit weights
        </button>
      )}
    </div>
  );
  const help = (
    <details className="sf-help" data-testid="wire-weights-help">
      <summary>Which files?</summary>
      <div className="sf-help-body">
        <p>
          Numbers are weights in <b>{u}</b>
          {signed ? ' (negative ones inhibit)' : ' and must be ≥ 0 (the receptor gives the sign)'}; a 0 in a matrix is no synapse; delays are in ms; neuron indices count from 0.
        </p>
        <p>
          <b>.npy</b>: a 2-D matrix, one row per target neuron and one column per source neuron (PyTorch’s and NIR’s W in y = W·x).
        </p>
        <p>
          <b>.npz</b>: arrays pre, post, w (and optionally delay_ms), one entry per synapse; or a scipy.sparse matrix (save_npz: csr, csc or coo, rows = target neurons); or its one 2-D array as for
          .npy (1-D arrays beside it, such as a bias, are not read; the message after loading names the array).
        </p>
        <p>
          <b>.csv</b> (comma, semicolon, tab or spaces): rows of numbers without a header are the matrix (rows = target neurons); a header pre,post,w (or weight) and optionally delay_ms makes one
          synapse per line.
        </p>
        <p>The shape and indices are checked against the two populations’ sizes; a file that fails changes nothing. The weights are stored in the document (one undo step).</p>
      </div>
    </details>
  );
  return (
    <FieldRow
      label="Explicit weights"
      tooltip="Synapses and weights from a file instead of the connectivity rule"
      layout="block"
      error={current && !current.ok ? current.text : null}
      errorTestId="wire-weights-error"
      extra={
        <>
          {buttons}
          {current?.ok && (
            <span className="sf-muted" data-testid="wire-weights-loaded">
              {current.text}
            </span>
          )}
          {help}
        </>
      }
    >
      <span className="sf-summary-text" data-testid="wire-weights-status" title={label ?? undefined}>
        {label ? `${label} (${sideFile ? 'a file beside the document' : 'in the document'}; rule and weight unused)` : 'none: the rule and weight draw the synapses'}
      </span>
    </FieldRow>
  );
}
