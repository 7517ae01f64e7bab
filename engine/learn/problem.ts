/**
 * From a network plan with a trainer to a training problem: the trainable
 * populations and projections (as {@link SgNetwork} specs, with the engine's
 * own connectivity, delays and initial weights, so synapse k here is synapse k
 * of the simulated projection), and the dataset encoded into spike trains.
 */
import type { NetworkPlan, ProjectionPlan, TrainerPlan } from '../core/plan.ts';
import { getKind } from '../kinds/index.ts';
import type { NeuronRuntime } from '../sim/runtime.ts';
import { buildCsr, type Csr } from '../sim/connect.ts';
import { csrFromStored } from '../sim/stored-synapses.ts';
import { distMean, isConstant, sampler } from '../sim/dist.ts';
import { Rng } from '../sim/rng.ts';
import { synapticFactor } from '../sim/lif-curr-exp.ts';
import { inputDataset, inputStream } from '../kinds/encoder-input.ts';
import type { SgLifSpec, SgPopulationSpec, SgProjectionSpec } from './sg-network.ts';
import type { DistValue } from '../kinds/define.ts';
import { stepsOf } from '../core/time.ts';

/** A problem with the graph the trainer cannot train; names the node or wire and the field. */
export class TrainError extends Error {
  constructor(
    message: string,
    readonly nodeId: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Neuron kinds the trainer can differentiate. */
export const TRAINABLE_NEURON_KINDS = ['lif-curr-exp', 'alif', 'lif-delta'] as const;

/** The dataset as spike trains: sample k's channel idx[j] spikes at step n for j in [ptr[k·T + n], ptr[k·T + n + 1]). */
export interface EncodedData {
  readonly count: number;
  readonly steps: number;
  readonly channels: number;
  readonly ptr: Int32Array;
  /** Channel indices (16-bit when the input has at most 65 536 channels, to halve the memory). */
  readonly idx: Int32Array | Uint16Array;
  readonly labels: Int32Array;
  readonly classes: number;
  /** The encoder's steps per presentation plus rest (for the simulated check). */
  readonly periodSteps: number;
  /** The first sample (index into these `count`) of the dataset's own test set, when its subset reaches it. */
  readonly testFrom?: number;
}

export interface TrainingProblem {
  readonly populations: SgPopulationSpec[];
  readonly projections: SgProjectionSpec[];
  /** For each SgNetwork population, its index in `plan.populations`. */
  readonly planIndex: number[];
  /** Index (in `populations`) of the input population and of the readout. */
  readonly input: number;
  readonly readout: number;
  /** The encoder node. */
  readonly encoderId: string;
  readonly data: EncodedData;
}

function ruleSpec(p: ProjectionPlan) {
  return { rule: p.rule, p: p.p, n: p.n, samePopulation: p.source === p.target, allowAutapses: p.allowAutapses, allowMultapses: p.allowMultapses };
}

/** The params an encoder gets so that presentation k shows sample k of its subset (in order). */
export function sequentialParams(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...params, order: 'sequential' };
}

/** The SgNetwork constants of a trainable neuron population (see sg-network.ts). */
export function lifSpec(kind: string, q: Readonly<Record<string, unknown>>, dt: number): SgLifSpec {
  const tauM = q.tau_m_ms as number;
  const base = {
    a: Math.exp(-dt / tauM),
    vRest: q.v_rest_mv as number,
    vReset: q.v_reset_mv as number,
    vTh: q.v_th_mv as number,
    // A drawn initial V holds for the first sample only in the simulation; every training sample starts at its mean.
    vInit: distMean(q.v_init_mv as DistValue),
    refSteps: stepsOf(q.t_ref_ms as number, dt),
  };
  // The time constants a model does not have stand at τm (never used).
  if (kind === 'lif-delta') return { ...base, model: 'delta', be: 0, bi: 0, ce: 0, ci: 0, tau: { dt, m: tauM, exc: tauM, inh: tauM, w: tauM } };
  const tauE = q.tau_syn_exc_ms as number;
  const tauI = q.tau_syn_inh_ms as number;
  const current = { ...base, be: Math.exp(-dt / tauE), bi: Math.exp(-dt / tauI), ce: synapticFactor(dt, tauM, tauE), ci: synapticFactor(dt, tauM, tauI) };
  if (kind !== 'alif') return { ...current, model: 'current', tau: { dt, m: tauM, exc: tauE, inh: tauI, w: tauM } };
  const tauW = q.tau_w_ms as number;
  return { ...current, model: 'alif', bw: Math.exp(-dt / tauW), cw: synapticFactor(dt, tauM, tauW), jump: q.b_mv as number, tau: { dt, m: tauM, exc: tauE, inh: tauI, w: tauW } };
}

/** Run the encoder over its whole subset, in order, and keep the spikes of each presentation window. */
export function encodeDataset(plan: NetworkPlan, popIndex: number): EncodedData {
  const pop = plan.populations[popIndex];
  const kind = getKind(pop.kind)!;
  const rt = kind.runtime;
  if (rt.role !== 'spike-source') throw new TrainError(`"${pop.nodeId}" is not a spike source`, pop.nodeId);
  const params = sequentialParams(pop.params);
  const dataset = inputDataset(params);
  if (!dataset) {
    throw new TrainError(`Node "${pop.nodeId}", field input: the trainer needs the encoder to read a dataset (bundled digits or your own), not fixed values.`, pop.nodeId, 'input');
  }
  const ctx = { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: new Rng(plan.seed, `sim/${pop.nodeId}`) };
  const stream = inputStream(params, ctx);
  const source = rt.create(params, pop.size, ctx);
  const first = params.first_sample as number;
  const count = (params.sample_count as number) > 0 ? (params.sample_count as number) : dataset.count - first;
  const T = stream.presentationSteps;
  const period = T + stream.restSteps;
  const ptr = new Int32Array(count * T + 1);
  // A growing typed buffer: a plain array of a large dataset's spikes would take ten times the memory.
  const wide = pop.size > 0x10000;
  let idx: Int32Array | Uint16Array = wide ? new Int32Array(1 << 16) : new Uint16Array(1 << 16);
  let used = 0;
  const out = new Int32Array(pop.size);
  const labels = new Int32Array(count);
  let classes = 0;
  for (let k = 0; k < count; k++) {
    labels[k] = dataset.labels[first + k];
    classes = Math.max(classes, labels[k] + 1);
    for (let n = 0; n < period; n++) {
      const c = source.emit(k * period + n, out);
      if (n >= T) continue;
      if (used + c > idx.length) {
        const grown: Int32Array | Uint16Array = wide ? new Int32Array(Math.max(2 * idx.length, used + c)) : new Uint16Array(Math.max(2 * idx.length, used + c));
        grown.set(idx.subarray(0, used));
        idx = grown;
      }
      for (let j = 0; j < c; j++) idx[used++] = out[j];
      ptr[k * T + n + 1] = used;
    }
  }
  const testFrom = dataset.testFrom !== undefined && dataset.testFrom > first && dataset.testFrom < first + count ? dataset.testFrom - first : undefined;
  return { count, steps: T, channels: pop.size, ptr, idx: idx.slice(0, used), labels, classes, periodSteps: period, ...(testFrom !== undefined ? { testFrom } : {}) };
}

/**
 * The shape checks of a trainer's network, before anything is built: a readout,
 * only trainable neuron kinds upstream of it, exactly one input, no injected
 * currents or drives, no plastic or foreign-receptor projections. Throws
 * {@link TrainError}; `compileDocument` runs it too, so a document that
 * validates builds.
 */
export function trainerStructure(plan: NetworkPlan, trainer: TrainerPlan): { readoutPlan: number; upstream: Set<number>; neurons: number[]; inputs: number[] } {
  const readoutPlan = trainer.readout;
  if (readoutPlan < 0) throw new TrainError(`Node "${trainer.nodeId}", input readout: wire the population to train towards into "readout".`, trainer.nodeId, 'readout');
  // Populations upstream of the readout through projections (the readout included).
  const upstream = new Set<number>([readoutPlan]);
  for (let changed = true; changed;) {
    changed = false;
    for (const p of plan.projections) {
      if (upstream.has(p.target) && !upstream.has(p.source)) {
        upstream.add(p.source);
        changed = true;
      }
    }
  }
  const neurons: number[] = [];
  const inputs: number[] = [];
  for (const i of [...upstream].sort((a, b) => a - b)) {
    const pop = plan.populations[i];
    const role = getKind(pop.kind)?.runtime.role;
    if (role === 'neurons') {
      if (!(TRAINABLE_NEURON_KINDS as readonly string[]).includes(pop.kind)) {
        throw new TrainError(
          `Node "${pop.nodeId}", kind: the trainer can train LIF (current, exp. synapses), Adaptive LIF and LIF (delta synapses) populations only; "${pop.nodeId}" is ${getKind(pop.kind)?.label ?? pop.kind}.`,
          pop.nodeId,
          'kind',
        );
      }
      neurons.push(i);
    } else inputs.push(i);
  }
  if (inputs.length !== 1) {
    const at = inputs[1] ?? readoutPlan;
    throw new TrainError(
      inputs.length === 0
        ? `Node "${trainer.nodeId}": nothing feeds the network upstream of the readout; wire an encoder with a dataset into it.`
        : `Node "${plan.populations[at].nodeId}": the trainer takes exactly one input, a dataset encoder; this network has ${inputs.length} (${inputs.map((i) => plan.populations[i].nodeId).join(', ')}).`,
      inputs.length === 0 ? trainer.nodeId : plan.populations[at].nodeId,
    );
  }
  for (const inj of plan.injections) {
    if (upstream.has(inj.target))
      throw new TrainError(`Wire "${inj.edgeId}": the trainer does not model injected currents; remove the current into "${plan.populations[inj.target].nodeId}".`, inj.edgeId);
  }
  for (const d of plan.drives ?? []) {
    if (upstream.has(d.target)) throw new TrainError(`Wire "${d.edgeId}": the trainer does not model drives; remove the drive into "${plan.populations[d.target].nodeId}".`, d.edgeId);
  }

  for (const p of plan.projections) {
    if (!upstream.has(p.target)) continue;
    if (p.plasticity) {
      throw new TrainError(`Node "${p.plasticity.nodeId}": the trainer cannot train a projection that also has a plasticity rule; wire it directly.`, p.plasticity.nodeId);
    }
    const tgt = plan.populations[p.target];
    const r = (getKind(tgt.kind)!.runtime as NeuronRuntime).receptors.indexOf(p.receptor);
    if (r !== 0 && r !== 1) throw new TrainError(`Wire "${p.edgeId}", field receptor: "${p.receptor}" is not a receptor of "${tgt.nodeId}".`, p.edgeId, 'receptor');
  }
  const enc = plan.populations[inputs[0]];
  const dataset = getKind(enc.kind)?.runtime.role === 'spike-source' ? inputDataset(sequentialParams(enc.params)) : null;
  if (!dataset) {
    throw new TrainError(`Node "${enc.nodeId}", field input: the trainer needs the encoder to read a dataset (bundled digits or your own), not fixed values.`, enc.nodeId, 'input');
  }
  const first = Number(enc.params.first_sample) || 0;
  const count = Number(enc.params.sample_count) > 0 ? Number(enc.params.sample_count) : dataset.count - first;
  let classes = 0;
  for (let k = first; k < first + count && k < dataset.labels.length; k++) classes = Math.max(classes, dataset.labels[k] + 1);
  const rsize = plan.populations[readoutPlan].size;
  if (classes > rsize) {
    throw new TrainError(
      `Node "${plan.populations[readoutPlan].nodeId}", field size: the dataset has ${classes} classes (labels 0–${classes - 1}) but the readout has ${rsize} neurons; give it one per class.`,
      plan.populations[readoutPlan].nodeId,
      'size',
    );
  }
  return { readoutPlan, upstream, neurons, inputs };
}

/** The trainable part of `plan` for `trainer` (see the module docs). Throws {@link TrainError}. */
export function buildProblem(plan: NetworkPlan, trainer: TrainerPlan): TrainingProblem {
  const { readoutPlan, upstream, neurons, inputs } = trainerStructure(plan, trainer);
  const data = encodeDataset(plan, inputs[0]);
  const planIndex = [inputs[0], ...neurons];
  const local = new Map(planIndex.map((p, k) => [p, k]));
  const populations: SgPopulationSpec[] = planIndex.map((pi) => {
    const pop = plan.populations[pi];
    if (pi === inputs[0]) return { nodeId: pop.nodeId, size: pop.size, lif: null };
    return { nodeId: pop.nodeId, size: pop.size, lif: lifSpec(pop.kind, pop.params, plan.dtMs) };
  });

  const projections: SgProjectionSpec[] = [];
  for (const p of plan.projections) {
    if (!upstream.has(p.target)) continue;
    const src = plan.populations[p.source];
    const tgt = plan.populations[p.target];
    if (p.plasticity) {
      throw new TrainError(`Node "${p.plasticity.nodeId}": the trainer cannot train a projection that also has a plasticity rule; wire it directly.`, p.plasticity.nodeId);
    }
    const rt = getKind(tgt.kind)!.runtime as NeuronRuntime;
    const r = rt.receptors.indexOf(p.receptor);
    if (r !== 0 && r !== 1) throw new TrainError(`Wire "${p.edgeId}", field receptor: "${p.receptor}" is not a receptor of "${tgt.nodeId}".`, p.edgeId, 'receptor');
    let csr: Csr;
    let w: Float64Array;
    if (p.synapses) {
      ({ csr, w } = csrFromStored(p.synapses, src.size, tgt.size));
    } else {
      csr = buildCsr(ruleSpec(p), src.size, tgt.size, new Rng(plan.seed, `connect/${p.edgeId}`));
      w = new Float64Array(csr.col.length);
      if (isConstant(p.weight)) w.fill(Math.max(0, p.weight));
      else {
        const draw = sampler(p.weight, new Rng(plan.seed, `weights/${p.edgeId}`), 0);
        for (let k = 0; k < w.length; k++) w[k] = draw();
      }
    }
    let delay: Int32Array | null = null;
    let dConst = 0;
    if (isConstant(p.delayMs)) dConst = stepsOf(p.delayMs, plan.dtMs);
    else {
      delay = new Int32Array(csr.col.length);
      const draw = sampler(p.delayMs, new Rng(plan.seed, `delays/${p.edgeId}`), 0);
      for (let k = 0; k < delay.length; k++) delay[k] = stepsOf(draw(), plan.dtMs);
    }
    projections.push({
      edgeId: p.edgeId,
      source: local.get(p.source)!,
      target: local.get(p.target)!,
      receptor: r,
      sign: rt.receptorSign[r],
      rowPtr: csr.rowPtr,
      col: csr.col instanceof Uint32Array ? csr.col : Uint32Array.from(csr.col),
      delay,
      dConst,
      w,
    });
  }
  const readout = local.get(readoutPlan)!;
  const rsize = populations[readout].size;
  if (data.classes > rsize) {
    throw new TrainError(
      `Node "${plan.populations[readoutPlan].nodeId}", field size: the dataset has ${data.classes} classes (labels 0–${data.classes - 1}) but the readout has ${rsize} neurons; give it one per class.`,
      plan.populations[readoutPlan].nodeId,
      'size',
    );
  }
  return { populations, projections, planIndex, input: 0, readout, encoderId: plan.populations[inputs[0]].nodeId, data };
}
