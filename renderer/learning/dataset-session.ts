/**
 * Dataset files in the app (an encoder's input "Dataset files": `file`,
 * `labels_file`, `test_file`, `test_labels_file`). The document records only
 * the names; the bytes come from a file the user chose in this session (the
 * inspector's picker, browser and desktop alike) or, in the desktop app, from
 * beside the document through the main process (`readBeside`).
 *
 * The engine parses them: the bytes go to the engine (worker or utility
 * process) with `provide-file`, which inflates and parses them off the UI
 * thread and answers the arrays; those are provided to this thread's registry
 * too (engine/sim/dataset-files.ts), since the renderer compiles the document
 * and sizes the encoder from its dataset. A file nobody chose is provided as an
 * error saying so, which the compiler reports on the node and field.
 */
import type { GraphDocument } from '../../engine/format/document.ts';
import { inputFiles } from '../../engine/kinds/encoder-input.ts';
import type { EngineClient } from '../../engine/protocol/client.ts';
import { provideDatasetFile, type DatasetFileEntry } from '../../engine/sim/dataset-files.ts';
import { flatNodesOf } from '../groups/level.ts';

/** The file types the pickers offer (the format is told by the bytes, so this is only a hint). */
export const DATASET_FILE_ACCEPT = '.gz,.npy,.npz,.idx,.idx1-ubyte,.idx3-ubyte,application/gzip,application/octet-stream';

/** Why a named file has no data in a browser session (the document keeps names, not files). */
export const NOT_CHOSEN = 'was not chosen in this session: a document keeps only the file\'s name, so choose the file again with "Choose file…" under this field';

/** Every dataset path the encoders of `doc` name (inside groups too), with the first node and field naming it. */
export function datasetPathsOf(doc: GraphDocument): { path: string; nodeId: string; field: string }[] {
  const seen = new Map<string, { path: string; nodeId: string; field: string }>();
  for (const n of flatNodesOf(doc)) for (const f of inputFiles(n.params)) if (!seen.has(f.path)) seen.set(f.path, { path: f.path, nodeId: n.id, field: f.field });
  return [...seen.values()];
}

/** One line about an entry, for the inspector: its arrays' shapes, or its error. */
export function describeEntry(name: string, entry: DatasetFileEntry): string {
  if (!entry.ok) return `${name} ${entry.error}`;
  const arrays = [...entry.arrays].map(([k, a]) => `${k ? `${k} ` : ''}${a.shape.join('×')}`);
  return `${name}: ${arrays.join(', ')}`;
}

export class DatasetFileSession {
  /** The bytes of the files chosen in this session, by the name the document records. */
  private readonly chosen = new Map<string, Uint8Array>();
  /** What the engine answered for each path (this thread's registry holds the same). */
  private readonly entries = new Map<string, DatasetFileEntry>();
  /** The paths each engine connection holds (a restarted engine has none). */
  private readonly sent = new WeakMap<EngineClient, Set<string>>();
  /** Desktop: a file's bytes beside the open document, or null when there is none. */
  readBeside: ((name: string) => Promise<Uint8Array | null>) | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly connect: () => Promise<EngineClient>) {}

  /** The engine's answer for `name`, if the file was read in this session. */
  entry(name: string): DatasetFileEntry | undefined {
    return this.entries.get(name);
  }

  /** Called whenever an entry changes (the inspector redraws its line). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** The user chose `bytes` as `name`: parse them in the engine and keep them for this session. */
  async choose(name: string, bytes: Uint8Array): Promise<DatasetFileEntry> {
    this.chosen.set(name, bytes);
    return this.send(await this.connect(), name, bytes);
  }

  /**
   * Before a run: make sure the engine `client` and this thread hold every file
   * `doc` names, reading the desktop's side files when they were not chosen.
   */
  async prepare(doc: GraphDocument, client: EngineClient): Promise<void> {
    const held = this.sent.get(client);
    for (const { path } of datasetPathsOf(doc)) {
      if (held?.has(path)) continue;
      let bytes = this.chosen.get(path) ?? null;
      if (!bytes && this.readBeside) {
        try {
          bytes = await this.readBeside(path);
          if (!bytes) this.provide(path, { ok: false, error: 'does not exist beside the document (keep it in the document\'s folder, or choose it with "Choose file…")' });
        } catch (e) {
          this.provide(path, { ok: false, error: `could not be read: ${(e as Error).message ?? String(e)}` });
          continue;
        }
      } else if (!bytes) this.provide(path, { ok: false, error: NOT_CHOSEN });
      if (bytes) await this.send(client, path, bytes);
    }
  }

  private async send(client: EngineClient, path: string, bytes: Uint8Array): Promise<DatasetFileEntry> {
    // The engine takes a copy (its buffer is transferred); this session keeps the original for a restarted engine.
    let entry: DatasetFileEntry;
    try {
      entry = await client.provideFile(path, bytes.slice());
    } catch (e) {
      entry = { ok: false, error: `could not be read by the engine: ${(e as Error).message ?? String(e)}` };
    }
    if (entry.ok) {
      let held = this.sent.get(client);
      if (!held) this.sent.set(client, (held = new Set()));
      held.add(path);
    }
    this.provide(path, entry);
    return entry;
  }

  private provide(path: string, entry: DatasetFileEntry): void {
    provideDatasetFile(path, entry);
    this.entries.set(path, entry);
    for (const l of this.listeners) l();
  }
}
