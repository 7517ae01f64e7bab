/**
 * A first NIR → Spikeflow mapping: the part of a NIR graph that today's node kinds can
 * express, as a draft graph document, and a reason for every node that they cannot.
 * Nothing is dropped silently: nested graphs are inlined first (`inline.ts`: `sub.lif`), and
 * each node is then either in the document (`mapped`; a subgraph's Input and Output map to
 * no ids, they became wires) or in `notImported`.
 *
 * What maps (see README.md, *Mapping*, for the conventions):
 * - `LIF` with one value per parameter → `lif-delta`; `CubaLIF` → `lif-curr-exp`
 *   (no refractory period, v starts at 0 as in the reference implementations).
 * - `Input` → `spike-generator` (no spikes yet: the user loads them) or `poisson-source`.
 * - `Output` fed by spikes → `spike-monitor`.
 * - A chain source → [Delay | Flatten]* → Linear | Affine | Scale → [Delay | Flatten]* →
 *   population, or a direct source → population edge, → one projection, when the weights are
 *   all equal (all-to-all) or an equal diagonal (one-to-one); the sign picks the receptor.
 *   An Affine's uniform bias is folded into its one target's resting potential.
 */
import { newDocument } from '../../format/load.ts';
import type { Clock } from '../../format/load.ts';
import type { DocEdge, DocNode, GraphDocument } from '../../format/document.ts';
import { inlineSubgraphs } from './inline.ts';
import type { Inlined } from './inline.ts';
import { metaNumber, tensorSize } from './model.ts';
import { inferShapes } from './validate.ts';
import { biasOf, EXPANDED_TYPES, identity, LINEAR_TYPES, linearStep, merge, WEIGHT_TYPES } from './paths.ts';
import type { LinearStep, Synapse } from './paths.ts';
import type { NirGraph, NirNode, NirNodeOf, NirNodeType, NirTensor } from './model.ts';

export type NirInputChoice = 'spike-generator' | 'poisson-source' | 'rate-encoder';
export type NirResetChoice = 'subtract' | 'to-v-reset';

export interface NirImportOptions {
  /** The simulation step of the document, ms. */
  readonly dtMs: number;
  /** The unit of every time in the file (time constants, delays, `metadata/dt`). Default `s` (what Norse and snnTorch write). */
  readonly timeUnit?: 's' | 'ms';
  /**
   * How a weighted spike enters a neuron: `per-step` (the discrete reference: a spike is the
   * value 1 for one step, so `v` moves by `R·W·dt/τ`) or `dirac` (a unit impulse: `R·W/τ`).
   * Default: the file's `metadata/spike_input` when Spikeflow wrote it, else `per-step`.
   */
  readonly spikeInput?: 'per-step' | 'dirac';
  /**
   * What an `Input` becomes: `spike-generator` (spikes from a file, loaded by the user; the
   * default), `poisson-source` (a generator of random spikes) or `rate-encoder` (the samples
   * of a dataset as rates; set to 0.5 on every channel until the user picks the data).
   */
  readonly input?: NirInputChoice;
  /**
   * What a spike does to v: `to-v-reset` (the NIR equations) or `subtract` (v − v_threshold, the
   * reference discrete implementation and most exporters). Default: {@link guessReset}.
   */
  readonly reset?: NirResetChoice;
  readonly durationMs?: number;
  readonly name?: string;
  readonly clock?: Clock;
}

/** One NIR node that has no place in the document, and why. */
export interface NirNotImported {
  readonly node: string;
  readonly type: string;
  readonly reason: string;
}

export interface NirDocumentDraft {
  /** A complete document (defaults left to the loader to fill): what could be imported. */
  readonly doc: GraphDocument;
  /** NIR node name → the document node or wire ids it became. */
  readonly mapped: ReadonlyMap<string, readonly string[]>;
  readonly notImported: readonly NirNotImported[];
  /** Choices the import made that the user should see (units, reset, folded biases). */
  readonly notes: readonly string[];
}

const TIME_FIELDS = new Set(['tau', 'tau_mem', 'tau_syn', 'delay']);

/**
 * The time unit a file most likely uses: the one its `metadata/time_unit` states (Spikeflow
 * writes it), else `ms` when every time constant and delay in it (nested graphs included) is
 * above 1, else `s` (Norse and snnTorch write seconds: a tau of
 * 0.0025). A guess to preselect in the import dialog, not a fact the file states.
 */
