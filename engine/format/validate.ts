/**
 * Document validation against the kind registry.
 *
 * Checks structure, every node's params (inactive `when` params are ignored),
 * each kind's cross-field `check`, the wiring rules of `connect.ts`, projection
 * params on projection wires, and the simulation settings. Every issue carries a
 * JSON pointer, the node or edge id, the field, and a sentence naming them.
 *
 * Input is treated as untrusted: any JSON value may come in, nothing throws.
 */
import { KINDS, PROJECTION_PARAMS, checkParamValue, getKind, paramActive } from '../kinds/index.ts';
import type { NodeKind, ParamSpec, ParamSpecs, ParamsOf, PortRole } from '../kinds/index.ts';
import { CURRENT_VERSION, FORMAT_ID } from './document.ts';
import type { DocIssue, GraphDocument } from './document.ts';
import { describeNode, isPlasticityNode, wireEndsProblem } from './connect.ts';
import { pointer } from './pointer.ts';
import { checkGroupedDocument, hasGroups } from './groups.ts';
import { WEIGHTS_FIELD, checkWeightsField, projectionOwners } from './weights.ts';

/** Errors stop a document from loading or running; warnings do not. */
export interface DocCheck {
  readonly errors: DocIssue[];
  readonly warnings: DocIssue[];
}

/** The largest seed: the engine's generator takes 32 bits, so larger seeds would silently collide. */
export const MAX_SEED = 0xffffffff;

/** Smallest time step (1 µs): below it a run of any length is mostly rounding, and steps run out. */
export const MIN_DT_MS = 0.001;
/** Largest time step. */
export const MAX_DT_MS = 100;
/**
 * Most steps in one run (2³¹ − 1): spike times travel as 32-bit step numbers, so
 * a longer run is refused rather than wrapping to negative times (at dt = 0.1 ms,
 * about 59 hours of simulated time).
 */
export const MAX_STEPS = 2 ** 31 - 1;

/** Relative tolerance for `duration_ms / dt_ms` being a whole number (absorbs decimal rounding, e.g. 1000 / 0.1). */
export const STEP_TOLERANCE = 1e-9;

/**
 * The number of steps of a run, or null when `durationMs` is not a whole
 * number (≥ 1) of steps of `dtMs` within a relative {@link STEP_TOLERANCE}.
 */
export function simulationSteps(dtMs: number, durationMs: number): number | null {
  if (!(dtMs > 0) || !(durationMs > 0) || !Number.isFinite(dtMs) || !Number.isFinite(durationMs)) return null;
  const ratio = durationMs / dtMs;
  const n = Math.round(ratio);
  if (n < 1 || !Number.isFinite(ratio)) return null;
  return Math.abs(ratio - n) <= STEP_TOLERANCE * n ? n : null;
}

/**
 * Ids that are not allowed: they name JavaScript's object machinery, so a map
 * keyed by id (a weights file's `nodes`, a plan's lookups) would lose them.
 */
export const RESERVED_IDS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

function reservedMessage(id: string): string {
  return `"${id}" is a reserved name (${RESERVED_IDS.map((x) => `"${x}"`).join(', ')} cannot be ids); choose another id`;
}

/**
 * Longest delay, in steps (2²⁰, about 105 s at dt = 0.1 ms): every target keeps a
 * ring of that many steps per receptor, so a longer one is refused by name
 * rather than as a memory problem.
 */
export const MAX_DELAY_STEPS = 2 ** 20;

/** The largest delay a `delay_ms` value can draw (a number or a distribution), or null when it is not one. */
function maxDelayOf(d: unknown): number | null {
  if (typeof d === 'number') return d;
  if (!isObj(d)) return null;
  if (d.dist === 'uniform' && typeof d.high === 'number') return d.high;
  if (d.dist === 'normal' && typeof d.mean === 'number' && typeof d.sd === 'number') return typeof d.max === 'number' ? d.max : d.mean + 6 * d.sd;
  if (d.dist === 'lognormal' && typeof d.mu === 'number' && typeof d.sigma === 'number') return Math.exp(d.mu + 6 * d.sigma);
  return null;
}

