/**
 * A compiled plan (engine/core/plan.ts) and its realised arrays (what the
 * engine's build drew with the plan's seed: hosts/realize.ts) as a readable
 * Brian2 2.5.1 script with the engine's equations, integration and order of
 * operations. Random connectivity, drawn values and Poisson inputs are written
 * as the engine's own draws (small arrays inline, large ones in a side `.npz`
 * the script loads), so the script simulates the network Spikeflow simulates.
 * What Brian2 cannot be given faithfully is listed, never dropped in silence:
 * in the script's header comment and in {@link Brian2Export.notExported}.
 */
import type { NetworkPlan, ProjectionPlan } from '../../core/plan.ts';
import { isPerNeuron, perNeuronValues, type PerNeuron } from '../../core/per-neuron.ts';
import { stepsOf } from '../../core/time.ts';
import type { NpyStreamArray } from '../../format/npz-stream.ts';
import { BRIAN2_KINDS, type Brian2Group } from './kinds.ts';

/**
 * The realised network the script is written from (`realize(plan)` of
 * engine/hosts/realize.ts gives exactly this shape; the interop layer never
 * builds a network itself).
 */
export interface Brian2Realised {
  /** Steps the sources, drives and currents cover. */
  readonly steps: number;
  readonly populations: readonly { readonly index: number; readonly initial: Readonly<Record<string, Float64Array>> }[];
  readonly projections: readonly { readonly index: number; readonly pre: Int32Array; readonly post: Int32Array; readonly weight: Float64Array; readonly delaySteps: Int32Array }[];
  readonly sources: readonly { readonly index: number; readonly i: Int32Array; readonly step: Int32Array }[];
  readonly drives: readonly {
    readonly edgeId: string;
    readonly target: number;
    readonly size: number;
    readonly receptor: string;
    readonly sign: number;
    readonly weight: number;
    readonly counts: Uint16Array;
  }[];
  readonly currents: readonly { readonly target: number; readonly value: Float64Array | null }[];
}

/** Options of {@link exportBrian2}. */
export interface Brian2Options {
  readonly title?: string;
  /** `cpp_standalone`: the script generates and compiles C++ (needs g++); default Brian2's runtime device with numpy. */
  readonly device?: 'runtime' | 'cpp_standalone';
  /** Arrays longer than this go to the side `.npz` (default 64). */
  readonly inlineMax?: number;
}

/** The script, what it leaves out ("not exported: node X — reason"), and the arrays of its side `.npz` (none: no side file). */
export interface Brian2Export {
  readonly script: string;
  readonly notExported: readonly string[];
  /** Written as `<script name>.npz` beside the script (`npzChunks` of engine/format/npz-stream.ts). */
  readonly arrays: readonly NpyStreamArray[];
}

/** A number as a Python literal (finite numbers only: callers check). */
const py = (x: number): string => String(x);
const pyList = (xs: ArrayLike<number>): string => `[${Array.from(xs, py).join(', ')}]`;
const pyStr = (s: string): string => JSON.stringify(s);
/** A time in ms on the grid: `steps`·dt, without float noise in the text. */
const onGrid = (steps: number, dt: number): number => Number((steps * dt).toFixed(9));

/** Python keywords and the script's own names: a node id equal to one gets a trailing `_`. */
const RESERVED = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise ' +
    'return try while with yield json os sys np data net steps ms second Network NeuronGroup Synapses SpikeGeneratorGroup SpikeMonitor TimedArray collect defaultclock ' +
    'prefs set_device device exp clip int run t dt i j v w'
  ).split(' '),
);

/** Python identifiers for node ids, unique, readable. */
function namer(): (id: string) => string {
  const used = new Set<string>();
  return (id) => {
    const clean = /^[A-Za-z_]/.test(id) ? id.replace(/\W/g, '_') : `n_${id.replace(/\W/g, '_')}`;
    const base = RESERVED.has(clean) ? `${clean}_` : clean;
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    return name;
  };
}

