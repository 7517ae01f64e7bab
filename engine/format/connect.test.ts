import { describe, it, expect } from 'vitest';
import { PROJECTION_PARAMS, defaultParams, getKind } from '../kinds/index.ts';
import type { DocNode, GraphDocument } from './document.ts';
import { connectionProblem, defaultEdgeParams, edgeRole, secondReceptor, wireProblem } from './connect.ts';
import { newDocument } from './load.ts';

function node(id: string, kind: string): DocNode {
  return { id, kind, label: id, position: { x: 0, y: 0 }, params: defaultParams(getKind(kind)!.params) };
}

function doc(): GraphDocument {
  const d = newDocument('wires', { clock: () => new Date(0) });
  d.nodes = [node('pois', 'poisson-source'), node('dc', 'dc-current'), node('lif', 'lif-curr-exp'), node('mon', 'spike-monitor')];
  d.edges = [{ id: 'e1', source: { node: 'pois', port: 'spikes' }, target: { node: 'lif', port: 'in' }, params: defaultParams(PROJECTION_PARAMS) }];
  return d;
}

const ref = (s: string) => {
  const [node, port] = s.split('.');
  return { node, port };
};
const problem = (from: string, to: string, d = doc()) => connectionProblem(d, ref(from), ref(to));

describe('connectionProblem', () => {
  it('allows wires between ports of the same type, output to input', () => {
    expect(problem('dc.current', 'lif.current')).toBeNull();
    expect(problem('lif.spikes', 'mon.spikes')).toBeNull();
    expect(problem('pois.spikes', 'mon.spikes')).toBeNull();
  });

  it('allows a population to feed itself', () => {
    expect(problem('lif.spikes', 'lif.in')).toBeNull();
  });

  it('refuses ports of different types', () => {
    expect(problem('dc.current', 'lif.in')).toBe('A current output cannot feed a spikes input.');
    expect(problem('pois.spikes', 'lif.current')).toBe('A spikes output cannot feed a current input.');
  });

  it('refuses output to output and input to anything', () => {
    expect(problem('pois.spikes', 'lif.spikes')).toBe('Port "spikes" of node "lif" (LIF (current, exp. synapses)) is an output; a wire ends at an input.');
    expect(problem('lif.in', 'mon.spikes')).toBe('Port "in" of node "lif" (LIF (current, exp. synapses)) is an input; a wire starts at an output.');
  });

  it('refuses wiring out of a monitor: it only observes', () => {
    expect(problem('mon.spikes', 'lif.in')).toBe('Node "mon" (Spike monitor) is a monitor: it only observes, and has no output to wire from.');
  });

  it('refuses wiring into a source that takes no inputs', () => {
    expect(problem('lif.spikes', 'pois.spikes')).toBe('Port "spikes" of node "pois" (Poisson source) is an output; a wire ends at an input.');
    expect(problem('lif.spikes', 'pois.x')).toBe('Node "pois" (Poisson source) takes no inputs.');
  });

  it('refuses unknown nodes and ports, listing the ports there are', () => {
    expect(problem('ghost.spikes', 'lif.in')).toBe('There is no node "ghost".');
    expect(problem('pois.spikes', 'ghost.in')).toBe('There is no node "ghost".');
    expect(problem('pois.out', 'lif.in')).toBe('Node "pois" (Poisson source) has no output "out" (its outputs: spikes).');
    expect(problem('pois.spikes', 'lif.syn')).toBe('Node "lif" (LIF (current, exp. synapses)) has no input "syn" (its inputs: in, current).');
    const d = doc();
    d.nodes[0].kind = 'old-kind';
    expect(problem('pois.spikes', 'lif.in', d)).toBe('Node "pois" has an unknown kind "old-kind".');
  });

  it('allows a second projection between the same ports only while the target has a receptor it leaves free', () => {
    const d = doc();
    expect(secondReceptor(d, ref('pois.spikes'), ref('lif.in'))).toBe('inh');
    expect(problem('pois.spikes', 'lif.in', d)).toBeNull();
    d.edges.push({ id: 'e2', source: ref('pois.spikes'), target: ref('lif.in'), params: { ...defaultParams(PROJECTION_PARAMS), receptor: 'inh' } });
    expect(secondReceptor(d, ref('pois.spikes'), ref('lif.in'))).toBeNull();
    expect(problem('pois.spikes', 'lif.in', d)).toBe('These two ports are already wired together.');
    expect(connectionProblem(d, ref('pois.spikes'), ref('lif.in'), { ignoreEdge: 'e2' })).toBeNull();
  });

  it('refuses a second identical observing wire, except for the edge being reconnected', () => {
    const d = doc();
    d.edges.push({ id: 'm1', source: ref('lif.spikes'), target: ref('mon.spikes'), params: {} });
    expect(problem('lif.spikes', 'mon.spikes', d)).toBe('These two ports are already wired together.');
    expect(connectionProblem(d, ref('lif.spikes'), ref('mon.spikes'), { ignoreEdge: 'm1' })).toBeNull();
  });

  it('gives a stable code and the end at fault', () => {
    expect(wireProblem(doc(), ref('dc.current'), ref('lif.in'))).toMatchObject({ code: 'type-mismatch', end: 'target', part: 'port' });
    expect(wireProblem(doc(), ref('ghost.x'), ref('lif.in'))).toMatchObject({ code: 'unknown-node', end: 'source', part: 'node' });
  });
});

describe('edgeRole and defaultEdgeParams', () => {
  it('reads the role of the input port the edge feeds', () => {
    const d = doc();
    expect(edgeRole(d, { target: ref('lif.in') })).toBe('projection');
    expect(edgeRole(d, { target: ref('lif.current') })).toBe('inject');
    expect(edgeRole(d, { target: ref('mon.spikes') })).toBe('observe');
    expect(edgeRole(d, { target: ref('lif.spikes') })).toBeNull();
    expect(edgeRole(d, { target: ref('ghost.in') })).toBeNull();
  });

  it('gives projection wires the projection defaults and other wires nothing', () => {
    expect(defaultEdgeParams('projection')).toEqual({
      rule: 'all-to-all',
      p: 0.1,
      n: 10,
      allow_autapses: true,
      allow_multapses: false,
      weight: 1,
      delay_ms: 0,
      receptor: 'exc',
    });
    expect(defaultEdgeParams('observe')).toEqual({});
    expect(defaultEdgeParams('inject')).toEqual({});
    expect(defaultEdgeParams(null)).toEqual({});
  });

  it('returns a fresh object each time', () => {
    const a = defaultEdgeParams('projection');
    a.rule = 'one-to-one';
    expect(defaultEdgeParams('projection').rule).toBe('all-to-all');
  });
});