export function guessTimeUnit(graph: NirGraph): 's' | 'ms' {
  const stated = graph.metadata.time_unit;
  if (stated === 's' || stated === 'ms') return stated;
  const times: number[] = [];
  const visit = (g: NirGraph) => {
    for (const node of g.nodes.values()) {
      if (node.type === 'NIRGraph') visit(node);
      else
        for (const [field, v] of Object.entries(node.params as Record<string, NirTensor | string | undefined>)) {
          if (TIME_FIELDS.has(field) && typeof v === 'object') times.push(...v.data.filter((x) => x !== 0));
        }
    }
  };
  visit(graph);
  return times.length > 0 && times.every((t) => t > 1) ? 'ms' : 's';
}

/**
 * The reset a file most likely means: its `metadata/reset` when Spikeflow wrote it, else
 * `subtract` when every LIF / CubaLIF `v_reset` is 0 (what a subtracting exporter such as
 * snnTorch or Norse writes), else `to-v-reset`.
 */
export function guessReset(graph: NirGraph): NirResetChoice {
  const stated = graph.metadata.reset;
  if (stated === 'subtract' || stated === 'to-v-reset') return stated;
  let zeros = true;
  const visit = (g: NirGraph) => {
    for (const node of g.nodes.values()) {
      if (node.type === 'NIRGraph') visit(node);
      else if ((node.type === 'LIF' || node.type === 'CubaLIF') && node.params.v_reset.data.some((x) => x !== 0)) zeros = false;
    }
  };
  visit(graph);
  return zeros ? 'subtract' : 'to-v-reset';
}

/** The dt to offer at import, ms: the file's `metadata/dt` in `timeUnit` when present and > 0, else 0.1 ms. */
export function suggestedDtMs(graph: NirGraph, timeUnit: 's' | 'ms'): number {
  const dt = metaNumber(graph.metadata, 'dt');
  return dt !== undefined && dt > 0 ? dt * (timeUnit === 's' ? 1000 : 1) : 0.1;
}

/** "not importable: node X (Type) — reason" */
export function describeNotImported(n: NirNotImported): string {
  return `not importable: node ${n.node} (${n.type}) — ${n.reason}`;
}

interface Population {
  readonly doc: DocNode;
  /** False for the non-spiking readouts (LI, CubaLI, I): their output is a value, not spikes. */
  readonly spiking: boolean;
  readonly size: number;
  /** Per neuron: what a weight W into it becomes in the document (R·w_in·dt/τ_in, or R·w_in/τ_in for Dirac input). */
  readonly scale: Float64Array;
  /** Per neuron: the bias current (pA) that carries a constant input b into it. */
  readonly biasPa: Float64Array;
}

/** The membrane resistance Spikeflow's leaky kinds use by default (MΩ): a bias current I moves E by I·R/1000 mV. */
const R_M_MOHM = 100;
/** The capacitance of the non-leaky kinds by default (pF): a current I moves V by I/C mV per ms. */
const C_M_PF = 250;

/** One value when all agree, else the list (a per-neuron param). */
const oneOrList = (values: ArrayLike<number>): number | number[] => {
  const a = Array.from(values);
  return a.every((x) => x === a[0]) ? a[0] : a;
};

/**
 * A composed map as a projection's params: one weight all-to-all or one-to-one (the sign picks
 * the receptor) when it is that, else explicit `weights` (signed, receptor exc): a dense
 * `[target][source]` matrix when at least half of it is set and the delay is one value, else a
 * synapse list (with `delay_ms` per synapse when delays differ).
 */
function projectionOf(given: readonly Synapse[], nPre: number, nPost: number, unitMs: number): { params: Record<string, unknown>; weights?: Record<string, unknown> } {
  let syn = given;
  const d0 = syn[0].delay;
  const oneDelay = syn.every((s) => s.delay === d0);
  const w0 = syn[0].w;
  if (oneDelay && syn.every((s) => s.w === w0)) {
    const params = { weight: Math.abs(w0), delay_ms: d0 * unitMs, receptor: w0 > 0 ? 'exc' : 'inh' };
    if (syn.length === nPre * nPost) return { params: { rule: 'all-to-all', ...params } };
    if (nPre === nPost && syn.length === nPre && syn.every((s) => s.pre === s.post)) return { params: { rule: 'one-to-one', ...params } };
  }
  const params = { rule: 'all-to-all', weight: 0, delay_ms: oneDelay ? d0 * unitMs : 0, receptor: 'exc' };
  // 12 significant digits: the scaling by dt/τ and back (an export, a re-import) then gives the same numbers.
  syn = syn.map((s) => ({ ...s, w: Number(s.w.toPrecision(12)) }));
  if (oneDelay && 2 * syn.length >= nPre * nPost) {
    const dense = Array.from({ length: nPost }, () => new Array<number>(nPre).fill(0));
    for (const s of syn) dense[s.post][s.pre] = s.w;
    return { params, weights: { dense } };
  }
  const sorted = [...syn].sort((a, b) => a.pre - b.pre || a.post - b.post || a.delay - b.delay);
  return {
    params,
    weights: {
      pre: sorted.map((s) => s.pre),
      post: sorted.map((s) => s.post),
      w: sorted.map((s) => s.w),
      ...(oneDelay ? {} : { delay_ms: sorted.map((s) => s.delay * unitMs) }),
    },
  };
}

