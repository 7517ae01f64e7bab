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

const PASS_THROUGH = new Set(['Delay', 'Flatten']);
const WEIGHTS = new Set(['Linear', 'Affine', 'Scale']);

interface Population {
  readonly doc: DocNode;
  /** False for the non-spiking readouts (LI, CubaLI, I): their output is a value, not spikes. */
  readonly spiking: boolean;
  /** Neuron resistance R, the time constant a spike's input divides by, and w_in. */
  readonly r: number;
  readonly tauIn: number;
  readonly wIn: number;
}

const uniform = (t: NirTensor): number | undefined => (t.data.every((x) => x === t.data[0]) ? t.data[0] : undefined);
const span = (t: NirTensor): string => `${Math.min(...t.data)} … ${Math.max(...t.data)}`;

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
  if (options.durationMs !== undefined) doc.simulation.duration_ms = options.durationMs;
  doc.meta.description =
    'Imported from NIR. Spikes enter neurons ' +
    (perStep ? 'per step (the discrete reference convention)' : 'as Dirac impulses') +
    `; times in the file read as ${unitMs === 1000 ? 'seconds' : 'milliseconds'}.`;

  const notImported: NirNotImported[] = [];
  const mapped = new Map<string, string[]>();
  const notes: string[] = [];
  const refuse = (node: string, reason: string) => notImported.push({ node, type: graph.nodes.get(node)?.type ?? '?', reason });
  const add = (nirName: string, id: string) => mapped.set(nirName, [...(mapped.get(nirName) ?? []), id]);
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
  // Spike sources and populations first.
  const populations = new Map<string, Population>();
  const sources = new Set<string>();
  for (const [name, node] of graph.nodes) {
    const made = mapNeuronOrInput(name, node, { unitMs, options, reset, integration }, refuse, notes);
    if (!made) continue;
    doc.nodes.push(made.doc);
    add(name, made.doc.id);
    if (!('spiking' in made) || made.spiking) sources.add(name);
    if ('r' in made) populations.set(name, made);
  }

  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const [a, b] of graph.edges) {
    succ.set(a, [...(succ.get(a) ?? []), b]);
    pred.set(b, [...(pred.get(b) ?? []), a]);
  }
  /** Walk through Delay / Flatten nodes; the delays met on the way (file units) add up. */
  type Reached = { end: string; delay: number | undefined; via: string[] };
  const walk = (from: string, dir: Map<string, string[]>, delay: number | undefined = 0, seen: string[] = []): Reached[] =>
    (dir.get(from) ?? []).flatMap((next) => {
      const n = graph.nodes.get(next);
      if (!n || !PASS_THROUGH.has(n.type) || seen.includes(next)) return [{ end: next, delay, via: seen }];
      const d = n.type === 'Delay' ? uniform(n.params.delay) : 0;
      return walk(next, dir, d === undefined || delay === undefined ? undefined : delay + d, [...seen, next]);
    });

  const wires: { id: string; from: string; to: string; w: number; rule: 'all-to-all' | 'one-to-one'; delay: number; via: string[] }[] = [];
  const biasFolds: { target: string; bias: number; via: string }[] = [];

  for (const [name, node] of graph.nodes) {
    if (WEIGHTS.has(node.type)) {
      const kernel = weightRule(node);
      if (typeof kernel === 'string') {
        refuse(name, kernel);
        continue;
      }
      const ins = walk(name, pred);
      const outs = walk(name, succ);
      const bad = [
        ...ins.filter((i) => !sources.has(i.end)).map((i) => `its input ${i.end} is not an imported spike source`),
        ...outs.filter((o) => !populations.has(o.end)).map((o) => `its output ${o.end} is not an imported population`),
        ...[...ins, ...outs].filter((x) => x.delay === undefined).map((x) => `a Delay on the way to ${x.end} is not one value for all channels`),
      ];
      if (ins.length === 0 || outs.length === 0) bad.push('it is not between a spike source and a population');
      if (bad.length > 0) {
        refuse(name, bad.join('; '));
        continue;
      }
      if (kernel.bias !== undefined && kernel.bias !== 0) {
        if (outs.length !== 1) {
          refuse(name, 'its bias can only be folded into one target population');
          continue;
        }
        biasFolds.push({ target: outs[0].end, bias: kernel.bias, via: name });
      }
      if (kernel.w === 0) {
        notes.push(`${name}: every weight is 0; no projection made.`);
        mapped.set(name, []);
      }
      for (const i of ins) {
        for (const o of outs) {
          if (kernel.w !== 0)
            wires.push({
              id: ins.length * outs.length === 1 ? name : `${name}:${i.end}->${o.end}`,
              from: i.end,
              to: o.end,
              w: kernel.w,
              rule: kernel.rule,
              delay: (i.delay ?? 0) + (o.delay ?? 0),
              via: [...i.via, name, ...o.via],
            });
        }
      }
    }
  }
  // Direct source → population edges (possibly through Delay / Flatten): identity weights.
  for (const s of sources) {
    for (const o of walk(s, succ)) {
      if (!populations.has(o.end)) continue;
      if (o.delay === undefined) continue;
      wires.push({ id: `${s}->${o.end}`, from: s, to: o.end, w: 1, rule: 'one-to-one', delay: o.delay, via: o.via });
    }
  }

  const usedIds = new Set<string>();
  /** Two wires between the same ends (an exc and an inh one) get distinct ids. */
  const edgeId = (base: string): string => {
    let id = base;
    for (let k = 2; usedIds.has(id); k++) id = `${base}#${k}`;
    usedIds.add(id);
    return id;
  };
  // A document joins two ports with at most one projection per receptor.
  const joined = new Map<string, string>();
  for (const wire of wires) {
    const target = populations.get(wire.to) as Population;
    const scale = (target.r * target.wIn * (perStep ? dtFile : 1)) / target.tauIn;
    const weight = Math.abs(wire.w) * scale;
    const receptor = wire.w > 0 ? 'exc' : 'inh';
    const key = `${wire.from}\u0000${wire.to}\u0000${receptor}`;
    const first = joined.get(key);
    if (first !== undefined) {
      const reason = `it makes a second ${receptor} projection ${wire.from} → ${wire.to} (besides ${first}); a document holds one per receptor between two nodes, and merging them needs explicit synapses (not in the engine yet)`;
      const blame = wire.via.filter((v) => !mapped.has(v) && !notImported.some((n) => n.node === v));
      if (blame.length > 0) for (const v of blame) refuse(v, reason);
      else notes.push(`A path ${wire.from} → ${wire.to} is left out: ${reason}.`);
      continue;
    }
    const id = edgeId(wire.id);
    joined.set(key, id);
    const edge: DocEdge = {
      id,
      source: { node: wire.from, port: 'spikes' },
      target: { node: wire.to, port: 'in' },
      params: { rule: wire.rule, weight, delay_ms: wire.delay * unitMs, receptor },
    };
    doc.edges.push(edge);
    for (const v of wire.via) add(v, id);
  }
  for (const fold of biasFolds) {
    const target = populations.get(fold.target) as Population;
    const params = target.doc.params as { v_rest_mv: number; i_bias_pa?: number };
    if (params.v_rest_mv === undefined) {
      // No leak (IF, I): C·dv/dt = I_bias (pA/pF = mV/ms) makes NIR's dv/dt = R·b (per file time unit), with the kind's default C of 250 pF.
      params.i_bias_pa = (250 * target.r * fold.bias) / unitMs;
      notes.push(`${fold.via}: its bias ${fold.bias} becomes ${fold.target}'s bias current (${params.i_bias_pa} pA into 250 pF).`);
      continue;
    }
    params.v_rest_mv += target.r * target.wIn * fold.bias;
    const rise = target.doc.kind === 'lif-curr-exp' ? ' (at once: the rise of the synaptic current over τ_syn at the start is not kept)' : '';
    notes.push(`${fold.via}: its bias ${fold.bias} is folded into ${fold.target}'s resting potential (now ${params.v_rest_mv} mV)${rise}.`);
  }

  // Outputs observe spikes, or the value of the non-spiking readouts.
  for (const [name, node] of graph.nodes) {
    if (node.type !== 'Output') continue;
    const reached = walk(name, pred);
    const from = reached.map((i) => i.end);
    const readouts = from.filter((f) => populations.get(f)?.spiking === false);
    const neither = from.filter((f) => !sources.has(f) && !readouts.includes(f));
    if (from.length === 0 || neither.length > 0 || (readouts.length > 0 && readouts.length < from.length)) {
      refuse(
        name,
        from.length === 0
          ? 'nothing feeds it'
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
    for (const r of reached) {
      const id = edgeId(`${r.end}->${name}`);
      doc.edges.push({ id, source: { node: r.end, port: 'spikes' }, target: { node: name, port: 'spikes' }, params: {} });
      for (const v of r.via) add(v, id);
      if (r.delay !== 0) notes.push(`${name}: the delay on its way from ${r.end} (${r.via.join(', ')}) is not kept: a spike monitor records spikes when they happen.`);
    }
  }

  // Pass-through nodes count as imported when a wire went through them.
  for (const [name, node] of graph.nodes) {
    if (PASS_THROUGH.has(node.type) && !mapped.has(name) && !notImported.some((n) => n.node === name)) refuse(name, 'it is not on an importable path from a spike source to a population');
  }

  layout(doc, graph);
  notes.push(
    resetNote(reset, populations.size),
    `Integration: ${integration === 'euler' ? "forward Euler, as NIR's discrete reference (and snnTorch, Norse) step" : 'exact over each step'}${statedIntegration === integration ? " (the file's metadata says so)" : perStep ? ', to go with spikes entering per step' : ', to go with Dirac input'}.`,
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

const CONV = 'convolution and pooling need explicit sparse connectivity (weight sharing expanded), not in the engine yet';
/** Primitives with no Spikeflow counterpart today, and why (connection nodes are judged on their own). */
const NO_KIND_YET: Partial<Record<NirNodeType, string>> = {
  Threshold: 'a threshold on a continuous signal has no Spikeflow kind',
  Conv1d: CONV,
  Conv2d: CONV,
  SumPool2d: CONV,
  AvgPool2d: CONV,
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
}

/** NIR neuron → kind; `tau` / `tauIn` name the fields of its membrane and input time constants (none: no leak). */
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
  const spec = NEURONS[node.type];
  if (!spec) {
    const reason = NO_KIND_YET[node.type];
    if (reason) refuse(name, reason);
    return undefined;
  }
  const values = uniformParams(node as NirNodeOf<'LIF'>);
  if (typeof values === 'string') {
    refuse(name, values);
    return undefined;
  }
  const size = tensorSize((Object.values((node as NirNodeOf<'LIF'>).params)[0] as NirTensor).shape);
  const tau = spec.tau ? values[spec.tau] : undefined;
  const tauSyn = spec.syn ? values[spec.syn] : undefined;
  if ((tau !== undefined && !(tau > 0)) || (tauSyn !== undefined && !(tauSyn > 0))) {
    refuse(name, 'its time constants must be > 0');
    return undefined;
  }
  const r = values.r ?? 1;
  const params: Record<string, unknown> = { size, v_init_mv: 0 };
  if (tau !== undefined) {
    params.tau_m_ms = tau * unitMs;
    params.v_rest_mv = values.v_leak;
    params.integration = ctx.integration;
  }
  if (tauSyn !== undefined) params.tau_syn_exc_ms = params.tau_syn_inh_ms = tauSyn * unitMs;
  if (spec.spiking) {
    const subtract = ctx.reset === 'subtract';
    const vReset = subtract ? 0 : values.v_reset;
    if (subtract && values.v_reset !== 0) notes.push(`${name}: reset by subtraction subtracts v_threshold; its v_reset (${values.v_reset}) is not used.`);
    if (vReset >= values.v_threshold) {
      refuse(name, `v_reset (${vReset}) must be below v_threshold (${values.v_threshold}) for Spikeflow's spiking kinds`);
      return undefined;
    }
    Object.assign(params, { v_th_mv: values.v_threshold, v_reset_mv: vReset, t_ref_ms: 0, reset: ctx.reset });
  }
  // A weighted spike moves v by R·w_in·W·(dt)/τ_in; with no leak (IF, I) there is no τ to divide by.
  return { doc: { ...base, kind: spec.kind, params }, spiking: spec.spiking, r, tauIn: tauSyn ?? tau ?? 1, wIn: values.w_in ?? 1 };
}

/** Every parameter's single value, or why there is none. */
function uniformParams(node: NirNodeOf<'LIF'>): Record<string, number> | string {
  const out: Record<string, number> = {};
  const varying: string[] = [];
  for (const [field, t] of Object.entries(node.params as Record<string, NirTensor>)) {
    const v = uniform(t);
    if (v === undefined) varying.push(`${field} (${span(t)})`);
    else out[field] = v;
  }
  return varying.length > 0 ? `its parameters differ between neurons: ${varying.join(', ')}; per-neuron parameter arrays are not in the engine yet` : out;
}

/** All-equal weights → all-to-all; an equal diagonal → one-to-one; otherwise why not. */
function weightRule(node: NirNode): { w: number; rule: 'all-to-all' | 'one-to-one'; bias?: number } | string {
  if (node.type === 'Scale') {
    const s = uniform(node.params.scale);
    return s === undefined ? `its scale differs between channels (${span(node.params.scale)}); per-synapse weights are not in the engine yet` : { w: s, rule: 'one-to-one' };
  }
  if (node.type !== 'Linear' && node.type !== 'Affine') return 'not a weight node';
  const w = node.params.weight;
  if (w.shape.length !== 2) return `its weight has shape [${w.shape.join(', ')}]; only matrices map to projections`;
  let bias: number | undefined;
  if (node.type === 'Affine') {
    bias = uniform(node.params.bias);
    if (bias === undefined) return `its bias differs between neurons (${span(node.params.bias)}); per-neuron bias currents are not in the engine yet`;
  }
  const [rows, cols] = w.shape;
  const all = uniform(w);
  if (all !== undefined) return { w: all, rule: 'all-to-all', bias };
  if (rows === cols) {
    const d = w.data[0];
    let diagonal = true;
    for (let i = 0; i < rows && diagonal; i++) {
      for (let j = 0; j < cols; j++) {
        if (w.data[i * cols + j] !== (i === j ? d : 0)) {
          diagonal = false;
          break;
        }
      }
    }
    if (diagonal) return { w: d, rule: 'one-to-one', bias };
  }
  return `its weights vary (${span(w)}) and are not one value or an equal diagonal; explicit weight matrices are not in the engine yet`;
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
