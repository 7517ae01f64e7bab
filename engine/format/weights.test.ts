import { describe, it, expect } from 'vitest';
import { PROJECTION_PARAMS, defaultParams, getKind } from '../kinds/index.ts';
import type { DocEdge, DocNode, GraphDocument } from './document.ts';
import { loadDocument, newDocument, serializeDocument } from './load.ts';
import { checkDocument, validateDocument } from './validate.ts';
import { compileDocument } from '../compile/compile.ts';
import { clearWeights, inlineWeightFiles, parseWeightsFile, projectionOwners, sideFileNameFor, sideWeightFiles, storeWeights, weightsFileText } from './weights.ts';

const clock = () => new Date('2025-03-04T05:06:07.000Z');

function node(id: string, kind: string, params: Record<string, unknown> = {}): DocNode {
  return { id, kind, label: id, position: { x: 0, y: 0 }, params: { ...defaultParams(getKind(kind)!.params), ...params } };
}

function wire(id: string, from: string, to: string, params: Record<string, unknown> = {}): DocEdge {
  const [sn, sp] = from.split('.');
  const [tn, tp] = to.split('.');
  return { id, source: { node: sn, port: sp }, target: { node: tn, port: tp }, params };
}

/** 3 inputs → STDP → 2 neurons (plastic); 3 inputs → 2 neurons (static wire "w"). */
function doc(): GraphDocument {
  const d = newDocument('weights', { clock });
  d.nodes = [node('in', 'poisson-source', { size: 3 }), node('stdp', 'stdp'), node('out', 'lif-curr-exp', { size: 2 })];
  d.edges = [wire('pre', 'in.spikes', 'stdp.pre'), wire('post', 'stdp.post', 'out.in'), wire('w', 'in.spikes', 'out.in', defaultParams(PROJECTION_PARAMS))];
  return d;
}

const learned = { nodeId: 'stdp', edgeId: 'post', pre: Int32Array.from([0, 1, 2]), post: Int32Array.from([1, 0, 1]), w: Float64Array.from([0.001, 0.0072, 1 / 300]) };

describe('stored weights: where they live', () => {
  it('belong to plasticity nodes and to projection wires that do not leave one', () => {
    expect(projectionOwners(doc()).map((o) => [o.where, o.id, o.sourceNode, o.targetNode])).toEqual([
      ['nodes', 'stdp', 'in', 'out'],
      ['edges', 'w', 'in', 'out'],
    ]);
  });

  it('write back inline onto the plasticity node, exactly, and are then valid', () => {
    const d = doc();
    const r = storeWeights(d, [learned], 'inline');
    expect(r).toEqual({ file: null, stored: ['stdp'], missing: [] });
    expect(d.nodes[1].weights).toEqual({ pre: [0, 1, 2], post: [1, 0, 1], w: [0.001, 0.0072, 1 / 300] });
    expect(checkDocument(d)).toEqual({ errors: [], warnings: [] });
  });

  it("write a static wire's weights (a trainer's) onto the wire", () => {
    const d = doc();
    storeWeights(d, [{ edgeId: 'w', pre: [2], post: [0], w: [0.5] }], 'inline');
    expect(d.edges[2].weights).toEqual({ pre: [2], post: [0], w: [0.5] });
  });

  it('skip weights of a node that is gone, and say so', () => {
    const d = doc();
    expect(storeWeights(d, [{ ...learned, nodeId: 'gone', edgeId: 'gone' }], 'inline').missing).toEqual(['gone']);
  });

  it('can be forgotten', () => {
    const d = doc();
    storeWeights(d, [learned], 'inline');
    expect(clearWeights(d)).toEqual(['stdp']);
    expect(Object.hasOwn(d.nodes[1], 'weights')).toBe(false);
  });
});

