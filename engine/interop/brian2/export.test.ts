import { describe, it, expect } from 'vitest';
import type { NetworkPlan, PopulationPlan, ProjectionPlan } from '../../core/plan.ts';
import { PLAN_VERSION } from '../../core/plan.ts';
import { defaultParams, getKind } from '../../kinds/index.ts';
import { exportBrian2 } from './export.ts';

const pop = (nodeId: string, kind: string, size: number, params: Record<string, unknown> = {}): PopulationPlan => ({
  nodeId,
  kind,
  size,
  params: { ...defaultParams(getKind(kind)!.params), ...params, size },
});
const wire = (edgeId: string, source: number, target: number, more: Partial<ProjectionPlan> = {}): ProjectionPlan => ({
  edgeId,
  source,
  target,
  targetPort: 'in',
  rule: 'all-to-all',
  allowAutapses: false,
  allowMultapses: false,
  weight: 2,
  delayMs: 1,
  receptor: 'exc',
  ...more,
});
const plan = (populations: PopulationPlan[], projections: ProjectionPlan[]): NetworkPlan => ({
  format: 'spikeflow-plan',
  version: PLAN_VERSION,
  dtMs: 0.1,
  durationMs: 10,
  nSteps: 100,
  seed: 1,
  populations,
  projections,
  injections: [],
  monitors: [],
});

describe('Brian2 export', () => {
  it('lists every node and wire it cannot express, with the reason, in the result and the script header', () => {
    const out = exportBrian2(
      plan(
        [pop('noise', 'poisson-source', 3), pop('cells', 'lif-delta', 4), pop('odd', 'alif', 2)],
        [wire('rand', 0, 1, { rule: 'bernoulli', p: 0.5 }), wire('drawn', 1, 1, { weight: { dist: 'uniform', low: 0, high: 1 } }), wire('to-odd', 1, 2)],
      ),
    );
    expect(out.notExported).toEqual([
      'not exported: node noise — kind "poisson-source" has no Brian2 mapping yet',
      'not exported: node odd — kind "alif" has no Brian2 mapping yet',
      'not exported: wire rand — its source is not exported',
      "not exported: wire drawn — weights or delays drawn per synapse are not exported yet (they come from Spikeflow's seed)",
      'not exported: wire to-odd — its target is not exported',
    ]);
    for (const line of out.notExported) expect(out.script).toContain(`  ${line}`);
    expect(out.script).toContain("cells = NeuronGroup(4, '''");
  });

  it("writes a generator's spikes on the step that emits them, once per channel and step, as the engine does", () => {
    const out = exportBrian2(plan([pop('in', 'spike-generator', 2, { neurons: [0, 0, 1], times_ms: [0.05, 0.06, 0.14] })], []));
    // 0.05 and 0.06 ms are both step 0 for channel 0 (Brian2 would refuse the pair); 0.14 ms is step 1.
    expect(out.script).toContain('in_ = SpikeGeneratorGroup(2, [0, 1],\n    [0, 0.1]*ms');
  });

  it("rounds a delay to the engine's whole steps and leaves out autapses the wire does not allow", () => {
    const out = exportBrian2(plan([pop('cells', 'lif-curr-exp', 3)], [wire('rec', 0, 0, { delayMs: 0.15, receptor: 'inh' })]));
    expect(out.notExported).toEqual([]);
    expect(out.script).toContain('syn_rec = Synapses(cells, cells, \'w : 1\', on_pre="ii_post -= w", delay=0.2*ms');
    expect(out.script).toContain("syn_rec.connect(condition='i != j')");
  });
});
