import { describe, it, expect } from 'vitest';
import { PROJECTION_PARAMS, defaultParams, getKind } from '../kinds/index.ts';
import type { DocEdge, DocIssue, DocNode, GraphDocument } from './document.ts';
import { newDocument } from './load.ts';
import { MAX_SEED, checkDocument, simulationSteps, validateDocument } from './validate.ts';

const clock = () => new Date('2025-03-04T05:06:07.000Z');

function node(id: string, kind: string, params: Record<string, unknown> = {}): DocNode {
  return { id, kind, label: id, position: { x: 0, y: 0 }, params: { ...defaultParams(getKind(kind)!.params), ...params } };
}

function wire(id: string, from: string, to: string, params?: Record<string, unknown>): DocEdge {
  const [sn, sp] = from.split('.');
  const [tn, tp] = to.split('.');
  return { id, source: { node: sn, port: sp }, target: { node: tn, port: tp }, params: params ?? {} };
}

const proj = (over: Record<string, unknown> = {}) => ({ ...defaultParams(PROJECTION_PARAMS), ...over });

/** pois → lif1 (projection), dc → lif1 (inject), lif1 → lif2 (projection), lif1 → mon (observe). */
function base(): GraphDocument {
  const doc = newDocument('test', { clock });
  doc.nodes = [node('pois', 'poisson-source'), node('lif1', 'lif-curr-exp'), node('lif2', 'lif-curr-exp', { size: 50 }), node('dc', 'dc-current'), node('mon', 'spike-monitor')];
  doc.edges = [
    wire('e1', 'pois.spikes', 'lif1.in', proj()),
    wire('e2', 'dc.current', 'lif1.current'),
    wire('e3', 'lif1.spikes', 'lif2.in', proj({ receptor: 'inh' })),
    wire('e4', 'lif1.spikes', 'mon.spikes'),
  ];
  return doc;
}

function only(issues: readonly DocIssue[]): DocIssue {
  expect(issues).toHaveLength(1);
  return issues[0];
}

describe('validateDocument: a valid document', () => {
  it('has no errors and no warnings', () => {
    expect(checkDocument(base())).toEqual({ errors: [], warnings: [] });
  });

  it('does not mind a population wired onto itself', () => {
    const doc = base();
    doc.edges.push(wire('self', 'lif1.spikes', 'lif1.in', proj({ rule: 'bernoulli', allow_autapses: false })));
    expect(checkDocument(doc).errors).toEqual([]);
  });
});

