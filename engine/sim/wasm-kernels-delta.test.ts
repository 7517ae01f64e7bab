import { describe, it, expect, afterEach } from 'vitest';
import type { Network } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { traceRun } from '../test-support/test-trace.ts';
import { setWasmKernelsEnabled } from './wasm-kernels.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { createArena } from './arena.ts';
import { deliveryKernels } from './wasm-kernels-delivery.ts';
import { PoissonDrive } from './poisson-drive.ts';
import { Rng } from './rng.ts';

afterEach(() => setWasmKernelsEnabled(true));

/** `traceRun`, with V's bits as `v` (and the drive's events as `external`). */
function trace(p: NetworkPlan, wasm: boolean): { spikes: number[][]; v: number[][]; external: number; net: Network } {
  const t = traceRun(p, wasm);
  return { spikes: t.spikes, v: t.state, external: t.net.externalEvents, net: t.net };
}

/** A small Brunel network (MODELS.md §3 parameters), `size` neurons in one lif-delta group, exc + inh recurrent rings. */
function brunel(size: number, drives: NonNullable<NetworkPlan['drives']>, extra: Partial<NetworkPlan> = {}): NetworkPlan {
  return plan({
    durationMs: 120,
    populations: [pop('n', 'lif-delta', { size, v_init_mv: { dist: 'uniform', low: 0, high: 19.9 } }), ...(extra.populations ?? [])],
    projections: [
      proj('e', 0, 0, { rule: 'fixed-in-degree', n: 40, weight: 0.4, delayMs: 1.5, receptor: 'exc' }),
      proj('i', 0, 0, { rule: 'fixed-in-degree', n: 10, weight: 1.2, delayMs: 1.5, receptor: 'inh' }),
    ],
    drives,
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'populations')),
  });
}

const drive = (receptor: 'exc' | 'inh', id = 'ext', weight = 0.2) => ({
  nodeId: id,
  kind: 'poisson-drive',
  edgeId: `${id}-w`,
  target: 0,
  params: { count: 200, rate_hz: 30, weight, receptor },
});

describe('lif-delta in WebAssembly (update, drive and absorb in the arena)', () => {
  it('runs Brunel with the drive on the exc ring as one fused pass, spike for spike and bit for bit as the JS loops', () => {
    const p = brunel(301, [drive('exc')]);
    const js = trace(p, false);
    const wasm = trace(p, true);
    expect(wasm.net.fastPaths()).toMatchObject({ fusedAbsorbs: 1, fusedDrives: 1, wasmProjections: 2 });
    expect(js.net.fastPaths()).toMatchObject({ arenaBytes: 0, fusedAbsorbs: 0 });
    expect(js.spikes.flat().length - js.spikes.length).toBeGreaterThan(500);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.v).toEqual(js.v);
    expect(wasm.external).toBe(js.external);
    expect(wasm.external).toBeGreaterThan(0);
  });

  it('draws an inhibitory drive into the inh slot (an even size, no padding neuron)', () => {
    // One drive, on inh; the excitation comes from a Poisson source through the exc ring.
    const p = brunel(300, [drive('inh', 'calm', 0.1)]);
    const loud: NetworkPlan = {
      ...p,
      populations: [...p.populations, pop('src', 'poisson-source', { size: 200, rate_hz: 80 })],
      projections: [...p.projections, proj('x', 1, 0, { rule: 'fixed-in-degree', n: 50, weight: 0.5, delayMs: 1.5, receptor: 'exc' })],
    };
    const js = trace(loud, false);
    const wasm = trace(loud, true);
    expect(wasm.net.fastPaths()).toMatchObject({ fusedAbsorbs: 1, fusedDrives: 1 });
    expect(js.spikes.flat().length - js.spikes.length).toBeGreaterThan(50);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.v).toEqual(js.v);
    expect(wasm.external).toBe(js.external);
  });

  it('absorbs without a drive in the fused pass, and leaves two drives on one group to the general path', () => {
    for (const drives of [[], [drive('exc'), drive('exc', 'ext2', 0.05)]]) {
      const p = brunel(257, drives);
      const js = trace(p, false);
      const wasm = trace(p, true);
      expect(wasm.net.fastPaths()).toMatchObject({ fusedAbsorbs: drives.length === 0 ? 1 : 0, fusedDrives: 0 });
      expect(wasm.spikes).toEqual(js.spikes);
      expect(wasm.v).toEqual(js.v);
      expect(wasm.external).toBe(js.external);
    }
  });

  it('keeps an injected current (the JS update over the arena state) and a V monitor exact', () => {
    const p = brunel(101, [drive('exc')], {
      populations: [pop('dc', 'dc-current', { amplitude_pa: 300 })],
      injections: [{ edgeId: 'dc-w', source: 1, target: 0, targetPort: 'current' }],
      monitors: [{ nodeId: 'mon', kind: 'state-monitor', sources: [0], params: { variable: 'v', neurons: [0, 50, 100], interval_ms: 0.1 } }],
    });
    const js = trace(p, false);
    const wasm = trace(p, true);
    expect(wasm.net.fastPaths().fusedAbsorbs).toBe(1);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.v).toEqual(js.v);
    const rec = (net: Network) => Array.from(net.stateRecorders[0].drain().values);
    const [a, b] = [rec(wasm.net), rec(js.net)];
    expect(a.length).toBe(3 * 1200);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(100);
  });
});

