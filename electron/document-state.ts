/**
 * Title and unsaved-changes logic for a window. No Electron imports: the window,
 * the message box and the renderer are injected.
 */

export const APP_NAME = 'Spikeflow';

export interface DocumentState {
  readonly name: string;
  readonly dirty: boolean;
}

/** The state of a window before the renderer reports one. */
export const INITIAL_DOCUMENT_STATE: DocumentState = { name: 'Untitled', dirty: false };

/** Validate a state received over IPC (the renderer is not trusted to send the right shape). */
export function parseDocumentState(value: unknown): DocumentState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { name, dirty } = value as { name?: unknown; dirty?: unknown };
  if (typeof name !== 'string' || typeof dirty !== 'boolean') return null;
  return { name, dirty };
}

/** `name • — Spikeflow` when dirty, `name — Spikeflow` when clean (as the renderer titles the browser tab). */
export function formatTitle(state: DocumentState): string {
  const name =
    state.name
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .trim()
      .slice(0, 200) || INITIAL_DOCUMENT_STATE.name;
  return `${name}${state.dirty ? ' •' : ''} — ${APP_NAME}`;
}

/** The three answers to "save your changes?". */
export type CloseChoice = 'save' | 'discard' | 'cancel';

/** Buttons of the unsaved-changes message box, in order; {@link choiceFromButton} maps back. */
export const CLOSE_BUTTONS = ['Save', "Don't Save", 'Cancel'] as const;
export const CLOSE_CANCEL_ID = 2;

export function choiceFromButton(index: number): CloseChoice {
  return index === 0 ? 'save' : index === 1 ? 'discard' : 'cancel';
}

export interface CloseGuardDeps {
  /** Ask the user; resolves with their choice. */
  ask(documentName: string): Promise<CloseChoice>;
  /** Send the `save` menu command to the renderer, which owns the document. */
  requestSave(): void;
  /** Close the window for real (the guard will let that close through). */
  close(): void;
  /** The user kept the window open (Cancel, or the save did not happen). */
  onCloseCancelled?(): void;
}

/**
 * Decides whether a window may close. The window's `close` handler calls
 * {@link CloseGuard.shouldClose} and prevents the close when it returns false.
 *
 * With unsaved changes the guard asks Save / Don't Save / Cancel:
 * - Don't Save closes;
 * - Cancel keeps the window;
 * - Save sends `save` to the renderer and closes once it reports a clean document;
 *   if that save is cancelled or fails ({@link CloseGuard.saveFinished} with false),
 *   the window stays open.
 */
export class CloseGuard {
  private state: DocumentState = INITIAL_DOCUMENT_STATE;
  private allowClose = false;
  private asking = false;
  private savingToClose = false;

  constructor(private readonly deps: CloseGuardDeps) {}

  get documentState(): DocumentState {
    return this.state;
  }

  /** Record what the renderer reported; completes a pending save-then-close. */
  setState(state: DocumentState): void {
    this.state = state;
    if (this.savingToClose && !state.dirty) this.closeNow();
  }

  /** Called from the window's `close` event; false means "prevent this close". */
  shouldClose(): boolean {
    if (this.allowClose || !this.state.dirty) return true;
    // A second close while the box is up is the same request, not a new one.
    if (this.asking) return false;
    // A new close request supersedes a save-then-close that never completed.
    this.savingToClose = false;
    this.asking = true;
    void this.deps.ask(this.state.name).then(
      (choice) => this.onChoice(choice),
      () => this.onChoice('cancel'),
    );
    return false;
  }

  /**
   * A save requested by this window finished: `saved` is false when the user cancelled
   * the dialog or the write failed. A failed save abandons a pending close.
   */
  saveFinished(saved: boolean): void {
    if (this.savingToClose && !saved) {
      this.savingToClose = false;
      this.deps.onCloseCancelled?.();
    }
  }

  private onChoice(choice: CloseChoice): void {
    this.asking = false;
    switch (choice) {
      case 'discard':
        this.closeNow();
        return;
      case 'save':
        if (!this.state.dirty) {
          this.closeNow();
          return;
        }
        this.savingToClose = true;
        this.deps.requestSave();
        return;
      case 'cancel':
        this.deps.onCloseCancelled?.();
        return;
      default: {
        const never: never = choice;
        throw new Error(`unexpected close choice ${String(never)}`);
      }
    }
  }

  private closeNow(): void {
    this.savingToClose = false;
    this.allowClose = true;
    this.deps.close();
  }
}
