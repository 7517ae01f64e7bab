import { describe, expect, it, vi } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import { inProcessEngineFactory } from '../engine/test-engine.ts';
import { Editor } from '../store/editor.ts';
import { RunController } from '../engine/run-controller.ts';
import type { RunHistoryStore } from '../platform/platform.ts';
import { memoryHistoryStore } from './stores.ts';
import { RunHistory, documentIdentity } from './run-history.ts';

const now = (cb: () => void) => setTimeout(cb, 0);

const factory = inProcessEngineFactory;

/** Poisson → LIF → spike monitor, 200 ms. */
function network(ed: Editor, seed: number) {
  const src = ed.addNode('poisson-source', { x: 0, y: 0 });
  const lif = ed.addNode('lif-curr-exp', { x: 300, y: 0 });
  const mon = ed.addNode('spike-monitor', { x: 600, y: 0 });
  ed.setParam(src, 'rate_hz', 50);
  ed.setParam(src, 'size', 50);
  ed.setParam(lif, 'size', 20);
  const e = ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
  if (!e.ok) throw new Error(e.problem);
  ed.setEdgeParam(e.edgeId, 'weight', 3);
  ed.connect({ node: lif, port: 'spikes' }, { node: mon, port: 'spikes' });
  ed.setSimulation('duration_ms', 200);
  ed.setSimulation('seed', seed);
  return { src, lif, mon };
}

