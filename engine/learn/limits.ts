/**
 * What a training run will need, known before anything is built: the checks
 * the build runs (so "valid" means it trains), and an estimate of its memory,
 * so the engine refuses an oversized trainer before allocating, as it refuses
 * an oversized network (engine/sim/network.ts `estimateMemory`).
 */
import type { NetworkPlan, TrainerPlan } from '../core/plan.ts';
import type { DocIssue, GraphDocument } from '../format/document.ts';
import { expectedSynapses } from '../sim/connect.ts';
import { TrainError, trainerStructure } from './problem.ts';

/** A trainer's build problems as document issues, with pointers (empty: it will build). */
export function trainerIssues(plan: NetworkPlan, doc: GraphDocument): DocIssue[] {
  const trainer = plan.trainers?.[0];
  if (!trainer) return [];
  try {
    trainerStructure(plan, trainer);
    return [];
  } catch (e) {
    if (!(e instanceof TrainError)) throw e;
    const ni = doc.nodes.findIndex((n) => n.id === e.nodeId);
    const ei = ni < 0 ? doc.edges.findIndex((x) => x.id === e.nodeId) : -1;
    const base = ni >= 0 ? `/nodes/${ni}` : ei >= 0 ? `/edges/${ei}` : `/nodes/${doc.nodes.findIndex((n) => n.id === trainer.nodeId)}`;
    const field = e.field;
    // kind is a node's own field, readout the trainer's input port; the rest are params.
    const pointer = field === undefined || field === 'readout' ? base : field === 'kind' ? `${base}/kind` : `${base}/params/${field}`;
    return [{ pointer, ...(ei >= 0 ? { edgeId: e.nodeId } : { nodeId: e.nodeId }), ...(field ? { field } : {}), message: e.message }];
  }
}

/** Bytes per neuron and step the surrogate-gradient network keeps (s, v, ie, ii, gie, gii as float64, refr as u8; sg-network.ts). */
const SG_BYTES_PER_NEURON_STEP = 6 * 8 + 1;
/** Bytes per trained synapse: weight, gradient, Adam's two moments (float64), column index, and the float32 kernels' weight and gradient copies (dense-f32.ts). */
const SG_BYTES_PER_SYNAPSE = 4 * 8 + 4 + 2 * 4;
/** Bytes per source row of the float32 kernels' padding (each row rounded up to 16 floats, weight and gradient). */
const SG_PAD_BYTES_PER_ROW = 2 * 15 * 4;

export interface TrainingEstimate {
  readonly bytes: number;
  /** The node whose size drives the estimate most, and the field to change. */
  readonly nodeId: string;
  readonly field: string;
}

/** The training's memory, estimated from the plan (an upper bound on what `TrainingJob` allocates). */
export function estimateTraining(plan: NetworkPlan, trainer: TrainerPlan): TrainingEstimate {
  const { upstream, neurons, inputs } = trainerStructure(plan, trainer);
  const input = plan.populations[inputs[0]];
  const q = input.params;
  const steps = Math.max(1, Math.round(Number(q.presentation_ms ?? 0) / plan.dtMs));
  const samples = Math.max(1, Number(q.sample_count) > 0 ? Number(q.sample_count) : 70_000);
  // The encoded dataset: an index per step and sample, and (at most) every channel spiking every step of a bounded share.
  let bytes = samples * steps * 4 + input.size * 8;
  let worst = { bytes: 0, nodeId: trainer.nodeId, field: 'epochs' };
  for (const i of neurons) {
    const pop = plan.populations[i];
    const b = pop.size * (steps * SG_BYTES_PER_NEURON_STEP + 64);
    bytes += b;
    if (b > worst.bytes) worst = { bytes: b, nodeId: pop.nodeId, field: 'size' };
  }
  for (const p of plan.projections) {
    if (!upstream.has(p.target)) continue;
    const src = plan.populations[p.source].size;
    const tgt = plan.populations[p.target].size;
    const n = p.synapses
      ? p.synapses.pre.length
      : expectedSynapses({ rule: p.rule, p: p.p, n: p.n, samePopulation: p.source === p.target, allowAutapses: p.allowAutapses, allowMultapses: p.allowMultapses }, src, tgt);
    const b = n * SG_BYTES_PER_SYNAPSE + (src + 1) * 4 + src * SG_PAD_BYTES_PER_ROW;
    bytes += b;
    if (b > worst.bytes) worst = { bytes: b, nodeId: plan.populations[p.target].nodeId, field: 'size' };
  }
  return { bytes, nodeId: worst.nodeId, field: worst.field };
}