/** Delays (on wires and on plasticity nodes) of more than {@link MAX_DELAY_STEPS} steps. */
function checkDelays(c: Collector, doc: Obj): void {
  const sim = doc.simulation;
  const dt = isObj(sim) && typeof sim.dt_ms === 'number' && sim.dt_ms >= MIN_DT_MS ? sim.dt_ms : null;
  if (dt === null) return;
  for (const where of ['nodes', 'edges'] as const) {
    const list = doc[where];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, i) => {
      if (!isObj(item) || !isObj(item.params) || !Object.hasOwn(item.params, 'delay_ms')) return;
      const d = maxDelayOf(item.params.delay_ms);
      if (d === null || !(d / dt > MAX_DELAY_STEPS)) return;
      const id = typeof item.id === 'string' ? item.id : String(i);
      const subject: Subject = where === 'nodes' ? { who: `Node "${id}"`, nodeId: id } : { who: `Edge "${id}"`, edgeId: id };
      c.error(
        subject,
        pointer(where, i, 'params', 'delay_ms'),
        'delay_ms',
        `a delay of up to ${Number(d.toPrecision(6))} ms is ${Number((d / dt).toPrecision(3))} steps of dt_ms = ${dt} ms; a delay has at most ${MAX_DELAY_STEPS} steps (${Number((MAX_DELAY_STEPS * dt).toPrecision(6))} ms at this dt)`,
      );
    });
  }
}

/** Why a run of `durationMs` at `dtMs` is too long (more than {@link MAX_STEPS} steps). */
export function stepsMessage(durationMs: number, dtMs: number): string {
  return `is ${Number((durationMs / dtMs).toPrecision(3))} steps of dt_ms = ${dtMs} ms; a run has at most ${MAX_STEPS} steps (${Number((MAX_STEPS * dtMs).toPrecision(3))} ms at this dt): shorten duration_ms or raise dt_ms`;
}

/** Errors only: what blocks loading or compiling. */
export function validateDocument(doc: GraphDocument): DocIssue[] {
  return checkDocument(doc).errors;
}

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A short rendering of a bad value for messages. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return v.length === 0 ? '[]' : 'a list';
  if (isObj(v)) return Object.keys(v).length === 0 ? '{}' : 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

function sentence(who: string, field: string | undefined, problem: string): string {
  const body = field === undefined ? `${who}: ${problem}` : `${who}, field ${field}: ${problem}`;
  return /[.!?]$/.test(body) ? body : `${body}.`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

function suggestion(name: string, known: readonly string[]): string {
  const near = known.filter((k) => editDistance(name.toLowerCase(), k.toLowerCase()) <= 2 || (name.length >= 3 && (k.startsWith(name) || name.startsWith(k))));
  return near.length ? ` Did you mean ${near.map((k) => `"${k}"`).join(' or ')}?` : '';
}

/** Who an issue is about, for messages and the id fields. */
interface Subject {
  readonly who: string;
  readonly nodeId?: string;
  readonly edgeId?: string;
}

class Collector {
  readonly errors: DocIssue[] = [];
  readonly warnings: DocIssue[] = [];

  add(list: 'errors' | 'warnings', subject: Subject, ptr: string, field: string | undefined, problem: string): void {
    const issue: { -readonly [K in keyof DocIssue]: DocIssue[K] } = { pointer: ptr, message: sentence(subject.who, field, problem) };
    if (subject.nodeId !== undefined) issue.nodeId = subject.nodeId;
    if (subject.edgeId !== undefined) issue.edgeId = subject.edgeId;
    if (field !== undefined) issue.field = field;
    this[list].push(issue);
  }
  error(subject: Subject, ptr: string, field: string | undefined, problem: string): void {
    this.add('errors', subject, ptr, field, problem);
  }
  warn(subject: Subject, ptr: string, field: string | undefined, problem: string): void {
    this.add('warnings', subject, ptr, field, problem);
  }
}

const DOC: Subject = { who: 'Document' };
const META: Subject = { who: 'Document meta' };
const SIM: Subject = { who: 'Simulation' };

/**
 * Check a set of params against their specs: missing declared params and
 * invalid active ones are errors; unknown params are warnings (they are kept).
 * Returns whether every active param is valid.
 */
function checkParams(c: Collector, subject: Subject, base: readonly (string | number)[], specs: ParamSpecs, params: Obj, unknownNote: string): boolean {
  let valid = true;
  for (const [name, spec] of Object.entries(specs) as [string, ParamSpec][]) {
    const ptr = pointer(...base, name);
    if (!Object.hasOwn(params, name)) {
      c.error(subject, ptr, name, `is missing (the default is ${JSON.stringify(spec.default)})`);
      valid = false;
      continue;
    }
    if (!paramActive(spec, params)) continue;
    const value = params[name];
    const problem = checkParamValue(spec, value);
    if (problem) {
      valid = false;
      c.error(subject, ptr, name, problem.includes('(got') ? problem : `${problem} (got ${showValue(value)})`);
    }
  }
  const known = Object.keys(specs);
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(specs, name)) c.warn(subject, pointer(...base, name), name, `${unknownNote}; it is kept as is and ignored.${suggestion(name, known)}`);
  }
  return valid;
}

