/**
 * Document → network plan. Validates first (every issue names the node or wire
 * and the field), then checks what only the whole graph can tell (sizes of a
 * projection's ends, rate·dt), and emits the plan the engine builds.
 */
import type { DocIssue, GraphDocument } from '../format/document.ts';
import { fillDefaults, validateDocument } from '../format/load.ts';
import { MAX_STEPS, stepsMessage } from '../format/validate.ts';
import { getKind, paramActive, PROJECTION_PARAMS, type ParamSpecs } from '../kinds/index.ts';
import { ruleProblem } from '../sim/connect.ts';
import type { ConnectivityRule, DrivePlan, InjectionPlan, MonitorPlan, NetworkPlan, PlasticityPlan, PopulationPlan, ProjectionPlan, TrainerPlan } from '../core/plan.ts';
import { PLAN_VERSION } from '../core/plan.ts';
import type { DistValue } from '../kinds/define.ts';
import { inlineWeightsOf, weightsFileOf } from '../format/weights.ts';
import { compileLearning } from './learning.ts';
import { stepsOf } from '../core/time.ts';
import { compileGrouped, hasGroups } from '../format/groups.ts';
import { trainerIssues } from '../learn/limits.ts';

export type CompileResult = { ok: true; plan: NetworkPlan } | { ok: false; issues: DocIssue[] };

/** Params of a spec with defaults for missing ones and inactive ones dropped. */
export function resolveParams(specs: ParamSpecs, params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const full: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(specs)) full[k] = params[k] !== undefined ? params[k] : s.default;
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(specs)) {
    if (!paramActive(s, full)) continue;
    // One value per neuron (a list where the kind allows it) is marked so the engine can tell it from a list param.
    const perNeuron = (s.type === 'number' || s.type === 'dist') && s.perNeuron === true && Array.isArray(full[k]);
    out[k] = perNeuron ? { perNeuron: full[k] } : full[k];
  }
  return out;
}

function nodeName(doc: GraphDocument, id: string): string {
  const n = doc.nodes.find((x) => x.id === id);
  return n?.label ? `"${id}" (${n.label})` : `"${id}"`;
}

