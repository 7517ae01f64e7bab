/**
 * `npx tsx bench/parallel.ts --profile`: where a parallel run's time goes,
 * measured so that a shared, loaded machine still gives a usable prediction.
 *
 * Each run is built in this process (`ParallelNetwork`, also for one thread, so
 * both sides run the same shard code) with every thread timing its steps
 * (engine/sim/parallel/profile.ts). The simulation is deterministic, so step n
 * does the same work in every repeat; a step's time is taken as its minimum
 * over the repeats, which drops the steps where the thread was descheduled by
 * other jobs. Then, per thread count T:
 *
 *   work(T)     Σ over steps of each thread's busy time (min over repeats), summed over threads
 *   critical(T) Σ over steps of the slowest thread's busy time (min over repeats)
 *   predicted   critical(1) / critical(T): the speed-up with a free barrier
 *
 * beside the measured wall times (median) and the load. work(T) / work(1) − 1
 * is the work the split adds; critical(T) − work(T) / T is the imbalance.
 */
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { runtimeOf } from '../engine/kinds/index.ts';
import { ParallelNetwork } from '../engine/sim/parallel/parallel-network.ts';
import { STEP_WIDTH } from '../engine/sim/parallel/profile.ts';
import { SCHEDULE } from '../engine/sim/schedule.ts';
import { nodeThreadSupport } from '../engine/hosts/node-threads.ts';
import { wallMs } from '../engine/sim/build.ts';
import { repoRoot } from './child.ts';
import { median, modelFile, type ParallelOptions, type ParallelRow } from './parallel.ts';

interface ProfiledRun {
  readonly runMs: number;
  readonly buildMs: number;
  readonly spikes: number;
  readonly events: number;
  /** Per thread, per step: ms per phase of the schedule, then busy ms (STEP_WIDTH slots a step). */
  readonly times: Float64Array[];
  readonly waitMs: number[];
  /** Per thread: its waits by length (`ThreadProfile.waits`) and how many slept. */
  readonly waits: { readonly waits: readonly number[]; readonly slept: number }[];
  /** The run's window (`ParallelNetwork.lag`; 0: a barrier per step). */
  readonly lag: number;
}

/** Steps per block of {@link blockBusy}: ~3 ms of Brunel x4, long against a window's shift of its delivery (15 steps). */
export const BLOCK_STEPS = 50;

/**
 * Per thread and slot (each phase, then the busy time): Σ over blocks of {@link BLOCK_STEPS}
 * steps of the least over repeats of the block's sum (ms). A windowed run's threads do not meet
 * at every step, and a thread delivers a step's spikes in whichever step they are all out, so
 * per-step minima over repeats ({@link criticalPath}) undercount its work; a block's sum moves
 * with the load only, and its minimum drops the blocks where a thread was descheduled.
 */
export function blockBusy(runs: readonly { times: readonly Float64Array[] }[], width: number): number[][] {
  const steps = Math.min(...runs.map((r) => r.times[0].length / width));
  return runs[0].times.map((_, t) => {
    const out = new Array<number>(width).fill(0);
    for (let b0 = 0; b0 < steps; b0 += BLOCK_STEPS) {
      const b1 = Math.min(steps, b0 + BLOCK_STEPS);
      for (let k = 0; k < width; k++) {
        let min = Infinity;
        for (const r of runs) {
          let sum = 0;
          for (let n = b0; n < b1; n++) sum += r.times[t][n * width + k];
          min = Math.min(min, sum);
        }
        out[k] += min;
      }
    }
    return out;
  });
}

async function planOf(model: string, durationMs: number) {
  const file = await modelFile(model);
  const loaded = loadDocument(await readFile(path.resolve(repoRoot(), file), 'utf8'));
  if (!loaded.ok) throw new Error(`${file}: ${loaded.issues.map((i) => i.message).join('; ')}`);
  const c = compileDocument(loaded.doc, { durationMs });
  if (!c.ok) throw new Error(`${file}: ${c.issues.map((i) => i.message).join('; ')}`);
  return c.plan;
}

/**
 * From repeats of one run (per thread, per step, `width` slots: phase times, then the busy time):
 * per thread Σ over steps of the busy time's minimum over the repeats; their sum (work); Σ over
 * steps of the slowest thread's (critical); and per slot Σ over steps and threads of its minimum.
 */
export function criticalPath(runs: readonly { times: readonly Float64Array[] }[], width: number): { perThread: number[]; work: number; critical: number; slots: number[] } {
  const T = runs[0].times.length;
  const steps = Math.min(...runs.map((r) => r.times[0].length / width));
  const perThread = new Array<number>(T).fill(0);
  const slots = new Array<number>(width).fill(0);
  let critical = 0;
  for (let n = 0; n < steps; n++) {
    let max = 0;
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < width; k++) {
        let min = Infinity;
        for (const r of runs) min = Math.min(min, r.times[t][n * width + k]);
        slots[k] += min;
        if (k === width - 1) {
          perThread[t] += min;
          max = Math.max(max, min);
        }
      }
    }
    critical += max;
  }
  return { perThread, work: perThread.reduce((a, b) => a + b, 0), critical, slots };
}

