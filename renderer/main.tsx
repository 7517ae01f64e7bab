/**
 * Entry point: picks the platform (Electron shell or plain browser), builds the
 * app services once, and mounts the React tree.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/base.css';
import './styles.css';
import { App } from './app/App.tsx';
import type { AppServices } from './app/actions.ts';
import { askConfirm } from './app/confirm.ts';
import { askSideFiles } from './platform/side-file-prompt.ts';
import { ServicesContext } from './app/EditorContext.tsx';
import { electronEngineFactory, workerEngineFactory } from './engine/endpoints.ts';
import { RunController } from './engine/run-controller.ts';
import { FileActions } from './platform/file-actions.ts';
import { browserPlatform, electronPlatform } from './platform/platform.ts';
import { Editor } from './store/editor.ts';
import { Recovery } from './recovery/recovery.ts';
import { installLeaveGuard, whileBusy } from './recovery/leave-guard.ts';
import type { RunPhase } from './store/run-state.ts';
import { DatasetFileSession } from './learning/dataset-session.ts';

const desktop = window.spikeflow;
let fileInput: HTMLInputElement | null = null;
const platform = desktop ? electronPlatform(desktop) : browserPlatform(() => fileInput?.click());
const editor = new Editor();
const runner = new RunController(editor, desktop ? electronEngineFactory(desktop) : workerEngineFactory());
// Side weights files are read beside the open document (desktop only; see Platform.sideFiles).
if (platform.sideFiles) {
  const side = platform.sideFiles;
  runner.readSideFile = (name) => {
    const path = editor.state.file.path;
    return path ? side.read(path, name) : Promise.resolve(null);
  };
} else runner.askSideFiles = askSideFiles; // A browser tab asks the user to pick them (platform/side-file-prompt.ts).
const files = new FileActions(editor, platform, (name) => askConfirm('Discard unsaved changes?', `"${name}" has changes that are not saved. They will be lost.`, 'Discard changes'));
const recovery = platform.journal ? new Recovery(editor, files, platform.journal) : undefined;
// Dataset files: chosen in the inspector (or read beside the document on the desktop), parsed by the engine.
const datasets = new DatasetFileSession(() => runner.connect());
runner.prepareRun = (doc, client) => datasets.prepare(doc, client);
if (platform.readDatasetFile) {
  const read = platform.readDatasetFile;
  // Desktop: files the document names are read beside it (through main, inside its folder).
  datasets.readBeside = (name) => {
    const path = editor.state.file.path;
    return path ? read(path, name) : Promise.resolve(null);
  };
}
// Desktop: image folders through the shell's folder dialog (a browser uses a folder input).
if (platform.pickImageFolder) datasets.pickFolder = platform.pickImageFolder;
// A training run sends a checkpoint after each epoch, and may resume from one (the Learning tab).
runner.adjustPlan = (plan) => runner.learning.adjust(plan);
const services: AppServices = { editor, runner, files, platform, recovery, datasets };
/** Run phases whose work a reload throws away. */
const ACTIVE_RUN_PHASES = new Set<RunPhase>(['starting', 'running', 'paused', 'stopping']);
if (platform.kind === 'browser') {
  // A reload during a run or a sweep asks first; if it goes ahead, the next start says the results were discarded.
  whileBusy(() => (ACTIVE_RUN_PHASES.has(editor.state.run.phase) ? (runner.learning.trainerId ? `a training run (epoch ${runner.learning.epoch} of ${runner.learning.epochs} done)` : 'a run') : null));
  installLeaveGuard(window, (text) => editor.setNotice({ level: 'warning', text }));
}
if (recovery) {
  void recovery.start();
  // A closing tab writes a pending change now rather than after the delay.
  window.addEventListener('pagehide', () => void recovery.autosaver.flush());
}

// Connect early, so the first Run does not wait for the engine to boot.
void runner.connect().catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ServicesContext.Provider value={services}>
      <ReactFlowProvider>
        <App
          fileInput={(el) => {
            fileInput = el;
          }}
        />
      </ReactFlowProvider>
    </ServicesContext.Provider>
  </StrictMode>,
);

// Expose the services for debugging and end-to-end tests (read-mostly; not an API).
(window as unknown as { __spikeflow?: AppServices }).__spikeflow = services;