describe('validateDocument: node params', () => {
  it('names the node, its kind, the field and the bound (the example of the brief)', () => {
    const doc = base();
    doc.nodes[1].params.tau_m_ms = -5;
    expect(validateDocument(doc)).toEqual([
      {
        pointer: '/nodes/1/params/tau_m_ms',
        nodeId: 'lif1',
        field: 'tau_m_ms',
        message: 'Node "lif1" (LIF (current, exp. synapses)), field tau_m_ms: must be > 0 ms (got -5).',
      },
    ]);
  });

  it('reports a value of the wrong type, with what it got', () => {
    const doc = base();
    doc.nodes[0].params.size = '100';
    expect(only(validateDocument(doc)).message).toBe('Node "pois" (Poisson source), field size: must be a finite number (got "100").');
  });

  it('reports a fractional count', () => {
    const doc = base();
    doc.nodes[2].params.size = 1.5;
    expect(only(validateDocument(doc)).message).toBe('Node "lif2" (LIF (current, exp. synapses)), field size: must be a whole number (got 1.5).');
  });

  it('reports a distribution family the param does not allow', () => {
    const doc = base();
    doc.nodes[1].params.v_init_mv = { dist: 'lognormal', mu: 0, sigma: 1 };
    const issue = only(validateDocument(doc));
    expect(issue.pointer).toBe('/nodes/1/params/v_init_mv');
    expect(issue.message).toContain('does not allow a lognormal distribution');
  });

  it('reports a missing param (the loader fills them; an in-memory document must have them)', () => {
    const doc = base();
    delete doc.nodes[0].params.rate_hz;
    expect(only(validateDocument(doc)).message).toBe('Node "pois" (Poisson source), field rate_hz: is missing (the default is 40).');
  });

  it("runs the kind's cross-field check and points at the field it names", () => {
    const doc = base();
    doc.nodes[1].params.v_reset_mv = -40;
    const issue = only(validateDocument(doc));
    expect(issue.pointer).toBe('/nodes/1/params/v_reset_mv');
    expect(issue.message).toBe('Node "lif1" (LIF (current, exp. synapses)), field v_reset_mv: must be below the threshold (-50 mV).');
    const dc = base();
    dc.nodes[3].params.start_ms = 500;
    dc.nodes[3].params.stop_ms = 100;
    expect(only(validateDocument(dc)).pointer).toBe('/nodes/3/params/stop_ms');
  });

  it('skips the cross-field check while a param it reads is invalid', () => {
    const doc = base();
    doc.nodes[1].params.v_th_mv = 'high';
    expect(only(validateDocument(doc)).field).toBe('v_th_mv');
  });

  it('keeps an unknown param as a warning, suggesting the near name', () => {
    const doc = base();
    doc.nodes[1].params.tau_m = 10;
    const { errors, warnings } = checkDocument(doc);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      {
        pointer: '/nodes/1/params/tau_m',
        nodeId: 'lif1',
        field: 'tau_m',
        message: 'Node "lif1" (LIF (current, exp. synapses)), field tau_m: is not a param of this kind; it is kept as is and ignored. Did you mean "tau_m_ms"?',
      },
    ]);
  });

  it('escapes "/" and "~" of a param name in the pointer', () => {
    const doc = base();
    doc.nodes[0].params['a/b~c'] = 1;
    expect(only(checkDocument(doc).warnings).pointer).toBe('/nodes/0/params/a~1b~0c');
  });
});

describe('validateDocument: node structure', () => {
  it('refuses an unknown kind and lists the known ones, without judging its wires', () => {
    const doc = base();
    doc.nodes[4].kind = 'spike-monitr';
    const issue = only(validateDocument(doc));
    expect(issue.pointer).toBe('/nodes/4/kind');
    expect(issue.message).toMatch(/^Node "mon", field kind: unknown kind "spike-monitr"; this Spikeflow knows .*"spike-monitor"/);
  });

  it('refuses a duplicate node id, naming the first use', () => {
    const doc = base();
    doc.nodes[3].id = 'lif1';
    doc.edges = [];
    const issue = only(validateDocument(doc));
    expect(issue.pointer).toBe('/nodes/3/id');
    expect(issue.message).toBe('Node "lif1" (DC current), field id: the id is also used by the node at /nodes/1; node ids must be unique.');
  });

  it('refuses an empty or non-text id, naming the node by its place', () => {
    const doc = base();
    (doc.nodes[3] as unknown as Record<string, unknown>).id = 7;
    doc.edges = [];
    expect(only(validateDocument(doc)).message).toBe('Node at /nodes/3, field id: must be a non-empty text id (got 7).');
  });

  it('checks label, position and params types', () => {
    const doc = base();
    const n = doc.nodes[0] as unknown as Record<string, unknown>;
    n.label = null;
    n.position = { x: 1 };
    doc.nodes[1].params = [] as unknown as Record<string, unknown>;
    expect(validateDocument(doc).map((i) => [i.pointer, i.field])).toEqual([
      ['/nodes/0/label', 'label'],
      ['/nodes/0/position/y', 'position.y'],
      ['/nodes/1/params', 'params'],
    ]);
  });

  it('refuses a node that is not an object', () => {
    const doc = base();
    (doc.nodes as unknown[])[5] = 'lif3';
    expect(only(validateDocument(doc)).message).toBe('Node at /nodes/5: must be an object with id, kind, label, position and params (got "lif3").');
  });
});

