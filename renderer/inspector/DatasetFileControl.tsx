/**
 * A "Choose file…" button under a dataset-file field (an encoder's `file`,
 * `labels_file`, `test_file`, `test_labels_file`): the chosen file's bytes go
 * to the engine (read as a transferred buffer), which parses them off the UI thread
 * (renderer/learning/dataset-session.ts); the field then holds the file's name
 * (one undoable edit). The line under the button says what the engine read,
 * or why it could not. Test ids: `dataset-choose-<field>` (button),
 * `dataset-file-<field>` (the hidden input), `dataset-status-<field>`.
 *
 * The samples fields (`file`, `test_file`) also take an image folder, one
 * sub-folder per class of PNG/PGM images ("Choose folder…": a native dialog on
 * the desktop, a folder input in a browser, `dataset-folder-<field>`): its
 * images go to the engine, which decodes them; the field then holds the
 * folder's name. Test id of the button: `dataset-choose-folder-<field>`.
 */
import { useEffect, useRef, useState } from 'react';
import { DATASET_FILE_ACCEPT, describeEntry, type DatasetFileSession } from '../learning/dataset-session.ts';
import { folderFromFiles, packFolderFiles } from '../learning/image-folder-files.ts';

/** The encoder params that name dataset files (engine/kinds/encoder-input.ts). */
export const DATASET_FILE_FIELDS = ['file', 'labels_file', 'test_file', 'test_labels_file'];

/** The fields that may name an image folder (its labels are its class sub-folders). */
export const IMAGE_FOLDER_FIELDS = ['file', 'test_file'];

export interface DatasetFileControlProps {
  readonly session: DatasetFileSession;
  readonly field: string;
  /** The name the field holds now. */
  readonly value: string;
  /** Set the field to the chosen file's name. */
  onChosen(name: string): void;
  /** Set the field to the chosen image folder's name (and empty its labels field). */
  onFolderChosen?(name: string): void;
}

export function DatasetFileControl({ session, field, value, onChosen, onFolderChosen }: DatasetFileControlProps) {
  const input = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [, redraw] = useState(0);
  useEffect(() => session.subscribe(() => redraw((n) => n + 1)), [session]);
  const entry = value ? session.entry(value) : undefined;
  const status = reading ? `Reading ${reading}…` : (failure ?? (entry ? describeEntry(value, entry, session.folderClasses(value)) : null));
  const folders = onFolderChosen !== undefined && IMAGE_FOLDER_FIELDS.includes(field);
  /** Read a chosen file or folder (`load` hands it to the engine), then name it in the field, even when malformed, so the run's issue points at it. */
  const read = (name: string, load: () => Promise<unknown>, chosen: (name: string) => void, done?: () => void) => {
    setReading(name);
    setFailure(null);
    load()
      .then(
        () => chosen(name),
        (err: unknown) => setFailure(`${name} could not be read: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => {
        setReading(null);
        done?.();
      });
  };
  const chooseFolder = () => {
    const pick = session.pickFolder;
    if (!pick) return folderInput.current?.click();
    // Desktop: the shell's folder dialog reads the folder; its packed images are kept for this session.
    pick().then(
      (picked) => {
        if (picked) read(picked.name, () => session.choosePickedFolder(picked), onFolderChosen!);
      },
      (err: unknown) => setFailure(`The folder could not be read: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
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
          // The File itself: the session reads it into a buffer it transfers to the engine (no copy on this thread).
          // Choosing the same file again must fire `change` again, hence the emptied input.
          read(
            file.name,
            () => session.choose(file.name, file),
            onChosen,
            () => (el.value = ''),
          );
        }}
      />
      {folders && (
        <>
          <button
            type="button"
            className="sf-btn sf-btn-small sf-btn-outline"
            data-testid={`dataset-choose-folder-${field}`}
            title="Choose an image folder: one sub-folder per class, of PNG or PGM images (the classes are the sub-folders in name order)"
            disabled={reading !== null}
            onClick={chooseFolder}
          >
            Choose folder…
          </button>
          <input
            ref={folderInput}
            type="file"
            {...{ webkitdirectory: '' }}
            className="sf-visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            data-testid={`dataset-folder-${field}`}
            onChange={(e) => {
              const el = e.currentTarget;
              const folder = folderFromFiles([...(el.files ?? [])]);
              if (!folder) return;
              const names = folder.classes.map((c) => c.name);
              // The Files themselves: packed afresh for each engine (the buffer is transferred).
              read(
                folder.name,
                () => session.chooseFolder(folder.name, names, () => packFolderFiles(folder)),
                onFolderChosen!,
                () => (el.value = ''),
              );
            }}
          />
        </>
      )}
      {status && (
        <span className={`sf-import-status${bad ? ' sf-error-text' : ''}`} data-testid={`dataset-status-${field}`} title={status}>
          {status}
        </span>
      )}
    </div>
  );
}
