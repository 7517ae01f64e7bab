/**
 * The step, as one explicit schedule (Brian2's default order, MODELS.md §0),
 * and the stepper both engines share. `Network` (one thread) and a parallel
 * shard (parallel/shard.ts) each run every phase of {@link SCHEDULE} in order
 * over their part of the network (built by ./build.ts); a parallel run's
 * threads meet once per step, after {@link BARRIER_AFTER}.
 *
 *   currents       external currents of step n into the groups (learning phases switch here)
 *   update         state update of every group, t_n → t_n + dt
 *   threshold      groups and spike sources write their spikes of step n
 *   deliverSpikes  every spike walks its CSR row into the target's ring at slot n + delay;
 *                  plastic rules run their pre-, then postsynaptic pathways; readouts observe
 *   driveInputs    per-neuron drives (Brunel's external Poisson input) add into slot n
 *   absorb         slot n of every ring goes into the receptors (gated groups absorb it)
 *   reset          groups that spiked reset
 *   record         state, rate and weight monitors sample
 * Nothing is allocated inside a phase.
 *
 * Same-step delivery (`NetworkPlan.sameStepDelivery`, the document's
 * `simulation.same_step_delivery`, which the NIR import sets) is the one other step:
 * the discrete graph order of NIR's reference implementation, where a spike crosses the
 * whole graph within a step. {@link Stepper.stepInGraphOrder} runs `currents`, then for
 * each population in {@link graphOrder}: slot n of its rings into a kind that takes input
 * before its update (`absorbBeforeUpdate`: lif-delta under forward Euler, if-delta,
 * li-delta, integrator), its update and threshold, and the delivery of its spikes; then
 * the delivery of the wires into every other kind, `driveInputs`, `absorb`, `reset` and
 * `record` as above. So a zero-delay wire from a
 * population earlier in the order reaches such a target in the step the spike is fired,
 * before its threshold; a wire back to the same or an earlier population (a loop), and
 * every drive, lands after the target's update and is taken in the absorb phase: one step
 * later, as in Brian2's order (a delay d ≥ 1 is d steps either way). Kinds with synaptic
 * currents (lif-curr-exp, …) take all input in the absorb phase: their current already
 * reaches V one step later, as NIR's CubaLIF reference has it.
 */
import type { Built, PhaseClock, AbsorbPair, CurrentTarget, DriveSlot, PopSlot, Projection, Ring } from './build.ts';
import type { Arena } from './arena.ts';
import { deliverCountRows, deliverRows, type DeliveryKernels } from './wasm-kernels-delivery.ts';
import type { ProjectionPlan } from '../core/plan.ts';
import { PoissonDrive } from './poisson-drive.ts';
import { jump } from './parallel/jump.ts';
import type { NeuronGroup } from './runtime.ts';
import type { Csr } from './connect.ts';

/**
 * Rows are read ahead of a step's delivery (`Network.readRowsAhead`, parallel/shard.ts
 * `Shard.readRowsAhead`) only for projections whose columns (in a thread's part) take at
 * least this many bytes: smaller ones stay in the core's caches (1 MB: this machine's L2
 * per core; e.g. CUBA's 0.3 M synapses do not qualify, Brunel's 3.9 M do).
 */
export const READ_AHEAD_MIN_BYTES = 1 << 20;

/**
 * Read one word of every 64-byte line of the rows of the sources `spikes[from … to)`, all
 * first, so the loads are in flight together and the delivery that follows finds its rows in
 * the cache (`Network.readRowsAhead`, parallel/shard.ts `Shard.readRowsAhead`). Only reads;
 * returns their XOR, which the caller keeps so that the reads are not optimised away. (Not
 * their sum: kept in a field, a sum outgrew V8's small integers within ~1,000 steps of Brunel
 * x4, the field became a double, which gave the stepper a new hidden class mid-run and
 * deoptimised every step function compiled for the old one; an XOR of column indices stays
 * below the population size.)
 */
