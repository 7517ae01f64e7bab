/** Test-only: the small network the backend tests import and run (Poisson (4) → LIF (3) → spike monitor, 100 ms of 0.1 ms). */
import { newDocument } from '../../engine/format/load.ts';
import { compileDocument } from '../../engine/compile/compile.ts';
import type { NetworkPlan } from '../../engine/core/plan.ts';
import { Editor } from '../store/editor.ts';

export function network(): { ed: Editor; plan: NetworkPlan; src: string; lif: string; mon: string } {
  const ed = new Editor(newDocument('net'));
  const src = ed.addNode('poisson-source', { x: 0, y: 0 });
  const lif = ed.addNode('lif-curr-exp', { x: 300, y: 0 });
  const mon = ed.addNode('spike-monitor', { x: 600, y: 0 });
  ed.setParam(src, 'size', 4);
  ed.setParam(lif, 'size', 3);
  ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
  ed.connect({ node: lif, port: 'spikes' }, { node: mon, port: 'spikes' });
  ed.setSimulation('duration_ms', 100);
  const c = compileDocument(ed.state.doc);
  if (!c.ok) throw new Error(`the test network does not compile: ${c.issues[0].message}`);
  return { ed, plan: c.plan, src, lif, mon };
}