describe('validateDocument: wires', () => {
  const wireError = (mutate: (doc: GraphDocument) => void): DocIssue => {
    const doc = base();
    mutate(doc);
    return only(validateDocument(doc));
  };

  it('refuses a wire from or to a node that does not exist', () => {
    const issue = wireError((d) => d.edges.push(wire('e9', 'ghost.spikes', 'lif1.in', proj())));
    expect(issue).toMatchObject({ pointer: '/edges/4/source/node', edgeId: 'e9', field: 'source' });
    expect(issue.message).toBe('Edge "e9" (ghost.spikes → lif1.in), field source: there is no node "ghost".');
    expect(wireError((d) => (d.edges[3].target.node = 'mon2')).pointer).toBe('/edges/3/target/node');
  });

  it('refuses a port the kind does not have', () => {
    const issue = wireError((d) => (d.edges[0].target.port = 'input'));
    expect(issue.pointer).toBe('/edges/0/target/port');
    expect(issue.message).toBe('Edge "e1" (pois.spikes → lif1.input), field target: node "lif1" (LIF (current, exp. synapses)) has no input "input" (its inputs: in, current).');
  });

  it('refuses ports of different types', () => {
    const issue = wireError((d) => (d.edges[1].target.port = 'in'));
    expect(issue.message).toBe('Edge "e2" (dc.current → lif1.in), field target: a current output cannot feed a spikes input.');
  });

  it('refuses a wire running the wrong way', () => {
    expect(wireError((d) => d.edges.push(wire('back', 'lif1.in', 'pois.spikes'))).message).toBe(
      'Edge "back" (lif1.in → pois.spikes), field source: port "in" of node "lif1" (LIF (current, exp. synapses)) is an input; a wire starts at an output.',
    );
    expect(wireError((d) => d.edges.push(wire('oo', 'lif1.spikes', 'lif2.spikes'))).message).toContain(
      'port "spikes" of node "lif2" (LIF (current, exp. synapses)) is an output; a wire ends at an input.',
    );
  });

  it('refuses a wire out of a monitor', () => {
    expect(wireError((d) => d.edges.push(wire('m', 'mon.spikes', 'lif2.in', proj()))).message).toBe(
      'Edge "m" (mon.spikes → lif2.in), field source: node "mon" (Spike monitor) is a monitor: it only observes, and has no output to wire from.',
    );
  });

  it('refuses a duplicate edge id and malformed ends', () => {
    expect(wireError((d) => (d.edges[2].id = 'e1')).message).toBe('Edge "e1" (lif1.spikes → lif2.in), field id: the id is also used by the edge at /edges/0; edge ids must be unique.');
    const issue = wireError((d) => ((d.edges[3] as unknown as Record<string, unknown>).target = 'mon.spikes'));
    expect(issue).toMatchObject({ pointer: '/edges/3/target', field: 'target' });
    expect(issue.message).toBe('Edge "e4", field target: must be an object {"node": "<node id>", "port": "<port id>"} (got "mon.spikes").');
  });

  it('refuses a second wire of one receptor between the same two ports, as the editor does, on its receptor field', () => {
    const doc = base();
    doc.edges.push(wire('e1b', 'pois.spikes', 'lif1.in', proj()));
    const { errors, warnings } = checkDocument(doc);
    expect(warnings).toEqual([]);
    expect(only(errors)).toMatchObject({ pointer: '/edges/4/params/receptor', field: 'receptor' });
    expect(only(errors).message).toBe(
      'Edge "e1b" (pois.spikes → lif1.in), field receptor: edge "e1" already joins the same two ports with receptor "exc"; give this one another receptor or remove it.',
    );
  });
});

describe('validateDocument: exc and inh twins', () => {
  it('accepts an excitatory and an inhibitory wire between the same two ports, but not a third (as the editor)', () => {
    const doc = base();
    doc.edges.push(wire('e1i', 'pois.spikes', 'lif1.in', proj({ receptor: 'inh' })));
    expect(checkDocument(doc)).toEqual({ errors: [], warnings: [] });
    doc.edges.push(wire('e1j', 'pois.spikes', 'lif1.in', proj({ receptor: 'inh' })));
    expect(only(checkDocument(doc).errors).message).toContain('edge "e1i" already joins the same two ports');
  });
});