/** A mapping given per-neuron names made Brian2 text: no number was computed from a name (NaN) or printed as an object. */
const wellFormed = (g: Brian2Group): boolean =>
  ![...g.equations, g.threshold ?? '', g.reset ?? ''].some((t) => /NaN|\[object /.test(t)) &&
  Number.isFinite(g.refractoryMs) &&
  Object.values(g.init).every((x) => typeof x !== 'number' || Number.isFinite(x));

/** For per-neuron τ: a synaptic τ field some neuron's τm equals, and that neuron (the exact solution of the linear system then divides by zero). */
function equalTaus(params: Readonly<Record<string, unknown>>, size: number): { field: string; neuron: number } | null {
  if (!('tau_m_ms' in params)) return null;
  const tm = perNeuronValues(params.tau_m_ms, size);
  for (const k of ['tau_syn_exc_ms', 'tau_syn_inh_ms']) {
    if (!(k in params)) continue;
    const ts = perNeuronValues(params[k], size);
    const i = tm.findIndex((x, j) => x === ts[j]);
    if (i >= 0) return { field: k, neuron: i };
  }
  return null;
}

const allEqual = (xs: ArrayLike<number>): boolean => {
  for (let k = 1; k < xs.length; k++) if (!Object.is(xs[k], xs[0])) return false;
  return true;
};

const CHUNK = 1 << 16;

/** Chunks of at most 2¹⁶ values (the npz writer's parts). */
function* chunks<T extends Int32Array | Float64Array>(xs: T): Generator<T> {
  for (let k = 0; k < xs.length; k += CHUNK) yield xs.subarray(k, k + CHUNK) as T;
}

/** 16-bit values two to an int32 (the npz writer has no uint16; numpy's `.view(np.uint16)` unpacks them), padded to an even count. */
function* packedU16(xs: Uint16Array): Generator<Int32Array> {
  for (let k = 0; k < xs.length; k += 2 * CHUNK) {
    const part = new Uint16Array(Math.min(2 * CHUNK, xs.length - k + ((xs.length - k) & 1)));
    part.set(xs.subarray(k, k + 2 * CHUNK));
    yield new Int32Array(part.buffer);
  }
}

/** The arrays of the script: inline when short, else a member of the side `.npz`. */
class Arrays {
  readonly list: NpyStreamArray[] = [];
  constructor(private readonly inlineMax: number) {}

  /** A Python expression for `xs` (a list, or `data['name']`), 2-D with `shape`. */
  add(name: string, xs: Float64Array | Int32Array | Uint16Array, shape: readonly number[] = [xs.length]): string {
    if (shape.length === 1 && xs.length <= this.inlineMax) return `np.array(${pyList(xs)}${xs instanceof Float64Array ? '' : ', dtype=int'})`;
    if (xs instanceof Uint16Array) {
      this.list.push({ name, descr: '<i4', shape: [Math.ceil(xs.length / 2)], parts: () => packedU16(xs) });
      return `data[${pyStr(name)}].view(np.uint16)[:${xs.length}].reshape(${shape.join(', ')})`;
    }
    this.list.push(xs instanceof Float64Array ? { name, descr: '<f8', shape, parts: () => chunks(xs) } : { name, descr: '<i4', shape, parts: () => chunks(xs) });
    return `data[${pyStr(name)}]`;
  }
}

/** Per (target population, receptor): where the engine adds a synapse's weight (see sim/build.ts rings). */
interface Input {
  /** The Brian2 variable `on_pre` adds to: the receptor's own variable, or its accumulator. */
  readonly variable: string;
  readonly sign: 1 | -1;
  /** Through an accumulator absorbed after the synapses (the engine's ring with delays or gating), else straight into the variable. */
  readonly ring: boolean;
}

/**
 * Writes `plan` as a Brian2 script from its realised arrays `real`. Run it
 * with `python3 net.py` (beside `net.npz` when {@link Brian2Export.arrays} is
 * not empty); with `--json` it prints `{"dt_ms", "spikes": {nodeId: {"i": [...],
 * "step": [...]}}, "states": {"monitor/node": {"neurons": [...], "values": [[...]]}}}`
 * on stdout (every exported spiking population and source; every state monitor's samples
 * per neuron, taken at the end of each step as the engine's).
 *
 * Exported: the neuron kinds of {@link BRIAN2_KINDS} with their drawn initial
 * state (per-neuron param lists as group constants `p_<field>`); state monitors; spike sources (generators, Poisson sources, encoders, datasets) as
 * `SpikeGeneratorGroup`s of their spikes; every projection's synapses, weights
 * and delays as the engine drew them; pair STDP; Poisson drives as their
 * events per step (`TimedArray`); uniform currents (constant, or a
 * `TimedArray` when they switch during the run).
 */
export function exportBrian2(plan: NetworkPlan, real: Brian2Realised, options: Brian2Options = {}): Brian2Export {
  const notExported: string[] = [];
  const skip = (what: string, reason: string) => notExported.push(`not exported: ${what} — ${reason}`);
  const name = namer();
  const dt = plan.dtMs;
  const arrays = new Arrays(options.inlineMax ?? 64);
  const body: string[] = [];
  const groupOf = new Map<number, { py: string; brian?: Brian2Group; size: number; inputs: Map<string, Input> }>();
  let order = 0;

  // Rings: which (target, receptor) the engine delivers through a delay ring (sim/build.ts `ringFor`),
  // in the order the engine makes them (projections, then drives), which is the order it absorbs them.
  const ringOrder: string[] = [];
  const maxDelay = new Map<string, number>();
  plan.projections.forEach((p, k) => {
    const key = `${p.target}/${p.receptor}`;
    const steps = real.projections[k].delaySteps;
    let m = maxDelay.get(key) ?? 0;
    for (const s of steps) if (s > m) m = s;
    if (!maxDelay.has(key)) ringOrder.push(key);
    maxDelay.set(key, m);
  });
  for (const d of real.drives) {
    const key = `${d.target}/${d.receptor}`;
    if (maxDelay.has(key)) continue;
    ringOrder.push(key);
    maxDelay.set(key, 0);
  }

  // Current per target: constant, a TimedArray, or not exported.
  const currentOf = new Map<number, number | string>();
  for (const c of real.currents) {
    const target = plan.populations[c.target];
    const feeding = plan.injections.filter((x) => x.target === c.target).map((x) => plan.populations[x.source].nodeId);
    if (!c.value) {
      for (const id of feeding) skip(`node ${id}`, `a current that differs per neuron (noise, into ${target.nodeId}) is not exported`);
      continue;
    }
    if (allEqual(c.value)) currentOf.set(c.target, c.value[0] ?? 0);
    else {
      const v = name(`I_${target.nodeId}`);
      body.push(`# current into ${target.nodeId} (from ${feeding.join(', ')}), pA per step: it switches during the run`, `${v} = TimedArray(${arrays.add(v, c.value)}, dt=defaultclock.dt)`, '');
      currentOf.set(c.target, `${v}(t)`);
    }
  }

  const realPop = new Map(real.populations.map((p) => [p.index, p]));
  const realSource = new Map(real.sources.map((s) => [s.index, s]));
  plan.populations.forEach((pop, index) => {
    const src = realSource.get(index);
    if (src) {
      const v = name(pop.nodeId);
      body.push(
        `# node ${pop.nodeId}: ${pop.kind}, ${pop.size} channels; its ${src.i.length} spikes as Spikeflow's seed draws them, each on the step that emits it`,
        `${v} = SpikeGeneratorGroup(${pop.size}, ${arrays.add(`${v}_i`, src.i)},`,
        `    ${arrays.add(`${v}_step`, src.step)}*defaultclock.dt, name=${pyStr(v)})`,
        '',
      );
      groupOf.set(index, { py: v, size: pop.size, inputs: new Map() });
      return;
    }
    const rp = realPop.get(index);
    if (!rp) return;
    const mapping = BRIAN2_KINDS[pop.kind];
    if (!mapping) return skip(`node ${pop.nodeId}`, `kind "${pop.kind}" has no Brian2 mapping yet`);
    // Per-neuron values become the group's constants `p_<field>` (one value per neuron), named in the equations.
    const perNeuron = Object.entries(pop.params).filter((e): e is [string, PerNeuron] => isPerNeuron(e[1]));
    const params = { ...pop.params, ...Object.fromEntries(perNeuron.map(([k]) => [k, `p_${k}`])) } as Record<string, number>;
    const g = mapping(params, currentOf.get(index) ?? 0, dt);
    if (perNeuron.length && !wellFormed(g)) {
      return skip(`node ${pop.nodeId}`, `fields ${perNeuron.map(([k]) => k).join(', ')}: per-neuron values of a ${pop.kind} are not exported yet (only constants fit its Brian2 equations)`);
    }
    const clash = perNeuron.length && g.method === 'exact' ? equalTaus(pop.params, pop.size) : null;
    if (clash)
      return skip(`node ${pop.nodeId}`, `fields tau_m_ms and ${clash.field}: neuron ${clash.neuron} has τm equal to ${clash.field}, which Brian2's exact solution for per-neuron values divides by`);
    const v = name(pop.nodeId);
    const inputs = new Map<string, Input>();
    const accumulators: string[] = [];
    for (const key of ringOrder) {
      const [t, receptor] = key.split('/');
      if (Number(t) !== index) continue;
      const r = g.receptors[receptor];
      if (!r) continue;
      const ring = g.gated === true || maxDelay.get(key)! > 0;
      if (ring) accumulators.push(receptor);
      inputs.set(receptor, { variable: ring ? `acc_${receptor}` : r.variable, sign: r.sign, ring });
    }
    const refSteps = stepsOf(g.refractoryMs, dt);
    const refractory = refSteps > 0 ? `, refractory=${py(onGrid(refSteps, dt))}*ms` : '';
    const current = currentOf.get(index);
    body.push(
      `# node ${pop.nodeId}: ${pop.kind}, ${pop.size} neurons${typeof current === 'number' && current !== 0 ? `, DC input ${current} pA` : typeof current === 'string' ? `, input current ${current}` : ''}`,
      `${v} = NeuronGroup(${pop.size}, '''`,
      ...g.equations.map((e) => `    ${e}`),
      ...accumulators.map((r) => `    acc_${r} : 1  # ${r} input arriving this step (the engine's ring slot)`),
      ...perNeuron.map(([k]) => `    p_${k} : 1 (constant)  # field ${k}, per neuron`),
      `''', ${g.threshold === null ? '' : `threshold=${pyStr(g.threshold)}, reset=${pyStr(g.reset ?? '')}${refractory}, `}method=${pyStr(g.method)}, name=${pyStr(v)})`,
    );
    if (g.beforeThreshold) body.push(`${v}.run_regularly('''`, ...g.beforeThreshold.map((c) => `    ${c}`), `''', when='thresholds', order=-1, name=${pyStr(`${v}_held`)})`);
    for (const [k, x] of perNeuron) body.push(`${v}.p_${k} = ${arrays.add(`${v}_p_${k}`, Float64Array.from(x.perNeuron))}`);
    // Initial state: the engine's draws, or the kind's constants.
    const set = new Set<string>();
    for (const [id, values] of Object.entries(rp.initial)) {
      const b = g.state[id];
      if (!b || values.length === 0) continue;
      set.add(b);
      body.push(`${v}.${b} = ${allEqual(values) ? py(values[0]) : arrays.add(`${v}_${b}`, values)}`);
    }
    for (const [k, x] of Object.entries(g.init)) if (!set.has(k)) body.push(`${v}.${k} = ${py(x)}`);
    body.push('');
    groupOf.set(index, { py: v, brian: g, size: pop.size, inputs });
  });
  const currentSources = new Set(plan.injections.map((x) => x.source));
  const known = (index: number) => groupOf.has(index) || currentSources.has(index);
  plan.populations.forEach((pop, index) => {
    if (!known(index) && !notExported.some((s) => s.startsWith(`not exported: node ${pop.nodeId} `))) skip(`node ${pop.nodeId}`, `kind "${pop.kind}" has no Brian2 mapping yet`);
  });

  const plasticPosts: string[] = [];
  plan.projections.forEach((proj, k) => body.push(...projection(plan, proj, real.projections[k], groupOf, name, arrays, skip, order++, plasticPosts)));
  for (const line of plasticPosts) body.push(line.replace('@ORDER@', String(order++)));
  if (plasticPosts.length) body.push('');

  // Drives: their events per step, added to the receptor's accumulator after the synapses (the engine's driveInputs).
  real.drives.forEach((d, k) => {
    const dp = plan.drives![k];
    const g = groupOf.get(d.target);
    const input = g?.inputs.get(d.receptor);
    if (!g || !input) return skip(`node ${dp.nodeId}`, `its target ${plan.populations[d.target].nodeId} is not exported`);
    const v = name(`drive_${dp.edgeId}`);
    const steps = d.counts.length / d.size;
    body.push(
      `# node ${dp.nodeId} → ${plan.populations[d.target].nodeId}: ${dp.kind}, its events per step and neuron as Spikeflow's seed draws them, each adding ${d.sign * d.weight}`,
      `${v} = TimedArray(${arrays.add(v, d.counts, [steps, d.size])}, dt=defaultclock.dt)`,
      `${g.py}.run_regularly('${input.variable} += ${v}(t, i) * ${py(d.sign * d.weight)}', when='synapses', order=${order++}, name=${pyStr(`${v}_in`)})`,
      '',
    );
  });

  // Absorb: each accumulator into its variable, in the engine's ring order (gated kinds: unless refractory).
  for (const [index, g] of groupOf) {
    if (!g.brian) continue;
    const rings = ringOrder.filter((key) => Number(key.split('/')[0]) === index && g.inputs.get(key.split('/')[1])?.ring).map((key) => key.split('/')[1]);
    if (rings.length === 0) continue;
    const gate = g.brian.gated && stepsOf(g.brian.refractoryMs, dt) > 0 ? 'int(not_refractory) * ' : '';
    const code = [...rings.map((r) => `${g.brian!.receptors[r].variable} += ${gate}acc_${r}`), ...rings.map((r) => `acc_${r} = 0`)];
    body.push(
      `# the input that arrived this step, absorbed after the synapses${gate ? ' unless refractory' : ''} (the engine's absorb phase)`,
      `${g.py}.run_regularly('''`,
      ...code.map((c) => `    ${c}`),
      `''', when='synapses', order=${order++}, name=${pyStr(`${g.py}_absorb`)})`,
      '',
    );
  }

  for (const t of plan.trainers ?? []) skip(`node ${t.nodeId}`, 'the surrogate-gradient trainer has no Brian2 equivalent');
  for (const r of plan.learning?.readouts ?? []) skip(`node ${r.nodeId}`, 'classifier readouts have no Brian2 equivalent');
  for (const m of plan.learning?.modulators ?? []) skip(`node ${m.nodeId}`, 'reward signals have no Brian2 equivalent');
  // State monitors: sampled at the end of each step, after the reset (Brian2's when='end'), every interval.
  const states: { monitor: string; node: string; py: string; variable: string }[] = [];
  for (const m of plan.monitors) {
    if (m.kind === 'spike-monitor') continue;
    if (m.kind !== 'state-monitor') {
      skip(`node ${m.nodeId}`, `monitor kind "${m.kind}": the script records spikes and state monitors only`);
      continue;
    }
    const variable = String(m.params.variable ?? 'v');
    const every = Math.max(1, stepsOf(Number(m.params.interval_ms ?? dt), dt));
    for (const src of m.sources) {
      const g = groupOf.get(src);
      const b = g?.brian?.state[variable];
      const node = plan.populations[src].nodeId;
      if (!g || !b) {
        skip(`node ${m.nodeId}`, `field variable: "${variable}" of ${node} is not a state variable of its Brian2 group`);
        continue;
      }
      const neurons = ((m.params.neurons as number[] | undefined) ?? [0, 1, 2]).filter((i) => i < g.size);
      const v = name(`state_${m.nodeId}_${node}`);
      states.push({ monitor: m.nodeId, node, py: v, variable: b });
      body.push(
        `# node ${m.nodeId}: state monitor of ${variable} in ${node}, every ${every} step(s), at the end of the step`,
        `${v} = StateMonitor(${g.py}, ${pyStr(b)}, record=${pyList(neurons)}, dt=${py(onGrid(every, dt))}*ms, when='end', name=${pyStr(v)})`,
        '',
      );
    }
  }
  if (real.steps < plan.nSteps) skip('the run', `inputs were realised for ${real.steps} of ${plan.nSteps} steps; the script runs ${real.steps}`);

  const standalone = options.device === 'cpp_standalone';
  // A readout (no threshold) has no spikes to monitor.
  const spiking = [...groupOf.entries()].filter(([, g]) => g.brian?.threshold !== null);
  const groups = spiking.map(([, g]) => g);
  const header = [
    '#!/usr/bin/python3',
    `"""${(options.title ?? 'Spikeflow network').replace(/"""/g, "'''")} — exported from Spikeflow for Brian2 2.5.1.`,
    '',
    "Same equations, integration and order of operations as Spikeflow's engine, and the",
    "same network: connectivity, drawn values and Poisson inputs are Spikeflow's own draws",
    `(seed ${plan.seed})${arrays.list.length ? ', the large ones in the .npz beside this script' : ''}. Run: python3 net.py [--json]`,
    `dt ${dt} ms, duration ${onGrid(real.steps, dt)} ms (${real.steps} steps); device: ${standalone ? 'cpp_standalone' : 'runtime (numpy)'}.`,
    '',
    ...(notExported.length ? ['What this script leaves out:', ...notExported.map((s) => `  ${s}`)] : ['Everything in the network is exported.']),
    '"""',
    'import json',
    'import os',
    'import sys',
    '',
    'import numpy as np',
    'from brian2 import *',
    '',
    ...(standalone ? ["set_device('cpp_standalone', directory=os.path.splitext(os.path.abspath(__file__))[0] + '_standalone')"] : ["prefs.codegen.target = 'numpy'"]),
    `defaultclock.dt = ${py(dt)}*ms`,
    ...(arrays.list.length ? ["data = np.load(os.path.splitext(os.path.abspath(__file__))[0] + '.npz')"] : []),
    '',
  ];
  const footer = [
    ...groups.map((g) => `spikes_${g.py} = SpikeMonitor(${g.py})`),
    '',
    'net = Network(collect())',
    `net.run(${py(onGrid(real.steps, dt))}*ms)`,
    '',
    "if '--json' in sys.argv[1:]:",
    '    def steps(m):',
    '        return [int(round(x)) for x in m.t_[:] / float(defaultclock.dt)]',
    '    print(json.dumps({',
    `        'dt_ms': ${py(dt)},`,
    "        'spikes': {",
    ...spiking.map(([idx, g]) => `            ${pyStr(plan.populations[idx].nodeId)}: {'i': [int(x) for x in spikes_${g.py}.i[:]], 'step': steps(spikes_${g.py})},`),
    '        },',
    ...(states.length
      ? [
          "        'states': {",
          ...states.map((x) => `            ${pyStr(`${x.monitor}/${x.node}`)}: {'neurons': [int(k) for k in ${x.py}.record], 'values': ${x.py}.${x.variable}[:].tolist()},`),
          '        },',
        ]
      : []),
    '    }))',
    'else:',
    ...(groups.length ? groups.map((g) => `    print(${pyStr(g.py)}, spikes_${g.py}.num_spikes, 'spikes')`) : ["    print('no groups')"]),
  ];
  return { script: [...header, ...body, ...footer, ''].join('\n'), notExported, arrays: arrays.list };
}

/** Brian2's pair STDP (MODELS.md §4) in the engine's order: on_pre delivers, then the trace jumps and the weight learns. */
function stdpCode(p: Readonly<Record<string, unknown>>, wName: string): { model: string[]; onPre: string[]; onPost: string[] } | string {
  if (p.normalise === true) return 'weight normalisation is not exported';
  const wMax = py(p.w_max as number);
  const mult = p.mode === 'multiplicative';
  const nearest = p.pairing === 'nearest';
  return {
    model: [`dapre/dt = -apre/(${py(p.tau_pre_ms as number)}*ms) : 1 (event-driven)`, `dapost/dt = -apost/(${py(p.tau_post_ms as number)}*ms) : 1 (event-driven)`],
    onPre: [nearest ? `apre = ${py(p.a_pre as number)}` : `apre += ${py(p.a_pre as number)}`, `${wName} = clip(${wName} + ${mult ? `apost*${wName}/${wMax}` : 'apost'}, 0, ${wMax})`],
    onPost: [nearest ? `apost = ${py(p.a_post as number)}` : `apost += ${py(p.a_post as number)}`, `${wName} = clip(${wName} + ${mult ? `apre*(1 - ${wName}/${wMax})` : 'apre'}, 0, ${wMax})`],
  };
}

function projection(
  plan: NetworkPlan,
  proj: ProjectionPlan,
  syn: Brian2Realised['projections'][number],
  groupOf: Map<number, { py: string; brian?: Brian2Group; size: number; inputs: Map<string, Input> }>,
  name: (id: string) => string,
  arrays: Arrays,
  skip: (what: string, reason: string) => void,
  order: number,
  plasticPosts: string[],
): string[] {
  const what = `wire ${proj.edgeId}`;
  const src = groupOf.get(proj.source);
  const tgt = groupOf.get(proj.target);
  if (!src || !tgt?.brian) return (skip(what, `its ${src ? 'target' : 'source'} is not exported`), []);
  const input = tgt.inputs.get(proj.receptor);
  if (!input) return (skip(what, `receptor "${proj.receptor}" has no Brian2 mapping for the target's kind`), []);
  const wName = Object.values(tgt.brian.state).includes('w') ? 'w_syn' : 'w';
  const deliver = `${input.variable}_post ${input.sign < 0 ? '-=' : '+='} ${wName}`;
  let model = [`${wName} : 1`];
  let onPre = [deliver];
  let onPost: string[] = [];
  if (proj.plasticity) {
    const code = proj.plasticity.rule === 'stdp' ? stdpCode(proj.plasticity.params, wName) : `rule "${proj.plasticity.rule}" (node ${proj.plasticity.nodeId}) has no Brian2 mapping yet`;
    if (typeof code === 'string') return (skip(what, code), []);
    model = [...model, ...code.model];
    onPre = [deliver, ...code.onPre];
    onPost = code.onPost;
  }
  const v = name(`syn_${proj.edgeId}`);
  const n = syn.pre.length;
  const sizeOf = (k: number) => groupOf.get(k)!.size;
  // The readable forms where they give the engine's synapses in the engine's order; else the drawn ones.
  let connect: string;
  if (!proj.synapses && proj.rule === 'all-to-all' && (proj.allowAutapses || proj.source !== proj.target) && n === sizeOf(proj.source) * sizeOf(proj.target)) connect = 'connect()';
  else if (!proj.synapses && proj.rule === 'one-to-one' && n === sizeOf(proj.source) && syn.post.every((j, k) => j === k)) connect = "connect(j='i')";
  else connect = `connect(i=${arrays.add(`${v}_i`, syn.pre)}, j=${arrays.add(`${v}_j`, syn.post)})`;
  const delays = syn.delaySteps;
  const constDelay = allEqual(delays);
  const delayText = (steps: number) => `${py(onGrid(steps, plan.dtMs))}*ms`;
  // A plastic projection with delays learns at the spike and delivers after the delay, as the engine: two
  // presynaptic pathways, the delayed one adding the weight the synapse had at the spike (`w_sent`).
  const split = onPost.length > 0 && delays.some((d) => d > 0);
  const block = (code: readonly string[]) => [`'''`, ...code.map((m) => `    ${m}`), `'''`];
  const pre = split
    ? [`{'pre': ${block([`w_sent = ${wName}`, ...onPre.slice(1)]).join('\n')}, 'deliver': ${block([deliver.replace(new RegExp(`${wName}$`), 'w_sent')]).join('\n')}}`]
    : [block(onPre).join('\n')];
  const delayArg = constDelay ? (split ? `, delay={'deliver': ${delayText(delays[0])}}` : `, delay=${delayText(delays[0] ?? 0)}`) : '';
  const lines = [
    `# wire ${proj.edgeId}: ${plan.populations[proj.source].nodeId} → ${plan.populations[proj.target].nodeId}, ${proj.rule}, ${n} synapses, receptor ${proj.receptor}${proj.plasticity ? `, ${proj.plasticity.rule} (node ${proj.plasticity.nodeId})` : ''}`,
    ...(split ? ['# (learns at the spike, delivers after the delay; a spike that follows another of its neuron within the delay delivers the later weight for both)'] : []),
    `${v} = Synapses(${src.py}, ${tgt.py}, '''`,
    ...model.map((m) => `    ${m}`),
    ...(split ? ['    w_sent : 1  # the weight at the last presynaptic spike, delivered after the delay'] : []),
    `''', on_pre=${pre.join('')}${onPost.length ? `, on_post=${block(onPost).join('\n')}` : ''}${delayArg}, name=${pyStr(v)})`,
    `${v}.${connect}`,
    `${v}.${wName} = ${allEqual(syn.weight) ? py(syn.weight[0] ?? 0) : arrays.add(`${v}_w`, syn.weight)}`,
    ...(constDelay ? [] : [`${v}.${split ? 'deliver' : 'pre'}.delay = ${arrays.add(`${v}_delay`, delays)}*defaultclock.dt`]),
    `${v}.pre.order = ${order}`,
    ...(split ? [`${v}.deliver.order = ${order}`] : []),
    '',
  ];
  if (onPost.length) plasticPosts.push(`${v}.post.order = @ORDER@  # after every projection's presynaptic pathway, as the engine`);
  return lines;
}