export function readRows(rowPtr: Uint32Array, col: Csr['col'], spikes: Int32Array, from: number, to: number): number {
  const step = 64 / col.BYTES_PER_ELEMENT;
  let x = 0;
  for (let s = from; s < to; s++) {
    const i = spikes[s];
    const e = rowPtr[i + 1];
    for (let c = rowPtr[i]; c < e; c += step) x ^= col[c];
  }
  return x;
}

export const SCHEDULE = ['currents', 'update', 'threshold', 'deliverSpikes', 'driveInputs', 'absorb', 'reset', 'record'] as const;
export type Phase = (typeof SCHEDULE)[number];
/** A parallel run's one barrier per step: after this phase every thread's spikes of the step are out. */
export const BARRIER_AFTER: Phase = 'threshold';

/**
 * The order of same-step delivery: population indices, every population after those that
 * feed it through `projections` (Kahn's algorithm, ties in document order); where a loop
 * leaves no population free, the first unplaced one in document order goes next.
 */
export function graphOrder(nPops: number, projections: readonly { readonly source: number; readonly target: number }[]): number[] {
  const feeders = Array.from({ length: nPops }, () => new Set<number>());
  for (const { source, target } of projections) if (source !== target) feeders[target].add(source);
  const placed = new Array<boolean>(nPops).fill(false);
  const order: number[] = [];
  while (order.length < nPops) {
    let next = -1;
    for (let k = 0; k < nPops && next < 0; k++) if (!placed[k] && [...feeders[k]].every((s) => placed[s])) next = k;
    if (next < 0) next = placed.indexOf(false);
    placed[next] = true;
    order.push(next);
  }
  return order;
}

/** A part of a network (./build.ts) and the phases of the step over it. */
export abstract class Stepper {
  readonly pops: PopSlot[];
  readonly projections: Projection[];
  readonly rings: Ring[];
  readonly drives: DriveSlot[];
  /** Synapses of the whole network. */
  readonly synapses: number;
  /** Input events from drives (not synapses), e.g. Brunel's external spikes. */
  externalEvents = 0;
  protected readonly groupPops: PopSlot[];
  protected readonly sourcePops: PopSlot[];
  protected readonly currentTargets: CurrentTarget[];
  /** The part's wasm memory and its kernels (sim/arena.ts), null without WebAssembly. */
  protected arena: Arena | null;
  protected wasm: DeliveryKernels | null;
  /** Gated groups whose two rings (and maybe one Poisson drive) are absorbed in one pass. */
  protected readonly absorbPairs: AbsorbPair[] = [];
  protected readonly pairedRings = new Set<Ring>();
  /** Groups whose two rings are count rings (`Network`): bytes per count and the byte address of the rings' f64 weights. */
  protected readonly countRings = new Map<NeuronGroup, { readonly bytes: 1 | 2; readonly cw: number }>();
  /** The phases in {@link SCHEDULE} order, bound to this stepper. */
  readonly phases: readonly ((n: number) => void)[];
  /** Wall time per build phase (./build.ts). */
  protected readonly buildClock: PhaseClock;

  constructor(built: Built) {
    this.pops = built.pops;
    this.projections = built.projections;
    this.rings = built.rings;
    this.drives = built.drives;
    this.synapses = built.synapses;
    this.currentTargets = built.currents;
    this.arena = built.arena;
    this.wasm = built.wasm;
    this.buildClock = built.clock;
    this.groupPops = this.pops.filter((p) => p.group);
    this.sourcePops = this.pops.filter((p) => p.source);
    this.phases = SCHEDULE.map((name) => this[name].bind(this));
  }

  /** Same-step delivery: per population in {@link graphOrder}, its rings taken before the update (null: Brian2's order). */
  private inOrder: { pop: PopSlot; early: Ring[]; out: Projection[] }[] | null = null;
  /** Same-step delivery: the projections into kinds without `absorbBeforeUpdate`, delivered after every update as in Brian2's order. */
  private later: Projection[] = [];

