/**
 * The start screen, over the empty canvas when the app opens with no document: the
 * examples as a gallery (a picture of each graph, its description), a search over them,
 * the recent files, and a blank canvas. It goes away for the session as soon as the user
 * does anything else: opens something, adds a node, or clicks outside it (the palette,
 * the toolbar), so it never stands between a user and the canvas.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useEditorState, useServices } from '../app/EditorContext.tsx';
import { perform } from '../app/actions.ts';
import { EXAMPLES, openExample } from '../examples/examples.ts';
import type { Example } from '../examples/examples.ts';
import { THUMB_HEIGHT, THUMB_WIDTH, thumbnailOf } from './thumbnail.ts';

/** Session state: whether the start screen may still show. */
export const startScreenStore = createStore<{ open: boolean }>()(() => ({ open: true }));

export function closeStartScreen(): void {
  if (startScreenStore.getState().open) startScreenStore.setState({ open: false });
}

const noRecovery = createStore<{ offer: null }>()(() => ({ offer: null }));

function stem(fileName: string): string {
  return fileName.replace(/\.spikeflow\.json$|\.json$/, '');
}

export function GraphThumbnail({ text }: { text: string }) {
  const t = useMemo(() => {
    try {
      return thumbnailOf(JSON.parse(text));
    } catch {
      return thumbnailOf(null);
    }
  }, [text]);
  return (
    <svg className="sf-thumb" viewBox={`0 0 ${THUMB_WIDTH} ${THUMB_HEIGHT}`} role="img" aria-label="A picture of the graph">
      {t.wires.map((d, i) => (
        <path key={i} d={d} fill="none" stroke="#adb5bd" strokeWidth={1.2} />
      ))}
      {t.boxes.map((b) => (
        <rect key={b.id} x={b.x} y={b.y} width={b.width} height={b.height} rx={2.5} fill="#fff" stroke={b.color} strokeWidth={1.5} />
      ))}
      {t.boxes.map((b) => (
        <rect key={`${b.id}-head`} x={b.x} y={b.y} width={b.width} height={Math.min(4, b.height / 3)} rx={1.5} fill={b.color} />
      ))}
    </svg>
  );
}

function matches(ex: Example, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${ex.title} ${ex.description} ${ex.fileName}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

function Screen() {
  const app = useServices();
  const [query, setQuery] = useState('');
  const [recent, setRecent] = useState<readonly string[]>([]);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    void app.platform.recentFiles().then(
      (r) => live && setRecent(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [app.platform]);
  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      // A click in a banner (e.g. "restore unsaved work?") leaves it; anywhere else outside closes it.
      const t = e.target as Element;
      if (root.current && !root.current.contains(t) && !t.closest?.('.sf-banners, .sf-modal-backdrop')) closeStartScreen();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeStartScreen();
    };
    window.addEventListener('pointerdown', onDown, true);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('keydown', onKey);
    };
  }, []);
  const shown = EXAMPLES.filter((ex) => matches(ex, query));
  // Leave room for the "restore unsaved work?" banner above the gallery.
  const offer = useStore(app.recovery?.store ?? noRecovery, (s) => s.offer);
  return (
    <div className={`sf-start${offer ? ' has-offer' : ''}`} ref={root} data-testid="start-screen">
      <div className="sf-start-head">
        <h1>Start</h1>
        <input
          className="sf-start-search"
          data-testid="start-search"
          placeholder="Search the examples…"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          aria-label="Search the examples"
        />
        <button type="button" className="sf-btn is-primary" data-testid="start-blank" onClick={closeStartScreen}>
          Blank canvas
        </button>
        <button type="button" className="sf-btn" data-testid="start-open" onClick={() => perform('open', app)}>
          Open…
        </button>
      </div>
      {recent.length > 0 && (
        <section className="sf-start-recent" aria-label="Recent files">
          <h2>Recent</h2>
          <ul>
            {recent.slice(0, 6).map((path) => (
              <li key={path}>
                <button type="button" className="sf-link" title={path} data-testid="start-recent-item" onClick={() => void app.files.openRecent(path)}>
                  {path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1)}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-label="Examples">
        <h2>Examples</h2>
        {shown.length === 0 && (
          <p className="sf-muted" data-testid="start-no-match">
            No example matches “{query}”.
          </p>
        )}
        <div className="sf-start-grid">
          {shown.map((ex) => (
            <button key={ex.fileName} type="button" className="sf-start-card" data-testid={`start-example-${stem(ex.fileName)}`} title={`Open ${ex.title}`} onClick={() => void openExample(app, ex)}>
              <GraphThumbnail text={ex.text} />
              <span className="sf-start-title">{ex.title}</span>
              <span className="sf-start-desc">{ex.description}</span>
            </button>
          ))}
        </div>
      </section>
    </div>
  );
}

export function StartScreen() {
  const open = useStore(startScreenStore, (s) => s.open);
  const empty = useEditorState((s) => s.doc.nodes.length === 0 && s.file.path === null && s.file.fileName === null);
  const epoch = useEditorState((s) => s.docEpoch);
  const [firstEpoch] = useState(epoch);
  // Anything opened, or a first node added, ends the start screen for this session.
  useEffect(() => {
    if (epoch !== firstEpoch || !empty) closeStartScreen();
  }, [epoch, firstEpoch, empty]);
  return open && empty && epoch === firstEpoch ? <Screen /> : null;
}
