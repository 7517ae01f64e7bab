import { describe, expect, it, vi } from 'vitest';
import { choiceFromButton, CloseGuard, CLOSE_BUTTONS, CLOSE_CANCEL_ID, formatTitle, parseDocumentState, type CloseChoice } from './document-state.ts';

describe('formatTitle', () => {
  it('shows the document name and the app name', () => {
    expect(formatTitle({ name: 'net.spikeflow.json', dirty: false })).toBe('net.spikeflow.json — Spikeflow');
  });

  it('marks unsaved changes with a dot after the name', () => {
    expect(formatTitle({ name: 'net.spikeflow.json', dirty: true })).toBe('net.spikeflow.json • — Spikeflow');
  });

  it('shows Untitled for an empty name and strips control characters', () => {
    expect(formatTitle({ name: '  ', dirty: false })).toBe('Untitled — Spikeflow');
    expect(formatTitle({ name: 'a\nb\u0007', dirty: false })).toBe('a b — Spikeflow');
  });
});

describe('parseDocumentState', () => {
  it('accepts a name and a boolean dirty flag', () => {
    expect(parseDocumentState({ name: 'x', dirty: true })).toEqual({ name: 'x', dirty: true });
  });

  it('rejects anything else', () => {
    for (const bad of [null, 'x', { name: 'x' }, { name: 1, dirty: false }, { name: 'x', dirty: 'yes' }]) {
      expect(parseDocumentState(bad)).toBeNull();
    }
  });
});

describe('choiceFromButton', () => {
  it('maps the buttons Save, Don’t Save, Cancel in order, and Escape to Cancel', () => {
    expect(CLOSE_BUTTONS.map((_, i) => choiceFromButton(i))).toEqual(['save', 'discard', 'cancel']);
    expect(choiceFromButton(CLOSE_CANCEL_ID)).toBe('cancel');
  });
});

/** A guard whose "ask" answers with the next queued choice. */
function setup(...answers: CloseChoice[]) {
  const deps = {
    ask: vi.fn(async (_name: string) => answers.shift() ?? 'cancel'),
    requestSave: vi.fn(),
    close: vi.fn(),
    onCloseCancelled: vi.fn(),
  };
  const guard = new CloseGuard(deps);
  // The window re-requests its close after the guard says so; the guard must let it through.
  deps.close.mockImplementation(() => expect(guard.shouldClose()).toBe(true));
  return { guard, deps };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('CloseGuard', () => {
  it('lets a clean document close without asking', () => {
    const { guard, deps } = setup();
    guard.setState({ name: 'net', dirty: false });
    expect(guard.shouldClose()).toBe(true);
    expect(deps.ask).not.toHaveBeenCalled();
  });

  it('asks about unsaved changes, naming the document, and holds the close', async () => {
    const { guard, deps } = setup('cancel');
    guard.setState({ name: 'net.spikeflow.json', dirty: true });
    expect(guard.shouldClose()).toBe(false);
    await settle();
    expect(deps.ask).toHaveBeenCalledWith('net.spikeflow.json');
  });

  it('keeps the window open on Cancel', async () => {
    const { guard, deps } = setup('cancel');
    guard.setState({ name: 'net', dirty: true });
    guard.shouldClose();
    await settle();
    expect(deps.close).not.toHaveBeenCalled();
    expect(deps.requestSave).not.toHaveBeenCalled();
    expect(deps.onCloseCancelled).toHaveBeenCalledTimes(1);
  });

  it("closes without saving on Don't Save", async () => {
    const { guard, deps } = setup('discard');
    guard.setState({ name: 'net', dirty: true });
    guard.shouldClose();
    await settle();
    expect(deps.close).toHaveBeenCalledTimes(1);
    expect(deps.requestSave).not.toHaveBeenCalled();
  });

  it('on Save asks the renderer to save and closes only once it reports a clean document', async () => {
    const { guard, deps } = setup('save');
    guard.setState({ name: 'net', dirty: true });
    guard.shouldClose();
    await settle();
    expect(deps.requestSave).toHaveBeenCalledTimes(1);
    expect(deps.close).not.toHaveBeenCalled();
    guard.saveFinished(true);
    guard.setState({ name: 'net', dirty: true });
    expect(deps.close).not.toHaveBeenCalled();
    guard.setState({ name: 'net', dirty: false });
    expect(deps.close).toHaveBeenCalledTimes(1);
  });

  it('stays open when the save is cancelled, and a later clean state does not close it', async () => {
    const { guard, deps } = setup('save');
    guard.setState({ name: 'net', dirty: true });
    guard.shouldClose();
    await settle();
    guard.saveFinished(false);
    expect(deps.onCloseCancelled).toHaveBeenCalledTimes(1);
    guard.setState({ name: 'net', dirty: false });
    expect(deps.close).not.toHaveBeenCalled();
  });

  it('asks once while the box is showing, however often close is pressed', async () => {
    const { guard, deps } = setup('cancel');
    guard.setState({ name: 'net', dirty: true });
    expect(guard.shouldClose()).toBe(false);
    expect(guard.shouldClose()).toBe(false);
    await settle();
    expect(deps.ask).toHaveBeenCalledTimes(1);
  });

  it('asks again on a later close after a cancel', async () => {
    const { guard, deps } = setup('cancel', 'discard');
    guard.setState({ name: 'net', dirty: true });
    guard.shouldClose();
    await settle();
    guard.shouldClose();
    await settle();
    expect(deps.ask).toHaveBeenCalledTimes(2);
    expect(deps.close).toHaveBeenCalledTimes(1);
  });

  it('treats a failing message box as Cancel', async () => {
    const { guard, deps } = setup();
    deps.ask.mockRejectedValueOnce(new Error('no display'));
    guard.setState({ name: 'net', dirty: true });
    guard.shouldClose();
    await settle();
    expect(deps.close).not.toHaveBeenCalled();
    expect(deps.onCloseCancelled).toHaveBeenCalled();
  });
});