describe('stored weights: validation names the node and the field', () => {
  function withWeights(weights: unknown): GraphDocument {
    const d = doc();
    d.nodes[1].weights = weights;
    return d;
  }

  it('reports an index out of range with the population and its size', () => {
    expect(validateDocument(withWeights({ pre: [0, 3], post: [0, 0], w: [0, 0] }))).toEqual([
      {
        pointer: '/nodes/1/weights/pre/1',
        nodeId: 'stdp',
        field: 'weights.pre',
        message: 'Node "stdp" (STDP (pair)), field weights.pre: entry 1 is 3, out of range: "in" has 3 neurons (indices 0…2).',
      },
    ]);
    expect(validateDocument(withWeights({ pre: [0], post: [2], w: [0] }))[0].message).toBe(
      'Node "stdp" (STDP (pair)), field weights.post: entry 0 is 2, out of range: "out" has 2 neurons (indices 0…1).',
    );
  });

  it('reports lists of different lengths', () => {
    expect(validateDocument(withWeights({ pre: [0, 1], post: [0], w: [0, 0] }))[0].message).toBe(
      'Node "stdp" (STDP (pair)), field weights: pre, post and w must have one entry per synapse, but they have 2, 1 and 2 entries.',
    );
  });

  it('reports a weight that is not a finite number ≥ 0, and how many are bad', () => {
    const [issue] = validateDocument(withWeights({ pre: [0, 1, 2], post: [0, 0, 0], w: [null, -1, 0.5] }));
    expect(issue.field).toBe('weights.w');
    expect(issue.message).toBe('Node "stdp" (STDP (pair)), field weights.w: entry 0 must be a finite number ≥ 0 (got null; the receptor sets the sign) (2 entries are bad).');
  });

  it('reports a fractional index and a missing list', () => {
    expect(validateDocument(withWeights({ pre: [0.5], post: [0], w: [0] }))[0].message).toMatch(/field weights\.pre: entry 0 must be a whole number ≥ 0 \(got 0\.5\)/);
    expect(validateDocument(withWeights({ pre: [0], w: [0] }))[0].message).toMatch(/field weights\.post: must be a list of neuron indices \(got nothing\)/);
  });

  it("refuses a side file outside the document's folder", () => {
    expect(validateDocument(withWeights({ file: '../x.weights.json' }))[0].message).toMatch(/field weights\.file: must be a path relative to the document/);
    expect(validateDocument(withWeights({ file: '/tmp/x.json' }))[0].field).toBe('weights.file');
    expect(validateDocument(withWeights({ file: 'net.weights.json' }))).toEqual([]);
  });

  it('refuses weights on a node or wire that is not a projection', () => {
    const d = doc();
    d.nodes[0].weights = { pre: [], post: [], w: [] };
    expect(validateDocument(d)).toEqual([
      { pointer: '/nodes/0/weights', nodeId: 'in', field: 'weights', message: 'Node "in", field weights: only a projection wire or a plasticity node can hold stored weights; remove the field.' },
    ]);
  });

  it("checks a static wire's weights against its two ends", () => {
    const d = doc();
    d.edges[2].weights = { pre: [0], post: [5], w: [1] };
    const [issue] = validateDocument(d);
    expect(issue).toMatchObject({ edgeId: 'w', field: 'weights.post', pointer: '/edges/2/weights/post/0' });
    expect(issue.message).toBe('Edge "w" (in → out), field weights.post: entry 0 is 5, out of range: "out" has 2 neurons (indices 0…1).');
  });

  it('still opens a document whose stored weights no longer fit, so nothing is lost', () => {
    const d = withWeights({ pre: [0, 1], post: [0, 1], w: [0.1, 0.2] });
    d.nodes[2].params.size = 1;
    const r = loadDocument(serializeDocument(d), { clock });
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.recoverable?.nodes[1].weights).toEqual({ pre: [0, 1], post: [0, 1], w: [0.1, 0.2] });
  });
});

describe('stored weights: serialization', () => {
  it('writes each list on one line and round-trips to the same bytes and the same numbers', () => {
    const d = doc();
    storeWeights(d, [learned], 'inline');
    const text = serializeDocument(d);
    expect(text).toContain('      "weights": {\n        "pre": [0,1,2],\n        "post": [1,0,1],\n        "w": [0.001,0.0072,0.0033333333333333335]\n      }');
    const loaded = loadDocument(text, { clock });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(serializeDocument(loaded.doc)).toBe(text);
    expect((loaded.doc.nodes[1].weights as { w: number[] }).w[2]).toBe(1 / 300);
  });

  it('writes a side-file reference as an object with its file name', () => {
    const d = doc();
    const { file } = storeWeights(d, [learned], { file: 'net.weights.json' });
    expect(d.nodes[1].weights).toEqual({ file: 'net.weights.json' });
    expect(serializeDocument(d)).toContain('"weights": {\n        "file": "net.weights.json"\n      }');
    const text = weightsFileText(file!);
    expect(text).toBe(
      '{\n  "format": "spikeflow-weights",\n  "version": 1,\n  "nodes": {\n    "stdp": {\n      "pre": [0,1,2],\n      "post": [1,0,1],\n' +
        '      "w": [0.001,0.0072,0.0033333333333333335]\n    }\n  },\n  "edges": {}\n}\n',
    );
    const back = parseWeightsFile(text);
    expect(back.ok && back.file.nodes.stdp.w).toEqual([0.001, 0.0072, 1 / 300]);
  });

  it("keeps the side file's other entries when writing new ones into it", () => {
    const d = doc();
    const base = { format: 'spikeflow-weights', version: 1, nodes: {}, edges: { w: { pre: [1], post: [1], w: [0.2] } } } as const;
    const { file } = storeWeights(d, [learned], { file: 'n.weights.json', base });
    expect(Object.keys(file!.edges)).toEqual(['w']);
    expect(Object.keys(file!.nodes)).toEqual(['stdp']);
  });

  it('names the side file after the document', () => {
    expect(sideFileNameFor('/a/b/net.spikeflow.json', 'x')).toBe('net.weights.json');
    expect(sideFileNameFor(null, 'My net')).toBe('My net.weights.json');
  });
});