/**
 * A kind's cross-field `check`, and per-neuron values (lists, `perNeuron` params): each list
 * holds one value per neuron, and `check` holds for every neuron (the first that fails is named).
 */
function checkNeuronParams(kind: NodeKind, params: ParamsOf<ParamSpecs>, size: number | undefined): (readonly [string, string])[] {
  const lists = Object.keys(kind.params).filter((k) => {
    const spec = kind.params[k];
    return (spec.type === 'number' || spec.type === 'dist') && spec.perNeuron === true && Array.isArray(params[k]);
  });
  if (lists.length === 0) return [...(kind.check?.(params) ?? [])];
  const wrong = lists.filter((k) => size !== undefined && (params[k] as unknown[]).length !== size);
  if (wrong.length > 0) return wrong.map((k) => [k, `has ${(params[k] as unknown[]).length} per-neuron values, but the node has ${size} neurons`] as const);
  if (!kind.check || size === undefined) return [];
  const one: Record<string, unknown> = { ...params };
  for (let n = 0; n < size; n++) {
    for (const k of lists) one[k] = (params[k] as number[])[n];
    const problems = kind.check(one as ParamsOf<ParamSpecs>);
    if (problems.length > 0) return problems.map(([field, problem]) => [field, lists.includes(field) ? `entry ${n} ${problem}` : `${problem} (for neuron ${n})`] as const);
  }
  return [];
}

function checkString(c: Collector, subject: Subject, obj: Obj, base: readonly (string | number)[], field: string): void {
  if (typeof obj[field] !== 'string') c.error(subject, pointer(...base, field), field, `must be text (got ${showValue(obj[field])})`);
}

function checkSimulation(c: Collector, sim: unknown): void {
  if (!isObj(sim)) {
    c.error(DOC, '/simulation', 'simulation', `must be an object with dt_ms, duration_ms and seed (got ${showValue(sim)})`);
    return;
  }
  const positive = (field: 'dt_ms' | 'duration_ms'): number | null => {
    const v = sim[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) {
      c.error(SIM, pointer('simulation', field), field, `must be a number > 0 ms (got ${showValue(v)})`);
      return null;
    }
    return v;
  };
  let dt = positive('dt_ms');
  const duration = positive('duration_ms');
  if (dt !== null && (dt < MIN_DT_MS || dt > MAX_DT_MS)) {
    c.error(SIM, '/simulation/dt_ms', 'dt_ms', `must be from ${MIN_DT_MS} ms to ${MAX_DT_MS} ms (got ${showValue(dt)} ms)`);
    dt = null;
  }
  if (dt !== null && duration !== null && duration / dt > MAX_STEPS) {
    c.error(SIM, '/simulation/duration_ms', 'duration_ms', stepsMessage(duration, dt));
    return;
  }
  if (sim.same_step_delivery !== undefined && typeof sim.same_step_delivery !== 'boolean') {
    c.error(SIM, '/simulation/same_step_delivery', 'same_step_delivery', `must be true or false (got ${showValue(sim.same_step_delivery)})`);
  }
  const seed = sim.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    c.error(SIM, '/simulation/seed', 'seed', `must be a whole number from 0 to ${MAX_SEED} (got ${showValue(seed)})`);
  }
  if (dt !== null && duration !== null && simulationSteps(dt, duration) === null) {
    const steps = duration / dt;
    c.error(
      SIM,
      '/simulation/duration_ms',
      'duration_ms',
      steps < 1
        ? `must be at least one step of dt_ms = ${dt} ms (got ${duration} ms)`
        : `must be a whole number of steps of dt_ms = ${dt} ms (got ${duration} ms, which is ${Number(steps.toPrecision(10))} steps)`,
    );
  }
}