  /** Switch this part to same-step delivery (see the file's comment); call once the rings are where they stay. */
  protected useGraphOrder(): void {
    const early = (k: number) => this.pops[k].group?.absorbBeforeUpdate !== undefined;
    this.inOrder = graphOrder(this.pops.length, this.projections).map((k) => ({
      pop: this.pops[k],
      early: early(k) ? this.rings.filter((r) => r.target === k && !r.alias) : [],
      out: this.projections.filter((p) => p.source === k && early(p.target)),
    }));
    // Their rings may alias the receptor variable itself (a synaptic current): delivered now, the target's update would see them.
    this.later = this.projections.filter((p) => !early(p.target));
  }

  /** Whether steps run in graph order (same-step delivery). */
  get sameStepDelivery(): boolean {
    return this.inOrder !== null;
  }

  /**
   * One step under same-step delivery (the file's comment): `currents`; per population in
   * graph order its early input, update, threshold and `deliver(projection, n)` of each wire
   * into a kind that takes input early; then the delivery of every other wire (in projection
   * order, as Brian2's), `driveInputs`, `absorb`, `reset`, `record`.
   */
  protected stepInGraphOrder(n: number, deliver: (pr: Projection, n: number) => void): void {
    this.currents(n);
    const inOrder = this.inOrder!;
    for (let k = 0; k < inOrder.length; k++) {
      const { pop, early, out } = inOrder[k];
      const group = pop.group;
      if (group) {
        for (let e = 0; e < early.length; e++) {
          const ring = early[e];
          const slot = ring.views[n % ring.slots];
          group.absorbBeforeUpdate!(n, ring.receptor, slot);
          slot.fill(0);
        }
        group.update(n);
        pop.count = group.threshold(n, pop.spikes);
      } else if (pop.source) pop.count = pop.source.emit(n, pop.spikes);
      else continue;
      pop.total += pop.count;
      for (let j = 0; j < out.length; j++) deliver(out[j], n);
    }
    const later = this.later;
    for (let j = 0; j < later.length; j++) deliver(later[j], n);
    this.driveInputs(n);
    this.absorb(n);
    this.reset(n);
    this.record(n);
  }

  // The phases below loop by index, not `for … of`: in cold code (V8's interpreter and
  // baseline tiers, where a short run spends most of its time) each `for … of` allocates an
  // iterator and a result per element, which made the step loop trigger scavenges (README).

  /** Run the phases [from, to) of {@link SCHEDULE} for step n. */
  protected run(n: number, from: number, to: number): void {
    for (let k = from; k < to; k++) this.phases[k](n);
  }

  currents(n: number): void {
    const targets = this.currentTargets;
    for (let t = 0; t < targets.length; t++) {
      const { group, list, perNeuron, whole, lo } = targets[t];
      let c = 0;
      for (let k = 0; k < list.length; k++) c += list[k].value(n);
      if (whole) {
        whole.fill(c);
        for (let k = 0; k < perNeuron.length; k++) perNeuron[k].addCurrent!(n, whole);
        group.current.set(whole.subarray(lo, lo + group.size));
      } else {
        group.current.fill(c);
        for (let k = 0; k < perNeuron.length; k++) perNeuron[k].addCurrent!(n, group.current);
      }
    }
  }

  update(n: number): void {
    const pops = this.groupPops;
    for (let k = 0; k < pops.length; k++) pops[k].group!.update(n);
  }

  threshold(n: number): void {
    const groupPops = this.groupPops;
    for (let k = 0; k < groupPops.length; k++) {
      const pop = groupPops[k];
      pop.count = pop.group!.threshold(n, pop.spikes);
      pop.total += pop.count;
    }
    const sourcePops = this.sourcePops;
    for (let k = 0; k < sourcePops.length; k++) {
      const pop = sourcePops[k];
      pop.count = pop.source!.emit(n, pop.spikes);
      pop.total += pop.count;
    }
  }

  abstract deliverSpikes(n: number): void;