describe('stored weights: side files are inlined by the host before compiling', () => {
  function referencing(): GraphDocument {
    const d = doc();
    d.nodes[1].weights = { file: 'net.weights.json' };
    return d;
  }
  const fileText = weightsFileText({ format: 'spikeflow-weights', version: 1, nodes: { stdp: { pre: [0, 2], post: [1, 1], w: [0.003, 0.004] } }, edges: {} });

  it('lists the files a document needs and inlines their arrays', () => {
    const d = referencing();
    expect(sideWeightFiles(d)).toEqual(['net.weights.json']);
    const r = inlineWeightFiles(d, new Map([['net.weights.json', fileText]]));
    expect(r.issues).toEqual([]);
    expect(r.doc.nodes[1].weights).toEqual({ pre: [0, 2], post: [1, 1], w: [0.003, 0.004] });
    expect(d.nodes[1].weights).toEqual({ file: 'net.weights.json' });
  });

  it('reports a missing file, a broken file and a file without this node, naming the node and field', () => {
    const missing = inlineWeightFiles(referencing(), new Map([['net.weights.json', null]]), 'next to net.spikeflow.json');
    expect(missing.issues).toEqual([
      {
        pointer: '/nodes/1/weights/file',
        nodeId: 'stdp',
        field: 'weights.file',
        message: 'Node "stdp" (STDP (pair)), field weights.file: the weights file "net.weights.json" was not found next to net.spikeflow.json.',
      },
    ]);
    expect(inlineWeightFiles(referencing(), new Map([['net.weights.json', '{']])).issues[0].message).toMatch(/"net\.weights\.json" is not valid JSON/);
    const other = weightsFileText({ format: 'spikeflow-weights', version: 1, nodes: {}, edges: {} });
    expect(inlineWeightFiles(referencing(), new Map([['net.weights.json', other]])).issues[0].message).toMatch(/holds no weights for node "stdp"/);
  });

  it('compiles the stored synapses into the plan, and refuses a reference that was not inlined', () => {
    const r = inlineWeightFiles(referencing(), new Map([['net.weights.json', fileText]]));
    const plan = compileDocument(r.doc);
    expect(plan.ok && plan.plan.projections[0].synapses).toEqual({ pre: [0, 2], post: [1, 1], w: [0.003, 0.004] });
    const refused = compileDocument(referencing());
    expect(refused.ok === false && refused.issues[0]).toMatchObject({ nodeId: 'stdp', field: 'weights.file', pointer: '/nodes/1/weights/file' });
  });
});

describe('weight monitor wiring', () => {
  function withMonitor(): GraphDocument {
    const d = doc();
    d.nodes.push(node('wm', 'weight-monitor'));
    return d;
  }

  it("takes a plasticity node's output beside its projection, and the document is valid", async () => {
    const { connectionProblem } = await import('./connect.ts');
    const d = withMonitor();
    expect(connectionProblem(d, { node: 'stdp', port: 'post' }, { node: 'wm', port: 'projection' })).toBeNull();
    d.edges.push(wire('wm-in', 'stdp.post', 'wm.projection'));
    expect(checkDocument(d)).toEqual({ errors: [], warnings: [] });
    // The node still makes one projection only.
    d.nodes.push(node('out2', 'lif-curr-exp', { size: 2 }));
    expect(connectionProblem(d, { node: 'stdp', port: 'post' }, { node: 'out2', port: 'in' })).toMatch(/makes one projection and is already wired/);
  });

  it('refuses a population wired into it, saying what to wire instead', async () => {
    const { connectionProblem } = await import('./connect.ts');
    expect(connectionProblem(withMonitor(), { node: 'out', port: 'spikes' }, { node: 'wm', port: 'projection' })).toBe(
      'Weight monitor "wm" (Weight monitor) observes a plastic projection: wire a plasticity node\'s output (e.g. STDP "post") into it; "out" (LIF (current, exp. synapses)) has no weights of its own.',
    );
  });
});
