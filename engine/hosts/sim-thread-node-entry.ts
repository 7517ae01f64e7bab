/**
 * A simulation thread under Node worker_threads (engine/sim/parallel). Any
 * module may import this one: it serves only inside a worker started by
 * {@link nodeThreadSupport} (marked by its workerData), so the bundled CLI can
 * start its threads from its own bundle.
 *
 * Liveness: if this thread exits before its run is over (process.exit, an
 * uncaught error), it marks the run dead in shared memory first, so the other
 * threads stop waiting for it (barrier.ts). A thread killed without a word
 * (terminated, out of memory) cannot: each thread is therefore started by a
 * supervisor worker ({@link superviseSimThread}) that relays its messages and,
 * its event loop being free while the engine's thread waits at a barrier, marks
 * the run dead the moment the thread exits.
 */
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { watchThread } from './thread-watch.ts';
import { serveShardThread } from '../sim/parallel/worker.ts';
import { markDead } from '../sim/parallel/barrier.ts';
import type { ThreadRequest } from '../sim/parallel/pool.ts';
import { runtimeOf } from '../kinds/index.ts';

/** The workerData mark of a simulation thread. */
export const SIM_THREAD_MARK = 'spikeflowSimThread';
/** The workerData mark of a simulation thread's supervisor (its value: the entry's URL). */
export const SIM_SUPERVISOR_MARK = 'spikeflowSimSupervisor';

/** Start the simulation thread from `entryHref` and relay between it and `port`, marking the run dead if it dies. */
export function superviseSimThread(port: MessagePort, entryHref: string): void {
  const thread = new Worker(new URL(entryHref), { workerData: { [SIM_THREAD_MARK]: true } });
  const watch = watchThread(thread, (m) => port.postMessage(m));
  thread.once('exit', () => port.close());
  port.on('message', (m: ThreadRequest) => {
    watch.started(m);
    thread.postMessage(m);
  });
}

/** Serve one run on `port` (the worker's parentPort), marking the run dead if this thread ends early. */
export function serveNodeSimThread(port: MessagePort): void {
  port.once('message', (m: ThreadRequest) => {
    const ctrl = new Int32Array(m.init.shared.ctrl);
    let over = false;
    const died = () => {
      if (!over) markDead(ctrl, m.init.index);
    };
    process.once('exit', died);
    try {
      serveShardThread(m, (report) => port.postMessage(report), runtimeOf);
    } catch (e) {
      died();
      port.postMessage({ type: 'error', message: (e as Error).message ?? String(e) });
    }
    over = true;
    process.off('exit', died);
    port.close();
  });
}

const mark = isMainThread ? null : (workerData as Record<string, unknown> | null);
if (parentPort && mark?.[SIM_THREAD_MARK] === true) serveNodeSimThread(parentPort);
if (parentPort && typeof mark?.[SIM_SUPERVISOR_MARK] === 'string') superviseSimThread(parentPort, mark[SIM_SUPERVISOR_MARK]);