  driveInputs(n: number): void {
    const drives = this.drives;
    for (let k = 0; k < drives.length; k++) {
      const d = drives[k];
      if (d.fused) continue;
      const ring = d.ring;
      const out = ring.alias ? ring.input : ring.views[n % ring.slots];
      if (d.whole) {
        d.whole.fill(0);
        d.drive.fill(n, d.whole);
        const lo = d.lo;
        for (let j = 0; j < out.length; j++) out[j] += d.whole[lo + j];
      } else {
        d.drive.fill(n, out);
        if (d.skip) jump(d.skip, d.state!);
      }
      if (d.countEvents) this.externalEvents += d.drive.events;
    }
  }

  absorb(n: number): void {
    const pairs = this.absorbPairs;
    for (let k = 0; k < pairs.length; k++) {
      const { group, a, b, drive, args, into, counts, fused } = pairs[k];
      if (fused) {
        // Absorbed in the group's update already: only its drive's events are left to count,
        // and a sliced drive's generator jumps over the other parts' neurons.
        if (drive?.skip) jump(drive.skip, drive.state!);
        if (drive?.countEvents) this.externalEvents += fused[0];
        fused[0] = 0;
        continue;
      }
      const s = n % a.slots;
      const t = n % b.slots;
      if (args === null) group.absorbPair!(a.views[s], b.views[t]);
      else {
        const events = counts
          ? group.absorbCountsAt!(countSlotAt(a, s, counts.bytes), countSlotAt(b, t, counts.bytes), counts.bytes, counts.cw, into === 0 ? null : args, into)
          : group.absorbPairAt!(a.views[s].byteOffset, b.views[t].byteOffset, into === 0 ? null : args, into);
        if (drive) {
          if (drive.skip) jump(drive.skip, drive.state!);
          if (drive.countEvents) this.externalEvents += events;
        }
      }
    }
    const rings = this.rings;
    for (let k = 0; k < rings.length; k++) {
      const ring = rings[k];
      if (ring.alias || this.pairedRings.has(ring)) continue;
      const slot = ring.views[n % ring.slots];
      if (ring.group.absorb) {
        ring.group.absorb(ring.receptor, slot);
        slot.fill(0);
        continue;
      }
      const input = ring.input;
      for (let j = 0; j < slot.length; j++) {
        const x = slot[j];
        if (x !== 0) {
          input[j] += x;
          slot[j] = 0;
        }
      }
    }
  }

  reset(_n: number): void {
    const pops = this.groupPops;
    for (let k = 0; k < pops.length; k++) pops[k].group!.reset(pops[k].spikes, pops[k].count);
  }

  abstract record(n: number): void;

  /**
   * Pair the two rings of each gated group that can absorb two slots at once
   * (lif-delta: Brunel's exc and inh rings), so V and the refractory clocks are
   * read once per step instead of twice. The pair is absorbed in ring order,
   * neuron by neuron, which is what the two separate passes compute. When the
   * group's state and both rings are in the arena, one wasm pass absorbs both
   * slots, drawing the numbers of one Poisson drive into one of them on the way
   * (wasm-kernels-delta.ts). Call once the rings are where they stay.
   */
  protected setUpAbsorbPairs(): void {
    const byGroup = new Map<NeuronGroup, Ring[]>();
    for (const r of this.rings) {
      if (r.alias || !r.group.absorbPair) continue;
      byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
    }
    const k = this.wasm;
    for (const [group, list] of byGroup) {
      if (list.length !== 2) continue;
      const [a, b] = list;
      this.pairedRings.add(a);
      this.pairedRings.add(b);
      const inArena = (r: Ring) => k !== null && r.buf.buffer === k.buffer;
      const counts = this.countRings.get(group);
      if (k && group.absorbPairAt && group.boundTo?.(k) && ((inArena(a) && inArena(b)) || counts)) {
        const drives = this.drives.filter((d) => d.ring === a || d.ring === b);
        if (drives.length === 0) {
          this.absorbPairs.push({ group, a, b, drive: null, args: NO_ARGS, into: 0, counts });
          continue;
        }
        const only = drives.length === 1 && !drives[0].whole ? drives[0] : null;
        const args = only && only.drive instanceof PoissonDrive ? only.drive.kernelArgs(k) : null;
        if (only && args) {
          only.fused = true;
          this.absorbPairs.push({ group, a, b, drive: only, args, into: only.ring === a ? 1 : 2, counts });
          continue;
        }
      }
      // Count rings are made only where the wasm pass above absorbs them (`Network.setUpCountRings`).
      if (counts) throw new Error(`internal: count rings of "${group.constructor.name}" without their wasm absorb pass`);
      this.absorbPairs.push({ group, a, b, drive: null, args: null, into: 0 });
    }
  }

