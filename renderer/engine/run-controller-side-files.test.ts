import { describe, expect, it, vi } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import { inProcessEngineFactory } from './test-engine.ts';
import { encodeNpy } from '../../engine/format/npz.ts';
import { Editor } from '../store/editor.ts';
import type { SideFileNeed } from '../store/side-files.ts';
import { matchPicked, sideFileNeeds } from '../store/side-files.ts';
import { RunController } from './run-controller.ts';

const now = (cb: () => void) => setTimeout(cb, 0);

const factory = inProcessEngineFactory;

/** 50 Poisson channels → 20 LIF neurons → monitor, the input wire's weights in the side file `name` (a browser: no readSideFile). */
function browserDoc(name: string) {
  const ed = new Editor(newDocument('t'));
  const src = ed.addNode('poisson-source', { x: 0, y: 0 });
  const lif = ed.addNode('lif-curr-exp', { x: 300, y: 0 });
  const mon = ed.addNode('spike-monitor', { x: 600, y: 0 });
  ed.setParam(src, 'rate_hz', 50);
  ed.setParam(src, 'size', 50);
  ed.setParam(lif, 'size', 20);
  const e = ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
  if (!e.ok) throw new Error(e.problem);
  ed.connect({ node: lif, port: 'spikes' }, { node: mon, port: 'spikes' });
  ed.setSimulation('duration_ms', 50);
  const doc = JSON.parse(JSON.stringify(ed.doc)) as typeof ed.doc;
  (doc.edges.find((x) => x.id === e.edgeId) as unknown as Record<string, unknown>).weights = { file: name };
  const rc = new RunController(ed, factory, now);
  return { ed, rc, wire: e.edgeId, doc };
}

describe('RunController in a browser: side files the document names', () => {
  it('lists each needed file with the wire and the field that name it', () => {
    const { ed, rc, wire, doc } = browserDoc('in.npy');
    ed.load(doc);
    expect(sideFileNeeds(ed.doc)).toEqual([{ file: 'in.npy', users: [{ who: `Wire "${wire}"`, id: wire, field: 'weights.file' }] }]);
    rc.dispose();
  });

  it('matches picked files by name and reports the others', () => {
    const needs: SideFileNeed[] = [
      { file: 'w/in.npy', users: [] },
      { file: 'rec.csv', users: [] },
    ];
    const { matched, unmatched } = matchPicked(needs, [{ name: 'in.npy' }, { name: 'other.npy' }]);
    expect([...matched.keys()]).toEqual(['w/in.npy']);
    expect(unmatched).toEqual(['other.npy']);
  });

  it('asks for the file when the document is opened and again at Run, then runs with exactly the picked matrix', async () => {
    const { ed, rc, doc } = browserDoc('in.npy');
    // 20 targets × 50 sources: source j drives target j only (20 synapses).
    const w = new Float64Array(20 * 50);
    for (let j = 0; j < 20; j++) w[j * 50 + j] = 4;
    const asked: string[][] = [];
    let answer: ReadonlyMap<string, string | Uint8Array> | null = null;
    rc.askSideFiles = async (missing) => {
      asked.push(missing.map((m) => m.file));
      return answer;
    };
    ed.load(doc);
    // Opening asks once (the user cancels here).
    await vi.waitFor(() => expect(asked).toEqual([['in.npy']]));
    answer = new Map([['in.npy', encodeNpy(w, [20, 50])]]);
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    expect(asked).toEqual([['in.npy'], ['in.npy']]);
    expect(ed.state.run.stats!.synapses).toBe(20);
    // Held now: the next run does not ask.
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    expect(asked).toHaveLength(2);
    rc.dispose();
  });

  it('refuses the run as before, naming the wire and weights.file, when the user cancels', async () => {
    const { ed, rc, wire, doc } = browserDoc('in.npy');
    rc.askSideFiles = async () => null;
    ed.load(doc);
    expect(await rc.run()).toBe(false);
    expect(ed.state.run.phase).toBe('refused');
    const issue = ed.state.run.issues[0];
    expect(issue.edgeId).toBe(wire);
    expect(issue.message).toBe(
      `Wire "${wire}", field weights.file: the weights file "in.npy" was not found among the files this window wrote (a browser tab cannot read files beside the document: keep the weights in the document, or use the desktop app or the spikeflow CLI).`,
    );
    rc.dispose();
  });

  it('refuses a picked file whose matrix does not fit, naming the wire and the file', async () => {
    const { ed, rc, wire, doc } = browserDoc('in.npy');
    rc.askSideFiles = async () => new Map([['in.npy', encodeNpy(new Float64Array(6), [2, 3])]]);
    ed.load(doc);
    expect(await rc.run()).toBe(false);
    const issue = ed.state.run.issues[0];
    expect(issue.edgeId).toBe(wire);
    expect(issue.message).toMatch(/weights\.dense: has 2 rows, but the target .* has 20 neurons .*read from "in\.npy"/);
    rc.dispose();
  });
});
