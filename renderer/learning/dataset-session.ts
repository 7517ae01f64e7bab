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
 *
 * An image folder (one sub-folder per class of PNG/PGM images) is chosen with
 * the inspector's folder picker (a folder input in a browser, a native dialog on
 * the desktop, `pickFolder`): its images go to the engine packed in one buffer
 * (`provide-image-folder`), which decodes them off the UI thread the same way.
 */
import type { GraphDocument } from '../../engine/format/document.ts';
import { inputFiles } from '../../engine/kinds/encoder-input.ts';
import type { EngineClient } from '../../engine/protocol/client.ts';
import { provideDatasetFile, type DatasetFileEntry } from '../../engine/sim/dataset-files.ts';
import type { PackedImageFolder } from '../../engine/sim/image-folder.ts';
import type { PickedImageFolder } from '../../electron/api.ts';
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

/** One line about an entry, for the inspector: its arrays' shapes (an image folder's images and classes), or its error. */
export function describeEntry(name: string, entry: DatasetFileEntry, classes?: readonly string[]): string {
  if (!entry.ok) return `${name} ${entry.error}`;
  const images = entry.arrays.get('images');
  if (classes && images) {
    const [n, h, w] = images.shape;
    return `${name}/: ${n} images of ${w}×${h} pixels in ${classes.length} classes (${classes.join(', ')})`;
  }
  const arrays = [...entry.arrays].map(([k, a]) => `${k ? `${k} ` : ''}${a.shape.join('×')}`);
  return `${name}: ${arrays.join(', ')}`;
}

/** Bytes read between two yields to the event loop (a few milliseconds of work). */
const READ_SLICE_BYTES = 1 << 20;

/**
 * A file's bytes, read as a stream into one buffer, yielding to the event loop
 * after each {@link READ_SLICE_BYTES}: `Blob.arrayBuffer()` fills a 26 MB buffer
 * in a few tasks of 50 ms or more on this thread, and a stream's chunks that are
 * already buffered all resolve in one microtask checkpoint unless the loop yields.
 */
export async function readBlob(blob: Blob): Promise<Uint8Array> {
  const out = new Uint8Array(blob.size);
  const reader = blob.stream().getReader();
  let at = 0;
  let sinceYield = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > out.length) throw new Error(`the file grew while it was read (more than ${out.length} bytes)`);
    out.set(value, at);
    at += value.length;
    sinceYield += value.length;
    if (sinceYield >= READ_SLICE_BYTES) {
      sinceYield = 0;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  if (at !== out.length) throw new Error(`the file shrank while it was read (${at} of ${out.length} bytes)`);
  return out;
}

/** A folder the desktop shell read and packed: its class names, and a fresh copy of its images for each engine (the buffer is transferred). */
function folderSource(picked: PickedImageFolder): { classes: readonly string[]; pack(): Promise<PackedImageFolder> } {
  const { classes, bytes } = picked.folder;
  return { classes: classes.map((c) => c.name).sort(), pack: async () => ({ classes, bytes: bytes.slice() }) };
}