describe('validateDocument: projection params', () => {
  it('checks weight and delay bounds', () => {
    const doc = base();
    doc.edges[0].params.weight = -1;
    doc.edges[2].params.delay_ms = { dist: 'uniform', low: -1, high: 2 };
    expect(validateDocument(doc)).toEqual([
      { pointer: '/edges/0/params/weight', edgeId: 'e1', field: 'weight', message: 'Edge "e1" (pois.spikes → lif1.in), field weight: must be ≥ 0 (got -1).' },
      {
        pointer: '/edges/2/params/delay_ms',
        edgeId: 'e3',
        field: 'delay_ms',
        message: 'Edge "e3" (lif1.spikes → lif2.in), field delay_ms: must be ≥ 0 ms (got -1).',
      },
    ]);
  });

  it('ignores an inactive param, whatever its value, and checks it once active', () => {
    const doc = base();
    doc.edges[0].params.p = 'not used by all-to-all';
    expect(validateDocument(doc)).toEqual([]);
    doc.edges[0].params.rule = 'bernoulli';
    doc.edges[0].params.p = 2;
    expect(only(validateDocument(doc)).message).toBe('Edge "e1" (pois.spikes → lif1.in), field p: must be ≤ 1 (got 2).');
  });

  it('checks an enum', () => {
    const doc = base();
    doc.edges[0].params.receptor = 'gaba';
    expect(only(validateDocument(doc)).message).toBe('Edge "e1" (pois.spikes → lif1.in), field receptor: must be one of "exc", "inh" (got "gaba").');
  });

  it('warns about params on a wire that is not a projection', () => {
    const doc = base();
    doc.edges[3].params.weight = 2;
    const { errors, warnings } = checkDocument(doc);
    expect(errors).toEqual([]);
    expect(only(warnings)).toMatchObject({ pointer: '/edges/3/params/weight', edgeId: 'e4' });
    expect(warnings[0].message).toBe('Edge "e4" (lif1.spikes → mon.spikes), field weight: a wire into an observe input carries no params; this one is kept as is and ignored.');
  });

  it('refuses one-to-one between populations of different sizes', () => {
    const doc = base();
    doc.edges[2].params.rule = 'one-to-one';
    expect(only(validateDocument(doc)).message).toBe('Edge "e3" (lif1.spikes → lif2.in), field rule: one-to-one needs equal sizes, but "lif1" has 100 and "lif2" has 50.');
  });

  it('refuses a fixed count larger than the distinct partners available without multapses', () => {
    const doc = base();
    Object.assign(doc.edges[2].params, { rule: 'fixed-in-degree', n: 101 });
    expect(only(validateDocument(doc)).message).toBe(
      'Edge "e3" (lif1.spikes → lif2.in), field n: must be ≤ 100, the number of available sources per target without multapses ("lif1" has 100) (got 101).',
    );
    doc.edges[2].params.n = 100;
    expect(validateDocument(doc)).toEqual([]);
    doc.edges[2].params.allow_multapses = true;
    doc.edges[2].params.n = 1000;
    expect(validateDocument(doc)).toEqual([]);
  });

  it('counts a forbidden autapse out of the available partners of a self-projection', () => {
    const doc = base();
    doc.edges.push(wire('self', 'lif2.spikes', 'lif2.in', proj({ rule: 'fixed-out-degree', n: 50, allow_autapses: false })));
    expect(only(validateDocument(doc)).field).toBe('n');
    doc.edges[4].params.n = 49;
    expect(validateDocument(doc)).toEqual([]);
    Object.assign(doc.edges[4].params, { rule: 'fixed-total', n: 50 * 49 + 1 });
    expect(only(validateDocument(doc)).message).toContain('must be ≤ 2450');
  });
});

