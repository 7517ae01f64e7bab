import { describe, expect, it } from 'vitest';
import { loadDocument, newDocument, serializeDocument } from '../../engine/format/load.ts';
import { Editor } from '../store/editor.ts';
import { FileActions } from './file-actions.ts';
import type { PickedFile, Platform, WrittenFile } from './platform.ts';
import { suggestedFileName, windowTitle } from './platform.ts';

/** A platform with an in-memory disk and scripted dialogs. */
function fakePlatform() {
  const disk = new Map<string, string>();
  const calls: string[] = [];
  let nextPick: PickedFile | null = null;
  let saveAsPath = '/docs/chosen.spikeflow.json';
  const platform: Platform = {
    kind: 'electron',
    openFile: async () => nextPick,
    openRecent: async (path) => (disk.has(path) ? { path, name: path.split('/').pop()!, text: disk.get(path)! } : null),
    saveFile: async (path, text, name): Promise<WrittenFile> => {
      const p = path ?? saveAsPath;
      calls.push(`save ${p} (suggested ${name})`);
      disk.set(p, text);
      return { path: p, name: p.split('/').pop()! };
    },
    exportJson: async (text, name) => {
      calls.push(`export ${name}`);
      disk.set(`/exports/${name}`, text);
      return { path: `/exports/${name}`, name };
    },
    exportBlob: async (_blob, name) => {
      calls.push(`export ${name}`);
      return { path: `/exports/${name}`, name };
    },
    recentFiles: async () => [...disk.keys()],
    setDocumentState: () => undefined,
    onMenuCommand: () => () => undefined,
    onOpenRecent: () => () => undefined,
  };
  return {
    platform,
    disk,
    calls,
    pick(f: PickedFile | null) {
      nextPick = f;
    },
    saveAsTo(p: string) {
      saveAsPath = p;
    },
  };
}

function setup(answer = true) {
  const ed = new Editor(newDocument('Mine'));
  const fp = fakePlatform();
  const asked: string[] = [];
  const files = new FileActions(ed, fp.platform, async (name) => {
    asked.push(name);
    return answer;
  });
  return { ed, fp, files, asked };
}

const valid = () => {
  const d = newDocument('Other');
  d.nodes.push({ id: 'lif1', kind: 'lif-curr-exp', label: 'L', position: { x: 1, y: 2 }, params: {} });
  return serializeDocument(d);
};

describe('FileActions: opening', () => {
  it('shows every error of a broken file and leaves the open graph exactly as it was', async () => {
    const { ed, fp, files } = setup();
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    const doc = ed.doc;
    const past = ed.state.past;
    const broken = JSON.stringify({
      format: 'spikeflow-graph',
      version: 1,
      meta: {},
      simulation: { dt_ms: -1, duration_ms: 10, seed: 1 },
      nodes: [{ id: 'x', kind: 'lif-curr-exp', label: 'x', position: { x: 0, y: 0 }, params: { tau_m_ms: 'abc' } }],
      edges: [],
    });
    fp.pick({ path: '/b.spikeflow.json', name: 'b.spikeflow.json', text: broken });
    await files.open();
    expect(ed.doc).toBe(doc);
    expect(ed.state.past).toBe(past);
    expect(ed.dirty).toBe(true);
    const report = ed.state.loadErrors!;
    expect(report.source).toBe('b.spikeflow.json');
    expect(report.messages.some((m) => /dt_ms/.test(m))).toBe(true);
    expect(report.messages.some((m) => /"x".*tau_m_ms/.test(m))).toBe(true);
  });

  it('shows a JSON syntax error the same way', async () => {
    const { ed, files } = setup();
    const doc = ed.doc;
    expect(await files.openPicked({ path: null, name: 'bad.json', text: '{"format": ' })).toBe(false);
    expect(ed.doc).toBe(doc);
    expect(ed.state.loadErrors?.messages.length).toBeGreaterThan(0);
  });

  it('opens a valid file as a clean document at its path, without history', async () => {
    const { ed, fp, files, asked } = setup();
    fp.pick({ path: '/o.spikeflow.json', name: 'o.spikeflow.json', text: valid() });
    await files.open();
    expect(asked).toEqual([]); // nothing to lose
    expect(ed.doc.meta.name).toBe('Other');
    expect(ed.doc.nodes[0].params.tau_m_ms).toBe(20); // defaults filled by the loader
    expect(ed.state.file).toEqual({ path: '/o.spikeflow.json', fileName: 'o.spikeflow.json' });
    expect(ed.dirty).toBe(false);
    expect(ed.state.past).toEqual([]);
  });

  it('asks before discarding unsaved changes, and keeps them when the user declines', async () => {
    const { ed, fp, files, asked } = setup(false);
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    const doc = ed.doc;
    fp.pick({ path: '/o.spikeflow.json', name: 'o.spikeflow.json', text: valid() });
    await files.open();
    expect(asked).toEqual(['Mine']);
    expect(ed.doc).toBe(doc);
    await files.newDocument();
    expect(ed.doc).toBe(doc);
  });

  it('opens an example without a path, so Save asks where to write', async () => {
    const { ed, fp, files } = setup();
    expect(await files.openExample('cuba.spikeflow.json', valid())).toBe(true);
    expect(ed.state.file.path).toBeNull();
    await files.save();
    expect(fp.calls).toEqual(['save /docs/chosen.spikeflow.json (suggested Other.spikeflow.json)']);
  });
});

