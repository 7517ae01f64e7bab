/**
 * The network plan: what the engine receives. It is small, JSON-safe and free of
 * editor concerns (no positions, no labels). The engine *builds* it into typed
 * arrays (connectivity is drawn there, from the plan's seed), so a plan of a
 * 100-million-synapse network is still a few kilobytes.
 */
import type { DistValue } from './dist-value.ts';

export const PLAN_VERSION = 1;

export interface NetworkPlan {
  readonly format: 'spikeflow-plan';
  readonly version: typeof PLAN_VERSION;
  readonly dtMs: number;
  readonly durationMs: number;
  readonly nSteps: number;
  readonly seed: number;
  /**
   * Discrete graph order (the document's `simulation.same_step_delivery`): populations step
   * in graph order and a zero-delay spike reaches a delta-synapse population in its own step
   * (sim/schedule.ts `graphOrder`). Absent: Brian2's schedule.
   */
  readonly sameStepDelivery?: boolean;
  /** Every node that owns neurons or channels: sources and neuron populations, in document order. */
  readonly populations: readonly PopulationPlan[];
  readonly projections: readonly ProjectionPlan[];
  /** Current sources feeding populations. */
  readonly injections: readonly InjectionPlan[];
  /** Per-neuron drives without explicit synapses (external Poisson drive). */
  readonly drives?: readonly DrivePlan[];
  readonly monitors: readonly MonitorPlan[];
  /** Surrogate-gradient trainers (engine/learn/): a plan with one runs a training job instead of a simulation. */
  readonly trainers?: readonly TrainerPlan[];
  /** Classifier readouts and reward signals (issue 5), absent when the graph has none. */
  readonly learning?: LearningPlan;
}

export interface PopulationPlan {
  readonly nodeId: string;
  readonly kind: string;
  readonly size: number;
  /** Params with defaults filled and inactive ones dropped. */
  readonly params: Readonly<Record<string, unknown>>;
}

export const CONNECTIVITY_RULES = ['all-to-all', 'one-to-one', 'bernoulli', 'fixed-in-degree', 'fixed-out-degree', 'fixed-total'] as const;
export type ConnectivityRule = (typeof CONNECTIVITY_RULES)[number];

export interface ProjectionPlan {
  readonly edgeId: string;
  /** Indices into `populations`. */
  readonly source: number;
  readonly target: number;
  /** The target's input port id (e.g. `in`). */
  readonly targetPort: string;
  readonly rule: ConnectivityRule;
  /** Bernoulli probability (rule `bernoulli`). */
  readonly p?: number;
  /** In-degree, out-degree or total count (rules `fixed-*`). */
  readonly n?: number;
  readonly allowAutapses: boolean;
  readonly allowMultapses: boolean;
  readonly weight: DistValue;
  readonly delayMs: DistValue;
  readonly receptor: string;
  /**
   * Present when the projection passes through a plasticity node (pre → node →
   * target): the node, its rule and the node's resolved params (the projection
   * fields above come from the same node). `edgeId` is then the wire out of the node.
   */
  readonly plasticity?: PlasticityPlan;
  /**
   * Stored synapses and weights (the document's `weights` field, engine/format/weights.ts):
   * when present the build uses them instead of drawing connectivity and weights.
   */
  readonly synapses?: StoredSynapses;
}

/**
 * Synapse k joins source neuron `pre[k]` to target neuron `post[k]` with weight `w[k]` (the receptor
 * sets the sign; a negative weight, allowed on static wires into current-like inputs, acts the other
 * way), and, when `delayMs` is given, delay `delayMs[k]` (else drawn from the projection's `delayMs`).
 */
export interface StoredSynapses {
  readonly pre: readonly number[];
  readonly post: readonly number[];
  readonly w: readonly number[];
  readonly delayMs?: readonly number[];
}

export interface PlasticityPlan {
  readonly nodeId: string;
  /** The rule's kind id (a plasticity kind, engine/kinds): the engine runs the rule that kind's runtime declares. */
  readonly rule: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface InjectionPlan {
  readonly edgeId: string;
  readonly source: number;
  readonly target: number;
  readonly targetPort: string;
}

export interface MonitorPlan {
  readonly nodeId: string;
  readonly kind: string;
  /** Observed populations, indices into `populations`. */
  readonly sources: readonly number[];
  /** Weight monitors: the plasticity node whose projection's weights it records. */
  readonly plasticNodeId?: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface DrivePlan {
  readonly edgeId: string;
  readonly nodeId: string;
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Index into `populations`. */
  readonly target: number;
}

/** A surrogate-gradient trainer node and the population it trains towards. */
export interface TrainerPlan {
  readonly nodeId: string;
  /** The trainer's params, resolved (see engine/kinds/sg-trainer.ts). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The readout population (index into `populations`), or −1 when none is wired. */
  readonly readout: number;
}

// --- learning (issue 5): readouts, phases and reward signals ---

export interface LearningPlan {
  readonly readouts: readonly ReadoutPlan[];
  readonly modulators: readonly ModulatorPlan[];
}

/** A classifier readout: observes `observed`, reads labels and timing from the encoder `encoder`. */
export interface ReadoutPlan {
  readonly nodeId: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Indices into `populations`. */
  readonly observed: number;
  readonly encoder: number;
}

/** A reward node and the reward-modulated plasticity nodes its signal reaches. */
export interface ModulatorPlan {
  readonly nodeId: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The classifier readout whose outcomes it turns into reward (source `readout`). */
  readonly readout?: string;
  /** Plasticity node ids. */
  readonly targets: readonly string[];
}
