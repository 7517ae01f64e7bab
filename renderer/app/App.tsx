/**
 * The window: toolbar on top, palette left, canvas centre with the results panel
 * under it, inspector right, status bar at the bottom. Also wires the window-level
 * behaviour: shortcuts, desktop menu commands, the title, and the unsaved-changes
 * guard.
 */
import { useEffect, useRef, useState } from 'react';
import type { ChangeEvent, PointerEvent as ReactPointerEvent } from 'react';
import { useStore } from 'zustand';
import { Canvas } from '../canvas/Canvas.tsx';
import { Inspector } from '../inspector/Inspector.tsx';
import { Palette } from '../palette/Palette.tsx';
import { ResultsPanel } from '../results/ResultsPanel.tsx';
import { Toolbar } from '../toolbar/Toolbar.tsx';
import { selectDirty } from '../store/editor.ts';
import { Icon } from '../ui/Icon.tsx';
import { RecoveryOffer } from '../recovery/RecoveryOffer.tsx';
import { ContextMenu } from '../canvas/ContextMenu.tsx';
import { QuickAdd } from '../quick-add/QuickAdd.tsx';
import { StartScreen } from '../start/StartScreen.tsx';
import { GROW_RESULTS_EVENT, HistoryProvider } from '../history/HistoryContext.tsx';
import { handleKeyDown, handleMenuCommand } from './actions.ts';
import { installClipboardEvents } from './clipboard-actions.ts';
import { confirmStore } from './confirm.ts';
import { SideFilePrompt } from '../platform/SideFilePrompt.tsx';
import { useEditorState, useServices } from './EditorContext.tsx';
import { reveal } from '../groups/commands.ts';

export interface AppProps {
  /** The browser's hidden file input (Open), registered with the browser platform. */
  readonly fileInput?: (el: HTMLInputElement | null) => void;
}

export function App({ fileInput }: AppProps) {
  const app = useServices();
  const { editor, platform, files } = app;
  const name = useEditorState((s) => s.doc.meta.name);
  const dirty = useEditorState(selectDirty);
  const [resultsHeight, setResultsHeight] = useState(260);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => void handleKeyDown(e, app);
    window.addEventListener('keydown', onKey);
    const offClipboard = installClipboardEvents(app);
    const offMenu = platform.onMenuCommand((c) => handleMenuCommand(c, app));
    const offRecent = platform.onOpenRecent((path) => void app.files.openRecent(path));
    return () => {
      window.removeEventListener('keydown', onKey);
      offClipboard();
      offMenu();
      offRecent();
    };
  }, [app, platform]);

  useEffect(() => {
    platform.setDocumentState({ name: name || 'Untitled', dirty });
  }, [platform, name, dirty]);

  // A panel that needs room (the run history's side-by-side comparison) asks for it.
  useEffect(() => {
    const onGrow = (e: Event) => {
      const px = (e as CustomEvent<number>).detail;
      if (typeof px === 'number') setResultsHeight((h) => Math.max(h, Math.min(px, window.innerHeight - 220)));
    };
    window.addEventListener(GROW_RESULTS_EVENT, onGrow);
    return () => window.removeEventListener(GROW_RESULTS_EVENT, onGrow);
  }, []);

  useEffect(() => {
    if (platform.kind !== 'browser' || !dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers need returnValue set to show the prompt.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [platform, dirty]);

  const onFileChosen = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const text = await file.text();
      await files.openPicked({ path: null, name: file.name, text });
    } catch (err) {
      editor.showLoadErrors({ source: file.name, messages: [`The file could not be read: ${(err as Error).message}`] });
    } finally {
      // Choosing the same file again must fire `change` again.
      input.value = '';
    }
  };

  // Dragging the splitter between canvas and results.
  const dragStart = useRef<{ y: number; h: number } | null>(null);
  const onSplitDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    dragStart.current = { y: e.clientY, h: resultsHeight };
  };
  const onSplitMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = dragStart.current;
    if (!d) return;
    setResultsHeight(Math.min(Math.max(120, d.h - (e.clientY - d.y)), window.innerHeight - 220));
  };

  return (
    <HistoryProvider>
      <div className="sf-app">
        <Toolbar />
        <div className="sf-main">
          <Palette />
          <div className="sf-centre">
            <div className="sf-canvas-wrap">
              <Canvas />
              <StartScreen />
              <Banners />
            </div>
            <div
              className="sf-splitter"
              role="separator"
              aria-orientation="horizontal"
              aria-label="Resize results"
              onPointerDown={onSplitDown}
              onPointerMove={onSplitMove}
              onPointerUp={() => (dragStart.current = null)}
            />
            <div className="sf-results-wrap" style={{ height: resultsHeight }}>
              <ResultsPanel />
            </div>
          </div>
          <Inspector />
        </div>
        <StatusBar />
        <ContextMenu />
        <QuickAdd />
        <ConfirmDialog />
        <SideFilePrompt />
        {platform.kind === 'browser' && (
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            data-testid="open-file-input"
            className="sf-visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => void onFileChosen(e)}
          />
        )}
      </div>
    </HistoryProvider>
  );
}

