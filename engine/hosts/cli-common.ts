/**
 * What every `spikeflow` command shares: the I/O seam, the usage error, and
 * reading a document (with its side weight files) from disk. A command lives in
 * its own file (cli-export.ts, ...) and is registered in cli.ts's COMMANDS.
 */
import { readFile } from 'node:fs/promises';
import { loadDocument } from '../format/load.ts';
import type { GraphDocument } from '../format/document.ts';
import { inlineWeightFiles, sideWeightFiles } from '../format/weights.ts';
import { isBinaryWeightsFile, isTableWeightsFile } from '../format/weights-files.ts';
import { assertSideFileConfined, sideFilePath } from './side-file-path.ts';
import { provideDocumentDatasets } from './dataset-files-node.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Where the worker-thread host boots from (the source tree's, when the CLI runs bundled). */
  workerBootUrl?: URL;
  /** Where simulation threads start from (a module importing sim-thread-node-entry.ts; default: its tsx boot). */
  threadEntryUrl?: URL;
  /** The memory limit of a run (default: 80 % of the machine's memory). */
  memoryLimitBytes?: number;
}

/** Bad usage: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

/** The document in FILE, or null after printing why it cannot be read or loaded. */
export async function readDocument(file: string, io: CliIo) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.err(`spikeflow: cannot read ${file}: ${(e as Error).message}`);
    return null;
  }
  // Dataset files first: loading checks the encoders that name them.
  try {
    await provideDocumentDatasets(JSON.parse(text), file);
  } catch {
    // Not JSON: the loader says so.
  }
  const loaded = loadDocument(text);
  if (!loaded.ok) {
    io.err(`spikeflow: ${file} is not a valid Spikeflow document:`);
    for (const i of loaded.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
    return null;
  }
  for (const w of loaded.warnings) io.err(`spikeflow: warning: ${w.pointer}: ${w.message}`);
  return loaded.doc;
}

/**
 * The document with its side weight files (engine/format/weights.ts) read from
 * next to it and inlined, for compiling; null after printing the problems.
 */
export async function withSideFiles(doc: GraphDocument, file: string, io: CliIo): Promise<{ doc: GraphDocument; files: Map<string, string | null> } | null> {
  const files = new Map<string, string | null>();
  // Matrices and synapse lists (.npy, .npz, .csv: engine/format/weights-files.ts) are read for the run only.
  const tables = new Map<string, string | Uint8Array | null>();
  for (const name of sideWeightFiles(doc)) {
    try {
      // The desktop app's rule too: a plain file in the document's folder, no link out of it.
      const sidePath = sideFilePath(file, name, true);
      await assertSideFileConfined(sidePath, file);
      const content = await (isBinaryWeightsFile(name) ? readFile(sidePath).then((b) => new Uint8Array(b)) : readFile(sidePath, 'utf8')).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
      if (isTableWeightsFile(name)) tables.set(name, content);
      else files.set(name, content as string | null);
    } catch (e) {
      io.err(`spikeflow: ${file} cannot run: its weights file "${name}": ${(e as Error).message}`);
      return null;
    }
  }
  if (files.size === 0 && tables.size === 0) return { doc, files };
  const inlined = inlineWeightFiles(doc, new Map([...files, ...tables]), `next to ${file}`);
  if (inlined.issues.length > 0) {
    io.err(`spikeflow: ${file} cannot run:`);
    for (const i of inlined.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
    return null;
  }
  return { doc: inlined.doc, files };
}

/** What an exporter is given: the document (side files inlined) and where it came from. */
export interface ExportInput {
  doc: GraphDocument;
  file: string;
  io: CliIo;
  /** The format's own flags given (from its `flags`). */
  flags: ReadonlySet<string>;
}

/**
 * A file written beside the main output: its name is the output's with the
 * extension replaced by `ext` (`net.py` → `net.npz`; a script finds it the same
 * way from its own path). Written before the main output, so a script never
 * exists without its data.
 */
export interface SideFile {
  readonly ext: string;
  readonly content: Iterable<Uint8Array>;
}

/** What an export gives: the main output, what it leaves out, and any side files (these need `-o`). */
export interface ExportResult {
  text: string | Uint8Array;
  notExported: readonly string[];
  sideFiles?: readonly SideFile[];
}

/** One output format: its label for messages, and the export itself (null after printing why it cannot). */
export interface Exporter {
  label: string;
  /** Flags only this format takes (e.g. nir's `--static-weights`). */
  flags?: readonly string[];
  run(input: ExportInput): Promise<ExportResult | null>;
}
