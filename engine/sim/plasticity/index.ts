/**
 * Plasticity in the network: the rule factory (one `PlasticSynapses` per
 * plastic projection, whatever the rule) and the learning runtime (classifier
 * readouts, their phases, and reward signals), so network.ts only calls
 * `createPlastic`, `Learning.beginStep` / `endStep` and `Learning.stats`.
 */
import type { LearningPlan, NetworkPlan, PlasticityPlan } from '../../core/plan.ts';
import type { Csr } from '../connect.ts';
import type { HeldOut } from '../input-stream.ts';
import type { NeuronGroup, PlasticityRuntime, RuntimeOf } from '../runtime.ts';
import { BuildError } from '../build-error.ts';
import { Rng } from '../rng.ts';
import { Normaliser, normaliseParamsOf } from './normalise.ts';
import { ClassifierReadout, readoutParamsOf, type ReadoutStats } from './readout.ts';
import { PresentationReward, ReadoutReward, ScheduledReward, type RewardSignal } from './reward.ts';
import type { PlasticSynapses } from './types.ts';

export type { PlasticSynapses, Delivery } from './types.ts';
export type { ReadoutStats } from './readout.ts';

/** The runtime of a plastic projection's rule (its kind's), or a BuildError naming the node. */
export function plasticityRuntime(pl: PlasticityPlan, runtimes: RuntimeOf): PlasticityRuntime {
  const rt = runtimes(pl.rule);
  if (!rt || rt.role !== 'plasticity') throw new BuildError(`Node "${pl.nodeId}": "${pl.rule}" is not a plasticity rule`, pl.nodeId, 'kind');
  return rt;
}

/** The plastic synapses of a projection through a plasticity node, with its weight normalisation; `w` (CSR order) is owned from now on. */
export function createPlastic(pl: PlasticityPlan, runtimes: RuntimeOf, csr: Csr, w: Float64Array, dtMs: number): PlasticSynapses {
  const syn = plasticityRuntime(pl, runtimes).create(pl.params, csr, w, dtMs);
  const norm = normaliseParamsOf(pl.params);
  if (norm) syn.normaliser = new Normaliser(csr, norm.total, norm.intervalMs, dtMs, syn.wMax);
  return syn;
}

/** Held-out samples for each encoder population a phased readout tests on (index into `populations`). */
export function heldOutByPopulation(plan: NetworkPlan): Map<number, HeldOut> {
  const out = new Map<number, HeldOut>();
  for (const r of plan.learning?.readouts ?? []) {
    const p = readoutParamsOf(r.params);
    const count = r.params.test_count as number;
    if (p.testPresentations > 0 && count > 0) {
      out.set(r.encoder, { fromPresentation: p.trainPresentations + p.labelPresentations, first: r.params.test_first as number, count });
    }
  }
  return out;
}

interface PopView {
  readonly spikes: Int32Array;
  readonly count: number;
  readonly size: number;
}

/** Readouts, phases and reward signals of a running network. */
export class Learning {
  readonly readouts: { readout: ClassifierReadout; observed: number }[] = [];
  private readonly signals: { signal: RewardSignal; targets: PlasticSynapses[] }[] = [];
  /** The readout whose phases apply (the one with any), or null: learning on all run. */
  private readonly phased: ClassifierReadout | null = null;
  private learning = true;
  /** Rules with periodic work (normalisation). */
  private readonly periodic: PlasticSynapses[];

  constructor(
    plan: LearningPlan | undefined,
    net: { readonly plan: NetworkPlan; readonly pops: readonly PopView[] },
    runtimes: RuntimeOf,
    private readonly plastic: ReadonlyMap<string, PlasticSynapses>,
    private readonly groups: readonly NeuronGroup[],
  ) {
    this.periodic = [...plastic.values()].filter((p) => p.periodic === true && p.tick !== undefined);
    const heldOut = heldOutByPopulation(net.plan);
    for (const r of plan?.readouts ?? []) {
      const enc = net.plan.populations[r.encoder];
      const ctx = { dtMs: net.plan.dtMs, nSteps: net.plan.nSteps, rng: new Rng(net.plan.seed, `readout/${r.nodeId}`), heldOut: heldOut.get(r.encoder) };
      const rt = runtimes(enc.kind);
      const stream = rt?.role === 'spike-source' ? rt.inputStream?.(enc.params, ctx) : undefined;
      if (!stream) throw new Error(`Readout "${r.nodeId}": "${enc.nodeId}" is not an encoder`);
      const readout = new ClassifierReadout(r.nodeId, readoutParamsOf(r.params), stream, net.pops[r.observed].size);
      this.readouts.push({ readout, observed: r.observed });
      if (readout.scheduleSteps > 0) this.phased = readout;
    }
    for (const m of plan?.modulators ?? []) {
      const targets = m.targets.map((id) => plastic.get(id)).filter((p): p is PlasticSynapses => p !== undefined && p.modulate !== undefined);
      if (targets.length === 0) continue;
      let signal: RewardSignal;
      if (m.params.source === 'readout' || m.params.source === 'presentations') {
        const r = this.readouts.find((x) => x.readout.nodeId === m.readout);
        if (!r) continue;
        signal =
          m.params.source === 'readout'
            ? new ReadoutReward(r.readout, m.params.reward_right as number, m.params.reward_wrong as number)
            : new PresentationReward(r.readout, m.params.presentation_values as number[]);
      } else signal = new ScheduledReward(m.params.times_ms as number[], m.params.values as number[], net.plan.dtMs);
      this.signals.push({ signal, targets });
    }
  }

  /** Whether there is anything to do per step. */
  get active(): boolean {
    return this.readouts.length > 0 || this.signals.length > 0 || this.phased !== null || this.periodic.length > 0;
  }

  /** Start of step n: switch learning on or off at a phase boundary. */
  beginStep(n: number): void {
    if (!this.phased) return;
    const on = this.phased.learningAt(n);
    if (on === this.learning) return;
    this.learning = on;
    for (const p of this.plastic.values()) p.learning = on;
    for (const g of this.groups) g.setLearning?.(on);
  }

  /** After step n's synaptic pathways: readouts count and score, rewards arrive, periodic work runs. */
  endStep(n: number, pops: readonly PopView[]): void {
    const readouts = this.readouts;
    for (let k = 0; k < readouts.length; k++) {
      const pop = pops[readouts[k].observed];
      readouts[k].readout.observe(n, pop.spikes, pop.count);
    }
    const signals = this.signals;
    for (let k = 0; k < signals.length; k++) {
      const { signal, targets } = signals[k];
      const m = signal.amount(n);
      if (m !== 0) for (let t = 0; t < targets.length; t++) targets[t].modulate!(n, m);
    }
    const periodic = this.periodic;
    for (let k = 0; k < periodic.length; k++) periodic[k].tick!(n);
  }

  stats(): ReadoutStats[] {
    return this.readouts.map((r) => r.readout.stats());
  }
}
