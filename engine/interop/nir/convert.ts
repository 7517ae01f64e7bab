/**
 * The whole import and export as the CLI (`spikeflow import`, `spikeflow export --to nir`) and
 * the app's File › Import / Export › NIR run them, so both give the same document and the same
 * bytes: defaults from the file, the mapping, the loader's check, the layout, the file.
 */
import { loadDocument } from '../../format/load.ts';
import type { GraphDocument } from '../../format/document.ts';
import { writeNir } from './hdf5.ts';
import type { NirGraph } from './model.ts';
import { describeNotImported, guessReset, guessTimeUnit, nirToDocumentDraft, suggestedDtMs } from './to-document.ts';
import type { NirInputChoice, NirResetChoice } from './to-document.ts';
import { describeNotExported, documentToNirDraft } from './from-document.ts';
import { layoutImported } from './layout.ts';
import { DETAILS_KEY, restoreDetails } from './details.ts';

/** What the user picks at import (the dialog's fields, the CLI's options). */
export interface NirImportChoices {
  readonly dtMs: number;
  readonly timeUnit: 's' | 'ms';
  readonly reset: NirResetChoice;
  readonly input: NirInputChoice;
}

/** The choices to offer for `graph`: the file's dt and stated conventions, else the guesses. */
export function importDefaults(graph: NirGraph): NirImportChoices {
  const timeUnit = guessTimeUnit(graph);
  return { dtMs: suggestedDtMs(graph, timeUnit), timeUnit, reset: guessReset(graph), input: 'spike-generator' };
}

export interface NirImported {
  /** The loaded document (defaults filled), laid out. */
  readonly doc: GraphDocument;
  /** One line per NIR node that was not imported: "not importable: node X (Type) — reason". */
  readonly notImported: readonly string[];
  readonly notes: readonly string[];
  /** NIR node name (nested ones inlined: `sub.lif`) → the document node or wire ids it became. */
  readonly mapped: ReadonlyMap<string, readonly string[]>;
}

/** `graph` as a Spikeflow document under `choices`; throws only if the mapping made a document the loader refuses (a bug). */
export async function importNirGraph(graph: NirGraph, choices: NirImportChoices, name = 'Imported NIR graph'): Promise<NirImported> {
  const draft = nirToDocumentDraft(graph, { ...choices, name });
  const notImported = draft.notImported.map(describeNotImported);
  // Spikeflow's own details (labels, positions, run settings, a generator's spikes) when it wrote the file.
  const details = restoreDetails(draft.doc, graph.metadata[DETAILS_KEY]);
  const notes = details.note ? [...draft.notes, details.note] : draft.notes;
  // The document keeps what was left out, for whoever opens it later.
  if (notImported.length > 0) draft.doc.meta.description += `\n${notImported.join('\n')}`;
  const loaded = loadDocument(JSON.stringify(draft.doc));
  if (!loaded.ok) throw new Error(`the imported document does not load: ${loaded.issues.map((i) => `${i.pointer}: ${i.message}`).join('; ')}`);
  if (!details.placed) await layoutImported(loaded.doc);
  return { doc: loaded.doc, notImported, notes, mapped: draft.mapped };
}

export interface NirExported {
  /** The `.nir` file, or undefined when something cannot be exported (then nothing should be written). */
  readonly bytes?: Uint8Array;
  /** One line per node or wire that has no NIR form: "not exportable: X (kind) — reason". */
  readonly notExported: readonly string[];
  readonly notes: readonly string[];
}

/**
 * `doc` (side weight files inlined) as a `.nir` file, or the list of what stops it. Export is
 * all or nothing: a NIR graph missing a node would run as a different network.
 */
export async function exportNirDocument(doc: GraphDocument, options: { staticWeights?: boolean } = {}): Promise<NirExported> {
  const draft = documentToNirDraft(doc, { staticWeights: options.staticWeights });
  const notExported = draft.notExported.map(describeNotExported);
  if (notExported.length > 0) return { notExported, notes: draft.notes };
  return { bytes: await writeNir(draft.graph), notExported, notes: draft.notes };
}
