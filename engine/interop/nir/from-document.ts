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
import { getKind } from '../../kinds/index.ts';
import { DETAILS_KEY, storeDetails } from './details.ts';
import { filled, ints, nirGraph, nirNode, scalar, tensor } from './model.ts';
import type { NirEdge, NirNode } from './model.ts';
import type { NirGraph } from './model.ts';

export interface NirExportOptions {
  /** The unit of every time written. Default `s`. */
  readonly timeUnit?: 's' | 'ms';
  /** How the weights are meant to enter a neuron (see `NirImportOptions.spikeInput`). Default `per-step`. */
  readonly spikeInput?: 'per-step' | 'dirac';
  /**
   * The user agrees to freeze what NIR cannot carry: each plasticity node's stored weights
   * (the `weights` field a run saved) become a static `Linear`, and Poisson sources and
   * encoders become an `Input` of their channel count. Default false: they are refused.
   */
  readonly staticWeights?: boolean;
}

/** The consent that `staticWeights` gives, in words, for the refusals that it would lift. */
export const STATIC_WEIGHTS_CONSENT = 'exporting with static weights and Input nodes turns it into';

const INPUT_KINDS = new Set(['poisson-source', 'rate-encoder', 'latency-encoder', 'gaussian-encoder', 'delta-encoder']);
/** Observers with no place in a NIR graph: left out with a note, not refused. */
const OBSERVERS = new Set(['state-monitor', 'rate-monitor', 'weight-monitor']);
/** The non-spiking kinds: a state monitor watching one becomes an `Output` of its value. */
const READOUTS = new Set(['li-delta', 'li-curr-exp', 'integrator']);

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

  const consent = options.staticWeights === true;
  const kindOf = new Map(doc.nodes.map((n) => [n.id, n.kind]));
  const plastic = new Map<string, DocNode>();
  for (const node of doc.nodes) {
    if (getKind(node.kind)?.category === 'plasticity') {
      plastic.set(node.id, node);
      continue;
    }
    if (OBSERVERS.has(node.kind)) {
      if (node.kind === 'state-monitor' && doc.edges.some((e) => e.target.node === node.id && READOUTS.has(kindOf.get(e.source.node) ?? ''))) continue;
      notes.push(`${node.id}: a ${node.kind} observes the run; NIR has no monitors, so it is left out.`);
      continue;
    }
    const made = INPUT_KINDS.has(node.kind)
      ? inputNode(node, consent, (reason) => refuse(node.id, node.kind, reason), notes)
      : exportNode(node, unitMs, (reason) => refuse(node.id, node.kind, reason));
    if (!made) continue;
    nodes.push([node.id, made.nir]);
    sizes.set(node.id, made.size);
    if (made.tauIn !== undefined) targets.set(node.id, { size: made.size, tauIn: made.tauIn });
    if (node.kind === 'spike-generator') notes.push(`${node.id}: a NIR Input carries no spikes; its ${made.size} channels are kept, its spike times are not.`);
    const vInit = node.params.v_init_mv;
    if (made.tauIn !== undefined && vInit !== 0) notes.push(`${node.id}: the initial V (${JSON.stringify(vInit)}) is not part of NIR; a reader starts at 0.`);
  }

  const outputs = new Map<string, string[]>();
  /** A projection: a plain wire, or the path source → plasticity node → target. */
  const projections: { id: string; kind: string; label: string; from: string; to: string; port: string; params: Record<string, unknown>; plastic: boolean }[] = [];
  for (const node of plastic.values()) {
    if (!consent) refuse(node.id, node.kind, `plasticity has no NIR form; ${STATIC_WEIGHTS_CONSENT} a static Linear of its current weights`);
  }
  for (const e of doc.edges) {
    const targetKind = kindOf.get(e.target.node) ?? '?';
    if (targetKind === 'spike-monitor' || (targetKind === 'state-monitor' && READOUTS.has(kindOf.get(e.source.node) ?? ''))) {
      outputs.set(e.target.node, [...(outputs.get(e.target.node) ?? []), e.source.node]);
      continue;
    }
    if (OBSERVERS.has(targetKind) || plastic.has(e.target.node)) continue;
    const through = plastic.get(e.source.node);
    if (through) {
      if (!consent) continue;
      const pre = doc.edges.find((x) => x.target.node === through.id);
      const posts = doc.edges.filter((x) => x.source.node === through.id);
      if (!pre) {
        refuse(through.id, through.kind, 'nothing feeds its pre input');
        continue;
      }
      const id = posts.length === 1 ? through.id : `${through.id}.${e.target.node}`;
      projections.push({
        id,
        kind: through.kind,
        label: `${through.kind} ${pre.source.node} → ${e.target.node}`,
        from: pre.source.node,
        to: e.target.node,
        port: e.target.port,
        params: through.params,
        plastic: true,
      });
    } else
      projections.push({
        id: e.id,
        kind: `wire ${e.source.node} → ${e.target.node}`,
        label: `wire ${e.source.node} → ${e.target.node}`,
        from: e.source.node,
        to: e.target.node,
        port: e.target.port,
        params: e.params,
        plastic: false,
      });
  }
  for (const pr of projections) {
    const no = (reason: string) => refuse(pr.id, pr.plastic ? pr.kind : pr.label, reason);
    const target = targets.get(pr.to);
    const preSize = sizes.get(pr.from);
    if (pr.port !== 'in' || !target || preSize === undefined) {
      if (sizes.has(pr.from) && sizes.has(pr.to)) no(`a ${pr.port} input has no NIR form here`);
      else no(`its ${sizes.has(pr.from) ? 'target' : 'source'} (${sizes.has(pr.from) ? kindOf.get(pr.to) : kindOf.get(pr.from)}) is not exported`);
      continue;
    }
    const p = pr.params;
    const delayMs = num(p.delay_ms) ?? (p.delay_ms === undefined ? 0 : undefined);
    if (delayMs === undefined) {
      no("its delay must be one number (drawn delays need the engine's synapses)");
      continue;
    }
    const dense = denseWeights(p, preSize, target.size, pr.plastic);
    if (typeof dense === 'string') {
      no(dense);
      continue;
    }
    const sign = p.receptor === 'inh' ? -1 : 1;
    const scale = (sign * target.tauIn) / (perStep ? dtFile : 1);
    const data = dense.map((w) => (w === 0 ? 0 : w * scale));
    if (pr.plastic) notes.push(`${pr.id}: its current weights are exported as static ones (the plasticity rule is not).`);
    nodes.push([pr.id, nirNode('Linear', { weight: tensor(data, [target.size, preSize]) })]);
    edges.push([pr.from, pr.id]);
    if (delayMs > 0) {
      const delay = `${pr.id}.delay`;
      nodes.push([delay, nirNode('Delay', { delay: filled([target.size], delayMs / unitMs) })]);
      edges.push([pr.id, delay], [delay, pr.to]);
    } else edges.push([pr.id, pr.to]);
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

  // An Input that feeds nothing changes nothing, but stops the reference reader's type inference: left out.
  for (const [name, node] of [...nodes]) {
    if (node.type !== 'Input' || edges.some(([from]) => from === name)) continue;
    nodes.splice(
      nodes.findIndex(([n]) => n === name),
      1,
    );
    notes.push(`${name}: it feeds nothing that is exported, so it is left out (a NIR reader starts its type inference at the Input nodes).`);
  }
  if (!nodes.some(([, n]) => n.type === 'Input') && notExported.length === 0) {
    refuse('(graph)', 'graph', 'nothing feeds the exported populations: a NIR graph needs an Input node wired to them (the reference reader refuses a graph without one)');
  }
  // NIR states no reset or integration; the graph's metadata does, once for all populations.
  const graphWide = (param: string, fallback: string): string => {
    const values = new Set(doc.nodes.filter((n) => targets.has(n.id) && n.params[param] !== undefined).map((n) => String(n.params[param])));
    if (values.size > 1) {
      for (const n of doc.nodes) {
        if (targets.has(n.id) && n.params[param] !== undefined)
          refuse(n.id, n.kind, `its ${param} (${String(n.params[param])}) differs from other populations'; a NIR file states one ${param} for the whole graph (metadata/${param})`);
      }
    }
    return values.size === 1 ? [...values][0] : fallback;
  };
  const reset = graphWide('reset', 'to-v-reset');
  const integration = graphWide('integration', 'exact');
  const names = new Set(nodes.map(([name]) => name));
  const kept = new Set([...names, ...doc.edges.filter((e) => names.has(e.target.node) || (names.has(e.source.node) && outputs.has(e.target.node))).map((e) => e.id)]);
  const metadata = {
    dt: scalar(dtFile),
    time_unit: unitMs === 1000 ? 's' : 'ms',
    spike_input: perStep ? 'per-step' : 'dirac',
    reset,
    integration,
    source: 'spikeflow',
    [DETAILS_KEY]: storeDetails(doc, kept),
  };
  return { graph: nirGraph(nodes, edges, metadata), notExported, notes };
}