/**
 * Maps the root graph of `graph` onto a draft document. Pure: the same graph and options
 * give the same document. Throws only on bad options.
 */
export function nirToDocumentDraft(nested: NirGraph, options: NirImportOptions): NirDocumentDraft {
  if (!(options.dtMs > 0)) throw new Error(`nirToDocumentDraft: dtMs must be > 0 (got ${options.dtMs})`);
  let graph = nested;
  let inlined: Inlined | undefined;
  let inlineError: string | undefined;
  try {
    inlined = inlineSubgraphs(nested);
    graph = inlined.graph;
  } catch (e) {
    inlineError = e instanceof Error ? e.message : String(e);
  }
  const unitMs = (options.timeUnit ?? 's') === 's' ? 1000 : 1;
  const stated = graph.metadata.spike_input;
  const perStep = (options.spikeInput ?? (stated === 'dirac' ? 'dirac' : 'per-step')) === 'per-step';
  const dtFile = options.dtMs / unitMs;
  const doc = newDocument(options.name ?? 'Imported NIR graph', { clock: options.clock });
  doc.simulation.dt_ms = options.dtMs;
  // NIR's discrete graph order: a spike crosses the graph within its step (sim/schedule.ts).
  doc.simulation.same_step_delivery = true;
  if (options.durationMs !== undefined) doc.simulation.duration_ms = options.durationMs;
  doc.meta.description =
    'Imported from NIR. Spikes enter neurons ' +
    (perStep ? 'per step (the discrete reference convention)' : 'as Dirac impulses') +
    `; times in the file read as ${unitMs === 1000 ? 'seconds' : 'milliseconds'}.`;

  const notImported: NirNotImported[] = [];
  const mapped = new Map<string, string[]>();
  const notes: string[] = [];
  const refused = new Set<string>();
  const refuse = (node: string, reason: string) => {
    if (refused.has(node)) return;
    refused.add(node);
    notImported.push({ node, type: graph.nodes.get(node)?.type ?? '?', reason });
  };
  const add = (nirName: string, id: string) => {
    const ids = mapped.get(nirName) ?? [];
    if (!ids.includes(id)) mapped.set(nirName, [...ids, id]);
  };
  if (inlineError) notes.push(`Nested graphs stay whole: ${inlineError}.`);
  for (const [sub, io] of inlined?.dissolved ?? []) {
    for (const k of io) mapped.set(k, []);
    notes.push(`${sub}: nested graph inlined as ${sub}.*; its ${io.join(', ')} became wires.`);
    const meta = findSubgraph(nested, sub)?.metadata ?? {};
    if (Object.keys(meta).length > 0) notes.push(`${sub}: its metadata (${Object.keys(meta).join(', ')}) is not imported.`);
  }

  const reset = options.reset ?? guessReset(nested);
  const statedIntegration = graph.metadata.integration;
  const integration: 'euler' | 'exact' = statedIntegration === 'euler' || statedIntegration === 'exact' ? statedIntegration : perStep ? 'euler' : 'exact';
  const shapes = inferShapes(graph);
  // Spike sources and populations first.
  const populations = new Map<string, Population>();
  const sources = new Map<string, number>();
  for (const [name, node] of graph.nodes) {
    const made = mapNeuronOrInput(name, node, { unitMs, options, reset, integration, perStep, dtFile }, refuse, notes);
    if (!made) continue;
    doc.nodes.push(made.doc);
    add(name, made.doc.id);
    const size = Number(made.doc.params.size);
    if (!('spiking' in made) || made.spiking) sources.set(name, size);
    if ('spiking' in made) populations.set(name, made);
  }

  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const [a, b] of graph.edges) {
    succ.set(a, [...(succ.get(a) ?? []), b]);
    pred.set(b, [...(pred.get(b) ?? []), a]);
  }
  const steps = new Map<string, LinearStep | string>();
  const stepOf = (name: string): LinearStep | string => {
    let s = steps.get(name);
    if (s === undefined) steps.set(name, (s = linearStep(graph.nodes.get(name) as NirNode, shapes.get(name)?.in)));
    return s;
  };

  /** What reached a population or an Output from one source: the composed synapses and the linear nodes passed. */
  type Delivery = { from: string; to: string; syn: Synapse[]; via: Set<string> };
  const deliveries = new Map<string, Delivery>();
  /** Linear nodes with a path that ends nowhere importable, and where. */
  const dead = new Map<string, Set<string>>();
  const deliver = (from: string, to: string, syn: Synapse[], via: readonly string[]) => {
    const key = `${from}\u0000${to}`;
    const d = deliveries.get(key) ?? { from, to, syn: [], via: new Set<string>() };
    d.syn.push(...syn);
    for (const v of via) d.via.add(v);
    deliveries.set(key, d);
  };
  /** Follows every edge out of `at` through linear nodes, composing their maps, to populations and Outputs. */
  const walk = (from: string, at: string, syn: Synapse[], via: readonly string[], onEnd: (to: string, syn: Synapse[], via: readonly string[]) => void) => {
    for (const next of succ.get(at) ?? []) {
      const n = graph.nodes.get(next);
      if (!n) continue;
      if (populations.has(next) || n.type === 'Output') onEnd(next, syn, via);
      else if (LINEAR_TYPES.has(n.type)) {
        const step = stepOf(next);
        if (typeof step === 'string') refuse(next, step);
        else if (via.includes(next)) refuse(next, 'it is on a loop of weight nodes with no neuron in it');
        else walk(from, next, step(syn), [...via, next], onEnd);
      } else for (const v of via) dead.set(v, (dead.get(v) ?? new Set()).add(next));
    }
  };
  for (const [s, size] of sources) walk(s, s, identity(size), [], (to, syn, via) => deliver(s, to, syn, via));
  // Each node's bias, carried forward the same way (once per biased node, whatever feeds it).
  const biases = new Map<string, Float64Array>();
  const biasVia = new Map<string, Set<string>>();
  const used = new Set([...deliveries.values()].flatMap((d) => [...d.via]));
  for (const name of used) {
    const b = biasOf(graph.nodes.get(name) as NirNode, shapes.get(name)?.in);
    if (!b) continue;
    const start = Array.from(b, (w, post) => ({ pre: 0, post, w, delay: 0 }));
    walk(name, name, start, [name], (to, syn, via) => {
      const size = populations.get(to)?.size ?? tensorSize(shapes.get(to)?.in ?? [0]);
      const into = biases.get(to) ?? new Float64Array(size);
      for (const s of syn) into[s.post] += s.w;
      biases.set(to, into);
      biasVia.set(to, new Set([...(biasVia.get(to) ?? []), ...via]));
    });
  }

  // An Output fed through weights observes a value: a readout that holds each step's weighted input.
  const valueReadouts = new Map<string, Population>();
  for (const [name, node] of graph.nodes) {
    if (node.type !== 'Output') continue;
    const into = [...deliveries.values()].filter((d) => d.to === name);
    if (!into.some((d) => [...d.via].some((v) => WEIGHT_TYPES.has(graph.nodes.get(v)?.type ?? ''))) && !biases.has(name)) continue;
    if (integration !== 'euler') {
      refuse(name, 'it observes the output of weights with no neuron after them; that value is imported only with per-step input (forward Euler)');
      for (const d of into) deliveries.delete(`${d.from}\u0000${name}`);
      continue;
    }
    const size = tensorSize(Array.from(node.params.shape.data));
    const id = `${name}.value`;
    const params = { size, tau_m_ms: options.dtMs, v_rest_mv: 0, v_init_mv: 0, integration: 'euler' };
    const readout: Population = {
      doc: { id, label: `${name} (value)`, position: { x: 0, y: 0 }, kind: 'li-delta', params },
      spiking: false,
      size,
      scale: new Float64Array(size).fill(1),
      biasPa: new Float64Array(size).fill(1000 / R_M_MOHM),
    };
    doc.nodes.push(readout.doc);
    add(name, id);
    populations.set(id, readout);
    valueReadouts.set(name, readout);
    for (const d of into) {
      deliveries.delete(`${d.from}\u0000${name}`);
      deliver(d.from, id, d.syn, [...d.via]);
    }
    if (biases.has(name)) {
      biases.set(id, biases.get(name) as Float64Array);
      biasVia.set(id, biasVia.get(name) as Set<string>);
    }
    notes.push(
      `${name}: it observes weights with no neuron after them; ${id} (a leaky integrator with τ = dt under forward Euler, so V is each step's weighted input${biases.has(name) ? ' plus the bias' : ''}) holds that value, and ${name} records it.`,
    );
  }

  const usedIds = new Set<string>();
  /** Two wires with the same base id get distinct ids. */
  const edgeId = (base: string): string => {
    let id = base;
    for (let k = 2; usedIds.has(id); k++) id = `${base}#${k}`;
    usedIds.add(id);
    return id;
  };
  /** How many (source, target) pairs each weight node serves: one gives the wire its name. */
  const served = new Map<string, number>();
  for (const d of deliveries.values()) if (populations.has(d.to)) for (const v of d.via) served.set(v, (served.get(v) ?? 0) + 1);
  for (const d of deliveries.values()) {
    const target = populations.get(d.to);
    if (!target) continue;
    const via = [...d.via];
    const weightNodes = via.filter((v) => WEIGHT_TYPES.has(graph.nodes.get(v)?.type ?? ''));
    const scaled = merge(d.syn.map((s) => ({ ...s, w: s.w * target.scale[s.post] })));
    if (scaled.length === 0) {
      notes.push(`${weightNodes.join(', ') || `${d.from} → ${d.to}`}: every weight from ${d.from} to ${d.to} is 0; no projection made.`);
      for (const v of via) if (!mapped.has(v)) mapped.set(v, []);
      continue;
    }
    const base = weightNodes.length === 1 && served.get(weightNodes[0]) === 1 ? weightNodes[0] : weightNodes.length === 0 ? `${d.from}->${d.to}` : `${weightNodes.join('+')}:${d.from}->${d.to}`;
    const id = edgeId(base);
    const sizeFrom = sources.get(d.from) as number;
    const { params, weights } = projectionOf(scaled, sizeFrom, target.size, unitMs);
    const edge: DocEdge = { id, source: { node: d.from, port: 'spikes' }, target: { node: d.to, port: 'in' }, params };
    if (weights) edge.weights = weights;
    const expanded = via.filter((v) => EXPANDED_TYPES.has(graph.nodes.get(v)?.type ?? ''));
    if (expanded.length > 0) {
      edge.expanded_from = via.map((v) => `${v} (${graph.nodes.get(v)?.type})`).join(' → ');
      notes.push(`${id}: ${expanded.join(', ')} expanded into ${scaled.length} synapses (weight sharing written out).`);
    }
    doc.edges.push(edge);
    for (const v of via) add(v, id);
  }
  for (const [to, b] of biases) {
    const target = populations.get(to);
    if (!target) continue;
    const params = target.doc.params;
    params.i_bias_pa = oneOrList(Array.from(b, (x, j) => x * target.biasPa[j]));
    for (const v of biasVia.get(to) ?? []) if (!mapped.has(v)) mapped.set(v, []);
    const rise = target.doc.kind === 'lif-curr-exp' || target.doc.kind === 'li-curr-exp' ? ' (into V at once: the rise of the synaptic current over τ_syn at the start is not kept)' : '';
    notes.push(
      `${[...(biasVia.get(to) ?? [])].filter((v) => biasOf(graph.nodes.get(v) as NirNode, shapes.get(v)?.in)).join(', ')}: the bias into ${to} becomes its bias current i_bias_pa (${String(params.i_bias_pa)} pA)${rise}.`,
    );
  }

  // Outputs observe spikes, or the value of the non-spiking readouts.
  for (const [name, node] of graph.nodes) {
    if (node.type !== 'Output') continue;
    const readout = valueReadouts.get(name);
    const into: Delivery[] = readout ? [{ from: readout.doc.id, to: name, via: new Set<string>(), syn: [] }] : [...deliveries.values()].filter((d) => d.to === name);
    if (refused.has(name)) continue;
    const from = into.map((d) => d.from);
    const readouts = from.filter((f) => populations.get(f)?.spiking === false);
    // A readout feeding an Output directly (walked from the readout, which is no spike source).
    for (const p of pred.get(name) ?? []) {
      if (populations.get(p)?.spiking !== false || from.includes(p)) continue;
      from.push(p);
      readouts.push(p);
      into.push({ from: p, to: name, via: new Set(), syn: [] });
    }
    const neither = (pred.get(name) ?? []).filter((p) => !sources.has(p) && !populations.has(p) && !LINEAR_TYPES.has(graph.nodes.get(p)?.type ?? ''));
    if (from.length === 0 || neither.length > 0 || (readouts.length > 0 && readouts.length < from.length)) {
      refuse(
        name,
        from.length === 0
          ? 'nothing importable feeds it'
          : neither.length > 0
            ? `it observes ${neither.join(', ')}, which is not imported as a spike source or a readout`
            : 'it observes spikes and readout values together; a Spikeflow monitor records one or the other',
      );
      continue;
    }
    const size = Math.max(...readouts.map((f) => Number(populations.get(f)?.doc.params.size ?? 0)), 0);
    const monitor =
      readouts.length > 0 ? { kind: 'state-monitor', params: { variable: 'v', neurons: Array.from({ length: Math.min(size, 1000) }, (_, k) => k) } } : { kind: 'spike-monitor', params: {} };
    doc.nodes.push({ id: name, label: name, position: { x: 0, y: 0 }, ...monitor });
    add(name, name);
    for (const r of into) {
      const id = edgeId(`${r.from}->${name}`);
      doc.edges.push({ id, source: { node: r.from, port: 'spikes' }, target: { node: name, port: 'spikes' }, params: {} });
      for (const v of r.via) add(v, id);
      const delays = r.syn.some((s) => s.delay !== 0);
      if (delays) notes.push(`${name}: the delay on its way from ${r.from} (${[...r.via].join(', ')}) is not kept: a spike monitor records spikes when they happen.`);
    }
  }

  for (const [v, ends] of dead) {
    if (mapped.has(v) && !refused.has(v)) notes.push(`${v}: its path to ${[...ends].join(', ')} is not imported (not a population or an Output).`);
  }
  // Linear nodes count as imported when a wire went through them.
  for (const [name, node] of graph.nodes) {
    if (LINEAR_TYPES.has(node.type) && !mapped.has(name) && !refused.has(name)) {
      const ins = (pred.get(name) ?? []).filter((p) => !sources.has(p) && !LINEAR_TYPES.has(graph.nodes.get(p)?.type ?? ''));
      refuse(
        name,
        ins.length > 0
          ? `its input ${ins.join(', ')} is not an imported spike source (a non-spiking readout's value cannot drive weights)`
          : 'it is not on an importable path from a spike source to a population or an Output',
      );
    }
  }

  layout(doc, graph);
  notes.push(
    resetNote(reset, [...populations.values()].filter((p) => p.spiking).length),
    `Integration: ${integration === 'euler' ? "forward Euler, as NIR's discrete reference (and snnTorch, Norse) step" : 'exact over each step'}${statedIntegration === integration ? " (the file's metadata says so)" : perStep ? ', to go with spikes entering per step' : ', to go with Dirac input'}.`,
    'Step order: same-step delivery (simulation settings), as NIR graphs run: a spike reaches a delta-synapse population (LIF, IF, LI, I) through a zero-delay wire in the step it is fired; loops take one step.',
    `Units: times × ${unitMs} → ms, voltages 1 → 1 mV; weights are scaled by R·w_in${perStep ? `·dt (${dtFile} ${unitMs === 1000 ? 's' : 'ms'})` : ''}/τ of the target.`,
  );
  const fileDt = metaNumber(graph.metadata, 'dt');
  if (fileDt !== undefined && Math.abs(fileDt * unitMs - options.dtMs) > 1e-12) notes.push(`The file's metadata dt is ${fileDt} (${fileDt * unitMs} ms); the document uses dt = ${options.dtMs} ms.`);
  return { doc, mapped, notImported, notes };
}

