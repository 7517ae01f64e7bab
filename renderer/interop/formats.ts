/**
 * The export formats of File › Export, one entry each: the dialog lists them as a table, and a
 * new format (PyNN next) is one more entry here. `check` is synchronous and cheap (it runs on
 * every change in the dialog); `write` may load large modules (h5wasm, ~4 MB, for NIR) lazily.
 */
import type { GraphDocument } from '../../engine/format/document.ts';
import { compileDocument } from '../../engine/compile/compile.ts';
import { realize } from '../../engine/hosts/realize.ts';
import { withDrawnSynapses, type DrawnSynapses } from '../../engine/hosts/drawn-synapses.ts';
import { exportBrian2 } from '../../engine/interop/brian2/index.ts';
import { base64, exportPyNN, npzBytes, pynnInputArrays } from '../../engine/interop/pynn/index.ts';
import { sourceSpikes } from '../../engine/hosts/pynn-inputs.ts';
import { describeNotExported, documentToNirDraft } from '../../engine/interop/nir/from-document.ts';

/** What an export of the document would leave out or cannot do. */
export interface ExportCheck {
  /** Reasons nothing can be written (one line each, naming the node or wire). */
  readonly blocked: readonly string[];
  /** Written, but without these (one line each). */
  readonly omitted: readonly string[];
  /** The choices made, for the user to read. */
  readonly notes: readonly string[];
}

export interface ExportFormat {
  readonly id: string;
  /** The menu's and the table's name. */
  readonly label: string;
  readonly description: string;
  readonly extension: string;
  readonly mime: string;
  /** An agreement the user may give to export what otherwise blocks (NIR's static weights). */
  readonly consent?: { readonly label: string; readonly help: string };
  check(doc: GraphDocument, consent: boolean): ExportCheck;
  write(doc: GraphDocument, consent: boolean): Promise<Blob>;
}

/** The dialog checks on every change: the drawn synapses are built once per document version. */
const drawnCache = new WeakMap<GraphDocument, DrawnSynapses>();
function drawnSynapsesOf(doc: GraphDocument): DrawnSynapses {
  let d = drawnCache.get(doc);
  if (!d) drawnCache.set(doc, (d = withDrawnSynapses(doc)));
  return d;
}

const nir: ExportFormat = {
  id: 'nir',
  label: 'NIR graph',
  description: 'The Neuromorphic Intermediate Representation (.nir, HDF5): for snnTorch, Norse, Rockpool, Sinabs, Lava-DL (Loihi), SpiNNaker2 and more. All or nothing.',
  extension: '.nir',
  mime: 'application/x-hdf5',
  consent: {
    label: 'Static weights + Input nodes',
    help: "Plasticity has no NIR form: its current (stored) weights are written as static ones. Drawn (random) connectivity is written as the synapses the engine draws under the document's seed. Poisson sources and encoders become NIR Input nodes of their channel count.",
  },
  check(doc, consent) {
    const drawn = consent ? drawnSynapsesOf(doc) : undefined;
    const draft = documentToNirDraft(drawn?.doc ?? doc, { staticWeights: consent });
    const realised = (drawn?.realised ?? []).map((r) => `${r.edgeId}: its ${r.synapses} drawn synapses are written as the engine draws them under seed ${doc.simulation.seed}`);
    const failed = drawn?.error ? [`the drawn synapses could not be built: ${drawn.error}`] : [];
    return { blocked: [...failed, ...draft.notExported.map(describeNotExported)], omitted: [], notes: [...realised, ...draft.notes] };
  },
  async write(doc, consent) {
    const { exportNirDocument } = await import('../../engine/interop/nir/convert.ts');
    const { wasmHint } = await import('./interop.ts');
    const out = await exportNirDocument(consent ? drawnSynapsesOf(doc).doc : doc, { staticWeights: consent }).catch((e: unknown) => {
      throw wasmHint(e);
    });
    if (!out.bytes) throw new Error(out.notExported.join('; '));
    return new Blob([out.bytes as Uint8Array<ArrayBuffer>], { type: this.mime });
  },
};

/** The Brian2 script and what it leaves out; the compile's problems block. */
function brian2Script(doc: GraphDocument): { script?: string } & ExportCheck {
  const compiled = compileDocument(doc);
  if (!compiled.ok) return { blocked: compiled.issues.map((i) => `${i.pointer || '/'}: ${i.message}`), omitted: [], notes: [] };
  // One downloadable file: the realised arrays (the engine's own draws, engine/hosts/realize.ts) inline in the
  // script, where the CLI puts large ones in a side .npz.
  const { script, notExported } = exportBrian2(compiled.plan, realize(compiled.plan), { title: doc.meta.name || 'network', inlineMax: Number.POSITIVE_INFINITY });
  return { script, blocked: [], omitted: notExported, notes: [] };
}

const brian2: ExportFormat = {
  id: 'brian2',
  label: 'Brian2 script',
  description: 'A Python script for the Brian2 simulator that builds and runs this network; what it cannot express is listed in its header.',
  extension: '.py',
  mime: 'text/x-python',
  check: (doc) => brian2Script(doc),
  async write(doc) {
    const { script, blocked } = brian2Script(doc);
    if (script === undefined) throw new Error(blocked.join('; '));
    return new Blob([script], { type: this.mime });
  },
};

/** A PyNN script: one file, its side .npz (input spikes, stored synapses) inline as base64 (engine/interop/pynn/). */
const pynn: ExportFormat = {
  id: 'pynn',
  label: 'PyNN script',
  description:
    'A Python script for PyNN 0.10 that runs this network on NEST (MPI and threads), NEURON (MPI), Brian2 or SpiNNaker, with the input spikes Spikeflow draws for the seed inside it; it records spikes for File › Import results.',
  extension: '.py',
  mime: 'text/x-python',
  check(doc) {
    const compiled = compileDocument(doc);
    if (!compiled.ok) return { blocked: compiled.issues.map((i) => `${i.pointer || '/'}: ${i.message}`), omitted: [], notes: [] };
    const { notExported, approximations } = exportPyNN(compiled.plan, { title: doc.meta.name || 'network' });
    return { blocked: [], omitted: notExported, notes: approximations };
  },
  async write(doc) {
    const compiled = compileDocument(doc);
    if (!compiled.ok) throw new Error(compiled.issues.map((i) => `${i.pointer || '/'}: ${i.message}`).join('; '));
    const title = doc.meta.name || 'network';
    const arrays = pynnInputArrays(compiled.plan, exportPyNN(compiled.plan, { title }), sourceSpikes);
    const { script } = exportPyNN(compiled.plan, { title, ...(arrays.length ? { inlineInputs: base64(npzBytes(arrays)) } : {}) });
    return new Blob([script], { type: this.mime });
  },
};

export const EXPORT_FORMATS: readonly ExportFormat[] = [nir, brian2, pynn];

export function exportFormat(id: string): ExportFormat {
  const f = EXPORT_FORMATS.find((x) => x.id === id);
  if (!f) throw new Error(`no export format ${id}`);
  return f;
}

/** `My network.nir` from the document's name. */
export function exportFileName(doc: GraphDocument, format: ExportFormat): string {
  const base = (doc.meta.name || 'network').replace(/[\\/:*?"<>|]+/g, '_').trim() || 'network';
  return `${base}${format.extension}`;
}
