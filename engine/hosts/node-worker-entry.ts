/** The worker_threads side of the Node worker host. */
import { parentPort } from 'node:worker_threads';
import os from 'node:os';
import type { EngineMessage, Request } from '../protocol/messages.ts';
import { serveEngine } from '../protocol/server.ts';
import { nodeThreadSupport } from './node-threads.ts';
import { providePlanDatasets } from './dataset-files-node.ts';

const port = parentPort;
if (!port) throw new Error('node-worker-entry must run in a worker thread');

serveEngine(
  {
    post: (msg: EngineMessage, transfer?: ArrayBuffer[]) => port.postMessage(msg, transfer ?? []),
    listen: (handler: (m: Request) => void) => {
      // A run's dataset files are read here first (the engine itself reads no file); the run then starts as usual.
      const receive = (m: Request) => {
        if (m.type === 'run') void providePlanDatasets(m.plan).then(() => handler(m));
        else handler(m);
      };
      port.on('message', receive);
      return () => port.off('message', receive);
    },
  },
  {
    host: 'node-worker',
    now: () => performance.now(),
    yieldToEvents: (cb) => setImmediate(cb),
    memoryLimitBytes: nodeMemoryLimit(),
    threads: nodeThreadSupport(new URL('./sim-thread-node-boot.mjs', import.meta.url)),
  },
);

function nodeMemoryLimit(): number {
  return Math.floor(os.totalmem() * 0.8);
}