/** What the import did about the reset, which no NIR file states. */
function resetNote(reset: NirResetChoice, populations: number): string {
  const head = 'Reset: NIR files do not say whether a spike resets v to v_reset or subtracts the threshold;';
  if (populations === 0) return `${head} no spiking population was imported.`;
  if (reset === 'to-v-reset') return `${head} imported as v → v_reset.`;
  return `${head} imported as reset by subtraction (v → v − v_threshold, the discrete reference's; v_reset is then 0).`;
}

/** Primitives with no Spikeflow counterpart today, and why (connection nodes are judged on their own). */
const NO_KIND_YET: Partial<Record<NirNodeType, string>> = {
  NIRGraph: 'this nested graph could not be inlined (see the notes)',
};

/** The subgraph at a dotted path of inlined names (`m.deep`). */
function findSubgraph(graph: NirGraph, path: string): NirGraph | undefined {
  let g: NirGraph | undefined = graph;
  let rest = path;
  while (g && rest) {
    const key: string | undefined = [...g.nodes.keys()].find((k) => rest === k || rest.startsWith(`${k}.`));
    const next: NirNode | undefined = key === undefined ? undefined : g.nodes.get(key);
    if (!key || next?.type !== 'NIRGraph') return undefined;
    g = next;
    rest = rest.slice(key.length + 1);
  }
  return g;
}