interface NodeInfo {
  readonly index: number;
  readonly id: string;
  readonly kind: string;
  readonly spec: NodeKind | undefined;
  /** Neurons or channels, when the kind has a size and the params are valid. */
  readonly size: number | undefined;
}

function checkNodes(c: Collector, nodes: unknown): Map<string, NodeInfo> {
  const byId = new Map<string, NodeInfo>();
  if (!Array.isArray(nodes)) {
    c.error(DOC, '/nodes', 'nodes', `must be a list of nodes (got ${showValue(nodes)})`);
    return byId;
  }
  nodes.forEach((node: unknown, i) => {
    const at = pointer('nodes', i);
    if (!isObj(node)) {
      c.error({ who: `Node at ${at}` }, at, undefined, `must be an object with id, kind, label, position and params (got ${showValue(node)})`);
      return;
    }
    const idOk = typeof node.id === 'string' && node.id.length > 0;
    const id = idOk ? (node.id as string) : undefined;
    const kind = typeof node.kind === 'string' ? getKind(node.kind) : undefined;
    const subject: Subject = id === undefined ? { who: `Node at ${at}` } : { who: `Node ${describeNode(id, kind)}`, nodeId: id };
    if (!idOk) {
      c.error(subject, `${at}/id`, 'id', `must be a non-empty text id (got ${showValue(node.id)})`);
    } else if (RESERVED_IDS.includes(id!)) {
      c.error(subject, `${at}/id`, 'id', reservedMessage(id!));
    } else if (byId.has(id!)) {
      c.error(subject, `${at}/id`, 'id', `the id is also used by the node at ${pointer('nodes', byId.get(id!)!.index)}; node ids must be unique`);
    }
    if (typeof node.kind !== 'string') {
      c.error(subject, `${at}/kind`, 'kind', `must be a kind id such as "lif-curr-exp" (got ${showValue(node.kind)})`);
    } else if (!kind) {
      c.error(subject, `${at}/kind`, 'kind', `unknown kind "${node.kind}"; this Spikeflow knows ${KINDS.map((k) => `"${k.id}"`).join(', ')}`);
    }
    checkString(c, subject, node, ['nodes', i], 'label');
    const pos = node.position;
    if (!isObj(pos)) {
      c.error(subject, `${at}/position`, 'position', `must be an object {"x": …, "y": …} (got ${showValue(pos)})`);
    } else {
      for (const axis of ['x', 'y'] as const) {
        const v = pos[axis];
        if (typeof v !== 'number' || !Number.isFinite(v)) c.error(subject, `${at}/position/${axis}`, `position.${axis}`, `must be a finite number (got ${showValue(v)})`);
      }
    }
    let size: number | undefined;
    if (!isObj(node.params)) {
      c.error(subject, `${at}/params`, 'params', `must be an object (got ${showValue(node.params)})`);
    } else if (kind) {
      const valid = checkParams(c, subject, ['nodes', i, 'params'], kind.params, node.params, 'is not a param of this kind');
      if (valid) {
        const params = node.params as ParamsOf<ParamSpecs>;
        try {
          size = kind.size?.(params);
          for (const [field, problem] of checkNeuronParams(kind, params, size)) c.error(subject, pointer('nodes', i, 'params', field), field, problem);
        } catch (e) {
          c.error(subject, `${at}/params`, 'params', `could not be checked (${e instanceof Error ? e.message : String(e)})`);
        }
      }
    }
    if (id !== undefined && !byId.has(id)) byId.set(id, { index: i, id, kind: typeof node.kind === 'string' ? node.kind : '', spec: kind, size });
  });
  return byId;
}

function isPortRef(x: unknown): x is { node: string; port: string } {
  return isObj(x) && typeof x.node === 'string' && typeof x.port === 'string';
}

