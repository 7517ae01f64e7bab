/** Test-only: an engine factory that runs the engine in this process (what the worker would host), for RunController tests. */
import { createInProcessEngine } from '../../engine/hosts/in-process.ts';
import type { EngineFactory } from './endpoints.ts';

export const inProcessEngineFactory: EngineFactory = async () => {
  const { endpoint, close } = createInProcessEngine();
  return { endpoint, host: 'web-worker', onCrash: () => undefined, terminate: close };
};
