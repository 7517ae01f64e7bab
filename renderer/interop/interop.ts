/**
 * File › Import › NIR… and File › Export › (NIR… | Brian2 script…): what the actions do
 * before and after their dialog (InteropDialog.tsx). The NIR file layer (h5wasm, ~4 MB) is
 * imported only when a file is read or written.
 */
import type { AppServices } from '../app/actions.ts';
import type { NirGraph } from '../../engine/interop/nir/model.ts';
import { interopStore, type InteropRequest } from './store.ts';
import type { NirImportChoices } from '../../engine/interop/nir/convert.ts';
import { serializeDocument } from '../../engine/format/load.ts';
import { exportFileName, exportFormat } from './formats.ts';
import { mountInteropDialog } from './mount.tsx';

async function open(request: InteropRequest): Promise<void> {
  await mountInteropDialog();
  interopStore.setState({ request, busy: false, error: null });
}

/** The user's pick of one file (a file input, in the browser and the desktop window alike); null when cancelled. */
function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.dataset.testid = 'nir-file-input';
    input.className = 'sf-visually-hidden';
    const done = (file: File | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => done(null), { once: true });
    document.body.append(input);
    input.click();
  });
}

/** File › Import › NIR…: pick a .nir file, read it, then the dialog (or its problems). */
export async function importNir(app: AppServices): Promise<void> {
  const file = await pickFile('.nir,application/x-hdf5');
  if (!file) return;
  await importNirBytes(app, file.name, new Uint8Array(await file.arrayBuffer()));
}

/** The dialog for the bytes of a .nir file (a picked or dropped file). A bad file shows its problems and changes nothing. */
export async function importNirBytes(app: AppServices, fileName: string, bytes: Uint8Array): Promise<void> {
  const nir = await import('../../engine/interop/nir/index.ts');
  try {
    const graph = await nir.readNir(bytes);
    await open({ type: 'import', app, fileName, graph, defaults: nir.importDefaults(graph) });
  } catch (e) {
    if (!(e instanceof nir.NirFormatError)) throw wasmHint(e);
    await open({ type: 'import-error', fileName, problems: e.problems.map(nir.formatProblem) });
  }
}

/**
 * h5wasm compiles WebAssembly, which a page whose Content-Security-Policy lacks
 * 'wasm-unsafe-eval' refuses (the desktop window allows it, electron/security.ts): say so,
 * and what works instead, rather than the engine's message.
 */
export function wasmHint(e: unknown): unknown {
  const text = e instanceof Error ? e.message : String(e);
  if (!/WebAssembly|wasm/i.test(text)) return e;
  return new Error(
    `NIR files are read and written with WebAssembly, which this page's security policy does not allow: use the desktop or browser app (both allow it), or the command line (spikeflow import / spikeflow export --to nir). (${text})`,
  );
}

/** The dialog's Import: the document replaces the open one (after the unsaved-changes question), unsaved. */
export async function finishImport(app: AppServices, fileName: string, graph: NirGraph, choices: NirImportChoices): Promise<boolean> {
  const { importNirGraph } = await import('../../engine/interop/nir/convert.ts');
  const name = fileName.replace(/\.nir$/i, '');
  const imported = await importNirGraph(graph, choices, name);
  const opened = await app.files.openPicked({ path: null, name: fileName, text: serializeDocument(imported.doc) }, { path: null, fileName: null });
  if (!opened) return false;
  const skipped = imported.notImported.length;
  app.editor.setNotice({
    level: skipped ? 'warning' : 'info',
    text:
      `Imported ${fileName}: ${imported.doc.nodes.length} nodes, ${imported.doc.edges.length} wires` + (skipped ? `; ${skipped} NIR node(s) not imported (listed in the document's description)` : ''),
  });
  return true;
}

/** File › Export › <format>…: the dialog, with that format chosen. */
export function openExport(app: AppServices, format: string): Promise<void> {
  return open({ type: 'export', app, format });
}

/** The dialog's Export: the file through the platform (a save dialog, or a download). */
export async function finishExport(app: AppServices, formatId: string, consent: boolean): Promise<boolean> {
  const format = exportFormat(formatId);
  const doc = app.editor.doc;
  const blob = await format.write(doc, consent);
  const written = await app.platform.exportBlob(blob, exportFileName(doc, format));
  if (written) app.editor.setNotice({ level: 'info', text: `Exported ${format.label} ${written.path ?? written.name}` });
  return written !== null;
}
