/**
 * The shapes by which a node kind tells the engine how to run it. A kind's
 * declaration (engine/kinds) carries one of these; the engine (engine/sim)
 * calls it while building a network. Everything is typed arrays, with no
 * allocation per step.
 */
import type { Rng } from './rng.ts';
import type { HeldOut, InputStream } from './input-stream.ts';
import type { Arena } from './arena.ts';
import type { Csr } from './connect.ts';
import type { PlasticSynapses } from './plasticity/types.ts';
import type { DeliveryKernels } from './wasm-kernels-delivery.ts';

/** What a factory gets while the network is built. */
export interface BuildContext {
  readonly dtMs: number;
  readonly nSteps: number;
  /** This node's own simulation stream (independent of connectivity draws). */
  readonly rng: Rng;
  /** Encoders only: held-out samples a classifier readout's test phase shows (sim/input-stream.ts). */
  readonly heldOut?: HeldOut;
}

/**
 * A population of neurons. Per step the engine calls, in Brian2's order:
 * `update` → `threshold` → (synaptic propagation into `inputs`) → `reset`.
 */
export interface NeuronGroup {
  readonly size: number;
  /**
   * One accumulator per receptor, in the order of the runtime's `receptors`.
   * Propagation adds (signed) weights here; the group's own dynamics decay them.
   */
  readonly inputs: readonly Float64Array[];
  /** External current per neuron (pA) for this step; the engine refills it before `update`. */
  readonly current: Float64Array;
  /** Advance state from t_n to t_n + dt. */
  update(step: number): void;
  /** Write the indices of neurons that spike in this step to `out`; return how many. */
  threshold(step: number, out: Int32Array): number;
  reset(spikes: Int32Array, count: number): void;
  /** A state variable by id, for monitors. */
  stateVar(id: string): Float64Array | undefined;
  /** Bytes held by the group's state. */
  readonly bytes: number;
  /**
   * Optional: apply the synaptic input that arrives this step on receptor `r`
   * (`arriving[j]` for neuron j) instead of adding it to `inputs[r]`. Groups
   * that discard input while refractory (delta synapses, Brunel) define it;
   * the engine then always routes input through a ring slot.
   */
  absorb?(r: number, arriving: Float64Array): void;
  /**
   * Optional, with `absorb`: `absorb` of slot a then of slot b in one pass,
   * leaving both slots zero (the engine uses it for a group with two rings).
   */
  absorbPair?(a: Float64Array, b: Float64Array): void;
  /**
   * Optional, with `absorb`, for kinds whose input moves V at once (delta synapses): under
   * same-step delivery (`NetworkPlan.sameStepDelivery`, schedule.ts `stepInGraphOrder`) the
   * engine hands the group slot `arriving` of receptor `r` before `update(step)`, so the input
   * enters V in step `step` before its threshold (gated as `absorb` is in that step).
   * Kinds without it take all their input in the absorb phase, as in Brian2's order.
   */
  absorbBeforeUpdate?(step: number, r: number, arriving: Float64Array): void;
  /**
   * Optional: move the group's state into the network's wasm arena so the
   * delivery kernels' memory `k` holds it (lif-delta; sim/arena.ts); false
   * when there is no room. Called before anything takes a view of the state.
   */
  bindArena?(arena: Arena, k: DeliveryKernels): boolean;
  /** Optional, with `bindArena`: whether the state is in the memory of `k`. */
  boundTo?(k: DeliveryKernels): boolean;
  /**
   * Optional, with `bindArena`: `absorbPair` of the slots at byte offsets `sa`
   * and `sb` of the arena, with a bound Poisson drive's draws added into slot
   * a (`into` 1) or b (2) first (null and 0: none). Returns the drive's events.
   */
  absorbPairAt?(sa: number, sb: number, drive: DriveKernelArgs | null, into: 0 | 1 | 2): number;
  /**
   * Optional, with `absorbPairAt`: the same over two count rings (u8 counts when `bytes` is 1,
   * u16 when 2; `Network` count rings), slot a's value being its count × the f64 at `cw`,
   * slot b's × the f64 at `cw` + 8.
   */
  absorbCountsAt?(sa: number, sb: number, bytes: 1 | 2, cw: number, drive: DriveKernelArgs | null, into: 0 | 1 | 2): number;
  /**
   * Optional, with `absorbCountsAt`: from now on `update` also absorbs the count rings a and b
   * (that many slots each) of its step in the same pass, adding the drive's events to the
   * i32 at byte address evAt; false (nothing changed) when the group cannot.
   */
  fuseCountRings?(
    a: Uint8Array | Uint16Array,
    slotsA: number,
    b: Uint8Array | Uint16Array,
    slotsB: number,
    cw: number,
    drive: DriveKernelArgs | null,
    into: 0 | 1 | 2,
    evAt: number,
    strideA?: number,
    strideB?: number,
  ): boolean;
  /**
   * Optional: groups with a learnt state of their own (a homeostatic threshold)
   * freeze it while learning is off (a readout's label and test phases).
   */
  setLearning?(on: boolean): void;
}

export interface NeuronRuntime {
  readonly role: 'neurons';
  /** Receptor ids a projection may target (e.g. `exc`, `inh`). */
  readonly receptors: readonly string[];
  /** The sign a non-negative weight gets on each receptor (current-based inhibition is −1). */
  readonly receptorSign: readonly number[];
  /** Estimated bytes per neuron, for refusing networks that will not fit before allocating. */
  readonly bytesPerNeuron: number;
  /**
   * The ids of the per-neuron state variables (`NeuronGroup.stateVar`) a part
   * of the population must copy from the whole (the parallel shards); the kind
   * registry fills it from the kind's declared `state`.
   */
  readonly stateVars?: readonly string[];
  create(params: Readonly<Record<string, unknown>>, size: number, ctx: BuildContext): NeuronGroup;
}

