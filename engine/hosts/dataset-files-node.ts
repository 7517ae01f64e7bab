/**
 * The dataset files a document's encoders name, read from disk for the CLI:
 * each path (relative to the document's folder, or absolute) is read, parsed
 * (engine/format/dataset-file.ts) and provided to the engine under the path the
 * document wrote (engine/sim/dataset-files.ts). A folder is read as an image
 * folder (engine/sim/image-folder.ts), one image at a time. A file that cannot be read is
 * provided as its error, so the compiler reports it on the node and field that
 * named it, like any other bad parameter.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import type { NetworkPlan } from '../core/plan.ts';
import { dirname, join, resolve } from 'node:path';
import { parseDatasetFile } from '../format/dataset-file.ts';
import { inputFiles } from '../kinds/encoder-input.ts';
import { datasetFile, provideDatasetFile, type DatasetFileEntry } from '../sim/dataset-files.ts';
import { readImageFolder } from '../sim/image-folder.ts';

/**
 * Every dataset path the nodes of a document name (inside groups too), once
 * each. Takes the parsed JSON before it is loaded, since loading checks the
 * encoders' files: anything malformed is skipped here and reported by the loader.
 */
export function datasetPaths(doc: unknown): string[] {
  const out = new Set<string>();
  const visit = (level: unknown): void => {
    const nodes = (level as { nodes?: unknown } | null)?.nodes;
    if (!Array.isArray(nodes)) return;
    for (const n of nodes as unknown[]) {
      const params = (n as { params?: unknown } | null)?.params;
      if (params && typeof params === 'object') for (const f of inputFiles(params as Record<string, unknown>)) out.add(f.path);
      visit(n);
    }
  };
  visit(doc);
  return [...out];
}

/** Read and provide each dataset file `doc` (the parsed JSON of `docFile`) names; files already provided are kept. */
export async function provideDocumentDatasets(doc: unknown, docFile: string): Promise<void> {
  for (const path of datasetPaths(doc)) {
    if (datasetFile(path)) continue;
    const full = resolve(dirname(docFile), path);
    let bytes: Uint8Array;
    try {
      if ((await stat(full)).isDirectory()) {
        provideDatasetFile(path, await imageFolder(full));
        continue;
      }
      bytes = await readFile(full);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      provideDatasetFile(path, { ok: false, error: err.code === 'ENOENT' ? 'does not exist' : `cannot be read (${err.message})` });
      continue;
    }
    provideDatasetFile(path, await parseDatasetFile(bytes));
  }
}

/** A folder of class sub-folders of images (engine/sim/image-folder.ts), read one image at a time. */
async function imageFolder(dir: string): Promise<DatasetFileEntry> {
  const classes: { name: string; files: string[] }[] = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const files = (await readdir(join(dir, d.name), { withFileTypes: true })).filter((f) => f.isFile()).map((f) => f.name);
    classes.push({ name: d.name, files });
  }
  return readImageFolder({ classes }, (c, f) => readFile(join(dir, c, f)));
}

/** The plan with every encoder's dataset paths made absolute against `docFile`'s folder (for an engine in another thread or process). */
export function withAbsoluteDatasetPaths(plan: NetworkPlan, docFile: string): NetworkPlan {
  if (!plan.populations.some((p) => inputFiles(p.params).length > 0)) return plan;
  return {
    ...plan,
    populations: plan.populations.map((p) => {
      const files = inputFiles(p.params);
      if (files.length === 0) return p;
      const params = { ...p.params };
      for (const f of files) params[f.field] = resolve(dirname(docFile), f.path);
      return { ...p, params };
    }),
  };
}

/** Read and provide the dataset files a plan's encoders name (absolute paths, see {@link withAbsoluteDatasetPaths}) that are not provided yet. */
export async function providePlanDatasets(plan: NetworkPlan): Promise<void> {
  const paths = new Set<string>();
  for (const p of plan.populations) for (const f of inputFiles(p.params)) paths.add(f.path);
  await provideDocumentDatasets({ nodes: [...paths].map((file) => ({ params: { input: 'file', file } })) }, '/');
}
