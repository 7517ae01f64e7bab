/**
 * The Sweep panel lives in its own React root on <body>, made on first use (as the
 * interop dialogs do), so the app's tree needs no change and its code loads only
 * when a sweep is opened.
 */
import { createRoot } from 'react-dom/client';
import type { AppServices } from '../app/actions.ts';
import { addTarget, followDocument, loadSavedSetup, sweepStore } from './sweep-runner.ts';

let mounted: Promise<void> | null = null;

function mount(app: AppServices): Promise<void> {
  mounted ??= import('./SweepPanel.tsx').then(({ SweepPanel }) => {
    const host = document.createElement('div');
    host.dataset.testid = 'sweep-root';
    document.body.append(host);
    createRoot(host).render(<SweepPanel app={app} />);
  });
  return mounted;
}

/**
 * Open the Sweep panel on the open document: with its saved sweep filled in (when
 * the panel has no set-up yet, or the document changed), and `target`
 * (`NODE.FIELD`, from the inspector) added as a parameter.
 */
export async function openSweepPanel(app: AppServices, target?: { readonly name: string; readonly value: unknown }): Promise<void> {
  await mount(app);
  const doc = app.editor.state.doc;
  followDocument(doc, app.editor.state.docEpoch);
  if (sweepStore.getState().rows.length === 0) loadSavedSetup(doc);
  if (target) addTarget(target.name, target.value);
  sweepStore.setState({ open: true });
}
