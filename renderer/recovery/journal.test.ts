import { describe, expect, it } from 'vitest';
import { newDocument, serializeDocument } from '../../engine/format/load.ts';
import { Editor, selectDirty } from '../store/editor.ts';
import { FileActions } from '../platform/file-actions.ts';
import type { Platform } from '../platform/platform.ts';
import { Autosaver, isJournalRecord, memoryJournal } from './journal.ts';
import type { JournalRecord, JournalStore } from './journal.ts';
import { memoryRecentDocuments } from './recent-documents.ts';
import { Recovery } from './recovery.ts';

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    setTimer: (fn: () => void) => {
      pending.set(next, fn);
      return next++;
    },
    clearTimer: (h: unknown) => void pending.delete(h as number),
    get count() {
      return pending.size;
    },
    fire() {
      const fns = [...pending.values()];
      pending.clear();
      for (const fn of fns) fn();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function platformWith(journal: JournalStore): Platform {
  return {
    kind: 'browser',
    openFile: async () => null,
    openRecent: async () => null,
    saveFile: async (_p, _t, name) => ({ path: null, name }),
    exportJson: async () => null,
    exportBlob: async () => null,
    recentFiles: async () => [],
    setDocumentState: () => undefined,
    onMenuCommand: () => () => undefined,
    onOpenRecent: () => () => undefined,
    journal,
    recentDocuments: memoryRecentDocuments(3),
  };
}

describe('autosave journal', () => {
  it('writes the unsaved document once per burst of edits, after the delay, and clears it once saved', async () => {
    const ed = new Editor(newDocument('Net'));
    const journal = memoryJournal();
    const timers = manualTimers();
    const saver = new Autosaver(ed, journal, timers);
    saver.start();
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.addNode('poisson-source', { x: 300, y: 0 });
    expect(timers.count).toBe(1);
    expect(await journal.read()).toBeNull();
    timers.fire();
    await saver.flush();
    const record = await journal.read();
    expect(record?.text).toBe(serializeDocument(ed.doc));
    expect(record?.name).toBe('Net');
    ed.markSaved({ path: '/d/net.spikeflow.json', fileName: 'net.spikeflow.json' });
    timers.fire();
    await saver.flush();
    expect(await journal.read()).toBeNull();
    saver.stop();
  });

  it('journals an undo back to the saved state as nothing to recover', async () => {
    const ed = new Editor(newDocument('Net'));
    const journal = memoryJournal();
    const saver = new Autosaver(ed, journal, manualTimers());
    saver.start();
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    await saver.flush();
    expect(await journal.read()).not.toBeNull();
    ed.undo();
    await saver.flush();
    expect(await journal.read()).toBeNull();
  });

  it('reports a failing store once, and carries on when it works again', async () => {
    const ed = new Editor(newDocument('Net'));
    let broken = true;
    const errors: string[] = [];
    const inner = memoryJournal();
    const journal: JournalStore = {
      read: () => inner.read(),
      write: async (r) => {
        if (broken) throw new Error('QuotaExceededError');
        await inner.write(r);
      },
      clear: () => inner.clear(),
    };
    const saver = new Autosaver(ed, journal, { ...manualTimers(), onError: (m) => errors.push(m) });
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    await saver.flush();
    ed.addNode('lif-curr-exp', { x: 200, y: 0 });
    await saver.flush();
    expect(errors).toEqual(['Autosave failed: QuotaExceededError. Save your work with Ctrl+S.']);
    broken = false;
    await saver.flush();
    expect((await inner.read())?.text).toBe(serializeDocument(ed.doc));
  });

  it('accepts only well-formed records', () => {
    const ok: JournalRecord = { version: 1, text: '{}', name: 'n', file: { path: null, fileName: 'a.json' }, savedAt: '2026-01-01T00:00:00Z' };
    expect(isJournalRecord(ok)).toBe(true);
    expect(isJournalRecord({ ...ok, version: 2 })).toBe(false);
    expect(isJournalRecord({ ...ok, text: 5 })).toBe(false);
    expect(isJournalRecord({ ...ok, file: null })).toBe(false);
    expect(isJournalRecord(null)).toBe(false);
  });
});

describe('recovery at start', () => {
  it('offers the journaled document and restores exactly that graph, marked unsaved', async () => {
    // Session 1: edits, journaled, then the tab dies.
    const journal = memoryJournal();
    const before = new Editor(newDocument('Lost work'));
    const saver = new Autosaver(before, journal, manualTimers());
    before.addNode('poisson-source', { x: 10, y: 20 });
    before.addNode('lif-curr-exp', { x: 300, y: 20 });
    before.connect({ node: 'poisson1', port: 'spikes' }, { node: 'lif1', port: 'in' });
    before.setParam('lif1', 'size', 123);
    await saver.flush();
    const lostText = serializeDocument(before.doc);

    // Session 2.
    const ed = new Editor();
    const files = new FileActions(ed, platformWith(journal), async () => true);
    const recovery = new Recovery(ed, files, journal, manualTimers());
    await recovery.start();
    expect(recovery.store.getState().offer?.name).toBe('Lost work');
    expect(await recovery.restore()).toBe(true);
    expect(serializeDocument(ed.doc)).toBe(lostText);
    expect(selectDirty(ed.state)).toBe(true);
    expect(recovery.store.getState().offer).toBeNull();
    // Saving makes it clean, like any document.
    await files.save();
    expect(selectDirty(ed.state)).toBe(false);
  });

  it('keeps the offer in memory while the new session journals its own edits, and discarding forgets it', async () => {
    const journal = memoryJournal();
    await journal.write({ version: 1, text: serializeDocument(newDocument('Old')), name: 'Old', file: { path: null, fileName: null }, savedAt: '2026-01-01T00:00:00Z' });
    const ed = new Editor();
    const recovery = new Recovery(ed, new FileActions(ed, platformWith(journal), async () => true), journal, manualTimers());
    await recovery.start();
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    await recovery.autosaver.flush();
    expect((await journal.read())?.name).toBe('Untitled');
    expect(recovery.store.getState().offer?.name).toBe('Old');
    await recovery.discard();
    expect(recovery.store.getState().offer).toBeNull();
    // The open (edited) document is still journaled.
    expect((await journal.read())?.name).toBe('Untitled');
  });

  it('shows a journal that no longer loads as load errors and leaves the open graph alone', async () => {
    const journal = memoryJournal();
    await journal.write({
      version: 1,
      text: '{"format": "spikeflow-graph", "version": 1, "nodes": [{"id": 5}]}',
      name: 'Broken',
      file: { path: null, fileName: null },
      savedAt: '2026-01-01T00:00:00Z',
    });
    const ed = new Editor(newDocument('Mine'));
    const recovery = new Recovery(ed, new FileActions(ed, platformWith(journal), async () => true), journal, manualTimers());
    await recovery.start();
    expect(await recovery.restore()).toBe(false);
    expect(ed.doc.meta.name).toBe('Mine');
    expect(ed.state.loadErrors?.source).toBe('the autosaved "Broken"');
  });
});

describe("a browser's recent documents", () => {
  it('lists opened and saved documents newest first, one per name, at most the limit', async () => {
    const recent = memoryRecentDocuments(3);
    await recent.remember('a.json', 'A', new Date('2026-01-01T00:00:01Z'));
    await recent.remember('b.json', 'B', new Date('2026-01-01T00:00:02Z'));
    await recent.remember('c.json', 'C', new Date('2026-01-01T00:00:03Z'));
    await recent.remember('a.json', 'A2', new Date('2026-01-01T00:00:04Z'));
    await recent.remember('d.json', 'D', new Date('2026-01-01T00:00:05Z'));
    expect((await recent.list()).map((d) => d.name)).toEqual(['d.json', 'a.json', 'c.json']);
    expect((await recent.get('a.json'))?.text).toBe('A2');
    expect(await recent.get('b.json')).toBeNull();
  });

  it('remembers a document the user opened, not an example, and reopens it by name', async () => {
    const ed = new Editor();
    const platform = platformWith(memoryJournal());
    const files = new FileActions(ed, platform, async () => true);
    const text = serializeDocument(newDocument('Mine'));
    await files.openPicked({ path: null, name: 'mine.spikeflow.json', text });
    await files.openExample('cuba.spikeflow.json', serializeDocument(newDocument('Example')));
    await settle();
    expect((await platform.recentDocuments!.list()).map((d) => d.name)).toEqual(['mine.spikeflow.json']);
  });
});
