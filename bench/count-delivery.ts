/**
 * `npx tsx bench/count-delivery.ts`: the count kernels' look-ahead variants
 * (`CountAhead`, engine/sim/wasm-kernels-delivery.ts) on the scale case's own
 * network, in this process, alternating per step.
 *
 * Builds the 1 M-neuron case (`SCALE_SPEC`, or a scaled copy: `--scale 0.2`), runs
 * `--warmup` steps, checks that every variant gives the same counts as the first for
 * a few steps' spikes (into a scratch slot), then runs `--steps` steps with variant
 * `step mod V` delivering, timing the delivery phase (and the whole step) by CPU
 * (`process.cpuUsage`) and wall. Every variant delivers the same spikes, so the
 * network's activity is the same whichever runs; alternation per step spreads the
 * machine's load over all of them. Prints ns per event and the ratio to the first.
 *
 *   npx tsx bench/count-delivery.ts --variants s7,now --warmup 100 --steps 200
 *
 * A variant is `s7` (session 7's kernel: `COUNT_AHEAD_S7`), `now` (`COUNT_AHEAD`) or
 * `b<batch>d<dist><f|a>[r<rowDist>][p][w]`: every `batch` spikes touch the rows `dist`
 * spikes on, their first column (f) or every line (a), with r the row pointers
 * `rowDist` on, with p also the first rows before the walk, with w the slot read first
 * (`CountAhead`; the in-process run's warm rule is `deliverCountRows`', the check and
 * `--kernel-only` read the whole slot).
 */
import os from 'node:os';
import { compileDocument } from '../engine/compile/compile.ts';
import { runtimeOf } from '../engine/kinds/index.ts';
import { Network } from '../engine/sim/network.ts';
import { SCHEDULE } from '../engine/sim/schedule.ts';
import { api, assemble } from '../engine/core/wasm.ts';
import { COUNT_AHEAD, COUNT_AHEAD_S7, countDef, type CountAhead, type CountKernel, type DeliveryKernels } from '../engine/sim/wasm-kernels-delivery.ts';
import type { Arena } from '../engine/sim/arena.ts';
import { brunelScaleDocument, SCALE_SPEC } from './variants.ts';

/** `b8d8a r16` style name → look-ahead. */
export function parseVariant(name: string): CountAhead {
  if (name === 's7') return COUNT_AHEAD_S7;
  if (name === 'now') return COUNT_AHEAD;
  const m = /^b(\d+)d(\d+)([fa])(?:r(\d+))?(p?)(w?)$/.exec(name);
  if (!m) throw new Error(`variant "${name}": expected s7, now or b<batch>d<dist><f|a>[r<rowDist>][p][w], e.g. b32d32ar64pw`);
  return { batch: Number(m[1]), dist: Number(m[2]), lines: m[3] === 'a' ? 'all' : 'first', rowDist: Number(m[4] ?? 0), prologue: m[5] === 'p', warm: m[6] === 'w' };
}

