/**
 * A "Choose file…" button under a dataset-file field (an encoder's `file`,
 * `labels_file`, `test_file`, `test_labels_file`): the chosen file's bytes go
 * to the engine (read as a transferred buffer), which parses them off the UI thread
 * (renderer/learning/dataset-session.ts); the field then holds the file's name
 * (one undoable edit). The line under the button says what the engine read,
 * or why it could not. Test ids: `dataset-choose-<field>` (button),
 * `dataset-file-<field>` (the hidden input), `dataset-status-<field>`.
 */
import { useEffect, useRef, useState } from 'react';
import { DATASET_FILE_ACCEPT, describeEntry, type DatasetFileSession } from '../learning/dataset-session.ts';

/** The encoder params that name dataset files (engine/kinds/encoder-input.ts). */
export const DATASET_FILE_FIELDS = ['file', 'labels_file', 'test_file', 'test_labels_file'];

export interface DatasetFileControlProps {
  readonly session: DatasetFileSession;
  readonly field: string;
  /** The name the field holds now. */
  readonly value: string;
  /** Set the field to the chosen file's name. */
  onChosen(name: string): void;
}

export function DatasetFileControl({ session, field, value, onChosen }: DatasetFileControlProps) {
  const input = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [, redraw] = useState(0);
  useEffect(() => session.subscribe(() => redraw((n) => n + 1)), [session]);
  const entry = value ? session.entry(value) : undefined;
  const status = reading ? `Reading ${reading}…` : (failure ?? (entry ? describeEntry(value, entry) : null));
  const bad = !reading && (failure !== null || (entry !== undefined && !entry.ok));
  return (
    <div className="sf-import">
      <button
        type="button"
        className="sf-btn sf-btn-small sf-btn-outline"
        data-testid={`dataset-choose-${field}`}
        title="Choose the file on this computer; the engine reads it, and the document records its name"
        disabled={reading !== null}
        onClick={() => input.current?.click()}
      >
        {reading ? 'Reading…' : 'Choose file…'}
      </button>
      <input
        ref={input}
        type="file"
        accept={DATASET_FILE_ACCEPT}
        className="sf-visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid={`dataset-file-${field}`}
        onChange={(e) => {
          const el = e.currentTarget;
          const file = el.files?.[0];
          if (!file) return;
          setReading(file.name);
          setFailure(null);
          // The File itself: the session reads it into a buffer it transfers to the engine (no copy on this thread).
          session
            .choose(file.name, file)
            .then(
              // Even a malformed file is named in the field, so the run's issue points at it.
              () => onChosen(file.name),
              (err: unknown) => setFailure(`${file.name} could not be read: ${err instanceof Error ? err.message : String(err)}`),
            )
            .finally(() => {
              setReading(null);
              // Choosing the same file again must fire `change` again.
              el.value = '';
            });
        }}
      />
      {status && (
        <span className={`sf-import-status${bad ? ' sf-error-text' : ''}`} data-testid={`dataset-status-${field}`} title={status}>
          {status}
        </span>
      )}
    </div>
  );
}
