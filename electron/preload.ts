/**
 * The preload script (sandboxed, context-isolated). It exposes exactly the
 * `DesktopApi` of `api.ts` as `window.spikeflow`, and forwards the engine port into the
 * page with `window.postMessage`, since a port cannot cross `contextBridge`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ENGINE_PORT_MESSAGE } from './api.ts';
import { createDesktopApi } from './desktop-api.ts';
import { createBackendApi } from './backend-desktop-api.ts';

const api = createDesktopApi(ipcRenderer, (port) => {
  // Same-window delivery: the page checks `event.source === window` and the data type.
  window.postMessage({ type: ENGINE_PORT_MESSAGE }, '*', [port]);
});

contextBridge.exposeInMainWorld('spikeflow', api);
// Running the document on NEST, NEURON or Brian2 (backend-api.ts).
contextBridge.exposeInMainWorld('spikeflowBackends', createBackendApi(ipcRenderer));