function arg(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

/** The internals this bench swaps and reads (protected in `Stepper`). */
interface Inside {
  wasm: DeliveryKernels;
  arena: Arena;
  countSpikes: Int32Array;
}

function main(): void {
  const names = arg('variants', 's7,now').split(',');
  const scale = Number(arg('scale', '1'));
  const warmup = Number(arg('warmup', '100'));
  const steps = Number(arg('steps', '200'));
  const looks = names.map(parseVariant);

  const spec = { ...SCALE_SPEC, excitatory: Math.round(SCALE_SPEC.excitatory * scale), inhibitory: Math.round(SCALE_SPEC.inhibitory * scale) };
  const c = compileDocument(brunelScaleDocument(spec), { durationMs: 0.1 * (warmup + steps + 10) });
  if (!c.ok) throw new Error(c.issues.map((i) => i.message).join('; '));
  const t0 = performance.now();
  const net = new Network(c.plan, { runtimes: runtimeOf });
  const inside = net as unknown as Inside;
  console.log(
    `built ${spec.excitatory + spec.inhibitory} neurons, ${net.synapses} synapses in ${((performance.now() - t0) / 1000).toFixed(1)} s; count rings: ${net.rings.filter((r) => r.counts).length}`,
  );

  const mod = new api!.Module(assemble(looks.flatMap((look, v) => [countDef(2, 1, look, `a${v}`), countDef(4, 1, look, `b${v}`), countDef(2, 2, look, `c${v}`), countDef(4, 2, look, `d${v}`)])));
  const x = new api!.Instance(mod, { env: { mem: inside.arena.memory } }).exports;
  const base = inside.wasm;
  const kernels: DeliveryKernels[] = looks.map((_, v) => ({
    ...base,
    count8: [x[`a${v}`] as CountKernel, x[`b${v}`] as CountKernel],
    count16: [x[`c${v}`] as CountKernel, x[`d${v}`] as CountKernel],
  }));

  const run = (n: number) => {
    for (let k = 0; k < SCHEDULE.length; k++) net.phases[k](n);
    net.step++;
  };
  for (let n = 0; n < warmup; n++) run(net.step);

  // Same counts from every variant, for the spikes of a few steps, into a scratch slot.
  const counting = net.projections.filter((pr) => pr.ring.counts && pr.colAt >= 0);
  const most = Math.max(...counting.map((pr) => pr.ring.counts!.byteLength / pr.ring.slots));
  const scratchAt = inside.arena.alloc(most, 64);
  const sinkAt = inside.arena.alloc(8, 8);
  if (scratchAt < 0 || sinkAt < 0) throw new Error('no room in the arena for a scratch slot');
  const scratch = new Uint8Array(inside.arena.memory.buffer, scratchAt, most);
  let checked = 0;
  for (let s = 0; s < 3; s++) {
    for (const pr of counting) {
      const pop = net.pops[pr.source];
      const sp = inside.countSpikes;
      sp.set(pop.spikes.subarray(0, pop.count));
      const width = pr.ring.counts!.BYTES_PER_ELEMENT;
      const bytes = pr.ring.input.length * width;
      let ref: Uint8Array | null = null;
      let refEvents = 0;
      kernels.forEach((k, v) => {
        scratch.fill(0, 0, bytes);
        const f = (width === 1 ? k.count8 : k.count16)[pr.csr.col.BYTES_PER_ELEMENT === 2 ? 0 : 1];
        const events = f(sp.byteOffset, sp.byteOffset + 4 * pop.count, pr.csr.rowPtr.byteOffset, pr.colAt, scratchAt, bytes, sinkAt);
        const got = scratch.slice(0, bytes);
        if (ref === null) [ref, refEvents] = [got, events];
        else if (events !== refEvents || got.some((b, j) => b !== ref![j])) throw new Error(`variant ${names[v]} counts differ from ${names[0]} on ${pr.edgeId}`);
      });
      checked += pop.count;
    }
    run(net.step);
  }
  console.log(`counts identical across variants for ${checked} spike rows`);

  if (process.argv.includes('--kernel-only')) {
    kernelOnly(net, inside, counting, kernels, names, scratchAt, sinkAt, steps);
    return;
  }
  const dk = SCHEDULE.indexOf('deliverSpikes');
  const V = looks.length;
  const cpu = new Float64Array(V);
  const wall = new Float64Array(V);
  const stepCpu = new Float64Array(V);
  const events = new Float64Array(V);
  const perStep: number[][] = looks.map(() => []);
  const eventsNow = () => net.projections.reduce((a, pr) => a + pr.events, 0);
  const load0 = os.loadavg()[0];
  for (let s = 0; s < steps; s++) {
    const v = s % V;
    inside.wasm = kernels[v];
    const n = net.step;
    const s0 = process.cpuUsage();
    for (let k = 0; k < SCHEDULE.length; k++) {
      if (k !== dk) {
        net.phases[k](n);
        continue;
      }
      const e0 = eventsNow();
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      net.phases[k](n);
      const w = performance.now() - w0;
      const c1 = process.cpuUsage(c0);
      const e = eventsNow() - e0;
      cpu[v] += (c1.user + c1.system) / 1000;
      wall[v] += w;
      events[v] += e;
      perStep[v].push((w * 1e6) / e);
    }
    const s1 = process.cpuUsage(s0);
    stepCpu[v] += (s1.user + s1.system) / 1000;
    net.step++;
  }
  inside.wasm = base;
  const load1 = os.loadavg()[0];
  const med = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];
  console.log(`${steps} steps after ${warmup + 3} (variant = step mod ${V}), load ${load0.toFixed(2)} → ${load1.toFixed(2)}`);
  console.log('variant      events/step  deliver CPU ns/ev  wall ns/ev  median  min   step CPU ms  ratio CPU (deliver)');
  for (let v = 0; v < V; v++) {
    const ns = (cpu[v] * 1e6) / events[v];
    const ratio = ns / ((cpu[0] * 1e6) / events[0]);
    console.log(
      `${names[v].padEnd(12)} ${(events[v] / perStep[v].length).toFixed(0).padStart(11)}  ${ns.toFixed(2).padStart(17)}  ${((wall[v] * 1e6) / events[v]).toFixed(2).padStart(10)}  ${med(perStep[v]).toFixed(2).padStart(6)}  ${Math.min(
        ...perStep[v],
      )
        .toFixed(2)
        .padStart(4)}  ${(stepCpu[v] / perStep[v].length).toFixed(2).padStart(11)}  ${ratio.toFixed(3)}`,
    );
  }
}

