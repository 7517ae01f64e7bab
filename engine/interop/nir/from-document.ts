/**
 * A first Spikeflow → NIR mapping, the mirror of `to-document.ts` for the same subset:
 * `lif-delta` → LIF, `lif-curr-exp` → CubaLIF, `spike-generator` → Input, `spike-monitor` →
 * Output, and all-to-all / one-to-one projections with one weight and one delay → Linear
 * (+ Delay). Anything else is named in `notExported` with its reason; nothing is dropped
 * silently. Groups (format v2) are flattened first.
 *
 * Conventions (README.md, *Mapping*): times in seconds (or ms), 1 mV = 1 voltage unit,
 * `r = 1`, `w_in = 1`, reset to `v_reset`; a weight w (mV) becomes `W = w·τ/dt` (per-step
 * input, the default) or `W = w·τ` (Dirac), τ the target's input time constant, with the
 * sign of its receptor. The choices are written into the graph's metadata.
 */
import { flattenDocument } from '../../format/groups.ts';
import type { DocNode, GraphDocument } from '../../format/document.ts';
import { filled, ints, nirGraph, nirNode, scalar, tensor } from './model.ts';
import type { NirEdge, NirNode } from './model.ts';
import type { NirGraph } from './model.ts';

export interface NirExportOptions {
  /** The unit of every time written. Default `s`. */
  readonly timeUnit?: 's' | 'ms';
  /** How the weights are meant to enter a neuron (see `NirImportOptions.spikeInput`). Default `per-step`. */
  readonly spikeInput?: 'per-step' | 'dirac';
}

/** One document node or wire that has no NIR form here, and why. */
export interface NirNotExported {
  readonly id: string;
  readonly kind: string;
  readonly reason: string;
}

export interface NirExportDraft {
  readonly graph: NirGraph;
  readonly notExported: readonly NirNotExported[];
  readonly notes: readonly string[];
}

/** "not exportable: X (kind) — reason" */
export function describeNotExported(n: NirNotExported): string {
  return `not exportable: ${n.id} (${n.kind}) — ${n.reason}`;
}

