/**
 * A compiled plan's network as the engine builds it, turned into plain arrays
 * that another simulator can be given (the Brian2 and PyNN exporters write
 * them to a side `.npz`). Everything comes from the engine's own build
 * (`engine/sim/build.ts` through {@link Network}) with the plan's seed, so it is
 * exactly what a Spikeflow run of the same plan uses:
 *
 * - per neuron population, the initial value of every declared state variable,
 *   per neuron (drawn distributions included: `v_init_mv: {dist: 'uniform', …}`);
 * - per projection, every synapse: pre, post, weight and delay in ms
 *   (random connectivity and drawn weights and delays included);
 * - per spike source (Poisson sources, spike generators, encoders, dataset
 *   inputs), the spikes it emits in each step of the run;
 * - per drive (Brunel's external Poisson drive), the number of external
 *   events each target neuron receives in each step.
 *
 * Same plan (same seed) → the same arrays → the same spikes as a Spikeflow run.
 */
import type { NetworkPlan } from '../core/plan.ts';
import { runtimeOf } from '../kinds/index.ts';
import { Network } from '../sim/network.ts';

/** A neuron population's drawn initial state. */
export interface RealisedPopulation {
  /** Index in `plan.populations`. */
  readonly index: number;
  readonly nodeId: string;
  readonly kind: string;
  readonly size: number;
  /**
   * The value at t = 0 of each state variable the kind declares (its `state`
   * ids, e.g. `v`, `g_exc`, `g_inh` for `lif-cond-exp`), one per neuron, in
   * the kind's units (mV, pA, × g_L …). Parameters that are constants in the
   * plan stay in `plan.populations[index].params`.
   */
  readonly initial: Readonly<Record<string, Float64Array>>;
}

/** One projection's synapses, in the engine's order (by presynaptic neuron, then as drawn). */
export interface RealisedProjection {
  /** Index in `plan.projections`. */
  readonly index: number;
  readonly edgeId: string;
  /** Indices into `plan.populations`. */
  readonly source: number;
  readonly target: number;
  readonly receptor: string;
  /**
   * The sign the receptor gives a weight: −1 for current-based inhibition
   * (the engine subtracts), +1 otherwise. `weight` is never signed.
   */
  readonly sign: 1 | -1;
  /** Presynaptic neuron of each synapse (index within the source population). */
  readonly pre: Int32Array;
  /** Postsynaptic neuron of each synapse (index within the target population). */
  readonly post: Int32Array;
  /**
   * Each synapse's weight (≥ 0, in the target's synapse unit), exactly as the
   * engine holds it: drawn weights of a static projection are stored as
   * 32-bit floats by the engine, so these are those values.
   */
  readonly weight: Float64Array;
  /** Each synapse's delay in ms, on the engine's grid (whole steps × dt). */
  readonly delayMs: Float64Array;
  /** Each synapse's delay in steps (what the engine uses). */
  readonly delaySteps: Int32Array;
  /** The plasticity node of a plastic projection (its `weight` is the initial weights). */
  readonly plasticNodeId?: string;
}

/** A spike source's spikes: `i[k]` spikes in step `step[k]` (time `step[k]·dt`), by step then as emitted. */
export interface RealisedSource {
  readonly index: number;
  readonly nodeId: string;
  readonly kind: string;
  readonly size: number;
  readonly i: Int32Array;
  readonly step: Int32Array;
}

/**
 * A drive's input: in step n, neuron j of the target receives
 * `counts[n·size + j]` external events, each adding `sign·weight` to the
 * receptor (in the synapses phase, gated like spikes arriving then).
 */
export interface RealisedDrive {
  readonly nodeId: string;
  readonly edgeId: string;
  readonly kind: string;
  /** Index in `plan.populations` of the driven population, and its size. */
  readonly target: number;
  readonly size: number;
  readonly receptor: string;
  readonly sign: 1 | -1;
  /** The weight of one event (≥ 0). */
  readonly weight: number;
  /** Steps covered (`counts.length / size`). */
  readonly steps: number;
  readonly counts: Uint16Array;
}

/**
 * The external current into a population in each step (pA), as the engine
 * sums it in its currents phase: `value[n]` for every neuron when every source
 * feeding it is uniform (DC and step currents); null when one differs per
 * neuron (OU noise), which is not realised.
 */
export interface RealisedCurrent {
  /** Index in `plan.populations` of the population fed. */
  readonly target: number;
  /** The current-source nodes feeding it, in the engine's order. */
  readonly sourceNodeIds: readonly string[];
  readonly value: Float64Array | null;
}

/** Everything {@link realize} returns. */
export interface RealisedNetwork {
  readonly dtMs: number;
  /** Steps the sources and drives were run for. */
  readonly steps: number;
  readonly seed: number;
  /** Neuron populations only (sources, current sources are not here). */
  readonly populations: readonly RealisedPopulation[];
  readonly projections: readonly RealisedProjection[];
  readonly sources: readonly RealisedSource[];
  readonly drives: readonly RealisedDrive[];
  /** One per population fed by current sources. */
  readonly currents: readonly RealisedCurrent[];
  /** Synapses of the whole network (the sum of the projections' lengths). */
  readonly synapses: number;
}

/** The sign a weight gets on `receptor` of a population of `kind`. */
function signOf(kind: string, receptor: string): 1 | -1 {
  const rt = runtimeOf(kind);
  return rt?.role === 'neurons' && rt.receptorSign[rt.receptors.indexOf(receptor)] < 0 ? -1 : 1;
}