/**
 * `--kernel-only`: the spikes of 41 steps recorded, then delivered again and again by the
 * variants into the scratch slot (cleared before each step), alternating per step; CPU per event.
 */
function kernelOnly(net: Network, inside: Inside, counting: Network['projections'], kernels: DeliveryKernels[], names: string[], scratchAt: number, sinkAt: number, steps: number): void {
  const rec: { pr: (typeof counting)[number]; spikes: Int32Array }[][] = [];
  // 41 steps (prime): variant s mod V delivers step s mod 41, so every variant meets every step, never right after another variant read the same rows.
  for (let s = 0; s < 41; s++) {
    rec.push(counting.map((pr) => ({ pr, spikes: net.pops[pr.source].spikes.slice(0, net.pops[pr.source].count) })));
    for (let k = 0; k < SCHEDULE.length; k++) net.phases[k](net.step);
    net.step++;
  }
  const V = kernels.length;
  const cpu = new Float64Array(V);
  const events = new Float64Array(V);
  const mem = new Uint8Array(inside.arena.memory.buffer);
  for (let s = 0; s < steps * V; s++) {
    const v = s % V;
    const k = kernels[v];
    for (const { pr, spikes } of rec[s % rec.length]) {
      const sp = inside.countSpikes;
      sp.set(spikes);
      const width = pr.ring.counts!.BYTES_PER_ELEMENT;
      const bytes = pr.ring.input.length * width;
      mem.fill(0, scratchAt, scratchAt + bytes);
      const f = (width === 1 ? k.count8 : k.count16)[pr.csr.col.BYTES_PER_ELEMENT === 2 ? 0 : 1];
      const c0 = process.cpuUsage();
      events[v] += f(sp.byteOffset, sp.byteOffset + 4 * spikes.length, pr.csr.rowPtr.byteOffset, pr.colAt, scratchAt, bytes, sinkAt);
      const c1 = process.cpuUsage(c0);
      cpu[v] += (c1.user + c1.system) / 1000;
    }
  }
  for (let v = 0; v < V; v++) console.log(`${names[v].padEnd(12)} kernel only: ${((cpu[v] * 1e6) / events[v]).toFixed(2)} ns/event (CPU), ${(events[v] / steps).toFixed(0)} events/step`);
}

main();
