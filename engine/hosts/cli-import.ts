/**
 * `spikeflow import model.nir -o model.spikeflow.json [--dt-ms X] [--time-unit s|ms]
 * [--reset subtract|to-v-reset] [--input spike-file|generator|dataset]`: a NIR graph as a
 * Spikeflow document, laid out. What is not imported is printed on stderr, one
 * "not importable: node X (Type) — reason" line each, then the choices made ("note: …").
 * A bad file (not HDF5, a node without type, an unknown type, wrong shapes, edges to missing
 * nodes, NaN) is refused naming the node and field, with exit code 2, and nothing is written.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic as writeFile } from './atomic-write.ts';
import { UsageError, type CliIo } from './cli-common.ts';
import { serializeDocument } from '../format/serialize.ts';
import type { NirImportChoices } from '../interop/nir/convert.ts';
import type { NirInputChoice } from '../interop/nir/to-document.ts';

/** The CLI's names for what an Input becomes. */
const INPUTS: Record<string, NirInputChoice> = { 'spike-file': 'spike-generator', generator: 'poisson-source', dataset: 'rate-encoder' };

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} needs one of ${allowed.join(', ')} (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`);
}

export async function importCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let file: string | undefined;
  let outFile: string | undefined;
  const chosen: { -readonly [K in keyof NirImportChoices]?: NirImportChoices[K] } = {};
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '-o' || a === '--out') {
      outFile = argv[++k];
      if (!outFile) throw new UsageError(`${a} needs a file`);
    } else if (a === '--dt-ms') {
      const v = Number(argv[++k]);
      if (!(v > 0) || !Number.isFinite(v)) throw new UsageError(`--dt-ms needs a number > 0 (got ${JSON.stringify(argv[k] ?? 'nothing')})`);
      chosen.dtMs = v;
    } else if (a === '--time-unit') chosen.timeUnit = oneOf(a, argv[++k], ['s', 'ms'] as const);
    else if (a === '--reset') chosen.reset = oneOf(a, argv[++k], ['subtract', 'to-v-reset'] as const);
    else if (a === '--input') chosen.input = INPUTS[oneOf(a, argv[++k], Object.keys(INPUTS))];
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (file) throw new UsageError(`only one FILE, got ${file} and ${a}`);
    else file = a;
  }
  if (!file) throw new UsageError('import needs a .nir FILE');
  if (!outFile) throw new UsageError('import needs -o OUT.spikeflow.json');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    io.err(`spikeflow: cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  // h5wasm (~4 MB) loads only for this command.
  const nir = await import('../interop/nir/index.ts');
  let graph;
  try {
    graph = await nir.readNir(bytes);
  } catch (e) {
    if (!(e instanceof nir.NirFormatError)) throw e;
    io.err(`spikeflow: ${file} is not a NIR graph Spikeflow can read (nothing written):`);
    for (const p of e.problems) io.err(`  ${nir.formatProblem(p)}`);
    return 2;
  }
  const defaults = nir.importDefaults(graph);
  const timeUnit = chosen.timeUnit ?? defaults.timeUnit;
  // The file's metadata dt is in its time unit: a unit given here re-reads it.
  const choices: NirImportChoices = { ...defaults, ...chosen, timeUnit, dtMs: chosen.dtMs ?? nir.suggestedDtMs(graph, timeUnit) };
  const imported = await nir.importNirGraph(graph, choices, path.basename(file).replace(/\.nir$/i, ''));
  if (imported.doc.nodes.length === 0) {
    for (const line of imported.notImported) io.err(`spikeflow: ${line}`);
    io.err(`spikeflow: nothing in ${file} could be imported (nothing written)`);
    return 2;
  }
  for (const line of imported.notImported) io.err(`spikeflow: ${line}`);
  for (const line of imported.notes) io.err(`note: ${line}`);
  // Big weight arrays go beside the document (.npy / .npz), so the JSON stays readable.
  const base = path.basename(outFile).replace(/\.spikeflow\.json$|\.json$/i, '');
  const sideFiles = nir.moveWeightsToSideFiles(imported.doc, base);
  for (const f of sideFiles) await writeFile(path.join(path.dirname(outFile), f.name), f.bytes);
  await writeFile(outFile, serializeDocument(imported.doc));
  const skipped = imported.notImported.length;
  io.out(
    `${outFile}: ${imported.doc.nodes.length} nodes, ${imported.doc.edges.length} wires imported from ${file} ` +
      `(dt ${imported.doc.simulation.dt_ms} ms, times in ${choices.timeUnit}, reset ${choices.reset})` +
      (sideFiles.length ? `; weights of ${sideFiles.length} wire(s) in ${sideFiles.map((f) => f.name).join(', ')} beside it` : '') +
      (skipped ? `; ${skipped} NIR node(s) not imported, listed above` : ''),
  );
  return 0;
}