/** Whether a projection's count and rule can be met by the sizes it joins. */
function checkProjectionFeasible(c: Collector, subject: Subject, j: number, params: Obj, src: NodeInfo, tgt: NodeInfo): void {
  if (src.size === undefined || tgt.size === undefined) return;
  const self = src.id === tgt.id;
  const noAutapses = self && params.allow_autapses === false;
  const ptr = (f: string) => pointer('edges', j, 'params', f);
  const rule = params.rule;
  if (rule === 'one-to-one') {
    if (src.size !== tgt.size) {
      c.error(subject, ptr('rule'), 'rule', `one-to-one needs equal sizes, but "${src.id}" has ${src.size} and "${tgt.id}" has ${tgt.size}`);
    } else if (noAutapses) {
      c.warn(subject, ptr('allow_autapses'), 'allow_autapses', 'one-to-one onto the same population pairs each neuron with itself, which this forbids, so the projection makes no synapses');
    }
    return;
  }
  if (params.allow_multapses !== false) return;
  const n = params.n as number;
  const limits: Record<string, [number, string]> = {
    'fixed-in-degree': [src.size - (noAutapses ? 1 : 0), `sources per target without multapses ("${src.id}" has ${src.size})`],
    'fixed-out-degree': [tgt.size - (noAutapses ? 1 : 0), `targets per source without multapses ("${tgt.id}" has ${tgt.size})`],
    'fixed-total': [src.size * tgt.size - (noAutapses ? src.size : 0), `distinct pairs without multapses`],
  };
  if (typeof rule === 'string' && Object.hasOwn(limits, rule)) {
    const [max, what] = limits[rule];
    if (n > max) c.error(subject, ptr('n'), 'n', `must be ≤ ${max}, the number of available ${what} (got ${n})`);
  }
}

function checkEdges(c: Collector, edges: unknown, nodes: Map<string, NodeInfo>): void {
  if (!Array.isArray(edges)) {
    c.error(DOC, '/edges', 'edges', `must be a list of edges (got ${showValue(edges)})`);
    return;
  }
  const seen = new Map<string, number>();
  // Earlier wires, by "source|target" pair and by target port: an edge id for messages.
  const byPair = new Map<string, string>();
  const byTarget = new Map<string, string>();
  // Earlier wires out of a plasticity node's output (each makes one projection).
  const byPlasticSource = new Map<string, string>();
  edges.forEach((edge: unknown, j) => {
    const at = pointer('edges', j);
    if (!isObj(edge)) {
      c.error({ who: `Edge at ${at}` }, at, undefined, `must be an object with id, source, target and params (got ${showValue(edge)})`);
      return;
    }
    const idOk = typeof edge.id === 'string' && edge.id.length > 0;
    const id = idOk ? (edge.id as string) : undefined;
    const { source, target } = edge;
    const ends = isPortRef(source) && isPortRef(target) ? ` (${source.node}.${source.port} → ${target.node}.${target.port})` : '';
    const subject: Subject = id === undefined ? { who: `Edge at ${at}${ends}` } : { who: `Edge "${id}"${ends}`, edgeId: id };
    if (!idOk) {
      c.error(subject, `${at}/id`, 'id', `must be a non-empty text id (got ${showValue(edge.id)})`);
    } else if (RESERVED_IDS.includes(id!)) {
      c.error(subject, `${at}/id`, 'id', reservedMessage(id!));
    } else if (seen.has(id!)) {
      c.error(subject, `${at}/id`, 'id', `the id is also used by the edge at ${pointer('edges', seen.get(id!)!)}; edge ids must be unique`);
    } else {
      seen.set(id!, j);
    }
    for (const [end, ref] of [
      ['source', source],
      ['target', target],
    ] as const) {
      if (!isPortRef(ref)) c.error(subject, `${at}/${end}`, end, `must be an object {"node": "<node id>", "port": "<port id>"} (got ${showValue(ref)})`);
    }
    const params = edge.params;
    if (!isObj(params)) c.error(subject, `${at}/params`, 'params', `must be an object (got ${showValue(params)})`);
    if (!isPortRef(source) || !isPortRef(target)) return;

    const srcInfo = nodes.get(source.node);
    const tgtInfo = nodes.get(target.node);
    // A node of unknown kind is already reported; its wires cannot be judged.
    if ((srcInfo && !srcInfo.spec) || (tgtInfo && !tgtInfo.spec)) return;
    const problem = wireEndsProblem((nid) => nodes.get(nid), source, target);
    if (problem) {
      c.error(subject, `${at}/${problem.end}/${problem.part}`, problem.end, lowerFirst(problem.message));
      return;
    }
    const tk = tgtInfo!.spec!;
    const port = tk.inputs.find((p) => p.id === target.port)!;
    const role: PortRole | undefined = port.role;
    const tgtKey = JSON.stringify([target.node, target.port]);
    // An excitatory and an inhibitory projection between the same ports are two connections, not a duplicate.
    const receptor = role === 'projection' && isObj(params) && typeof params.receptor === 'string' ? params.receptor : 'exc';
    const pairKey = JSON.stringify([source.node, source.port, target.node, target.port, receptor]);
    const twin = byPair.get(pairKey);
    if (twin !== undefined) {
      // The editor refuses this wire (connect.ts wireProblem), so the loader does too. A projection's is a
      // value problem (the document opens, marked, and the receptor can be changed); another wire's is not.
      if (role === 'projection') {
        c.error(subject, `${at}/params/receptor`, 'receptor', `edge "${twin}" already joins the same two ports with receptor "${receptor}"; give this one another receptor or remove it`);
      } else c.error(subject, `${at}/target`, 'target', `edge "${twin}" already joins the same two ports; remove this one`);
    }
    const first = byTarget.get(tgtKey);
    if (port.multiple === false && first !== undefined) {
      c.error(subject, `${at}/target`, 'target', `input "${target.port}" of node ${describeNode(target.node, tk)} takes a single wire, but edge "${first}" already feeds it`);
    }
    if (twin === undefined) byPair.set(pairKey, id ?? at);
    if (first === undefined) byTarget.set(tgtKey, id ?? at);
    const plasticSource = isPlasticityNode((nid) => nodes.get(nid), source.node);
    // Weight monitors may watch a plasticity node beside its one projection.
    if (plasticSource && role === 'projection') {
      const srcKey = JSON.stringify([source.node, source.port]);
      const earlier = byPlasticSource.get(srcKey);
      if (earlier !== undefined) {
        c.error(
          subject,
          `${at}/source`,
          'source',
          `output "${source.port}" of plasticity node ${describeNode(source.node, srcInfo!.spec)} makes one projection, but edge "${earlier}" already leaves it`,
        );
      } else byPlasticSource.set(srcKey, id ?? at);
    }
    if (!isObj(params)) return;
    if (role === 'projection' && plasticSource) {
      for (const name of Object.keys(params)) {
        c.warn(subject, pointer('edges', j, 'params', name), name, `a wire out of a plasticity node carries no params (the node holds its projection's); this one is kept as is and ignored`);
      }
    } else if (role === 'projection') {
      const valid = checkParams(c, subject, ['edges', j, 'params'], PROJECTION_PARAMS, params, 'is not a projection param');
      if (valid) checkProjectionFeasible(c, subject, j, params, srcInfo!, tgtInfo!);
    } else {
      for (const name of Object.keys(params)) {
        c.warn(subject, pointer('edges', j, 'params', name), name, `a wire into an ${role} input carries no params; this one is kept as is and ignored`);
      }
    }
  });
}

