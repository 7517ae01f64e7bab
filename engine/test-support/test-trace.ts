/** A run traced step by step, for the tests that compare the wasm kernels with the JS loops (test-only helper). */
import { Network, type BlockedDelivery } from '../sim/network.ts';
import { setWasmKernelsEnabled } from '../sim/wasm-kernels.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { runtimeOf } from '../kinds/index.ts';

export interface Trace {
  /** Per step and group: [step, ...spiking neurons]. */
  readonly spikes: number[][];
  /** The bytes of each group's variables `vars` at the end (group-major). */
  readonly state: number[][];
  readonly net: Network;
}

/** Build `p` with the wasm kernels on or off (and other blocked-delivery sizes), run it to the end, and record every step's spikes. */
export function traceRun(p: NetworkPlan, wasm: boolean, vars: readonly string[] = ['v'], blockedDelivery?: Partial<BlockedDelivery>): Trace {
  const was = setWasmKernelsEnabled(wasm);
  const net = new Network(p, { runtimes: runtimeOf, blockedDelivery });
  setWasmKernelsEnabled(was);
  const spikes: number[][] = [];
  for (let n = 0; n < p.nSteps; n++) {
    net.advance();
    for (const pop of net.pops) if (pop.group) spikes.push([n, ...pop.spikes.subarray(0, pop.count)]);
  }
  const state: number[][] = [];
  for (const { group } of net.groups) {
    for (const id of vars) {
      const arr = group.stateVar(id)!;
      state.push(Array.from(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength)));
    }
  }
  return { spikes, state, net };
}