function setup(store: RunHistoryStore = memoryHistoryStore(), confirm = vi.fn(async (_title: string, _message: string, _label: string) => true)) {
  const ed = new Editor(newDocument('net'));
  const runner = new RunController(ed, factory, now);
  const history = new RunHistory(ed, runner, store, null, confirm);
  const stop = history.start();
  const runToEnd = async (f: () => Promise<boolean>) => {
    // The newest entry's number grows with each kept run (the list may not: old ones are pruned).
    const before = history.state.entries[0]?.number ?? 0;
    expect(await f()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    await vi.waitFor(() => expect(history.state.entries[0]?.number ?? 0).toBeGreaterThan(before), { timeout: 5_000 });
  };
  return { ed, runner, history, stop, runToEnd, confirm };
}

describe('RunHistory', () => {
  it('keeps every finished run with its seed, engine version, statistics and spikes, newest first', async () => {
    const { ed, runner, history, stop, runToEnd } = setup();
    network(ed, 3);
    await runToEnd(() => runner.run());
    ed.setSimulation('seed', 4);
    await runToEnd(() => runner.run());
    const [second, first] = history.state.entries;
    expect([first.number, first.seed, second.number, second.seed]).toEqual([1, 3, 2, 4]);
    expect(second.spikes).toBe(ed.state.run.stats!.spikes);
    expect(first.engineVersion).toBe(runner.engineVersion);
    expect(first.engineVersion).not.toBe('');
    const stored = await history.load(first.id);
    expect(stored.doc.simulation.seed).toBe(3);
    expect(stored.meta.keptSpikes).toBe(stored.stats.populations.find((p) => p.kind === 'lif-curr-exp')!.spikes);
    stop();
    runner.dispose();
  });

  it('re-runs a stored run exactly: its graph and seed give the same spikes, and the open graph is unchanged', async () => {
    const { ed, runner, history, stop, runToEnd } = setup();
    network(ed, 11);
    await runToEnd(() => runner.run());
    const original = history.state.entries[0];
    ed.setSimulation('seed', 12);
    const openDoc = ed.doc;
    await runToEnd(() => history.rerun(original.id));
    expect(ed.doc).toBe(openDoc);
    const rerun = history.state.entries[0];
    expect(rerun.rerunOf).toBe(original.id);
    expect(rerun.seed).toBe(11);
    expect(history.state.rerunCheck).toMatchObject({ of: original.id, same: true, storedSpikes: original.spikes, newSpikes: original.spikes });
    const [a, b] = await Promise.all([history.load(original.id), history.load(rerun.id)]);
    const spikesOf = (r: typeof a) => [...r.spikes.values()].flatMap((m) => m.series.map((s) => [s.nodeId, [...s.neuron], [...s.step]]));
    expect(spikesOf(b)).toEqual(spikesOf(a));
    stop();
    runner.dispose();
  });

  it('keeps only the newest N runs when N is lowered', async () => {
    const { ed, runner, history, stop, runToEnd } = setup();
    network(ed, 1);
    history.setKeep(2);
    for (let i = 0; i < 3; i++) {
      ed.setSimulation('seed', 20 + i);
      await runToEnd(() => runner.run());
    }
    expect(history.state.entries.map((e) => [e.number, e.seed])).toEqual([
      [3, 22],
      [2, 21],
    ]);
    stop();
    runner.dispose();
  });

  it('deletes a run only after the user agrees', async () => {
    const confirm = vi.fn(async (_title: string, _message: string, _label: string) => false);
    const { ed, runner, history, stop, runToEnd } = setup(memoryHistoryStore(), confirm);
    network(ed, 5);
    await runToEnd(() => runner.run());
    const id = history.state.entries[0].id;
    expect(await history.remove(id)).toBe(false);
    expect(history.state.entries.map((e) => e.id)).toEqual([id]);
    confirm.mockResolvedValueOnce(true);
    expect(await history.remove(id)).toBe(true);
    expect(history.state.entries).toEqual([]);
    expect(confirm.mock.calls[0][0]).toBe('Delete this run?');
    stop();
    runner.dispose();
  });

  it('says so when the store is full, and leaves the graph and the results on screen alone', async () => {
    const full: RunHistoryStore = { ...memoryHistoryStore(), save: async () => Promise.reject(new Error("The browser's storage for this page is full, so keeping the run failed.")) };
    const ed = new Editor(newDocument('net'));
    const runner = new RunController(ed, factory, now);
    const history = new RunHistory(ed, runner, full);
    const stop = history.start();
    network(ed, 9);
    const doc = ed.doc;
    expect(await runner.run()).toBe(true);
    await vi.waitFor(() => expect(history.state.error).toMatch(/not kept in the history: .*storage for this page is full/), { timeout: 20_000 });
    expect(ed.state.notice?.level).toBe('error');
    expect(ed.state.notice?.text).toMatch(/Your graph and the results on screen are unaffected/);
    expect(ed.doc).toBe(doc);
    expect(ed.state.run.phase).toBe('finished');
    expect(runner.spikes.list()[0].series[0].count).toBeGreaterThan(0);
    stop();
    runner.dispose();
  });

  it('keys a document by its path, else its file name, else its name', () => {
    const doc = newDocument('My net');
    expect(documentIdentity({ doc, file: { path: '/d/a.spikeflow.json', fileName: 'a.spikeflow.json' } })).toEqual({ path: '/d/a.spikeflow.json', key: '/d/a.spikeflow.json' });
    expect(documentIdentity({ doc, file: { path: null, fileName: 'a.spikeflow.json' } }).key).toBe('file:a.spikeflow.json');
    expect(documentIdentity({ doc, file: { path: null, fileName: null } }).key).toBe('doc:My net');
  });
});

describe('RunHistory and Save As', () => {
  it('moves the runs of an unsaved document beside its file when it is first saved', async () => {
    const store = memoryHistoryStore();
    const { ed, runner, history, stop, runToEnd } = setup(store);
    network(ed, 8);
    await runToEnd(() => runner.run());
    const id = history.state.entries[0].id;
    const unsaved = history.state.doc;
    ed.markSaved({ path: '/d/net.spikeflow.json', fileName: 'net.spikeflow.json' });
    await vi.waitFor(() => expect(history.state.entries.map((e) => e.id)).toEqual([id]));
    expect(history.state.doc).toEqual({ path: '/d/net.spikeflow.json', key: '/d/net.spikeflow.json' });
    expect(await store.list(unsaved)).toEqual([]);
    expect((await history.load(id)).meta.seed).toBe(8);
    stop();
    runner.dispose();
  });

  it('starts an empty list for another document', async () => {
    const { ed, runner, history, stop, runToEnd } = setup();
    network(ed, 8);
    await runToEnd(() => runner.run());
    ed.load(newDocument('other'));
    await vi.waitFor(() => expect(history.state.doc.key).toBe('doc:other'));
    await vi.waitFor(() => expect(history.state.loading).toBe(false));
    expect(history.state.entries).toEqual([]);
    stop();
    runner.dispose();
  });
});

describe('RunHistory and a document switch', () => {
  it('does not keep a run that another document cut short', async () => {
    const { ed, runner, history, stop } = setup();
    network(ed, 8);
    ed.setSimulation('duration_ms', 200_000);
    expect(await runner.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.step).toBeGreaterThan(0), { timeout: 20_000 });
    ed.load(newDocument('other'));
    // The new document starts idle; give the stopped run's last events time to arrive.
    expect(ed.state.run.phase).toBe('idle');
    await new Promise((r) => setTimeout(r, 300));
    expect(history.state.entries).toEqual([]);
    ed.load(newDocument('net'));
    await vi.waitFor(() => expect(history.state.loading).toBe(false));
    expect(history.state.entries).toEqual([]);
    stop();
    runner.dispose();
  });
});