/** The `weights` field of projection owners (weights.ts); anywhere else it is an error. */
function checkStoredWeights(c: Collector, doc: Obj, nodes: Map<string, NodeInfo>): void {
  const owners = projectionOwners(doc);
  const portOf = (ref: unknown) => {
    if (!isObj(ref)) return undefined;
    const n = typeof ref.node === 'string' ? nodes.get(ref.node) : undefined;
    return n?.spec?.inputs.find((p) => p.id === ref.port);
  };
  for (const o of owners) {
    const item = (doc[o.where] as Obj[])[o.index];
    if (!Object.hasOwn(item, WEIGHTS_FIELD)) continue;
    const src = o.sourceNode === undefined ? undefined : nodes.get(o.sourceNode);
    const tgt = o.targetNode === undefined ? undefined : nodes.get(o.targetNode);
    const subject: Subject =
      o.where === 'nodes' ? { who: `Node ${describeNode(o.id, getKind(String(item.kind)))}`, nodeId: o.id } : { who: `Edge "${o.id}" (${o.sourceNode} → ${o.targetNode})`, edgeId: o.id };
    // A static wire's explicit weights may be negative where its target port says so (currents, jumps in V).
    const port = o.where === 'edges' ? portOf(item.target) : undefined;
    const ends = { sourceId: src?.id, sourceSize: src?.size, targetId: tgt?.id, targetSize: tgt?.size, signed: port?.signedWeights === true };
    for (const p of checkWeightsField(item[WEIGHTS_FIELD], pointer(o.where, o.index), ends)) c.error(subject, p.pointer, p.field, p.problem);
  }
  for (const where of ['nodes', 'edges'] as const) {
    const list = doc[where];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, i) => {
      if (!isObj(item) || !Object.hasOwn(item, WEIGHTS_FIELD) || owners.some((o) => o.where === where && o.index === i)) return;
      const id = typeof item.id === 'string' ? item.id : undefined;
      const subject: Subject = where === 'nodes' ? { who: `Node "${id ?? i}"`, ...(id ? { nodeId: id } : {}) } : { who: `Edge "${id ?? i}"`, ...(id ? { edgeId: id } : {}) };
      c.error(subject, pointer(where, i, WEIGHTS_FIELD), WEIGHTS_FIELD, 'only a projection wire or a plasticity node can hold stored weights; remove the field');
    });
  }
}

