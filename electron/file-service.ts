/**
 * What the renderer may do with files, behind the IPC handlers. Dialogs are injected
 * per call (they belong to a window); no Electron imports.
 *
 * The renderer is not trusted with the file system: it can read a path only from the
 * recent list, and write a path only when the user chose it in a dialog, opened it,
 * or it is on the recent list. Anything else needs a dialog.
 */
import * as path from 'node:path';
import type { OpenedFile, SaveResult } from './api.ts';
import { DOCUMENT_EXTENSION, EXPORT_EXTENSION, readDocumentFile, suggestedFileName, writeFileAtomic } from './files.ts';
import type { RecentFiles } from './recent-files.ts';
import { samePath } from './recent-files.ts';

/** `binary`: a results export (PNG, SVG, CSV, NPZ); the dialog filters on the suggested extension. */
export type SaveKind = 'document' | 'export' | 'binary';

/** Native dialogs of one window. `null` means cancelled. */
export interface Dialogs {
  showOpen(defaultDir: string): Promise<string | null>;
  showSave(kind: SaveKind, defaultPath: string): Promise<string | null>;
}

export interface FileServiceDeps {
  recent: RecentFiles;
  /** Where dialogs start before the user has picked any file (e.g. Documents). */
  defaultDir(): string;
  /** Called after the recent list changed (to rebuild the menu). */
  onRecentChanged?(files: readonly string[]): void;
  read?(filePath: string): Promise<OpenedFile>;
  write?(filePath: string, text: string): Promise<void>;
}

export class FileService {
  private readonly granted: string[] = [];
  private lastDir: string | null = null;
  private readonly read: (filePath: string) => Promise<OpenedFile>;
  private readonly write: (filePath: string, text: string) => Promise<void>;

  constructor(private readonly deps: FileServiceDeps) {
    this.read = deps.read ?? readDocumentFile;
    this.write = deps.write ?? writeFileAtomic;
  }

  recentFiles(): readonly string[] {
    return this.deps.recent.list();
  }

  async openFile(dialogs: Dialogs): Promise<OpenedFile | null> {
    const chosen = await dialogs.showOpen(this.startDir());
    if (chosen === null) return null;
    return this.readAndRemember(chosen);
  }

  async openRecent(filePath: string): Promise<OpenedFile | null> {
    if (!this.deps.recent.has(filePath)) {
      throw new Error(`"${filePath}" is not in the recent files list; use File › Open… to open it.`);
    }
    return this.readAndRemember(filePath);
  }

  /** Save to `filePath`, or ask where (Save As) when it is null or not writable by the renderer. */
  async saveFile(dialogs: Dialogs, filePath: string | null, text: string, suggestedName: string): Promise<SaveResult | null> {
    let target = filePath;
    if (target !== null && !this.mayWrite(target)) {
      throw new Error(`Spikeflow only saves to files you opened or chose; "${target}" is neither. Use File › Save As….`);
    }
    if (target === null) {
      target = await dialogs.showSave('document', path.join(this.startDir(), suggestedFileName(suggestedName, DOCUMENT_EXTENSION)));
      if (target === null) return null;
    }
    const full = path.resolve(target);
    await this.write(full, text);
    this.grant(full);
    await this.addRecent(full);
    return { path: full, name: path.basename(full) };
  }

  /** Write a copy through a save dialog; it does not become the document's file or a recent file. */
  async exportJson(dialogs: Dialogs, text: string, suggestedName: string): Promise<SaveResult | null> {
    const chosen = await dialogs.showSave('export', path.join(this.startDir(), suggestedFileName(suggestedName, EXPORT_EXTENSION)));
    if (chosen === null) return null;
    const full = path.resolve(chosen);
    await this.write(full, text);
    this.lastDir = path.dirname(full);
    return { path: full, name: path.basename(full) };
  }

  async clearRecent(): Promise<void> {
    const files = await this.deps.recent.clear();
    this.deps.onRecentChanged?.(files);
  }

  private async readAndRemember(filePath: string): Promise<OpenedFile> {
    let file: OpenedFile;
    try {
      file = await this.read(filePath);
    } catch (err) {
      // A recent entry that cannot be read any more only gets in the way.
      if (this.deps.recent.has(filePath)) {
        const files = await this.deps.recent.remove(filePath).catch(() => this.deps.recent.list());
        this.deps.onRecentChanged?.(files);
      }
      throw err;
    }
    this.grant(file.path);
    await this.addRecent(file.path);
    return file;
  }

  private mayWrite(filePath: string): boolean {
    const full = path.resolve(filePath);
    return this.granted.some((p) => samePath(p, full)) || this.deps.recent.has(full);
  }

  private grant(full: string): void {
    if (!this.granted.some((p) => samePath(p, full))) this.granted.push(full);
    this.lastDir = path.dirname(full);
  }

  private async addRecent(full: string): Promise<void> {
    // The file itself is safe; failing to persist the recent list must not fail the save.
    const files = await this.deps.recent.add(full).catch(() => this.deps.recent.list());
    this.deps.onRecentChanged?.(files);
  }

  private startDir(): string {
    return this.lastDir ?? this.deps.defaultDir();
  }
}
