// A stand-in for the engine's worker thread that fails on `run` (fault tests only):
// SPIKEFLOW_TEST_FAULT "exit" exits with code 13, "throw" throws an uncaught error.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (m.type === 'hello') parentPort.postMessage({ type: 'reply', reqId: m.reqId, ok: true, result: { protocol: m.protocol, engineVersion: 'test', host: 'fault' } });
  else if (m.type === 'run') {
    if (process.env.SPIKEFLOW_TEST_FAULT === 'exit') process.exit(13);
    throw new Error('injected fault in the engine worker');
  }
});