/** Options of {@link realize}. */
export interface RealizeOptions {
  /** Steps of source spikes and drive events to generate (default: the plan's `nSteps`; at most that). */
  readonly steps?: number;
}

/**
 * Build `plan` with its seed as the engine does and return its realised data
 * (see the file comment). Throws the engine's `BuildError` on a plan that
 * cannot be built. The sources and drives are run on a network that is never
 * stepped, so their streams are exactly those of a run; plastic projections
 * give their initial weights.
 *
 * Memory: about 28 bytes per synapse plus 2 bytes per driven neuron and step.
 */
export function realize(plan: NetworkPlan, options: RealizeOptions = {}): RealisedNetwork {
  const net = new Network(plan, { runtimes: runtimeOf });
  const steps = Math.max(0, Math.min(plan.nSteps, options.steps ?? plan.nSteps));
  const dt = plan.dtMs;

  const populations: RealisedPopulation[] = [];
  net.pops.forEach((pop, index) => {
    if (!pop.group) return;
    const rt = runtimeOf(pop.kind);
    const ids = rt?.role === 'neurons' ? (rt.stateVars ?? []) : [];
    const initial: Record<string, Float64Array> = {};
    for (const id of ids) {
      const x = pop.group.stateVar(id);
      if (x) initial[id] = Float64Array.from(x);
    }
    populations.push({ index, nodeId: pop.nodeId, kind: pop.kind, size: pop.size, initial });
  });

  let synapses = 0;
  const projections: RealisedProjection[] = net.projections.map((pr, index) => {
    const p = plan.projections[index];
    const sign = signOf(plan.populations[pr.target].kind, p.receptor);
    const { rowPtr, col } = pr.csr;
    const n = col.length;
    synapses += n;
    const pre = new Int32Array(n);
    for (let i = 0; i + 1 < rowPtr.length; i++) pre.fill(i, rowPtr[i], rowPtr[i + 1]);
    const post = Int32Array.from(col);
    const weight = new Float64Array(n);
    if (pr.plastic) weight.set(pr.plastic.w.subarray(0, n));
    else if (pr.w) for (let k = 0; k < n; k++) weight[k] = sign * pr.w[k];
    else weight.fill(sign * pr.wConst);
    const delaySteps = pr.d ? Int32Array.from(pr.d) : new Int32Array(n).fill(pr.dConst);
    const delayMs = new Float64Array(n);
    for (let k = 0; k < n; k++) delayMs[k] = Number((delaySteps[k] * dt).toFixed(12));
    return {
      index,
      edgeId: pr.edgeId,
      source: pr.source,
      target: pr.target,
      receptor: p.receptor,
      sign,
      pre,
      post,
      weight,
      delayMs,
      delaySteps,
      ...(pr.plasticNodeId ? { plasticNodeId: pr.plasticNodeId } : {}),
    };
  });

  const sources: RealisedSource[] = net.sources.map(({ index, source }) => {
    const pop = net.pops[index];
    const out = new Int32Array(source.size);
    const i: number[] = [];
    const step: number[] = [];
    for (let n = 0; n < steps; n++) {
      const c = source.emit(n, out);
      for (let k = 0; k < c; k++) {
        i.push(out[k]);
        step.push(n);
      }
    }
    return { index, nodeId: pop.nodeId, kind: pop.kind, size: source.size, i: Int32Array.from(i), step: Int32Array.from(step) };
  });

  const drives: RealisedDrive[] = net.drives.map((slot, k) => {
    const dp = plan.drives![k];
    const size = slot.ring.input.length;
    const drt = runtimeOf(dp.kind);
    const receptor = String(dp.params[drt?.role === 'drive' ? drt.receptorParam : 'receptor'] ?? '');
    const sign = signOf(plan.populations[dp.target].kind, receptor);
    const weight = Number(dp.params.weight ?? 0);
    const counts = new Uint16Array(steps * size);
    const buf = new Float64Array(size);
    for (let n = 0; n < steps; n++) {
      buf.fill(0);
      slot.drive.fill(n, buf);
      if (weight === 0) continue;
      const per = sign * weight;
      for (let j = 0; j < size; j++) {
        const c = Math.round(buf[j] / per);
        if (c > 0xffff) throw new Error(`Node "${dp.nodeId}": over 65535 events into one neuron in one step cannot be realised`);
        counts[n * size + j] = c;
      }
    }
    return { nodeId: dp.nodeId, edgeId: dp.edgeId, kind: dp.kind, target: dp.target, size, receptor, sign, weight, steps, counts };
  });

  // The currents phase alone, step by step (it only writes the groups' current arrays).
  const targets = [...new Set(plan.injections.map((x) => x.target))].sort((a, b) => a - b);
  const currents = targets.map((target) => ({
    target,
    sourceNodeIds: plan.injections.filter((x) => x.target === target).map((x) => plan.populations[x.source].nodeId),
    value: new Float64Array(steps) as Float64Array | null,
  }));
  for (let n = 0; n < steps && currents.some((c) => c.value); n++) {
    net.currents(n);
    for (const c of currents) {
      if (!c.value) continue;
      const cur = net.pops[c.target].group!.current;
      // A source that differs per neuron (noise) is not realised.
      if (cur.some((x) => x !== cur[0])) c.value = null;
      else c.value[n] = cur[0] ?? 0;
    }
  }

  return { dtMs: dt, steps, seed: plan.seed, populations, projections, sources, drives, currents, synapses };
}