describe('validateDocument: simulation', () => {
  const simIssues = (sim: Record<string, unknown>) => {
    const doc = base();
    Object.assign(doc.simulation, sim);
    return validateDocument(doc);
  };

  it('needs dt_ms > 0 and duration_ms > 0', () => {
    expect(simIssues({ dt_ms: 0 })).toEqual([{ pointer: '/simulation/dt_ms', field: 'dt_ms', message: 'Simulation, field dt_ms: must be a number > 0 ms (got 0).' }]);
    expect(only(simIssues({ duration_ms: -1 })).pointer).toBe('/simulation/duration_ms');
    expect(only(simIssues({ duration_ms: 'long' })).message).toBe('Simulation, field duration_ms: must be a number > 0 ms (got "long").');
  });

  it('needs a whole seed that fits in 32 bits', () => {
    expect(only(simIssues({ seed: 1.5 })).message).toBe(`Simulation, field seed: must be a whole number from 0 to ${MAX_SEED} (got 1.5).`);
    expect(simIssues({ seed: -1 })).toHaveLength(1);
    expect(simIssues({ seed: MAX_SEED + 1 })).toHaveLength(1);
    expect(simIssues({ seed: MAX_SEED })).toEqual([]);
    expect(simIssues({ seed: 0 })).toEqual([]);
  });

  it('needs the duration to be a whole number of steps', () => {
    expect(only(simIssues({ dt_ms: 0.3, duration_ms: 1000 })).message).toBe(
      'Simulation, field duration_ms: must be a whole number of steps of dt_ms = 0.3 ms (got 1000 ms, which is 3333.333333 steps).',
    );
    expect(only(simIssues({ dt_ms: 2, duration_ms: 1 })).message).toBe('Simulation, field duration_ms: must be at least one step of dt_ms = 2 ms (got 1 ms).');
    // 1000 / 0.1 is 10000.000000000002 in floating point: within tolerance.
    expect(simIssues({ dt_ms: 0.1, duration_ms: 1000 })).toEqual([]);
    expect(simIssues({ dt_ms: 0.025, duration_ms: 0.075 })).toEqual([]);
  });

  it('counts steps within a relative tolerance of 1e-9', () => {
    expect(simulationSteps(0.1, 1000)).toBe(10000);
    expect(simulationSteps(1, 1000 * (1 + 5e-10))).toBe(1000);
    expect(simulationSteps(1, 1000 * (1 + 5e-9))).toBeNull();
    expect(simulationSteps(1, 0.5)).toBeNull();
    expect(simulationSteps(0, 1)).toBeNull();
    expect(simulationSteps(1, Infinity)).toBeNull();
  });
});

describe('validateDocument: top-level structure', () => {
  it('refuses what is not a document, without throwing', () => {
    for (const v of [null, 5, 'x', [], undefined]) {
      expect(only(checkDocument(v).errors).message).toMatch(/^Document: must be a JSON object \(got .*\)\.$/);
    }
  });

  it('checks format, version, meta, simulation, nodes, edges and view', () => {
    const doc = { format: 'other', version: 99, meta: { name: 1, description: '', created: '', modified: '' }, simulation: null, nodes: {}, edges: 'none', view: [] };
    expect(checkDocument(doc).errors.map((i) => i.pointer)).toEqual(['/format', '/version', '/meta/name', '/simulation', '/nodes', '/edges', '/view']);
    expect(checkDocument(doc).errors[2].message).toBe('Document meta, field name: must be text (got 1).');
  });

  it('ends every message with a full stop', () => {
    const doc = { format: 'other', nodes: [1, { id: '' }], edges: [null, { id: 'e', source: {}, target: 3 }] };
    const { errors } = checkDocument(doc);
    expect(errors.length).toBeGreaterThan(8);
    for (const issue of errors) expect(issue.message).toMatch(/^[A-Z].*\.$/s);
  });
});