export async function profileParallel(o: ParallelOptions, log: (s: string) => void): Promise<ParallelRow[]> {
  const support = nodeThreadSupport(new URL('../engine/hosts/sim-thread-node-boot.mjs', import.meta.url));
  const rows: ParallelRow[] = [];
  log(
    `parallel --profile: ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}; ${o.durationMs} ms simulated, ${o.repeats} repeats, threads ${o.threads.join(' vs ')}` +
      (o.noReadAhead ? ', rows not read ahead' : '') +
      (o.noWindow ? ', a barrier per step' : ''),
  );
  for (const model of o.models) {
    const plan = await planOf(model, o.durationMs);
    const runs = new Map<number, ProfiledRun[]>(o.threads.map((t) => [t, []]));
    const loads: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      const order = r % 2 ? [...o.threads].reverse() : o.threads;
      for (const t of order) {
        loads.push(os.loadavg()[0]);
        const b0 = wallMs();
        const net = await ParallelNetwork.start(plan, runtimeOf, { threads: t }, support, Infinity, true, {
          ...(o.noReadAhead ? { readAheadMinBytes: Infinity } : {}),
          ...(o.noWindow ? { window: false } : {}),
        });
        const buildMs = wallMs() - b0;
        const t0 = wallMs();
        try {
          while (net.step < net.nSteps) net.advance();
          const runMs = wallMs() - t0;
          const stats = net.stats(buildMs, runMs);
          runs.get(t)!.push({
            runMs,
            buildMs,
            spikes: stats.spikes,
            events: stats.synaptic_events,
            times: net.stepTimes()!,
            waitMs: stats.profile!.threads!.threads.map((x) => x.wait_ms),
            waits: stats.profile!.threads!.threads.map((x) => ({ waits: x.waits, slept: x.slept })),
            lag: net.lag,
          });
        } finally {
          net.dispose();
        }
      }
    }
    const first = runs.get(o.threads[0])!;
    const base = criticalPath(first, STEP_WIDTH);
    const baseRun = median(first.map((m) => m.runMs));
    const baseBlocks = blockBusy(first, STEP_WIDTH);
    const baseBusy = Math.max(...baseBlocks.map((x) => x[STEP_WIDTH - 1]));
    for (const t of o.threads) {
      const ms = runs.get(t)!;
      const c = criticalPath(ms, STEP_WIDTH);
      const blocks = blockBusy(ms, STEP_WIDTH);
      const sumBlocks = (b: number[][], k: number) => b.reduce((a, x) => a + x[k], 0);
      const runMs = median(ms.map((m) => m.runMs));
      const row: ParallelRow = {
        model,
        threads: t,
        runs: ms.length,
        median_run_s: runMs / 1000,
        median_build_s: median(ms.map((m) => m.buildMs)) / 1000,
        speedup: baseRun / runMs,
        identical: ms.every((m) => m.spikes === first[0].spikes && m.events === first[0].events),
        predicted_speedup: base.critical / c.critical,
        critical_path_s: c.critical / 1000,
        work_s: c.work / 1000,
        busiest_thread_s: Math.max(...blocks.map((x) => x[STEP_WIDTH - 1])) / 1000,
        predicted_whole_run_speedup: baseBusy / Math.max(...blocks.map((x) => x[STEP_WIDTH - 1])),
        lag: ms[0].lag,
      };
      rows.push(row);
      log(
        `  ${model.padEnd(10)} threads ${String(t).padStart(2)}  run ${row.median_run_s.toFixed(3)} s (measured ${row.speedup.toFixed(2)}×)  ` +
          `critical path ${(c.critical / 1000).toFixed(3)} s → predicted ${row.predicted_speedup!.toFixed(2)}×  ` +
          `work ${(c.work / 1000).toFixed(3)} s (${((c.work / base.work - 1) * 100).toFixed(0)} % over ${o.threads[0]} thread), per thread ${c.perThread.map((x) => (x / 1000).toFixed(3)).join(' / ')} s  ` +
          `${row.identical ? 'same spikes' : 'SPIKES DIFFER'}`,
      );
      // Blocks of steps: what a windowed run (no barrier per step) is judged by; a barrier's run gets the critical path above.
      log(
        `    blocks of ${BLOCK_STEPS} steps${row.lag ? ` (windowed, lag ${row.lag} steps: the per-step figures undercount)` : ''}: ` +
          `busiest thread ${row.busiest_thread_s!.toFixed(3)} s (per thread ${blocks.map((x) => (x[STEP_WIDTH - 1] / 1000).toFixed(3)).join(' / ')} s) → predicted ${row.predicted_whole_run_speedup!.toFixed(2)}×; ` +
          `phases (Σ threads, vs ${o.threads[0]} thread): ` +
          SCHEDULE.map((k, i) => `${k} ${(sumBlocks(blocks, i) / 1000).toFixed(3)} s (${(sumBlocks(blocks, i) / Math.max(1e-9, sumBlocks(baseBlocks, i))).toFixed(2)}×)`).join(', '),
      );
      // Each phase's work (per step the minimum over the repeats, summed over steps and threads), against the first count's.
      log(
        `    phases (Σ threads, vs ${o.threads[0]} thread): ` +
          SCHEDULE.map((k, i) => `${k} ${(c.slots[i] / 1000).toFixed(3)} s (${(c.slots[i] / Math.max(1e-9, base.slots[i])).toFixed(2)}×)`).join(', ') +
          `; between phases ${((c.work - c.slots.slice(0, -1).reduce((a, b) => a + b, 0)) / 1000).toFixed(3)} s` +
          `; wait (last run) ${ms[ms.length - 1].waitMs.map((x) => (x / 1000).toFixed(3)).join(' / ')} s`,
      );
      // How many waits, how long (< 10 µs, 10–100 µs, 0.1–1 ms, ≥ 1 ms), and how many slept in Atomics.wait: per thread, every repeat.
      log(`    waits by length (<10 µs / 10–100 µs / 0.1–1 ms / ≥1 ms; slept) per repeat: ` + ms.map((m) => m.waits.map((w) => `${w.waits.join('/')}; ${w.slept}`).join(' | ')).join('  ·  '));
    }
    log(`  ${model}: load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the runs`);
  }
  return rows;
}
