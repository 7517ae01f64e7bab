/**
 * The dataset files a document's encoders name, read from disk for the CLI:
 * each path (relative to the document's folder, or absolute) is read, parsed
 * (engine/format/dataset-file.ts) and provided to the engine under the path the
 * document wrote (engine/sim/dataset-files.ts). A file that cannot be read is
 * provided as its error, so the compiler reports it on the node and field that
 * named it, like any other bad parameter.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { GraphDocument } from '../format/document.ts';
import { flattenDocument } from '../format/groups.ts';
import { parseDatasetFile } from '../format/dataset-file.ts';
import { inputFiles } from '../kinds/encoder-input.ts';
import { datasetFile, provideDatasetFile } from '../sim/dataset-files.ts';

/** Every dataset path the document's nodes name (groups included), once each. */
export function datasetPaths(doc: GraphDocument): string[] {
  const out = new Set<string>();
  for (const n of flattenDocument(doc).doc.nodes) for (const f of inputFiles(n.params ?? {})) out.add(f.path);
  return [...out];
}

/** Read and provide each dataset file `doc` (loaded from `docFile`) names; files already provided are kept. */
export async function provideDocumentDatasets(doc: GraphDocument, docFile: string): Promise<void> {
  for (const path of datasetPaths(doc)) {
    if (datasetFile(path)) continue;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(resolve(dirname(docFile), path));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      provideDatasetFile(path, { ok: false, error: err.code === 'ENOENT' ? 'does not exist' : err.code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${err.message})` });
      continue;
    }
    provideDatasetFile(path, await parseDatasetFile(bytes));
  }
}
