/**
 * An import button under a param: opens the file picker (a page file input, which
 * works the same in a browser and in Electron), reads the file as text and hands
 * it to the inspector, which validates it and applies it as one undoable edit.
 * Test ids: `import-<field>` (button), `import-file-<field>` (the hidden input),
 * `import-status-<field>` (what the field holds, or what was imported).
 */
import { useRef, useState } from 'react';
import type { Importer } from './importers.ts';

export interface ImportControlProps {
  readonly importer: Importer;
  /** A line about the field: what was just imported, or what it holds now. */
  readonly status: string | null;
  onFile(text: string, fileName: string): void;
  onReadError(fileName: string, message: string): void;
}

export function ImportControl({ importer, status, onFile, onReadError }: ImportControlProps) {
  const input = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState(false);
  const field = importer.field;
  return (
    <div className="sf-import">
      <button type="button" className="sf-btn sf-btn-small sf-btn-outline" data-testid={`import-${field}`} title={importer.title} disabled={reading} onClick={() => input.current?.click()}>
        {reading ? 'Reading…' : importer.buttonLabel}
      </button>
      <input
        ref={input}
        type="file"
        accept={importer.accept}
        className="sf-visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid={`import-file-${field}`}
        onChange={(e) => {
          const el = e.currentTarget;
          const file = el.files?.[0];
          if (!file) return;
          setReading(true);
          file
            .text()
            .then(
              (text) => onFile(text, file.name),
              (err: unknown) => onReadError(file.name, err instanceof Error ? err.message : String(err)),
            )
            .finally(() => {
              setReading(false);
              // Choosing the same file again must fire `change` again.
              el.value = '';
            });
        }}
      />
      {status && (
        <span className="sf-import-status" data-testid={`import-status-${field}`} title={status}>
          {status}
        </span>
      )}
    </div>
  );
}