/**
 * The weights of a projection as a dense `[post, pre]` matrix (mV, ≥ 0; the receptor gives the
 * sign), or why there is none: stored synapses (`weights`: a saved run, or learned ones) first,
 * else one weight all-to-all or one-to-one.
 */
function denseWeights(p: Record<string, unknown>, preSize: number, postSize: number, plastic: boolean): number[] | string {
  const stored = p.weights as { pre?: unknown; post?: unknown; w?: unknown } | undefined;
  if (stored && Array.isArray(stored.pre) && Array.isArray(stored.post) && Array.isArray(stored.w)) {
    const out = new Array<number>(postSize * preSize).fill(0);
    for (let k = 0; k < stored.w.length; k++) {
      const [i, j, w] = [stored.post[k] as number, stored.pre[k] as number, stored.w[k] as number];
      if (i >= postSize || j >= preSize) return `its stored synapse ${k} (${j} → ${i}) is outside the populations`;
      out[i * preSize + j] += w;
    }
    return out;
  }
  if (plastic) return 'its weights are drawn when a run starts and none are stored; run it and save the weights (spikeflow run --save-weights inline, or Save weights in the app) to export them';
  const w = num(p.weight);
  if (p.rule !== 'all-to-all' && p.rule !== 'one-to-one') return `its connectivity "${String(p.rule)}" is drawn by the engine; exporting it needs the drawn synapses as a weight matrix (not yet)`;
  if (w === undefined) return "its weight and delay must each be one number (drawn values need the engine's synapses)";
  if (p.rule === 'one-to-one' && preSize !== postSize) return `one-to-one needs equal sizes (${preSize} → ${postSize})`;
  return p.rule === 'all-to-all' ? new Array<number>(postSize * preSize).fill(w) : Array.from({ length: postSize * preSize }, (_, k) => (k % (preSize + 1) === 0 ? w : 0));
}

