/**
 * A simulation thread under Node worker_threads (engine/sim/parallel). Any
 * module may import this one: it serves only inside a worker started by
 * {@link nodeThreadSupport} (marked by its workerData), so the bundled CLI can
 * start its threads from its own bundle.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { serveShardThread } from '../sim/parallel/worker.ts';
import type { ThreadRequest } from '../sim/parallel/pool.ts';
import { runtimeOf } from '../kinds/index.ts';

/** The workerData mark of a simulation thread. */
export const SIM_THREAD_MARK = 'spikeflowSimThread';

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[SIM_THREAD_MARK] === true) {
  const port = parentPort;
  port.once('message', (m: ThreadRequest) => {
    serveShardThread(m, (report) => port.postMessage(report), runtimeOf);
    port.close();
  });
}