export class DatasetFileSession {
  /**
   * The files chosen in this session, by the name the document records: kept as
   * the picker's `File` (a Blob), read again for each engine. Holding no bytes
   * here means no copy on this thread: each read is a fresh buffer, transferred.
   */
  private readonly chosen = new Map<string, Blob>();
  /** The image folders chosen in this session: each packs its images afresh for each engine (the buffer is transferred). */
  private readonly folders = new Map<string, { readonly classes: readonly string[]; pack(): Promise<PackedImageFolder> }>();
  /** What the engine answered for each path (this thread's registry holds the same). */
  private readonly entries = new Map<string, DatasetFileEntry>();
  /** The paths each engine connection holds (a restarted engine has none). */
  private readonly sent = new WeakMap<EngineClient, Set<string>>();
  /** Desktop: a file's bytes (an image folder's packed images) beside the open document, or null when there is none. */
  readBeside: ((name: string) => Promise<Uint8Array | PickedImageFolder | null>) | null = null;
  /** Desktop: a native folder dialog that answers the image folder read and packed (a browser uses a folder input). */
  pickFolder: (() => Promise<PickedImageFolder | null>) | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly connect: () => Promise<EngineClient>) {}

  /** The engine's answer for `name`, if the file was read in this session. */
  entry(name: string): DatasetFileEntry | undefined {
    return this.entries.get(name);
  }

  /** The class names of the image folder chosen as `name`, if it is one. */
  folderClasses(name: string): readonly string[] | undefined {
    return this.folders.get(name)?.classes;
  }

  /** Called whenever an entry changes (the inspector redraws its line). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** The user chose `file` (the picker's File, or bytes) as `name`: parse it in the engine and keep it for this session. */
  async choose(name: string, file: Blob | Uint8Array): Promise<DatasetFileEntry> {
    const blob = file instanceof Uint8Array ? new Blob([file as BlobPart]) : file;
    this.chosen.set(name, blob);
    this.folders.delete(name);
    return this.send(await this.connect(), name, () => readBlob(blob));
  }

  /**
   * The user chose an image folder as `name` (engine/sim/image-folder.ts): `pack` reads its
   * images into one buffer (afresh each time), which the engine decodes; `classes` are its
   * class sub-folders' names, for the inspector's line.
   */
  async chooseFolder(name: string, classes: readonly string[], pack: () => Promise<PackedImageFolder>): Promise<DatasetFileEntry> {
    this.chosen.delete(name);
    this.folders.set(name, { classes: [...classes].sort(), pack });
    return this.sendFolder(await this.connect(), name, pack);
  }

  /** The user picked an image folder in the desktop's folder dialog: as {@link chooseFolder}, under the folder's name. */
  choosePickedFolder(picked: PickedImageFolder): Promise<DatasetFileEntry> {
    const { classes, pack } = folderSource(picked);
    return this.chooseFolder(picked.name, classes, pack);
  }

  /**
   * Before a run: make sure the engine `client` and this thread hold every file
   * `doc` names, reading the desktop's side files when they were not chosen.
   */
  async prepare(doc: GraphDocument, client: EngineClient): Promise<void> {
    const held = this.sent.get(client);
    for (const { path } of datasetPathsOf(doc)) {
      if (held?.has(path)) continue;
      const folder = this.folders.get(path);
      if (folder) {
        await this.sendFolder(client, path, folder.pack);
        continue;
      }
      const blob = this.chosen.get(path);
      if (blob) {
        await this.send(client, path, () => readBlob(blob));
        continue;
      }
      let found: Uint8Array | PickedImageFolder | null = null;
      if (this.readBeside) {
        try {
          found = await this.readBeside(path);
          if (!found) this.provide(path, { ok: false, error: 'does not exist beside the document (keep it in the document\'s folder, or choose it with "Choose file…")' });
        } catch (e) {
          this.provide(path, { ok: false, error: `could not be read: ${(e as Error).message ?? String(e)}` });
          continue;
        }
      } else this.provide(path, { ok: false, error: NOT_CHOSEN });
      const read = found;
      if (read instanceof Uint8Array) await this.send(client, path, () => Promise.resolve(read));
      else if (read) {
        // An image folder beside the document: kept like a chosen one, so a restarted engine gets it again.
        const source = folderSource(read);
        this.folders.set(path, source);
        await this.sendFolder(client, path, source.pack);
      }
    }
  }

  /** Read the bytes (a fresh buffer each time) and transfer them to the engine, which answers the parsed arrays, transferred back. */
  private send(client: EngineClient, path: string, read: () => Promise<Uint8Array>): Promise<DatasetFileEntry> {
    return this.answer(client, path, async () => client.provideFile(path, await read()));
  }

  /** Pack the folder's images (a fresh buffer) and transfer them to the engine, which decodes them and answers the arrays. */
  private sendFolder(client: EngineClient, path: string, pack: () => Promise<PackedImageFolder>): Promise<DatasetFileEntry> {
    return this.answer(client, path, async () => client.provideImageFolder(path, await pack()));
  }

  /** The engine's answer for `path` (an error entry when asking failed), kept here and on this thread's registry. */
  private async answer(client: EngineClient, path: string, ask: () => Promise<DatasetFileEntry>): Promise<DatasetFileEntry> {
    let entry: DatasetFileEntry;
    try {
      entry = await ask();
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
