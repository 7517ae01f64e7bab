/**
 * `spikeflow export FILE --to FORMAT [-o OUT]`: the document in another tool's
 * format. Each format is one entry of EXPORTERS (its own file when it grows);
 * what an exporter leaves out is printed on stderr, one "not exported: …" line each.
 */
import path from 'node:path';
import { writeFileAtomic as writeFile } from './atomic-write.ts';
import { compileDocument } from '../compile/compile.ts';
import { exportBrian2 } from '../interop/brian2/index.ts';
import { npzChunks } from '../format/npz-stream.ts';
import { realize } from './realize.ts';
import { pynnExporter } from './cli-export-pynn.ts';
import { UsageError, readDocument, withSideFiles, type CliIo, type Exporter } from './cli-common.ts';
import { nirExporter } from './cli-export-nir.ts';

export type { ExportInput, Exporter, ExportResult, SideFile } from './cli-common.ts';

/** Where side file `ext` of output `outFile` goes. */
export const sideFilePath = (outFile: string, ext: string): string => path.join(path.dirname(outFile), path.parse(outFile).name + ext);

export const EXPORTERS: Record<string, Exporter> = {
  brian2: {
    label: 'Brian2 script',
    async run({ doc, file, io }) {
      const compiled = compileDocument(doc);
      if (!compiled.ok) {
        for (const i of compiled.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
        return null;
      }
      const { script, notExported, arrays } = exportBrian2(compiled.plan, realize(compiled.plan), { title: doc.meta.name || path.basename(file) });
      return { text: script, notExported, sideFiles: arrays.length ? [{ ext: '.npz', content: npzChunks(arrays) }] : [] };
    },
  },
  pynn: pynnExporter,
  nir: nirExporter,
};

export async function exportCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let file: string | undefined;
  let to: string | undefined;
  let outFile: string | undefined;
  const flags = new Set<string>();
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--to') to = argv[++k];
    else if (Object.values(EXPORTERS).some((x) => x.flags?.includes(a))) flags.add(a);
    else if (a === '-o' || a === '--out') {
      outFile = argv[++k];
      if (!outFile) throw new UsageError(`${a} needs a file`);
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (file) throw new UsageError(`only one FILE, got ${file} and ${a}`);
    else file = a;
  }
  if (!file) throw new UsageError('export needs a FILE');
  const formats = Object.keys(EXPORTERS);
  const exporter = to === undefined ? undefined : EXPORTERS[to];
  if (!exporter) throw new UsageError(`--to needs one of ${formats.map((f) => `"${f}"`).join(', ')} (got ${to === undefined ? 'nothing' : JSON.stringify(to)})`);
  for (const f of flags) if (!exporter.flags?.includes(f)) throw new UsageError(`${f} is not an option of --to ${to}`);
  const doc = await readDocument(file, io);
  if (!doc) return 2;
  const resolved = await withSideFiles(doc, file, io);
  if (!resolved) return 2;
  const result = await exporter.run({ doc: resolved.doc, file, io, flags });
  if (!result) return 2;
  for (const line of result.notExported) io.err(`spikeflow: ${line}`);
  const side = result.sideFiles ?? [];
  if (side.length > 0 && !outFile) throw new UsageError(`this ${to} export writes its arrays to a side file (${side.map((f) => f.ext).join(', ')}): give -o FILE`);
  if (outFile) {
    for (const f of side) {
      const at = sideFilePath(outFile, f.ext);
      await writeFile(at, f.content);
      io.out(`${at}: data of ${path.basename(outFile)} written`);
    }
    await writeFile(outFile, result.text);
    io.out(`${outFile}: ${exporter.label} written${result.notExported.length ? ` (${result.notExported.length} item(s) not exported, listed above and in its header)` : ''}`);
  } else if (typeof result.text === 'string') io.out(result.text);
  else throw new UsageError(`${to} export is binary: give -o FILE`);
  return 0;
}
