/**
 * Binds {@link EngineSupervisor} to Electron: the engine runs in a `utilityProcess`
 * forked from the bundled `engine/hosts/electron-utility.ts`, and each connection is a
 * `MessageChannelMain`.
 */
import { MessageChannelMain, utilityProcess, type MessagePortMain } from 'electron';
import { EngineSupervisor } from './engine-host.ts';

/** A supervisor for the engine entry at `enginePath` (`dist-electron/engine-host.cjs`). */
export function createEngineSupervisor(enginePath: string, log?: (message: string) => void): EngineSupervisor<MessagePortMain> {
  return new EngineSupervisor<MessagePortMain>({
    fork: () => utilityProcess.fork(enginePath, [], { serviceName: 'Spikeflow Engine' }),
    createChannel: () => new MessageChannelMain(),
    ...(log ? { log } : {}),
  });
}