interface NeuronContext {
  readonly unitMs: number;
  readonly options: NirImportOptions;
  readonly reset: NirResetChoice;
  readonly integration: 'euler' | 'exact';
  readonly perStep: boolean;
  /** dt in the file's time unit. */
  readonly dtFile: number;
}

/** NIR neuron → kind; `tau` / `syn` name the fields of its membrane and input time constants (none: no leak). */
const NEURONS: Partial<Record<NirNodeType, { kind: string; spiking: boolean; tau?: string; syn?: string }>> = {
  LIF: { kind: 'lif-delta', spiking: true, tau: 'tau' },
  CubaLIF: { kind: 'lif-curr-exp', spiking: true, tau: 'tau_mem', syn: 'tau_syn' },
  IF: { kind: 'if-delta', spiking: true },
  LI: { kind: 'li-delta', spiking: false, tau: 'tau' },
  CubaLI: { kind: 'li-curr-exp', spiking: false, tau: 'tau_mem', syn: 'tau_syn' },
  I: { kind: 'integrator', spiking: false },
};

function mapNeuronOrInput(
  name: string,
  node: NirNode,
  ctx: NeuronContext,
  refuse: (node: string, reason: string) => void,
  notes: string[],
): { doc: DocNode } | (Population & { doc: DocNode }) | undefined {
  const { unitMs, options } = ctx;
  const base = { id: name, label: name, position: { x: 0, y: 0 } };
  if (node.type === 'Input') {
    const size = tensorSize(Array.from(node.params.shape.data));
    const choice = options.input ?? 'spike-generator';
    const params = choice === 'poisson-source' ? { size } : choice === 'rate-encoder' ? { input: 'values', values: new Array<number>(size).fill(0.5) } : { size, neurons: [], times_ms: [] };
    return { doc: { ...base, kind: choice, params } };
  }
  if (node.type === 'Threshold') return mapThreshold(name, node as NirNodeOf<'Threshold'>, ctx, refuse, notes);
  const spec = NEURONS[node.type];
  if (!spec) {
    const reason = NO_KIND_YET[node.type];
    if (reason) refuse(name, reason);
    return undefined;
  }
  const fields = (node as NirNodeOf<'LIF'>).params as unknown as Record<string, NirTensor>;
  const size = tensorSize(Object.values(fields)[0].shape);
  const at = (field: string | undefined, j: number, fallback: number): number => (field && fields[field] ? fields[field].data[fields[field].data.length === 1 ? 0 : j] : fallback);
  const each = (f: (j: number) => number): Float64Array => Float64Array.from({ length: size }, (_, j) => f(j));
  const bad = (field: string, ok: (x: number, j: number) => boolean) => {
    const t = fields[field];
    const j = t ? Array.from(t.data).findIndex((x, k) => !ok(x, k)) : -1;
    return j < 0 ? undefined : j;
  };
  for (const field of [spec.tau, spec.syn]) {
    const j = field ? bad(field, (x) => x > 0) : undefined;
    if (field && j !== undefined) {
      refuse(name, `its ${field} must be > 0 (neuron ${j} has ${fields[field].data[j]})`);
      return undefined;
    }
  }
  const r = each((j) => at('r', j, 1));
  const wIn = each((j) => at('w_in', j, 1));
  const tauIn = each((j) => at(spec.syn ?? spec.tau, j, 1));
  const list = (field: string, f: (x: number) => number = (x) => x) => oneOrList(Array.from(fields[field].data, f));
  const params: Record<string, unknown> = { size, v_init_mv: 0 };
  if (spec.tau) {
    params.tau_m_ms = list(spec.tau, (x) => x * unitMs);
    params.v_rest_mv = list('v_leak');
    params.integration = ctx.integration;
  }
  if (spec.syn) params.tau_syn_exc_ms = params.tau_syn_inh_ms = list(spec.syn, (x) => x * unitMs);
  if (spec.spiking) {
    const subtract = ctx.reset === 'subtract';
    const vReset = subtract ? fields.v_reset.data.map(() => 0) : fields.v_reset.data;
    if (subtract && fields.v_reset.data.some((x) => x !== 0)) notes.push(`${name}: reset by subtraction subtracts v_threshold; its v_reset (${list('v_reset').toString()}) is not used.`);
    const j = bad('v_threshold', (th, k) => vReset[k] < th);
    if (j !== undefined) {
      refuse(name, `v_reset (${vReset[j]}) must be below v_threshold (${fields.v_threshold.data[j]}) for Spikeflow's spiking kinds (neuron ${j})`);
      return undefined;
    }
    Object.assign(params, { v_th_mv: list('v_threshold'), v_reset_mv: oneOrList(vReset), t_ref_ms: 0, reset: ctx.reset });
  }
  // A weighted spike moves v by R·w_in·W·(dt)/τ_in; with no leak (IF, I) there is no τ to divide by.
  const scale = each((j) => (r[j] * wIn[j] * (ctx.perStep ? ctx.dtFile : 1)) / tauIn[j]);
  // A constant b moves the equilibrium by R·w_in·b: R_M·I/1000 with a bias current I; without leak dv/dt = R·b per file unit, C·dv/dt = I per ms.
  const biasPa = spec.tau ? each((j) => (1000 * r[j] * wIn[j]) / R_M_MOHM) : each((j) => (C_M_PF * r[j]) / unitMs);
  return { doc: { ...base, kind: spec.kind, params }, spiking: spec.spiking, size, scale, biasPa };
}