/** Emits spikes by itself (Poisson, spike generator, encoders). */
export interface SpikeSource {
  readonly size: number;
  /** Write the indices that spike in `step` to `out`; return how many. */
  emit(step: number, out: Int32Array): number;
}

export interface SpikeSourceRuntime {
  readonly role: 'spike-source';
  readonly bytesPerNeuron: number;
  create(params: Readonly<Record<string, unknown>>, size: number, ctx: BuildContext): SpikeSource;
  /**
   * Encoders: the stream of samples the source presents (sim/input-stream.ts),
   * for a classifier readout that scores against its labels.
   */
  inputStream?(params: Readonly<Record<string, unknown>>, ctx: BuildContext): InputStream;
}

/**
 * A current injected into the neurons of its target: the same for every neuron
 * (DC, step), or one value per neuron (independent noise).
 */
export interface CurrentSource {
  /** The current in pA during `step`, for every neuron of the target. */
  value(step: number): number;
  /**
   * Optional: a current that differs per neuron. When defined, the engine calls
   * it instead of `value`, to add each target neuron's current (pA) during
   * `step` to `out` (which already holds the uniform sources' sum).
   */
  addCurrent?(step: number, out: Float64Array): void;
}

export interface CurrentSourceRuntime {
  readonly role: 'current-source';
  /** One source per wire; `targetSize` is the size of the population the wire feeds. */
  create(params: Readonly<Record<string, unknown>>, ctx: BuildContext, targetSize: number): CurrentSource;
}

/**
 * Input drawn per target neuron per step without explicit synapses (Brunel's
 * external Poisson drive). It adds into the receptor's slot for this step, in
 * the synapses phase, so the target's gating (refractoriness) applies.
 */
export interface Drive {
  /** Add this step's input for each of the target's neurons to `out`. */
  fill(step: number, out: Float64Array): void;
  /** Input events this step (e.g. external spikes), for statistics. */
  readonly events: number;
}

/** Where a bound drive's weight, generator state and table are in the kernels' memory (byte offsets), for a fused kernel. */
export interface DriveKernelArgs {
  readonly wAt: number;
  readonly stateAt: number;
  readonly thrAt: number;
  readonly guideAt: number;
  readonly shift: number;
  readonly kMin: number;
}

export interface DriveRuntime {
  readonly role: 'drive';
  /** The param holding the receptor the drive acts on. */
  readonly receptorParam: string;
  create(params: Readonly<Record<string, unknown>>, targetSize: number, ctx: BuildContext, sign: number): Drive;
}

export interface MonitorRuntime {
  readonly role: 'monitor';
  /**
   * What it records: spikes of its sources (`spikes`), a state variable of
   * chosen neurons every `every` steps (`state`), spike counts per bin (`rate`), or
   * snapshots of a plastic projection's weights (`weights`, sim/weight-recorder.ts).
   */
  readonly records: 'spikes' | 'state' | 'rate' | 'weights';
}

/**
 * A plasticity node: not a population, but the rule of the plastic projection
 * that passes through it (pre → node → target). The compiler folds the node and
 * its two wires into one projection plan whose `plasticity.rule` is the node's
 * kind; the engine runs the rule this runtime makes. A new rule is one kind file
 * (engine/kinds) with this runtime, and its kernel behind `PlasticSynapses`.
 */
export interface PlasticityRuntime {
  readonly role: 'plasticity';
  /** Bytes of the rule's state per synapse, beyond the CSR index and the f64 weight (memory estimate). */
  readonly bytesPerSynapse: number;
  /** Bytes of the rule's state per neuron of the source and of the target (traces; memory estimate). */
  readonly bytesPerNeuron: number;
  /** The rule over a projection's synapses `csr` with weights `w` (CSR order, owned from now on). */
  create(params: Readonly<Record<string, unknown>>, csr: Csr, w: Float64Array, dtMs: number): PlasticSynapses;
}

/**
 * A classifier readout (sim/plasticity/readout.ts): observes a population's
 * spikes per presentation of the encoder wired into its label input, scores
 * predictions, and holds the run's train / label / test phases.
 */
export interface ReadoutRuntime {
  readonly role: 'readout';
}

/** A neuromodulator source (sim/plasticity/reward.ts) for reward-modulated plasticity. */
export interface ModulatorRuntime {
  readonly role: 'modulator';
}

/**
 * A surrogate-gradient trainer (engine/learn/): not simulated; a plan with one
 * makes the engine run a training job that trains the projections upstream of
 * the population it observes.
 */
export interface TrainerRuntime {
  readonly role: 'trainer';
}

/**
 * How the engine finds a node kind's runtime. The engine never imports the
 * kind registry: whoever builds a network (the protocol server, a test) hands
 * it one — `runtimeOf` in engine/kinds/index.ts.
 */
export type RuntimeOf = (kind: string) => Runtime | undefined;

export type Runtime = NeuronRuntime | SpikeSourceRuntime | CurrentSourceRuntime | DriveRuntime | MonitorRuntime | PlasticityRuntime | ReadoutRuntime | ModulatorRuntime | TrainerRuntime;
