/**
 * The node-kind registry. Add a kind: write `engine/kinds/<id>.ts` with one
 * `defineNodeKind`, and list it here. Nothing else needs to change: the
 * palette, inspector, loader, schema and compiler read this list.
 */
import type { NodeKind } from './define.ts';
import { poissonSource } from './poisson-source.ts';
import { dcCurrent } from './dc-current.ts';
import { lifCurrExp } from './lif-curr-exp.ts';
import { spikeMonitor } from './spike-monitor.ts';
import { spikeGenerator } from './spike-generator.ts';
import { stateMonitor } from './state-monitor.ts';
import { rateMonitor } from './rate-monitor.ts';
import { weightMonitor } from './weight-monitor.ts';
import { ouCurrent } from './ou-current.ts';
import { rateEncoder } from './rate-encoder.ts';
import { latencyEncoder } from './latency-encoder.ts';
import { deltaEncoder } from './delta-encoder.ts';
import { gaussianEncoder } from './gaussian-encoder.ts';
import { lifCondExp } from './lif-cond-exp.ts';
import { lifDelta } from './lif-delta.ts';
import { ifDelta } from './if-delta.ts';
import { liDelta } from './li-delta.ts';
import { liCurrExp } from './li-curr-exp.ts';
import { integrator } from './integrator.ts';
import { alif } from './alif.ts';
import { izhikevich } from './izhikevich.ts';
import { adex } from './adex.ts';
import { poissonDrive } from './poisson-drive.ts';
import { stdp } from './stdp.ts';
import { tripletStdp } from './triplet-stdp.ts';
import { rewardStdp } from './reward-stdp.ts';
import { reward } from './reward.ts';
import { classifierReadout } from './classifier-readout.ts';
import { lifAdaptiveThreshold } from './lif-adaptive-threshold.ts';
import { sgTrainer } from './sg-trainer.ts';
import type { RuntimeOf } from '../sim/runtime.ts';

export const KINDS: readonly NodeKind[] = [
  poissonSource,
  spikeGenerator,
  dcCurrent,
  poissonDrive,
  ouCurrent,
  rateEncoder,
  latencyEncoder,
  deltaEncoder,
  gaussianEncoder,
  lifCurrExp,
  lifCondExp,
  lifDelta,
  ifDelta,
  liDelta,
  liCurrExp,
  integrator,
  alif,
  izhikevich,
  adex,
  lifAdaptiveThreshold,
  stdp,
  tripletStdp,
  rewardStdp,
  reward,
  sgTrainer,
  spikeMonitor,
  stateMonitor,
  rateMonitor,
  weightMonitor,
  classifierReadout,
] as unknown as readonly NodeKind[];

const byId = new Map(KINDS.map((k) => [k.id, k]));
if (byId.size !== KINDS.length) throw new Error('duplicate node kind id');

export function getKind(id: string): NodeKind | undefined {
  return byId.get(id);
}

const runtimes = new Map(KINDS.map((k) => [k.id, k.runtime.role === 'neurons' ? { ...k.runtime, stateVars: (k.state ?? []).map((s) => s.id) } : k.runtime]));

/**
 * A kind's runtime, the engine's way to the registry (sim/runtime.ts
 * `RuntimeOf`): hand it to every network built. Neuron runtimes carry the ids
 * of the kind's declared state.
 */
export const runtimeOf: RuntimeOf = (kind) => runtimes.get(kind);

export { PROJECTION_PARAMS } from './projection.ts';
export * from './define.ts';
