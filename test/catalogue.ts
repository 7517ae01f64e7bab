/**
 * For any node kind, a minimal runnable document that exercises it, derived
 * from the kind's declaration (ports, roles, runtime role), so new kinds are
 * covered without editing the tests.
 */
import { defaultParams, getKind, KINDS, PROJECTION_PARAMS, type NodeKind } from '../engine/kinds/index.ts';
import { newDocument } from '../engine/format/load.ts';
import type { DocEdge, DocNode, GraphDocument } from '../engine/format/document.ts';

function node(id: string, kind: string, x: number, params: Record<string, unknown> = {}): DocNode {
  return { id, kind, label: id, position: { x, y: 100 }, params: { ...defaultParams(getKind(kind)!.params), ...params } };
}

function wire(id: string, s: string, sp: string, t: string, tp: string, params?: Record<string, unknown>): DocEdge {
  return { id, source: { node: s, port: sp }, target: { node: t, port: tp }, params: params ?? {} };
}

const projection = (over: Record<string, unknown> = {}) => ({ ...defaultParams(PROJECTION_PARAMS), rule: 'bernoulli', p: 0.5, ...over });

export function catalogueDocument(kind: NodeKind, durationMs = 100): GraphDocument {
  const doc = newDocument(`catalogue ${kind.id}`);
  doc.simulation.duration_ms = durationMs;
  const nodes: DocNode[] = [];
  const edges: DocEdge[] = [];
  const subject = 'subject';
  const rt = kind.runtime;
  const spikesOut = kind.outputs.find((p) => p.type === 'spikes');
  const inPort = kind.inputs.find((p) => p.role === 'projection');
  const curPort = kind.inputs.find((p) => p.role === 'inject' && p.type === 'current');
  switch (rt.role) {
    case 'neurons': {
      nodes.push(node('drive', 'poisson-source', 0, { size: 50, rate_hz: 50 }), node(subject, kind.id, 300, { size: 20 }), node('spikes', 'spike-monitor', 600));
      if (inPort) edges.push(wire('p', 'drive', 'spikes', subject, inPort.id, projection()));
      if (curPort) {
        nodes.push(node('dc', 'dc-current', 0));
        edges.push(wire('c', 'dc', 'current', subject, curPort.id));
      }
      edges.push(wire('m', subject, spikesOut!.id, 'spikes', 'spikes'));
      if (kind.state?.length) {
        nodes.push(node('trace', 'state-monitor', 600, { variable: kind.state[0].id, neurons: [0, 1] }));
        edges.push(wire('t', subject, spikesOut!.id, 'trace', 'spikes'));
      }
      break;
    }
    case 'spike-source':
    case 'current-source':
    case 'drive': {
      nodes.push(node(subject, kind.id, 0), node('lif', 'lif-curr-exp', 300, { size: 20 }), node('spikes', 'spike-monitor', 600));
      const out = kind.outputs[0];
      if (out.type === 'spikes') {
        edges.push(wire('p', subject, out.id, 'lif', 'in', projection()));
        edges.push(wire('ms', subject, out.id, 'spikes', 'spikes'));
      } else edges.push(wire('c', subject, out.id, 'lif', 'current'));
      edges.push(wire('m', 'lif', 'spikes', 'spikes', 'spikes'));
      break;
    }
    case 'plasticity': {
      // A plastic projection through the subject: drive → pre, post → a population's synapses.
      nodes.push(
        node('drive', 'poisson-source', 0, { size: 50, rate_hz: 50 }),
        node(subject, kind.id, 300, { rule: 'bernoulli', p: 0.5, w_max: 5, weight: 5 }),
        node('lif', 'lif-curr-exp', 600, { size: 20 }),
        node('spikes', 'spike-monitor', 900),
      );
      edges.push(wire('pre', 'drive', 'spikes', subject, kind.inputs.find((p) => p.role === 'plastic')!.id));
      edges.push(wire('post', subject, kind.outputs[0].id, 'lif', 'in'));
      edges.push(wire('m', 'lif', 'spikes', 'spikes', 'spikes'));
      break;
    }
    case 'trainer': {
      // One digit shown for 60 ms then 40 ms of rest (1000 steps), trained for an epoch, towards 10 readout neurons.
      nodes.push(
        node('digits', 'rate-encoder', 0, { input: 'digits', sample_count: 1, presentation_ms: 60, rest_ms: 40, max_rate_hz: 200 }),
        node('lif', 'lif-curr-exp', 300, { size: 10 }),
        node(subject, kind.id, 600, { epochs: 1 }),
      );
      edges.push(wire('p', 'digits', 'spikes', 'lif', 'in', projection({ rule: 'all-to-all', weight: 2 })));
      edges.push(wire('t', 'lif', 'spikes', subject, kind.inputs[0].id));
      break;
    }
    case 'readout': {
      // Digits shown 50 ms each into 20 LIF neurons; the readout scores them against the digit labels (issue 5).
      nodes.push(node('digits', 'rate-encoder', 0, { input: 'digits', presentation_ms: 50, rest_ms: 0 }), node('lif', 'lif-curr-exp', 300, { size: 20 }), node(subject, kind.id, 600, { classes: 10 }));
      edges.push(wire('p', 'digits', 'spikes', 'lif', 'in', projection({ weight: 5 })));
      edges.push(wire('m', 'lif', 'spikes', subject, 'spikes'));
      edges.push(wire('l', 'digits', 'label', subject, 'label'));
      break;
    }
    case 'modulator': {
      // A reward-modulated projection whose modulator is the subject (a constant reward level).
      nodes.push(
        node('drive', 'poisson-source', 0, { size: 50, rate_hz: 50 }),
        node('rstdp', 'reward-stdp', 300, { rule: 'bernoulli', p: 0.5, w_max: 10, weight: 5 }),
        node('lif', 'lif-curr-exp', 600, { size: 20 }),
        node(subject, kind.id, 300, { source: 'schedule', times_ms: [0], values: [1] }),
        node('spikes', 'spike-monitor', 900),
      );
      edges.push(wire('pre', 'drive', 'spikes', 'rstdp', 'pre'));
      edges.push(wire('post', 'rstdp', 'post', 'lif', 'in'));
      edges.push(wire('mod', subject, 'modulator', 'rstdp', 'modulator'));
      edges.push(wire('m', 'lif', 'spikes', 'spikes', 'spikes'));
      break;
    }
    case 'monitor': {
      if (rt.records === 'weights') {
        // A weight monitor watches a plastic projection: drive → STDP → lif, and STDP → subject.
        nodes.push(
          node('drive', 'poisson-source', 0, { size: 50, rate_hz: 50 }),
          node('stdp', 'stdp', 300, { rule: 'bernoulli', p: 0.5, w_max: 5, weight: 5 }),
          node('lif', 'lif-curr-exp', 600, { size: 20 }),
          node(subject, kind.id, 600),
        );
        edges.push(wire('pre', 'drive', 'spikes', 'stdp', 'pre'), wire('post', 'stdp', 'post', 'lif', 'in'), wire('m', 'stdp', 'post', subject, kind.inputs[0].id));
        break;
      }
      nodes.push(node('drive', 'poisson-source', 0, { size: 50, rate_hz: 50 }), node('lif', 'lif-curr-exp', 300, { size: 20 }), node(subject, kind.id, 600));
      edges.push(wire('p', 'drive', 'spikes', 'lif', 'in', projection({ weight: 5 })));
      edges.push(wire('m', 'lif', 'spikes', subject, kind.inputs[0].id));
      break;
    }
  }
  doc.nodes = nodes;
  doc.edges = edges;
  return doc;
}

export const ALL_KINDS = KINDS;