/** A Poisson source or an encoder: refused, or with consent an `Input` of its channel count. */
function inputNode(node: DocNode, consent: boolean, refuse: (reason: string) => void, notes: string[]): { nir: NirNode; size: number; tauIn?: number } | undefined {
  const what = node.kind === 'poisson-source' ? 'Poisson input has no NIR form (a NIR Input carries no rate)' : 'an encoder has no NIR form (a NIR Input carries no data)';
  if (!consent) {
    refuse(`${what}; ${STATIC_WEIGHTS_CONSENT} an Input`);
    return undefined;
  }
  const kind = getKind(node.kind);
  const size = kind?.size ? kind.size(node.params as never) : 0;
  notes.push(`${node.id}: exported as an Input of ${size} channels; what it generates is not part of NIR.`);
  return { nir: nirNode('Input', { shape: ints([size]) }), size };
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
    case 'lif-curr-exp':
    case 'if-delta':
    case 'li-delta':
    case 'li-curr-exp':
    case 'integrator': {
      if ((num(p.t_ref_ms) ?? 0) > 0) {
        refuse(`NIR has no refractory period; set t_ref_ms to 0 to export (it is ${p.t_ref_ms} ms)`);
        return undefined;
      }
      if ((num(p.i_bias_pa) ?? 0) !== 0) {
        refuse(`its bias current (${p.i_bias_pa} pA) has no NIR form here (an Affine bias would carry it: not yet); set it to 0 to export`);
        return undefined;
      }
      if (p.reset === 'subtract' && num(p.v_reset_mv) !== 0) {
        refuse(`its reset subtracts v_th − v_reset, NIR's subtracting reset subtracts v_threshold: with reset = subtract, set v_reset to 0 to export (it is ${p.v_reset_mv} mV)`);
        return undefined;
      }
      const n = (v: unknown) => filled([size], num(v) ?? NaN);
      const tau = (num(p.tau_m_ms) ?? NaN) / unitMs;
      const tauSyn = (num(p.tau_syn_exc_ms) ?? NaN) / unitMs;
      if ((node.kind === 'lif-curr-exp' || node.kind === 'li-curr-exp') && p.tau_syn_exc_ms !== p.tau_syn_inh_ms) {
        refuse(`NIR's ${node.kind === 'lif-curr-exp' ? 'CubaLIF' : 'CubaLI'} has one synaptic time constant; τ exc (${p.tau_syn_exc_ms} ms) and τ inh (${p.tau_syn_inh_ms} ms) differ`);
        return undefined;
      }
      const spiking = { v_threshold: n(p.v_th_mv), v_reset: n(p.v_reset_mv) };
      switch (node.kind) {
        case 'lif-delta':
          return { nir: nirNode('LIF', { tau: n(tau), r: n(1), v_leak: n(p.v_rest_mv), ...spiking }), size, tauIn: tau };
        case 'lif-curr-exp':
          return { nir: nirNode('CubaLIF', { tau_syn: n(tauSyn), tau_mem: n(tau), r: n(1), v_leak: n(p.v_rest_mv), ...spiking, w_in: n(1) }), size, tauIn: tauSyn };
        case 'li-delta':
          return { nir: nirNode('LI', { tau: n(tau), r: n(1), v_leak: n(p.v_rest_mv) }), size, tauIn: tau };
        case 'li-curr-exp':
          return { nir: nirNode('CubaLI', { tau_syn: n(tauSyn), tau_mem: n(tau), r: n(1), v_leak: n(p.v_rest_mv), w_in: n(1) }), size, tauIn: tauSyn };
        case 'if-delta':
          // No leak: a weight w (mV) is R·W·dt (per step), R = 1, so W = w/dt: τ_in = 1.
          return { nir: nirNode('IF', { r: n(1), ...spiking }), size, tauIn: 1 };
        default:
          return { nir: nirNode('I', { r: n(1) }), size, tauIn: 1 };
      }
    }
    case 'poisson-drive':
      refuse('a Poisson drive has no NIR form (it is a current into each neuron, not a graph node)');
      return undefined;
    default:
      refuse('this kind has no NIR primitive yet');
      return undefined;
  }
}
