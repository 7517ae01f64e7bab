/**
 * The network plan: what the engine receives. It is small, JSON-safe and free of
 * editor concerns (no positions, no labels). The engine *builds* it into typed
 * arrays (connectivity is drawn there, from the plan's seed), so a plan of a
 * 100-million-synapse network is still a few kilobytes.
 */
import type { DistValue } from '../kinds/define.ts';

export const PLAN_VERSION = 1;

export interface NetworkPlan {
  readonly format: 'spikeflow-plan';
  readonly version: typeof PLAN_VERSION;
  readonly dtMs: number;
  readonly durationMs: number;
  readonly nSteps: number;
  readonly seed: number;
  /** Every node that owns neurons or channels: sources and neuron populations, in document order. */
  readonly populations: readonly PopulationPlan[];
  readonly projections: readonly ProjectionPlan[];
  /** Current sources feeding populations. */
  readonly injections: readonly InjectionPlan[];
  /** Per-neuron drives without explicit synapses (external Poisson drive). */
  readonly drives?: readonly DrivePlan[];
  readonly monitors: readonly MonitorPlan[];
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
}

export interface PlasticityPlan {
  readonly nodeId: string;
  readonly rule: 'stdp';
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
