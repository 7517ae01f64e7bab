/**
 * Results exports from the renderer (PNG, SVG, CSV, NPZ of a results panel): bytes
 * written through a save dialog, atomically. The renderer only suggests a name; the
 * user picks the path. No Electron imports.
 */
import * as path from 'node:path';
import type { SaveResult } from './api.ts';
import type { Dialogs } from './file-service.ts';
import { writeBytesAtomic } from './run-history.ts';

/** Extensions a results export may have (the dialog filters on it). */
export const BINARY_EXPORT_EXTENSIONS = ['png', 'svg', 'csv', 'npz'] as const;
/** Largest export accepted (a raster NPZ of the whole spike cap is about 300 MB). */
export const MAX_EXPORT_BYTES = 1024 * 1024 * 1024;

/**
 * A safe file name from the renderer's suggestion: separators and control characters
 * removed, and one of {@link BINARY_EXPORT_EXTENSIONS} (`.bin` otherwise).
 */
export function exportFileName(suggested: string): string {
  const clean = suggested
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '-')
    .replace(/^[.\s]+/, '')
    .trim();
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 ? clean.slice(dot + 1).toLowerCase() : '';
  const base = (dot > 0 ? clean.slice(0, dot) : clean).slice(0, 120) || 'export';
  return (BINARY_EXPORT_EXTENSIONS as readonly string[]).includes(ext) ? `${base}.${ext}` : `${base}.bin`;
}

export interface BinaryExportDeps {
  /** Where the first dialog starts (e.g. Documents). */
  defaultDir(): string;
  write?(filePath: string, bytes: Uint8Array): Promise<void>;
}

export class BinaryExports {
  private lastDir: string | null = null;
  private readonly write: (filePath: string, bytes: Uint8Array) => Promise<void>;

  constructor(private readonly deps: BinaryExportDeps) {
    this.write = deps.write ?? writeBytesAtomic;
  }

  /** Ask where, then write; null when the dialog was cancelled. */
  async exportBytes(dialogs: Dialogs, bytes: unknown, suggestedName: unknown): Promise<SaveResult | null> {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('An export must be bytes.');
    if (typeof suggestedName !== 'string') throw new TypeError('suggestedName must be a string.');
    if (bytes.length > MAX_EXPORT_BYTES) throw new Error(`The export is ${Math.round(bytes.length / 1048576)} MB; at most ${MAX_EXPORT_BYTES / 1048576} MB can be saved.`);
    const chosen = await dialogs.showSave('binary', path.join(this.lastDir ?? this.deps.defaultDir(), exportFileName(suggestedName)));
    if (chosen === null) return null;
    const full = path.resolve(chosen);
    await this.write(full, bytes);
    this.lastDir = path.dirname(full);
    return { path: full, name: path.basename(full) };
  }
}
