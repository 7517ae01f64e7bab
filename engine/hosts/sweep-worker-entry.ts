/**
 * A sweep's engine worker started from the bundled CLI itself: `spikeflow sweep`
 * starts `--jobs` workers on the bundle (as simulation threads are,
 * sim-thread-node-entry.ts), marked by their workerData, so each starts in
 * milliseconds instead of compiling the TypeScript sources with tsx. Marked,
 * this module serves the engine protocol (node-worker-entry.ts); unmarked it
 * does nothing.
 */
import { isMainThread, workerData } from 'node:worker_threads';

/** The workerData mark of a sweep's engine worker. */
export const SWEEP_ENGINE_MARK = 'spikeflow-sweep-engine';

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[SWEEP_ENGINE_MARK] === true) void import('./node-worker-entry.ts');