/**
 * NIR `Threshold`, z = H(x − θ) (1 iff x > θ) each step, without state: a `lif-delta` with
 * τ = dt under forward Euler forgets V every step (a = 1 − dt/τ = 0), so V is the step's
 * input x (with same-step delivery, the input of that very step) and it spikes iff V > θ,
 * strict as NIR's. Its reset does not matter (V is overwritten next step); v_reset is put
 * below every θ. Weights into it are W (1 unit = 1 mV, R = 1), a bias moves V by b.
 */
function mapThreshold(name: string, node: NirNodeOf<'Threshold'>, ctx: NeuronContext, refuse: (node: string, reason: string) => void, notes: string[]): (Population & { doc: DocNode }) | undefined {
  const theta = Array.from(node.params.threshold.data);
  const size = tensorSize(node.params.threshold.shape);
  if (!ctx.perStep) {
    refuse(name, 'a Threshold is imported only with per-step input (spike_input per-step): it holds each step’s value, not a Dirac impulse');
    return undefined;
  }
  const low = Math.min(...theta);
  const params = {
    size,
    tau_m_ms: ctx.options.dtMs,
    v_rest_mv: 0,
    v_init_mv: 0,
    integration: 'euler',
    v_th_mv: oneOrList(theta),
    v_reset_mv: low > 0 ? 0 : low - 1,
    t_ref_ms: 0,
    reset: ctx.reset,
  };
  notes.push(
    `${name}: Threshold imported as a lif-delta with τ = dt under forward Euler: V is each step's input, a spike when it is above the threshold (H(x − θ)); exported back it is a LIF of τ = dt, the same function.`,
  );
  const ones = new Float64Array(size).fill(1);
  return { doc: { id: name, label: name, position: { x: 0, y: 0 }, kind: 'lif-delta', params }, spiking: true, size, scale: ones, biasPa: new Float64Array(size).fill(1000 / R_M_MOHM) };
}

/** Layers by distance from the inputs, left to right; nodes of a layer stacked. */
function layout(doc: GraphDocument, graph: NirGraph): void {
  const depth = new Map<string, number>();
  const queue = [...graph.nodes].filter(([, n]) => n.type === 'Input').map(([k]) => k);
  for (const k of queue) depth.set(k, 0);
  for (let i = 0; i < queue.length; i++) {
    for (const [a, b] of graph.edges) {
      if (a === queue[i] && !depth.has(b)) {
        depth.set(b, (depth.get(a) ?? 0) + 1);
        queue.push(b);
      }
    }
  }
  const row = new Map<number, number>();
  for (const node of doc.nodes) {
    const d = depth.get(node.id) ?? 0;
    const r = row.get(d) ?? 0;
    row.set(d, r + 1);
    node.position = { x: 80 + 260 * d, y: 80 + 160 * r };
  }
}