interface Target {
  readonly size: number;
  /** The time constant a weighted spike divides by, in the file's unit. */
  readonly tauIn: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Maps a (valid, loaded) document onto a NIR graph. Pure: the same document and options give
 * the same graph. The spikes of a spike generator are not part of NIR: its `Input` carries
 * only the channel count.
 */
export function documentToNirDraft(document: GraphDocument, options: NirExportOptions = {}): NirExportDraft {
  const { doc } = flattenDocument(document);
  const unitMs = (options.timeUnit ?? 's') === 's' ? 1000 : 1;
  const perStep = (options.spikeInput ?? 'per-step') === 'per-step';
  const dtFile = doc.simulation.dt_ms / unitMs;
  const nodes: [string, NirNode][] = [];
  const edges: NirEdge[] = [];
  const notExported: NirNotExported[] = [];
  const notes: string[] = [];
  const refuse = (id: string, kind: string, reason: string) => notExported.push({ id, kind, reason });
  const sizes = new Map<string, number>();
  const targets = new Map<string, Target>();

  for (const node of doc.nodes) {
    const made = exportNode(node, unitMs, (reason) => refuse(node.id, node.kind, reason));
    if (!made) continue;
    nodes.push([node.id, made.nir]);
    sizes.set(node.id, made.size);
    if (made.tauIn !== undefined) targets.set(node.id, { size: made.size, tauIn: made.tauIn });
    if (node.kind === 'spike-generator') notes.push(`${node.id}: a NIR Input carries no spikes; its ${made.size} channels are kept, its spike times are not.`);
    const vInit = node.params.v_init_mv;
    if (made.tauIn !== undefined && vInit !== 0) notes.push(`${node.id}: the initial V (${JSON.stringify(vInit)}) is not part of NIR; a reader starts at 0.`);
  }

  const kindOf = new Map(doc.nodes.map((n) => [n.id, n.kind]));
  const outputs = new Map<string, string[]>();
  for (const e of doc.edges) {
    const sourceKind = kindOf.get(e.source.node) ?? '?';
    const targetKind = kindOf.get(e.target.node) ?? '?';
    if (targetKind === 'spike-monitor') {
      outputs.set(e.target.node, [...(outputs.get(e.target.node) ?? []), e.source.node]);
      continue;
    }
    const label = `wire ${e.source.node} → ${e.target.node}`;
    const target = targets.get(e.target.node);
    const preSize = sizes.get(e.source.node);
    if (e.target.port !== 'in' || !target || preSize === undefined) {
      if (sizes.has(e.source.node) && sizes.has(e.target.node)) refuse(e.id, label, `a ${e.target.port} input has no NIR form here`);
      else refuse(e.id, label, `its ${sizes.has(e.source.node) ? 'target' : 'source'} (${sizes.has(e.source.node) ? targetKind : sourceKind}) is not exported`);
      continue;
    }
    const p = e.params;
    const w = num(p.weight);
    const delayMs = num(p.delay_ms) ?? (p.delay_ms === undefined ? 0 : undefined);
    if (p.rule !== 'all-to-all' && p.rule !== 'one-to-one') {
      refuse(e.id, label, `its connectivity "${String(p.rule)}" is drawn by the engine; exporting it needs the drawn synapses as a weight matrix (not yet)`);
      continue;
    }
    if (w === undefined || delayMs === undefined) {
      refuse(e.id, label, "its weight and delay must each be one number (drawn values need the engine's synapses)");
      continue;
    }
    if (p.rule === 'one-to-one' && preSize !== target.size) {
      refuse(e.id, label, `one-to-one needs equal sizes (${preSize} → ${target.size})`);
      continue;
    }
    const sign = p.receptor === 'inh' ? -1 : 1;
    const W = (sign * w * target.tauIn) / (perStep ? dtFile : 1);
    const data = p.rule === 'all-to-all' ? new Array<number>(target.size * preSize).fill(W) : Array.from({ length: target.size * preSize }, (_, k) => (k % (preSize + 1) === 0 ? W : 0));
    const linear = `${e.id}`;
    nodes.push([linear, nirNode('Linear', { weight: tensor(data, [target.size, preSize]) })]);
    edges.push([e.source.node, linear]);
    if (delayMs > 0) {
      const delay = `${e.id}.delay`;
      nodes.push([delay, nirNode('Delay', { delay: filled([target.size], delayMs / unitMs) })]);
      edges.push([linear, delay], [delay, e.target.node]);
    } else edges.push([linear, e.target.node]);
  }

  for (const [monitor, observed] of outputs) {
    for (const pop of observed) {
      const size = sizes.get(pop);
      const name = observed.length === 1 ? monitor : `${monitor}.${pop}`;
      if (size === undefined) {
        refuse(name, 'spike-monitor', `it observes ${pop}, which is not exported`);
        continue;
      }
      nodes.push([name, nirNode('Output', { shape: ints([size]) })]);
      edges.push([pop, name]);
    }
  }

  const metadata = {
    dt: scalar(dtFile),
    time_unit: unitMs === 1000 ? 's' : 'ms',
    spike_input: perStep ? 'per-step' : 'dirac',
    reset: 'to-v-reset',
    source: 'spikeflow',
  };
  return { graph: nirGraph(nodes, edges, metadata), notExported, notes };
}

function exportNode(node: DocNode, unitMs: number, refuse: (reason: string) => void): { nir: NirNode; size: number; tauIn?: number } | undefined {
  const p = node.params;
  const size = num(p.size) ?? 0;
  switch (node.kind) {
    case 'spike-generator':
      return { nir: nirNode('Input', { shape: ints([size]) }), size };
    case 'spike-monitor':
      return undefined;
    case 'lif-delta':
    case 'lif-curr-exp': {
      if ((num(p.t_ref_ms) ?? 0) > 0) {
        refuse(`NIR has no refractory period; set t_ref_ms to 0 to export (it is ${p.t_ref_ms} ms)`);
        return undefined;
      }
      const n = (v: unknown) => filled([size], num(v) ?? NaN);
      const tau = (num(p.tau_m_ms) ?? NaN) / unitMs;
      if (node.kind === 'lif-delta') {
        return { nir: nirNode('LIF', { tau: n(tau), r: n(1), v_leak: n(p.v_rest_mv), v_threshold: n(p.v_th_mv), v_reset: n(p.v_reset_mv) }), size, tauIn: tau };
      }
      if (p.tau_syn_exc_ms !== p.tau_syn_inh_ms) {
        refuse(`NIR's CubaLIF has one synaptic time constant; τ exc (${p.tau_syn_exc_ms} ms) and τ inh (${p.tau_syn_inh_ms} ms) differ`);
        return undefined;
      }
      const tauSyn = (num(p.tau_syn_exc_ms) ?? NaN) / unitMs;
      return {
        nir: nirNode('CubaLIF', {
          tau_syn: n(tauSyn),
          tau_mem: n(tau),
          r: n(1),
          v_leak: n(p.v_rest_mv),
          v_threshold: n(p.v_th_mv),
          v_reset: n(p.v_reset_mv),
          w_in: n(1),
        }),
        size,
        tauIn: tauSyn,
      };
    }
    case 'poisson-source':
    case 'poisson-drive':
      refuse('Poisson input has no NIR form (a NIR Input carries no rate)');
      return undefined;
    default:
      refuse('this kind has no NIR primitive yet');
      return undefined;
  }
}