/** Load errors and run issues, over the top of the canvas. */
function Banners() {
  const { editor, files } = useServices();
  const loadErrors = useEditorState((s) => s.loadErrors);
  const run = useEditorState((s) => s.run);
  const [hiddenRunIssues, setHiddenRunIssues] = useState<object | null>(null);
  const runProblems = run.phase === 'refused' || run.phase === 'failed';
  const showRun = runProblems && hiddenRunIssues !== run.issues && (run.issues.length > 0 || run.error);
  return (
    <div className="sf-banners">
      <RecoveryOffer />
      {loadErrors && (
        <div className="sf-banner is-error" data-testid="load-errors" role="alert">
          <div className="sf-banner-head">
            <strong>Could not open {loadErrors.source}</strong>
            <span className="sf-muted"> — the open graph is unchanged.</span>
            <button type="button" className="sf-icon-btn" aria-label="Dismiss" data-testid="load-errors-dismiss" onClick={() => editor.showLoadErrors(null)}>
              <Icon name="close" size={12} />
            </button>
          </div>
          <ul>
            {loadErrors.messages.slice(0, 50).map((m, i) => (
              <li key={i}>{m}</li>
            ))}
            {loadErrors.messages.length > 50 && <li>…and {loadErrors.messages.length - 50} more.</li>}
          </ul>
          {loadErrors.recoverable && (
            <div className="sf-banner-actions">
              <span className="sf-muted">Only values are wrong: you can open it and fix them.</span>{' '}
              <button type="button" className="sf-btn" data-testid="load-open-anyway" onClick={() => void files.openRecovered()}>
                Open anyway
              </button>
            </div>
          )}
        </div>
      )}
      {showRun && (
        <div className="sf-banner is-error" data-testid="run-errors" role="alert">
          <div className="sf-banner-head">
            <strong>{run.phase === 'refused' ? 'The network cannot run yet' : 'The run failed'}</strong>
            <button type="button" className="sf-icon-btn" aria-label="Dismiss" onClick={() => setHiddenRunIssues(run.issues)}>
              <Icon name="close" size={12} />
            </button>
          </div>
          <ul>
            {run.error && run.issues.every((i) => i.message !== run.error) && <li>{run.error}</li>}
            {run.issues.slice(0, 50).map((issue, i) => (
              <li key={i}>
                {issue.nodeId || issue.edgeId ? (
                  <button type="button" className="sf-link" title="Select it" onClick={() => reveal(editor, issue)}>
                    {issue.message}
                  </button>
                ) : (
                  issue.message
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function StatusBar() {
  const { editor } = useServices();
  const notice = useEditorState((s) => s.notice);
  const engine = useEditorState((s) => s.run.engine);
  const nodes = useEditorState((s) => s.doc.nodes.length);
  const edges = useEditorState((s) => s.doc.edges.length);
  const lastUndo = useEditorState((s) => s.past[s.past.length - 1]?.label);
  return (
    <footer className="sf-status">
      <span className={`sf-notice${notice ? ` is-${notice.level}` : ''}`} data-testid="status-line" onClick={() => editor.setNotice(null)}>
        {notice?.text ?? (lastUndo ? `Last edit: ${lastUndo}` : 'Ready')}
      </span>
      <span className="sf-status-right">
        <span>
          {nodes} node{nodes === 1 ? '' : 's'} · {edges} wire{edges === 1 ? '' : 's'}
        </span>
        <span className={`sf-engine is-${engine}`} data-testid="engine-status" title="The simulation engine runs in the background">
          <span className="sf-engine-dot" /> engine {engine}
        </span>
      </span>
    </footer>
  );
}

function ConfirmDialog() {
  const request = useStore(confirmStore, (s) => s.request);
  const okRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!request) return;
    okRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') request.resolve(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [request]);
  if (!request) return null;
  return (
    <div className="sf-modal-backdrop">
      <div className="sf-modal" role="alertdialog" aria-modal="true" aria-labelledby="sf-confirm-title" data-testid="confirm-dialog">
        <h2 id="sf-confirm-title">{request.title}</h2>
        <p>{request.message}</p>
        <div className="sf-modal-actions">
          <button type="button" className="sf-btn" data-testid="confirm-cancel" onClick={() => request.resolve(false)}>
            Cancel
          </button>
          <button type="button" className="sf-btn is-danger" ref={okRef} data-testid="confirm-ok" onClick={() => request.resolve(true)}>
            {request.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
