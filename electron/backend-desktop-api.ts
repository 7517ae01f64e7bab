/**
 * Builds the {@link BackendHost} the preload exposes as `window.spikeflowBackends`,
 * from `ipcRenderer` restricted to {@link BACKEND_IPC}'s channels. Progress values are
 * checked before the page sees them; the page never receives an IPC event.
 */
import type { IpcRendererEvent } from 'electron';
import { BACKEND_IPC, type BackendHost, type BackendProgress, type BackendRunReply } from './backend-api.ts';

type Listener = (event: IpcRendererEvent, ...args: unknown[]) => void;

/** The part of `ipcRenderer` the backend host uses. */
export interface BackendIpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: Listener): unknown;
  removeListener(channel: string, listener: Listener): unknown;
}

function isProgress(v: unknown): v is BackendProgress {
  const p = v as BackendProgress | null;
  return typeof p === 'object' && p !== null && typeof p.jobId === 'string' && Number.isFinite(p.doneMs) && Number.isFinite(p.totalMs);
}

export function createBackendApi(ipc: BackendIpcLike): BackendHost {
  return {
    run: (request) => ipc.invoke(BACKEND_IPC.run, request) as Promise<BackendRunReply>,
    cancel: async (jobId) => {
      await ipc.invoke(BACKEND_IPC.cancel, jobId);
    },
    pickResults: () => ipc.invoke(BACKEND_IPC.pickResults) as Promise<Record<string, string> | null>,
    onProgress: (listener) => {
      const wrapped: Listener = (_event, value) => {
        if (isProgress(value)) listener({ jobId: value.jobId, doneMs: value.doneMs, totalMs: value.totalMs });
      };
      ipc.on(BACKEND_IPC.progress, wrapped);
      return () => {
        ipc.removeListener(BACKEND_IPC.progress, wrapped);
      };
    },
  };
}