  /**
   * Deliver the spikes[start, end) (source indices) of projection `pr` into its
   * ring: one wasm kernel call per spike when its columns are in the arena,
   * else the JS loop; returns the synaptic events.
   */
  protected deliver(pr: Projection, spikes: Int32Array, start: number, end: number, n: number): number {
    const { rowPtr, col } = pr.csr!;
    const ring = pr.ring!;
    const size = ring.input.length;
    const slots = ring.slots;
    const buf = ring.buf;
    if (pr.colAt >= 0) {
      const slot = buf.byteOffset + ((n + pr.dConst) % slots) * size * 8;
      return deliverRows(this.wasm!, rowPtr, col.BYTES_PER_ELEMENT, pr.colAt, pr.wAt, pr.wcAt, slot, spikes, start, end);
    }
    const w = pr.w;
    const d = pr.d;
    let events = 0;
    if (d === null) {
      const off = ((n + pr.dConst) % slots) * size;
      if (w === null) {
        const wc = pr.wConst;
        for (let s = start; s < end; s++) {
          const i = spikes[s];
          const e = rowPtr[i + 1];
          const b = rowPtr[i];
          events += e - b;
          for (let k = b; k < e; k++) buf[off + col[k]] += wc;
        }
      } else {
        for (let s = start; s < end; s++) {
          const i = spikes[s];
          const e = rowPtr[i + 1];
          const b = rowPtr[i];
          events += e - b;
          for (let k = b; k < e; k++) buf[off + col[k]] += w[k];
        }
      }
    } else {
      const wc = pr.wConst;
      for (let s = start; s < end; s++) {
        const i = spikes[s];
        const e = rowPtr[i + 1];
        const b = rowPtr[i];
        events += e - b;
        for (let k = b; k < e; k++) {
          const off = ((n + d[k]) % slots) * size;
          buf[off + col[k]] += w === null ? wc : w[k];
        }
      }
    }
    return events;
  }

