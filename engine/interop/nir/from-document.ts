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
  /** Per neuron: the time constant a weighted spike divides by, in the file's unit. */
  readonly tauIn: Float64Array;
  /** Per neuron: the NIR bias b its bias current (pA) stands for (`i_bias_pa · biasPer`), undefined when it has none. */
  readonly bias?: Float64Array;
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
    if (made.tauIn !== undefined) targets.set(node.id, { size: made.size, tauIn: made.tauIn, bias: made.bias });
    if (node.kind === 'spike-generator') notes.push(`${node.id}: a NIR Input carries no spikes; its ${made.size} channels are kept, its spike times are not.`);
    const vInit = node.params.v_init_mv;
    if (made.tauIn !== undefined && vInit !== 0 && !(Array.isArray(vInit) && vInit.every((x) => x === 0)))
      notes.push(`${node.id}: the initial V (${JSON.stringify(vInit)}) is not part of NIR; a reader starts at 0.`);
  }

  const outputs = new Map<string, string[]>();
  /** A projection: a plain wire, or the path source → plasticity node → target. */
  const projections: { id: string; kind: string; label: string; from: string; to: string; port: string; params: Record<string, unknown>; weights: unknown; plastic: boolean }[] = [];
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
        weights: through.weights ?? through.params.weights,
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
        weights: e.weights ?? e.params.weights,
        plastic: false,
      });
  }
  /** Targets whose bias current went into an Affine already (the first projection into each carries it). */
  const biased = new Set<string>();
  for (const pr of projections) {
    const no = (reason: string) => refuse(pr.id, pr.plastic ? pr.kind : pr.label, reason);
    const target = targets.get(pr.to);
    const preSize = sizes.get(pr.from);
    if (pr.port !== 'in' || !target || preSize === undefined) {
      if (sizes.has(pr.from) && sizes.has(pr.to)) no(`a ${pr.port} input has no NIR form here`);
      else no(`its ${sizes.has(pr.from) ? 'target' : 'source'} (${sizes.has(pr.from) ? kindOf.get(pr.to) : kindOf.get(pr.from)}) is not exported`);
      continue;
    }
    const syn = synapsesOf(pr.weights, pr.params, preSize, target.size, pr.plastic);
    if (typeof syn === 'string') {
      no(syn);
      continue;
    }
    const sign = pr.params.receptor === 'inh' ? -1 : 1;
    const data = new Float64Array(target.size * preSize);
    for (const x of syn) data[x.post * preSize + x.pre] += (x.w * sign * target.tauIn[x.post]) / (perStep ? dtFile : 1);
    const delays = delayPlacement(syn, preSize, target.size);
    if (typeof delays === 'string') {
      no(delays);
      continue;
    }
    if (pr.plastic) notes.push(`${pr.id}: its current weights are exported as static ones (the plasticity rule is not).`);
    const bias = target.bias && !biased.has(pr.to) ? target.bias : undefined;
    if (bias) biased.add(pr.to);
    const weight = tensor(data, [target.size, preSize]);
    nodes.push([pr.id, bias ? nirNode('Affine', { weight, bias: tensor(bias) }) : nirNode('Linear', { weight })]);
    const delay = `${pr.id}.delay`;
    if (delays.where === 'none') edges.push([pr.from, pr.id], [pr.id, pr.to]);
    else {
      nodes.push([delay, nirNode('Delay', { delay: tensor(delays.ms.map((d) => d / unitMs)) })]);
      if (delays.where === 'pre') edges.push([pr.from, delay], [delay, pr.id], [pr.id, pr.to]);
      else edges.push([pr.from, pr.id], [pr.id, delay], [delay, pr.to]);
    }
  }
  for (const [id, target] of targets) {
    if (target.bias && !biased.has(id)) {
      const node = doc.nodes.find((n) => n.id === id) as DocNode;
      refuse(
        id,
        node.kind,
        'its bias current has no NIR form without a projection into it (NIR carries a bias as the bias of the Affine that feeds the neurons); set i_bias_pa to 0 or wire an input to it',
      );
    }
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

interface Syn {
  readonly pre: number;
  readonly post: number;
  /** mV, ≥ 0 for drawn weights (the receptor gives the sign); explicit ones may be negative. */
  readonly w: number;
  readonly delayMs: number;
}

/**
 * The synapses of a projection, or why there are none: stored or explicit `weights` (a synapse
 * list, with or without a delay per synapse, or a dense `[target][source]` matrix; side files
 * are inlined by the host) first, else one weight all-to-all or one-to-one. The delay is
 * the synapse's own, else the projection's `delay_ms`, which must then be one number.
 */
function synapsesOf(weights: unknown, p: Record<string, unknown>, preSize: number, postSize: number, plastic: boolean): Syn[] | string {
  const stored = weights as { pre?: unknown; post?: unknown; w?: unknown; delay_ms?: unknown; dense?: unknown; file?: unknown } | undefined;
  const oneDelay = num(p.delay_ms) ?? (p.delay_ms === undefined ? 0 : undefined);
  const out: Syn[] = [];
  if (stored && Array.isArray(stored.dense)) {
    if (oneDelay === undefined) return "its delay must be one number (drawn delays need the engine's synapses)";
    const rows = stored.dense as number[][];
    for (let j = 0; j < rows.length; j++) for (let i = 0; i < rows[j].length; i++) if (rows[j][i] !== 0) out.push({ pre: i, post: j, w: rows[j][i], delayMs: oneDelay });
    return out;
  }
  if (stored && Array.isArray(stored.pre) && Array.isArray(stored.post) && Array.isArray(stored.w)) {
    const own = Array.isArray(stored.delay_ms) ? (stored.delay_ms as number[]) : undefined;
    if (!own && oneDelay === undefined) return "its delay must be one number (drawn delays need the engine's synapses)";
    for (let k = 0; k < stored.w.length; k++) {
      const [i, j, w] = [stored.post[k] as number, stored.pre[k] as number, stored.w[k] as number];
      if (i >= postSize || j >= preSize) return `its stored synapse ${k} (${j} → ${i}) is outside the populations`;
      out.push({ pre: j, post: i, w, delayMs: own ? own[k] : (oneDelay as number) });
    }
    return out;
  }
  if (stored && typeof stored.file === 'string') return `its weights are in the side file "${stored.file}", which was not read (open the document from its folder)`;
  if (plastic) return 'its weights are drawn when a run starts and none are stored; run it and save the weights (spikeflow run --save-weights inline, or Save weights in the app) to export them';
  const w = num(p.weight);
  if (p.rule !== 'all-to-all' && p.rule !== 'one-to-one')
    return `its connectivity "${String(p.rule)}" is drawn by the engine; ${STATIC_WEIGHTS_CONSENT} a static Linear of the synapses the engine draws under the document's seed`;
  if (w === undefined || oneDelay === undefined)
    return `its weight and delay must each be one number, or be drawn by the engine: ${STATIC_WEIGHTS_CONSENT} a static Linear of the synapses it draws under the document's seed`;
  if (p.rule === 'one-to-one' && preSize !== postSize) return `one-to-one needs equal sizes (${preSize} → ${postSize})`;
  if (w === 0) return out;
  if (p.rule === 'one-to-one') for (let i = 0; i < preSize; i++) out.push({ pre: i, post: i, w, delayMs: oneDelay });
  else for (let j = 0; j < postSize; j++) for (let i = 0; i < preSize; i++) out.push({ pre: i, post: j, w, delayMs: oneDelay });
  return out;
}

/**
 * Where a NIR `Delay` carries the synapses' delays (NIR delays are per channel): none (all 0),
 * after the Linear (one delay per target neuron; one value for all is written there too), or
 * before it (one per source neuron); otherwise why not.
 */
function delayPlacement(syn: readonly Syn[], preSize: number, postSize: number): { where: 'none' } | { where: 'pre' | 'post'; ms: number[] } | string {
  if (syn.every((s) => s.delayMs === 0)) return { where: 'none' };
  for (const [where, size, key] of [
    ['post', postSize, (s: Syn) => s.post],
    ['pre', preSize, (s: Syn) => s.pre],
  ] as const) {
    const ms = new Array<number | undefined>(size).fill(undefined);
    if (syn.every((s) => (ms[key(s)] ??= s.delayMs) === s.delayMs)) {
      const d0 = syn[0].delayMs;
      // Channels without synapses take the common delay when there is one, else 0.
      const fill = syn.every((s) => s.delayMs === d0) ? d0 : 0;
      return { where, ms: ms.map((d) => d ?? fill) };
    }
  }
  return 'its delays differ per synapse in a way NIR cannot carry (a NIR Delay holds one delay per source or per target neuron)';
}

/** A Poisson source or an encoder: refused, or with consent an `Input` of its channel count. */
function inputNode(node: DocNode, consent: boolean, refuse: (reason: string) => void, notes: string[]): { nir: NirNode; size: number; tauIn?: Float64Array; bias?: Float64Array } | undefined {
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

function exportNode(node: DocNode, unitMs: number, refuse: (reason: string) => void): { nir: NirNode; size: number; tauIn?: Float64Array; bias?: Float64Array } | undefined {
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
      /** A param's value for each neuron (one value, or its per-neuron list), mapped by `f`. */
      const each = (v: unknown, f: (x: number) => number = (x) => x): Float64Array => Float64Array.from({ length: size }, (_, j) => f(Array.isArray(v) ? (v[j] as number) : (num(v) ?? NaN)));
      if (p.reset === 'subtract' && each(p.v_reset_mv).some((x) => x !== 0)) {
        refuse(`its reset subtracts v_th − v_reset, NIR's subtracting reset subtracts v_threshold: with reset = subtract, set v_reset to 0 to export (it is ${JSON.stringify(p.v_reset_mv)} mV)`);
        return undefined;
      }
      const n = (v: unknown, f?: (x: number) => number) => tensor(each(v, f));
      const tau = each(p.tau_m_ms, (x) => x / unitMs);
      const tauSyn = each(p.tau_syn_exc_ms, (x) => x / unitMs);
      if ((node.kind === 'lif-curr-exp' || node.kind === 'li-curr-exp') && JSON.stringify(p.tau_syn_exc_ms) !== JSON.stringify(p.tau_syn_inh_ms)) {
        refuse(
          `NIR's ${node.kind === 'lif-curr-exp' ? 'CubaLIF' : 'CubaLI'} has one synaptic time constant; τ exc (${JSON.stringify(p.tau_syn_exc_ms)} ms) and τ inh (${JSON.stringify(p.tau_syn_inh_ms)} ms) differ`,
        );
        return undefined;
      }
      const leaky = node.kind !== 'if-delta' && node.kind !== 'integrator';
      // The bias current as NIR's b (R = 1, w_in = 1): R_m·I/1000 mV with a leak; I·(file time unit)/C without.
      const iBias = each(p.i_bias_pa ?? 0);
      const bias = iBias.some((x) => x !== 0) ? (leaky ? each(p.r_m_mohm ?? 100, (r) => r / 1000) : each(p.c_m_pf ?? 250, (c) => unitMs / c)).map((k, j) => k * iBias[j]) : undefined;
      const ones = filled([size], 1);
      const spiking = { v_threshold: n(p.v_th_mv), v_reset: n(p.v_reset_mv) };
      const one = new Float64Array(size).fill(1);
      switch (node.kind) {
        case 'lif-delta':
          return { nir: nirNode('LIF', { tau: tensor(tau), r: ones, v_leak: n(p.v_rest_mv), ...spiking }), size, tauIn: tau, bias };
        case 'lif-curr-exp':
          return { nir: nirNode('CubaLIF', { tau_syn: tensor(tauSyn), tau_mem: tensor(tau), r: ones, v_leak: n(p.v_rest_mv), ...spiking, w_in: filled([size], 1) }), size, tauIn: tauSyn, bias };
        case 'li-delta':
          return { nir: nirNode('LI', { tau: tensor(tau), r: ones, v_leak: n(p.v_rest_mv) }), size, tauIn: tau, bias };
        case 'li-curr-exp':
          return { nir: nirNode('CubaLI', { tau_syn: tensor(tauSyn), tau_mem: tensor(tau), r: ones, v_leak: n(p.v_rest_mv), w_in: filled([size], 1) }), size, tauIn: tauSyn, bias };
        case 'if-delta':
          // No leak: a weight w (mV) is R·W·dt (per step), R = 1, so W = w/dt: τ_in = 1.
          return { nir: nirNode('IF', { r: ones, ...spiking }), size, tauIn: one, bias };
        default:
          return { nir: nirNode('I', { r: ones }), size, tauIn: one, bias };
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