describe('deltaStepCounts (the fused update + drive + count absorb, four neurons a turn)', () => {
  /**
   * Two copies of one lif-delta group's state (V, last spikes, two count slots, a Poisson drive of mean λ per
   * step seeded alike) in one arena: copy 0 steps with `deltaUpdate` then `deltaAbsorbPairs8/16`, copy 1 with the
   * fused kernel. Returns each copy's spikes per step, V bits, events and generator state.
   */
  function steps(
    n: number,
    bytes: 1 | 2,
    lambda: number,
    into: 0 | 1 | 2,
    count = 40,
    atThresholds = false,
  ): { spikes: number[][]; v: Float64Array; last: Int32Array; events: number; state: number[] }[] {
    const arena = createArena(1 << 22)!;
    const k = deliveryKernels(arena.memory)!;
    const par = arena.f64(3)!;
    par.set([0, Math.exp(-0.1 / 20), 20]);
    const cw = arena.f64(2)!;
    cw.set([1.3, -6.1]);
    const copies = [0, 1].map(() => {
      const drive = new PoissonDrive(80, (lambda / 80 / 0.1) * 1000, 1.1, into === 2 ? -1 : 1, n, new Rng(5, 'drive'), 0.1);
      drive.bindKernel(k, arena.alloc(drive.kernelBytes(), 8));
      return {
        v: arena.f64(n)!,
        last: arena.i32(n)!,
        out: arena.i32(n)!,
        a: arena.countsZero(n, bytes)!,
        b: arena.countsZero(n, bytes)!,
        ev: arena.i32(1)!,
        d: drive.kernelArgs(k)!,
        spikes: [] as number[][],
      };
    });
    if (atThresholds)
      drawsOnThresholds(
        copies[0].d.stateAt,
        n,
        copies.map((x) => new Float64Array(arena.buffer, x.d.thrAt, 2)),
        copies[0].d.shift,
      );
    const rng = new Rng(9, 'state');
    for (let j = 0; j < n; j++) {
      const v = 20 * rng.uniform();
      for (const x of copies) [x.v[j], x.last[j]] = [v, -1000];
    }
    for (let s = 0; s < count; s++) {
      const lim = s - 20;
      for (let j = 0; j < n; j++) {
        // Counts up to 3 (u8) or past 255 (u16); the inh slot mostly empty.
        const [ca, cb] = [rng.nextU32() % (bytes === 1 ? 4 : 300), rng.uniform() < 0.2 ? 1 : 0];
        for (const x of copies) [x.a[j], x.b[j]] = [ca, cb];
      }
      const [r, f] = copies;
      const rc = k.deltaUpdate(n, s, lim, r.v.byteOffset, r.last.byteOffset, r.out.byteOffset, par.byteOffset);
      const d = r.d;
      r.ev[0] += k.deltaAbsorbCountPairs[bytes - 1](
        n,
        lim,
        r.v.byteOffset,
        r.last.byteOffset,
        r.a.byteOffset,
        r.b.byteOffset,
        into,
        d.wAt,
        d.stateAt,
        d.thrAt,
        d.guideAt,
        d.shift,
        d.kMin,
        cw.byteOffset,
      );
      const e = f.d;
      const fc = k.deltaStepCounts[bytes - 1](
        n,
        s,
        lim,
        f.v.byteOffset,
        f.last.byteOffset,
        f.out.byteOffset,
        par.byteOffset,
        f.a.byteOffset,
        f.b.byteOffset,
        into,
        e.wAt,
        e.stateAt,
        e.thrAt,
        e.guideAt,
        e.shift,
        e.kMin,
        cw.byteOffset,
        f.ev.byteOffset,
      );
      r.spikes.push(Array.from(r.out.subarray(0, rc)));
      f.spikes.push(Array.from(f.out.subarray(0, fc)));
      // The slots are left zero; spiking neurons are reset, as the reset phase would.
      for (const x of copies) {
        expect(x.a.every((q) => q === 0) && x.b.every((q) => q === 0)).toBe(true);
        for (const j of x.spikes[s]) x.v[j] = 10;
      }
    }
    return copies.map((x) => ({ spikes: x.spikes, v: x.v, last: x.last, events: x.ev[0], state: Array.from(new Int32Array(arena.buffer, x.d.stateAt, 4)) }));
  }

  /**
   * Move the drive's first two thresholds (both copies' tables) onto u values the generator at `stateAt` draws in
   * the first `n` draws, each within its threshold's guide bucket (so the guide table stays right): those draws
   * then sit exactly on a threshold, where u ≥ thr[j] must count.
   */
  function drawsOnThresholds(stateAt: number, n: number, tables: Float64Array[], shift: number): void {
    let [a, b, c, d] = Array.from(new Int32Array(tables[0].buffer, stateAt, 4));
    const us: number[] = [];
    for (let j = 0; j < n; j++) {
      const b5 = Math.imul(b, 5);
      us.push(Math.imul((b5 << 7) | (b5 >>> 25), 9) >>> 0);
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
    }
    for (const j of [0, 1]) {
      const thr = tables[0][j];
      const u = us.find((x) => x >>> shift === thr >>> shift && x > (thr >>> shift) * 2 ** shift && (j === 0 || x > tables[0][0]));
      expect(u).toBeDefined();
      for (const table of tables) table[j] = u!;
    }
  }

  it('counts a draw that equals a threshold as reaching it (the guide-table search’s u ≥ thr[k])', () => {
    const [ref, fused] = steps(1000, 1, 0.16, 1, 3, true);
    expect(fused.spikes).toEqual(ref.spikes);
    expect(fused.v).toEqual(ref.v);
    expect(fused.events).toBe(ref.events);
  });

  it.each([
    // n, count bytes, λ, into: the scale case's drive (λ = 0.16, k < 4 by SIMD compares), a last pair (n = 4m + 2), u16 counts,
    // a drive into the inh slot, none, λ = 3 (many turns take the scalar search) and λ = 40 (kMin > 0: every turn does).
    [1000, 1, 0.16, 1],
    [1002, 1, 0.16, 1],
    [6, 1, 0.5, 1],
    [2, 2, 0.5, 2],
    [998, 2, 0.16, 2],
    [1000, 1, 0.16, 0],
    [1002, 1, 3, 1],
    [1000, 2, 40, 1],
  ] as const)('gives the two kernels’ spikes, V and last-spike bits, events and generator state (n %i, %i-byte counts, λ %f, into %i)', (n, bytes, lambda, into) => {
    const [ref, fused] = steps(n, bytes, lambda, into);
    expect(fused.spikes).toEqual(ref.spikes);
    expect(fused.v).toEqual(ref.v);
    expect(fused.last).toEqual(ref.last);
    expect(fused.events).toBe(ref.events);
    expect(fused.state).toEqual(ref.state);
    // Each case has activity to disagree on: spikes, and draws when there is a drive.
    expect(ref.spikes.flat().length).toBeGreaterThan(0);
    if (into) expect(ref.events).toBeGreaterThan(lambda * n * 10);
    else expect(ref.events).toBe(0);
  });
});