/**
 * Check a document: errors (which block loading and running) and warnings
 * (unknown params, which are kept). Accepts any value.
 */
export function checkDocument(doc: unknown): DocCheck {
  // Groups (format v2) are checked on the flat graph, with issues pointed back into them.
  if (hasGroups(doc)) return checkGroupedDocument(doc as GraphDocument, checkDocument);
  const c = new Collector();
  if (!isObj(doc)) {
    c.error(DOC, '', undefined, `must be a JSON object (got ${showValue(doc)})`);
    return c;
  }
  if (doc.format !== FORMAT_ID) c.error(DOC, '/format', 'format', `must be "${FORMAT_ID}" (got ${showValue(doc.format)})`);
  if (doc.version !== CURRENT_VERSION) c.error(DOC, '/version', 'version', `must be ${CURRENT_VERSION} (got ${showValue(doc.version)})`);
  const meta = doc.meta;
  if (!isObj(meta)) {
    c.error(DOC, '/meta', 'meta', `must be an object with name, description, created and modified (got ${showValue(meta)})`);
  } else {
    for (const f of ['name', 'description', 'created', 'modified']) checkString(c, META, meta, ['meta'], f);
  }
  checkSimulation(c, doc.simulation);
  const nodes = checkNodes(c, doc.nodes);
  checkEdges(c, doc.edges, nodes);
  checkStoredWeights(c, doc, nodes);
  checkDelays(c, doc);
  if (!isObj(doc.view)) c.error(DOC, '/view', 'view', `must be an object (got ${showValue(doc.view)})`);
  if (doc.sweep !== undefined) checkSweepShape(c, doc.sweep);
  return c;
}

const SWEEP: Subject = { who: 'Saved sweep' };

/**
 * The saved sweep's shape (issue 16; the fields are engine/compile/sweep.ts's): warnings
 * only, so a document with a bad sweep still opens and runs; `spikeflow sweep` and the
 * Sweep panel refuse it, naming the set.
 */
function checkSweepShape(c: Collector, sweep: unknown): void {
  if (!isObj(sweep)) {
    c.warn(SWEEP, '/sweep', 'sweep', `must be an object with sets (got ${showValue(sweep)})`);
    return;
  }
  const sets = sweep.sets;
  if (!Array.isArray(sets) || sets.length === 0) c.warn(SWEEP, '/sweep/sets', 'sets', `must be a list of one or more NODE.FIELD=VALUES (got ${showValue(sets)})`);
  else
    sets.forEach((s, i) => {
      if (typeof s !== 'string' || !s.includes('=')) c.warn(SWEEP, pointer('sweep', 'sets', i), 'sets', `must be NODE.FIELD=VALUES (got ${showValue(s)})`);
    });
  if (sweep.seeds !== undefined && !(Number.isInteger(sweep.seeds) && (sweep.seeds as number) >= 1))
    c.warn(SWEEP, '/sweep/seeds', 'seeds', `must be a whole number ≥ 1 (got ${showValue(sweep.seeds)})`);
  if (sweep.metrics !== undefined && !(Array.isArray(sweep.metrics) && sweep.metrics.every((m) => typeof m === 'string')))
    c.warn(SWEEP, '/sweep/metrics', 'metrics', `must be a list of metric names (got ${showValue(sweep.metrics)})`);
  if (sweep.duration_ms !== undefined && !(typeof sweep.duration_ms === 'number' && sweep.duration_ms > 0))
    c.warn(SWEEP, '/sweep/duration_ms', 'duration_ms', `must be a number > 0 ms (got ${showValue(sweep.duration_ms)})`);
  if (sweep.label !== undefined && typeof sweep.label !== 'string') c.warn(SWEEP, '/sweep/label', 'label', `must be text (got ${showValue(sweep.label)})`);
}
