/**
 * Start-up recovery: reads the journal once, offers its document back (the
 * `recovery-offer` banner), and then keeps journaling (`Autosaver`). Restoring loads
 * exactly the journaled graph, marked unsaved; discarding forgets it.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Editor } from '../store/editor.ts';
import type { FileActions } from '../platform/file-actions.ts';
import { Autosaver } from './journal.ts';
import type { AutosaveOptions, JournalRecord, JournalStore } from './journal.ts';

export interface RecoveryState {
  /** A document the last session left unsaved, until restored or discarded. */
  readonly offer: JournalRecord | null;
}

export class Recovery {
  readonly store: StoreApi<RecoveryState> = createStore<RecoveryState>()(() => ({ offer: null }));
  readonly autosaver: Autosaver;

  constructor(
    private readonly editor: Editor,
    private readonly files: FileActions,
    private readonly journal: JournalStore,
    options: AutosaveOptions = {},
  ) {
    this.autosaver = new Autosaver(editor, journal, {
      onError: (text) => editor.setNotice({ level: 'error', text }),
      ...options,
    });
  }

  /** Read the journal (an offer if it holds a document), then start journaling. */
  async start(): Promise<void> {
    try {
      const record = await this.journal.read();
      if (record) this.store.setState({ offer: record });
    } catch (e) {
      this.editor.setNotice({ level: 'warning', text: `Could not read the autosave journal: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      this.autosaver.start();
    }
  }

  /** Open the offered document (after the usual discard question). True when it is open. */
  async restore(): Promise<boolean> {
    const offer = this.store.getState().offer;
    if (!offer) return false;
    const ok = await this.files.restoreJournal(offer);
    if (ok) this.store.setState({ offer: null });
    return ok;
  }

  /** Forget the offered document: the journal then follows the open document again. */
  async discard(): Promise<void> {
    this.store.setState({ offer: null });
    await this.autosaver.flush();
  }
}