  /**
   * Count rings: a gated group (lif-delta) of at least `min` neurons whose two rings each
   * receive only static, constant-delay projections delivered in wasm with one constant
   * weight per ring (Brunel's J and −gJ), and at most one Poisson drive that its absorb
   * pass draws, gets per slot one count per target (u8 when the sum of the in-degrees into
   * a ring fits 255, else u16 up to 65 535) instead of an f64 sum: delivery adds 1 into a
   * slot of 1–2 bytes per target (1 M targets: 1 MB, which stays in the core's cache, where
   * the f64 slot of 8 MB missed on nearly every event), and the absorb pass takes count ×
   * weight. The value differs from the f64 ring's sum w + w + … + w only where that sum
   * rounds: not at all when every multiple of w up to the bound is exact in f64 (1.25 mV and
   * −6.25 mV, the scale case's; any w = m·2^e with m·bound < 2⁵³), by at most the sum's
   * rounding error otherwise (count × 0.1 against 0.1 + 0.1 + …: a few units in the last
   * place). Small networks (under `min`, 65 536 by default) keep the f64 ring, so the
   * spike-for-spike comparisons (Brian2, threads, wasm vs JS) are unchanged.
   */
  protected setUpCountRings(plans: readonly ProjectionPlan[], min: number): void {
    const k = this.wasm;
    const arena = this.arena;
    if (!k || !arena) return;
    const byGroup = new Map<NeuronGroup, Ring[]>();
    for (const r of this.rings) if (!r.alias && r.group.absorbCountsAt) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
    for (const [group, list] of byGroup) {
      if (list.length !== 2 || this.pops[list[0].target].size < min || !group.absorbPairAt || !group.boundTo?.(k)) continue;
      const [a, b] = list;
      const wa = this.countWeight(plans, a);
      const wb = this.countWeight(plans, b);
      if (!wa || !wb) continue;
      // What the absorb pass can fuse: no drive, or one whole-population Poisson drive bound to the kernels.
      const drives = this.drives.filter((d) => d.ring === a || d.ring === b);
      if (drives.length > 1 || (drives.length === 1 && (drives[0].whole || !(drives[0].drive instanceof PoissonDrive) || drives[0].drive.kernelArgs(k) === null))) continue;
      const bound = Math.max(wa.bound, wb.bound);
      const bytes = bound <= 0xff ? 1 : bound <= 0xffff ? 2 : 0;
      if (bytes === 0) continue;
      const mark = arena.mark();
      // The kernels read this step's spikes (after 8 bytes of scratch) and the row pointers from the arena.
      const most = Math.max(...[a, b].flatMap((r) => this.projections.filter((pr) => pr.ring === r).map((pr) => Math.max(this.pops[pr.source].size, this.pops[pr.source].spikes.length))));
      const sp = this.countSpikes && this.countSpikes.length >= most ? this.countSpikes : arena.i32(most + 2)?.subarray(2);
      const moved = new Map<Projection, Uint32Array>();
      let room = sp !== undefined;
      for (const pr of this.projections) {
        if (!room || (pr.ring !== a && pr.ring !== b) || pr.csr!.rowPtr.buffer === k.buffer) continue;
        const rp = arena.u32(pr.csr!.rowPtr.length);
        if (rp) {
          rp.set(pr.csr!.rowPtr);
          moved.set(pr, rp);
        } else room = false;
      }
      const cw = room ? arena.f64(2) : null;
      // +8 elements: the two-lane absorb reads 4 bytes at the last pair.
      const { stride: sa, lo: la } = this.countLayout(a);
      const { stride: sb, lo: lb } = this.countLayout(b);
      const alloc = (r: Ring, stride: number) => arena.countsZero(r.slots * stride + 8, bytes);
      const ca = cw && alloc(a, sa);
      const cb = ca && alloc(b, sb);
      if (!sp || !cw || !ca || !cb) {
        arena.release(mark);
        continue;
      }
      this.countSpikes = sp;
      for (const [pr, rp] of moved) pr.csr = { ...pr.csr!, rowPtr: rp };
      cw[0] = wa.w;
      cw[1] = wb.w;
      a.counts = ca;
      b.counts = cb;
      a.countStride = sa;
      a.countLo = la;
      b.countStride = sb;
      b.countLo = lb;
      this.countRings.set(group, { bytes, cw: cw.byteOffset });
    }
  }

  /**
   * A group whose pair is count rings absorbs them in its update pass (`fuseCountRings`)
   * when every projection into them is delayed by a step or more: this step's deliveries
   * then go to later slots, so absorbing slot n before them changes nothing.
   */
  protected fuseCountAbsorbs(): void {
    const arena = this.arena;
    this.absorbPairs.forEach((pair, i) => {
      const { group, a, b, counts, args, into } = pair;
      if (!counts || args === null || !arena || !group.fuseCountRings) return;
      if (this.projections.some((pr) => (pr.ring === a || pr.ring === b) && pr.dConst < 1)) return;
      const cell = arena.i32(1);
      if (!cell) return;
      cell[0] = 0;
      // The part's own neurons of each slot (a whole-population slot starts them at `countLo`), `countStride` apart.
      const own = (r: Ring) => r.counts!.subarray(r.countLo ?? 0);
      const fuse = group.fuseCountRings(own(a), a.slots, own(b), b.slots, counts.cw, into === 0 ? null : args, into, cell.byteOffset, a.countStride, b.countStride);
      if (fuse) this.absorbPairs[i] = { ...pair, fused: cell };
    });
  }

