/**
 * A simulation thread under Node worker_threads (engine/sim/parallel). Any
 * module may import this one: it serves only inside a worker started by
 * {@link nodeThreadSupport} (marked by its workerData), so the bundled CLI can
 * start its threads from its own bundle.
 *
 * Liveness: if this thread exits before its run is over (process.exit, an
 * uncaught error), it marks the run dead in shared memory first, so the other
 * threads stop waiting for it (barrier.ts).
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { serveShardThread } from '../sim/parallel/worker.ts';
import { markDead } from '../sim/parallel/barrier.ts';
import type { ThreadRequest } from '../sim/parallel/pool.ts';
import { runtimeOf } from '../kinds/index.ts';

/** The workerData mark of a simulation thread. */
export const SIM_THREAD_MARK = 'spikeflowSimThread';

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

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[SIM_THREAD_MARK] === true) {
  serveNodeSimThread(parentPort);
}