export function compileDocument(given: GraphDocument, overrides: { durationMs?: number; seed?: number } = {}): CompileResult {
  // Groups (format v2) compile as their flat graph: the same ids, so the same network.
  if (hasGroups(given)) return compileGrouped(given, (flat) => compileDocument(flat, overrides));
  // A document built in code may leave params out; fill them as loading would, on a copy.
  const doc = JSON.parse(JSON.stringify(given)) as GraphDocument;
  fillDefaults(doc as unknown as Record<string, unknown>, () => new Date(0));
  const issues = validateDocument(doc).slice();
  if (issues.length > 0) return { ok: false, issues };

  const dtMs = doc.simulation.dt_ms;
  const durationMs = overrides.durationMs ?? doc.simulation.duration_ms;
  const seed = overrides.seed ?? doc.simulation.seed;
  const nSteps = stepsOf(durationMs, dtMs);
  if (!(dtMs > 0) || !(durationMs > 0) || nSteps < 1) {
    issues.push({ pointer: '/simulation/duration_ms', field: 'duration_ms', message: `Simulation duration ${durationMs} ms must cover at least one step of ${dtMs} ms.` });
    return { ok: false, issues };
  }
  if (nSteps > MAX_STEPS)
    return { ok: false, issues: [{ pointer: '/simulation/duration_ms', field: 'duration_ms', message: `Simulation duration ${durationMs} ms ${stepsMessage(durationMs, dtMs)}.` }] };

  const popIndex = new Map<string, number>();
  const populations: PopulationPlan[] = [];
  const monitorNodes: { nodeId: string; kind: string; params: Record<string, unknown> }[] = [];
  const trainerNodes: { nodeId: string; params: Record<string, unknown> }[] = [];
  doc.nodes.forEach((node, ni) => {
    const kind = getKind(node.kind)!;
    const params = resolveParams(kind.params, node.params);
    const rt = kind.runtime;
    // A rate above one event per step cannot be represented at this dt, whatever the kind.
    for (const [name, spec] of Object.entries(kind.params)) {
      if (!(name in params) || !('unit' in spec) || spec.unit !== 'Hz') continue;
      const values = Array.isArray(params[name]) ? (params[name] as number[]) : [params[name] as number];
      const worst = Math.max(0, ...values);
      if ((worst * dtMs) / 1000 > 1) {
        issues.push({
          pointer: `/nodes/${ni}/params/${name}`,
          nodeId: node.id,
          field: name,
          message: `Node ${nodeName(doc, node.id)}, field ${name}: ${worst} Hz is more than one spike per step of ${dtMs} ms (at most ${1000 / dtMs} Hz); lower it or dt.`,
        });
      }
    }
    if (rt.role === 'monitor') {
      monitorNodes.push({ nodeId: node.id, kind: node.kind, params });
      return;
    }
    if (rt.role === 'trainer') {
      trainerNodes.push({ nodeId: node.id, params });
      return;
    }
    // Drives have no neurons of their own: each wire drives its target's neurons.
    // A plasticity node has none either: it becomes part of the projection through it.
    // Readouts and reward nodes neither (issue 5: compile/learning.ts).
    if (rt.role === 'drive' || rt.role === 'plasticity' || rt.role === 'readout' || rt.role === 'modulator') return;
    const size = kind.size ? kind.size(params as never) : 1;
    popIndex.set(node.id, populations.length);
    populations.push({ nodeId: node.id, kind: node.kind, size, params });
  });

  const projections: ProjectionPlan[] = [];
  const injections: InjectionPlan[] = [];
  const drives: DrivePlan[] = [];
  const observed = new Map<string, number[]>();
  const watched = new Map<string, string>();
  doc.edges.forEach((edge, ei) => {
    const target = doc.nodes.find((n) => n.id === edge.target.node)!;
    const port = getKind(target.kind)!.inputs.find((p) => p.id === edge.target.port)!;
    // Label and modulator wires belong to the learning part (compile/learning.ts).
    if (port.type === 'label' || port.type === 'modulator') return;
    const s = popIndex.get(edge.source.node);
    if (port.role === 'observe') {
      // A weight monitor watches the projection of the plasticity node wired into it.
      const src = doc.nodes.find((n) => n.id === edge.source.node);
      if (src && getKind(src.kind)?.runtime.role === 'plasticity') watched.set(target.id, src.id);
      if (s === undefined) return;
      const list = observed.get(target.id) ?? [];
      if (!list.includes(s)) list.push(s);
      observed.set(target.id, list);
      return;
    }
    const t = popIndex.get(edge.target.node)!;
    if (port.role === 'inject') {
      const source = doc.nodes.find((n) => n.id === edge.source.node)!;
      const sk = getKind(source.kind)!;
      if (sk.runtime.role === 'drive') {
        drives.push({ edgeId: edge.id, nodeId: source.id, kind: source.kind, params: resolveParams(sk.params, source.params), target: t });
      } else injections.push({ edgeId: edge.id, source: s!, target: t, targetPort: port.id });
      return;
    }
    // The wire into a plasticity node's `pre` is folded into the wire out of it.
    if (port.role === 'plastic') return;
    const from = doc.nodes.find((n) => n.id === edge.source.node)!;
    const fromKind = getKind(from.kind)!;
    let source = s;
    let p: Record<string, unknown>;
    let plasticity: PlasticityPlan | undefined;
    // Where problems with the projection's params point: the wire, or the plasticity node that holds them.
    let at: { pointer: string; id: Pick<DocIssue, 'edgeId' | 'nodeId'>; who: string } = {
      pointer: `/edges/${ei}/params`,
      id: { edgeId: edge.id },
      who: `Wire "${edge.id}" (${nodeName(doc, edge.source.node)} → ${nodeName(doc, edge.target.node)})`,
    };
    if (fromKind.runtime.role === 'plasticity') {
      const ni = doc.nodes.indexOf(from);
      at = { pointer: `/nodes/${ni}/params`, id: { nodeId: from.id }, who: `Node ${nodeName(doc, from.id)}` };
      const preWire = doc.edges.find((e) => e.target.node === from.id && getKind(from.kind)!.inputs.find((q) => q.id === e.target.port)?.role === 'plastic');
      source = preWire ? popIndex.get(preWire.source.node) : undefined;
      if (source === undefined) {
        issues.push({
          pointer: `/nodes/${ni}`,
          nodeId: from.id,
          field: 'pre',
          message: `Node ${nodeName(doc, from.id)}, input pre: a plastic projection needs a presynaptic population or source wired into "pre".`,
        });
        return;
      }
      p = resolveParams(fromKind.params, from.params);
      plasticity = { nodeId: from.id, rule: from.kind, params: p };
    } else p = resolveParams(PROJECTION_PARAMS, edge.params);
    // Stored weights (format/weights.ts) live where the params do; a side file must have been inlined by the host.
    const owner = (plasticity ? from : edge) as unknown as Record<string, unknown>;
    const stored = inlineWeightsOf(owner);
    const synapses = stored && { pre: stored.pre, post: stored.post, w: stored.w, ...(stored.delay_ms ? { delayMs: stored.delay_ms } : {}) };
    const sideFile = weightsFileOf(owner);
    if (!synapses && sideFile !== undefined) {
      issues.push({
        pointer: `${at.pointer.replace(/\/params$/, '')}/weights/file`,
        ...at.id,
        field: 'weights.file',
        message: `${at.who}, field weights.file: its weights are in the side file "${sideFile}", which was not loaded; keep the weights in the document instead.`,
      });
    }
    const plan: ProjectionPlan = {
      edgeId: edge.id,
      source: source!,
      target: t,
      targetPort: port.id,
      rule: p.rule as ConnectivityRule,
      p: p.p as number | undefined,
      n: p.n as number | undefined,
      allowAutapses: p.allow_autapses as boolean,
      allowMultapses: (p.allow_multapses as boolean | undefined) ?? false,
      weight: p.weight as DistValue,
      delayMs: p.delay_ms as DistValue,
      receptor: p.receptor as string,
      ...(plasticity ? { plasticity } : {}),
      ...(synapses ? { synapses } : {}),
    };
    // Stored synapses replace the rule, so the rule's feasibility does not matter.
    const problem = synapses
      ? null
      : ruleProblem(
          { rule: plan.rule, p: plan.p, n: plan.n, samePopulation: source === t, allowAutapses: plan.allowAutapses, allowMultapses: plan.allowMultapses },
          populations[source!].size,
          populations[t].size,
        );
    if (problem) {
      issues.push({
        pointer: `${at.pointer}/${problem.field}`,
        ...at.id,
        field: problem.field,
        message: `${at.who}, field ${problem.field}: ${problem.message}.`,
      });
    }
    projections.push(plan);
  });

  const monitors: MonitorPlan[] = monitorNodes.map((m) => {
    const plasticNodeId = watched.get(m.nodeId);
    return { ...m, sources: observed.get(m.nodeId) ?? [], ...(plasticNodeId !== undefined ? { plasticNodeId } : {}) };
  });
  for (const m of monitors) {
    if (getKind(m.kind)!.runtime.role !== 'monitor' || (getKind(m.kind)!.runtime as { records: string }).records !== 'state') continue;
    const ni = doc.nodes.findIndex((n) => n.id === m.nodeId);
    for (const s of m.sources) {
      const pop = populations[s];
      const states = getKind(pop.kind)!.state ?? [];
      if (!states.some((v) => v.id === m.params.variable)) {
        issues.push({
          pointer: `/nodes/${ni}/params/variable`,
          nodeId: m.nodeId,
          field: 'variable',
          message:
            `Node ${nodeName(doc, m.nodeId)}, field variable: "${pop.nodeId}" has no state variable "${String(m.params.variable)}"` +
            (states.length ? ` (it has ${states.map((v) => v.id).join(', ')}).` : ' (it has no state to record).'),
        });
      }
    }
  }
  const trainers: TrainerPlan[] = trainerNodes.map((t) => ({ ...t, readout: observed.get(t.nodeId)?.[0] ?? -1 }));
  for (const t of trainers) {
    if (t.readout >= 0 && getKind(populations[t.readout].kind)?.runtime.role === 'neurons') continue;
    const ni = doc.nodes.findIndex((n) => n.id === t.nodeId);
    issues.push({
      pointer: `/nodes/${ni}`,
      nodeId: t.nodeId,
      field: 'readout',
      message: `Node ${nodeName(doc, t.nodeId)}, input readout: wire the population to train towards (one neuron per class) into "readout".`,
    });
  }
  if (trainers.length > 1) {
    const ni = doc.nodes.findIndex((n) => n.id === trainers[1].nodeId);
    issues.push({ pointer: `/nodes/${ni}`, nodeId: trainers[1].nodeId, message: `Node ${nodeName(doc, trainers[1].nodeId)}: a graph can hold one trainer; remove the others.` });
  }
  // --- learning (issue 5) ---
  const learning = compileLearning(
    doc,
    popIndex,
    populations,
    (id) => {
      const n = doc.nodes.find((x) => x.id === id)!;
      return resolveParams(getKind(n.kind)!.params, n.params);
    },
    issues,
  );
  // --- end learning ---
  if (issues.length > 0) return { ok: false, issues };
  const result: CompileResult & { ok: true } = {
    ok: true,
    plan: {
      format: 'spikeflow-plan',
      version: PLAN_VERSION,
      dtMs,
      durationMs: nSteps * dtMs,
      nSteps,
      seed,
      ...(doc.simulation.same_step_delivery === true ? { sameStepDelivery: true } : {}),
      populations,
      projections,
      injections,
      drives,
      monitors,
      ...(trainers.length ? { trainers } : {}),
      ...(learning ? { learning } : {}),
    },
  };
  // A trainer's build checks (engine/learn/limits.ts) run here too, so a document that compiles trains.
  const trainer = trainerIssues(result.plan, doc);
  return trainer.length ? { ok: false, issues: trainer } : result;
}