  /**
   * The layout of ring `r`'s count slots: elements per slot and where this part's neurons
   * start. `Network`'s, and a part's whose projections into the group are split by target:
   * its own neurons only. A parallel part whose projections into the group are split by
   * source overrides it (parallel/shard.ts).
   */
  protected countLayout(r: Ring): { stride: number; lo: number } {
    return { stride: r.input.length, lo: 0 };
  }

  /** This step's spikes of a count projection's source, in the arena (after 8 bytes of scratch). */
  protected countSpikes: Int32Array | null = null;

  /** A ring's one weight and the most counts a target can get in one slot, when every projection into it can deliver counts. */
  private countWeight(plans: readonly ProjectionPlan[], r: Ring): { w: number; bound: number } | null {
    let w: number | null = null;
    let bound = 0;
    for (let i = 0; i < this.projections.length; i++) {
      const pr = this.projections[i];
      if (pr.ring !== r) continue;
      if (pr.plastic || pr.colAt < 0 || pr.w !== null || pr.d !== null || (w !== null && w !== pr.wConst)) return null;
      w = pr.wConst;
      // A spike source fires at most once per step: a slot gets at most the target's in-degree per projection.
      const p = plans[i];
      bound += p.rule === 'fixed-in-degree' && !p.synapses ? (p.n ?? Infinity) : maxInDegree(pr.csr!.col, this.countLayout(r).stride);
    }
    return w === null ? null : { w, bound };
  }

  /** Deliver the spikes in `countSpikes[0, count)` (source indices) into `pr`'s count ring, in one kernel call; returns the events. */
  protected deliverCounts(pr: Projection, count: number, n: number): number {
    const counts = pr.ring!.counts!;
    const sp = this.countSpikes!;
    const width = counts.BYTES_PER_ELEMENT as 1 | 2;
    // Columns index the slot from its start: the part's own neurons, or (by-source parts) the whole population.
    const slotBytes = (pr.ring!.countStride ?? pr.ring!.input.length) * width;
    const slot = counts.byteOffset + ((n + pr.dConst) % pr.ring!.slots) * slotBytes;
    return deliverCountRows(this.wasm!, pr.csr!, pr.colAt, width, slot, slotBytes, sp.byteOffset, sp.byteOffset + 4 * count, sp.byteOffset - 8);
  }

  /** Which fast paths this part runs, for tests and the bench (see `Network.fastPaths`). */
  fastPaths(): { arenaBytes: number; arenaUsed: number; wasmProjections: number; fusedAbsorbs: number; fusedDrives: number } {
    return {
      arenaBytes: this.wasm ? (this.arena?.buffer.byteLength ?? 0) : 0,
      arenaUsed: this.wasm ? (this.arena?.used ?? 0) : 0,
      wasmProjections: this.projections.filter((p) => p.colAt >= 0).length,
      fusedAbsorbs: this.absorbPairs.filter((p) => p.args !== null).length,
      fusedDrives: this.absorbPairs.filter((p) => p.drive !== null).length,
    };
  }
}

/** Byte address of this part's neurons in slot `s` of count ring `r` (`bytes` per count). */
function countSlotAt(r: Ring, s: number, bytes: number): number {
  return r.counts!.byteOffset + (s * (r.countStride ?? r.input.length) + (r.countLo ?? 0)) * bytes;
}

/** Kernel arguments of an absorb pass without a drive. */
const NO_ARGS = { wAt: 0, stateAt: 0, thrAt: 0, guideAt: 0, shift: 0, kMin: 0 };

/** The largest number of synapses into one target of `size` (one pass over the columns). */
function maxInDegree(col: Uint16Array | Uint32Array, size: number): number {
  const deg = new Uint32Array(size);
  let max = 0;
  for (let k = 0; k < col.length; k++) {
    const d = ++deg[col[k]];
    if (d > max) max = d;
  }
  return max;
}
