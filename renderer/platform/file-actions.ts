/**
 * New, open, save, save as, export, examples: the document's way in and out.
 *
 * Opening never harms the open document: a file is parsed and validated first;
 * if it is broken, its errors are listed in a banner and the current graph stays
 * as it is. Unsaved changes are only discarded after the user agrees.
 */
import { loadDocument, serializeDocument } from '../../engine/format/load.ts';
import type { GraphDocument } from '../../engine/format/document.ts';
import type { Editor, FileInfo } from '../store/editor.ts';
import { selectDirty } from '../store/editor.ts';
import type { PickedFile, Platform } from './platform.ts';
import type { JournalRecord } from '../recovery/journal.ts';
import { suggestedFileName } from './platform.ts';

export type ConfirmDiscard = (documentName: string) => Promise<boolean>;

export class FileActions {
  constructor(
    private readonly editor: Editor,
    private readonly platform: Platform,
    private readonly confirmDiscard: ConfirmDiscard,
  ) {}

  private async mayDiscard(): Promise<boolean> {
    const s = this.editor.state;
    if (!selectDirty(s)) return true;
    return this.confirmDiscard(s.doc.meta.name || 'Untitled');
  }

  async newDocument(): Promise<void> {
    if (!(await this.mayDiscard())) return;
    this.editor.newDocument();
  }

  /** Electron: the open dialog. Browser: the file input (the file comes back through `openPicked`). */
  async open(): Promise<void> {
    try {
      const file = await this.platform.openFile();
      if (file) await this.openPicked(file);
    } catch (e) {
      this.editor.setNotice({ level: 'error', text: `Could not open the file: ${(e as Error).message}` });
    }
  }

  async openRecent(path: string): Promise<void> {
    try {
      const file = await this.platform.openRecent(path);
      if (file) await this.openPicked(file);
    } catch (e) {
      this.editor.setNotice({ level: 'error', text: `Could not open ${path}: ${(e as Error).message}` });
    }
  }

  /**
   * Load a file's text. Returns true when it became the open document. A broken
   * file shows its errors and leaves the open document untouched.
   */
  async openPicked(file: PickedFile, as: FileInfo = { path: file.path, fileName: file.name }): Promise<boolean> {
    const result = loadDocument(file.text);
    if (!result.ok) {
      const recoverable = result.recoverable ? { doc: result.recoverable, as } : undefined;
      this.editor.showLoadErrors({ source: file.name, messages: result.issues.map((i) => i.message), recoverable });
      return false;
    }
    if (!(await this.mayDiscard())) return false;
    this.editor.load(result.doc, as);
    // Examples open without a file name: they are not the user's documents.
    if (as.fileName !== null) this.remember(as.fileName, file.text);
    if (result.warnings.length > 0) {
      const first = result.warnings[0].message;
      const more = result.warnings.length > 1 ? ` (and ${result.warnings.length - 1} more)` : '';
      this.editor.setNotice({ level: 'warning', text: `Opened ${file.name} with warnings: ${first}${more}` });
    } else {
      this.editor.setNotice({ level: 'info', text: `Opened ${file.name}` });
    }
    return true;
  }

  /** A browser's recent list (the desktop shell keeps its own). Never fails the open or save. */
  private remember(name: string, text: string): void {
    void this.platform.recentDocuments?.remember(name, text).catch(() => undefined);
  }

  /**
   * Open the document the autosave journal kept (`renderer/recovery/`), exactly as it
   * was, marked unsaved. A journal whose text no longer loads shows its errors instead.
   */
  async restoreJournal(record: JournalRecord): Promise<boolean> {
    const result = loadDocument(record.text);
    if (!result.ok) {
      const recoverable = result.recoverable ? { doc: result.recoverable, as: record.file } : undefined;
      this.editor.showLoadErrors({ source: `the autosaved "${record.name}"`, messages: result.issues.map((i) => i.message), recoverable });
      return false;
    }
    if (!(await this.mayDiscard())) return false;
    this.editor.restore(result.doc, record.file);
    this.editor.setNotice({ level: 'info', text: `Restored "${record.name}" as it was at ${record.savedAt.slice(11, 19)} UTC; it is not saved yet.` });
    return true;
  }

  /**
   * Open the file whose only problems are bad values (the banner's "Open anyway"):
   * the invalid fields are then marked on their nodes, and the run is refused until fixed.
   */
  async openRecovered(): Promise<boolean> {
    const report = this.editor.state.loadErrors;
    if (!report?.recoverable) return false;
    if (!(await this.mayDiscard())) return false;
    this.editor.load(report.recoverable.doc, report.recoverable.as);
    this.editor.setNotice({ level: 'warning', text: `Opened ${report.source} with ${report.messages.length} invalid value${report.messages.length === 1 ? '' : 's'}; they are marked in red.` });
    return true;
  }

  /** Open an example as a new, unsaved document. */
  async openExample(fileName: string, text: string): Promise<boolean> {
    // An example is a template: it opens without a path, so Save asks where.
    return this.openPicked({ path: null, name: fileName, text }, { path: null, fileName: null });
  }

  private text(): { text: string; doc: GraphDocument } {
    // Only an edited document gets a new modification time, so saving an unchanged
    // document writes the same bytes it was opened from.
    if (!this.editor.dirty) return { text: serializeDocument(this.editor.doc), doc: this.editor.doc };
    const now = new Date().toISOString();
    const doc = { ...this.editor.doc, meta: { ...this.editor.doc.meta, modified: now } };
    return { text: serializeDocument(doc), doc };
  }

  async save(saveAs = false): Promise<boolean> {
    const s = this.editor.state;
    try {
      const { text, doc } = this.text();
      const written = await this.platform.saveFile(saveAs ? null : s.file.path, text, suggestedFileName(s.doc.meta.name), saveAs ? null : s.file.fileName);
      if (!written) return false;
      // The saved time is the file's, not an edit: unrecorded.
      this.editor.applyUnrecorded((d) => {
        d.meta.modified = doc.meta.modified;
      });
      this.editor.markSaved({ path: written.path, fileName: written.name });
      if (!written.path) this.remember(written.name, text);
      this.editor.setNotice({ level: 'info', text: written.path ? `Saved ${written.path}` : written.onDisk ? `Saved ${written.name}` : `Saved as ${written.name} (download)` });
      return true;
    } catch (e) {
      this.editor.setNotice({ level: 'error', text: `Could not save: ${(e as Error).message}` });
      return false;
    }
  }

  async exportJson(): Promise<boolean> {
    try {
      const written = await this.platform.exportJson(this.text().text, suggestedFileName(this.editor.doc.meta.name));
      if (written) this.editor.setNotice({ level: 'info', text: `Exported ${written.path ?? written.name}` });
      return written !== null;
    } catch (e) {
      this.editor.setNotice({ level: 'error', text: `Could not export: ${(e as Error).message}` });
      return false;
    }
  }
}