describe('FileActions: saving', () => {
  it('writes text that loads back to the same graph, marks the document clean and remembers the path', async () => {
    const { ed, fp, files } = setup();
    const id = ed.addNode('lif-curr-exp', { x: 5, y: 6 });
    ed.setParam(id, 'size', 42);
    expect(await files.save()).toBe(true);
    expect(ed.dirty).toBe(false);
    expect(ed.state.file.path).toBe('/docs/chosen.spikeflow.json');
    const text = fp.disk.get('/docs/chosen.spikeflow.json')!;
    const back = loadDocument(text);
    expect(back.ok).toBe(true);
    if (back.ok) {
      expect(back.doc.nodes).toEqual(ed.doc.nodes);
      expect(back.doc.meta.modified).toBe(ed.doc.meta.modified);
    }
    // The next Save goes to the same file without asking.
    fp.saveAsTo('/elsewhere.spikeflow.json');
    ed.setParam(id, 'size', 43);
    await files.save();
    expect(fp.calls.at(-1)).toBe('save /docs/chosen.spikeflow.json (suggested Mine.spikeflow.json)');
    // Save As asks again.
    await files.save(true);
    expect(fp.calls.at(-1)).toBe('save /elsewhere.spikeflow.json (suggested Mine.spikeflow.json)');
    expect(ed.state.file.path).toBe('/elsewhere.spikeflow.json');
  });

  it('does not record the save time as an undoable edit', async () => {
    const { ed, files } = setup();
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    await files.save();
    expect(ed.state.past).toHaveLength(1);
    ed.undo();
    expect(ed.doc.nodes).toEqual([]);
  });

  it('exports a copy without changing the path or the dirty flag', async () => {
    const { ed, fp, files } = setup();
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    await files.exportJson();
    expect(fp.calls).toEqual(['export Mine.spikeflow.json']);
    expect(ed.dirty).toBe(true);
    expect(ed.state.file.path).toBeNull();
  });
});

describe('platform helpers', () => {
  it('suggest <name>.spikeflow.json with characters file systems refuse replaced', () => {
    expect(suggestedFileName('CUBA (Vogels & Abbott 2005)')).toBe('CUBA (Vogels & Abbott 2005).spikeflow.json');
    expect(suggestedFileName('a/b:c?')).toBe('a-b-c-.spikeflow.json');
    expect(suggestedFileName('net.spikeflow.json')).toBe('net.spikeflow.json');
    expect(suggestedFileName('  ')).toBe('untitled.spikeflow.json');
  });

  it('title the window "name • — Spikeflow" while there are unsaved changes', () => {
    expect(windowTitle('Net', true)).toBe('Net • — Spikeflow');
    expect(windowTitle('Net', false)).toBe('Net — Spikeflow');
    expect(windowTitle('', false)).toBe('Untitled — Spikeflow');
  });
});
