/** Small plan builders shared by the engine's tests (not shipped in the app bundle's hot path). */
import type { NetworkPlan, PopulationPlan, ProjectionPlan } from '../core/plan.ts';
import { getKind } from '../kinds/index.ts';
import { defaultParams } from '../kinds/define.ts';
import { stepsOf } from '../core/time.ts';

export function pop(nodeId: string, kind: string, params: Record<string, unknown> = {}): PopulationPlan {
  const k = getKind(kind);
  if (!k) throw new Error(`no kind ${kind}`);
  const full = { ...defaultParams(k.params), ...params };
  return { nodeId, kind, size: (full.size as number | undefined) ?? 1, params: full };
}

export function proj(edgeId: string, source: number, target: number, over: Partial<ProjectionPlan> = {}): ProjectionPlan {
  return {
    edgeId,
    source,
    target,
    targetPort: 'in',
    rule: 'all-to-all',
    allowAutapses: true,
    allowMultapses: false,
    weight: 1,
    delayMs: 0,
    receptor: 'exc',
    ...over,
  };
}

export function plan(over: Partial<NetworkPlan> & Pick<NetworkPlan, 'populations'>): NetworkPlan {
  const dtMs = over.dtMs ?? 0.1;
  const durationMs = over.durationMs ?? 100;
  return {
    format: 'spikeflow-plan',
    version: 1,
    dtMs,
    durationMs,
    nSteps: stepsOf(durationMs, dtMs),
    seed: 1,
    projections: [],
    injections: [],
    monitors: [],
    ...over,
  };
}
