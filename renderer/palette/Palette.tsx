/**
 * The palette: every registered kind, grouped by category, read from `KINDS`.
 * Drag an item onto the canvas, or double-click it (or focus it and press Enter)
 * to add it in the middle of the view. The filter box stays at the top; Enter in
 * it adds the first match, Escape clears it. Categories fold (not while filtering).
 */
import { useCallback, useMemo, useState } from 'react';
import type { DragEvent, KeyboardEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { CATEGORIES, KINDS } from '../../engine/kinds/index.ts';
import type { Category, NodeKind } from '../../engine/kinds/index.ts';
import { useServices } from '../app/EditorContext.tsx';
import { KIND_MIME, NODE_WIDTH } from '../canvas/constants.ts';
import { GroupPalette } from '../groups/GroupPalette.tsx';

const CATEGORY_TITLES: Record<Category, string> = {
  input: 'Inputs',
  neuron: 'Neurons',
  plasticity: 'Plasticity',
  monitor: 'Monitors',
};

/** The first sentence of a kind's help, for the item's second line. */
function firstSentence(help: string): string {
  const m = /^[^.\n]*[.]?/.exec(help);
  return (m ? m[0] : help).trim();
}

export function Palette() {
  const { editor } = useServices();
  const rf = useReactFlow();

  const [filter, setFilter] = useState('');
  const [folded, setFolded] = useState<ReadonlySet<Category>>(() => new Set());
  const groups = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const has = (text: string) => words.every((w) => text.toLowerCase().includes(w));
    // Names first: "izhikevich" should not also list every kind whose help mentions it.
    // Only when no name matches does the help text count (e.g. "adaptation", "Brunel").
    let chosen = KINDS.filter((k) => has(`${k.label} ${k.id} ${k.category}`));
    if (chosen.length === 0) chosen = KINDS.filter((k) => has(`${k.label} ${k.id} ${k.category} ${k.help}`));
    return CATEGORIES.map((c) => ({ category: c, kinds: chosen.filter((k) => k.category === c) })).filter((g) => g.kinds.length > 0);
  }, [filter]);

  const addAtCentre = useCallback(
    (kind: NodeKind) => {
      const pane = document.querySelector('.sf-canvas .react-flow');
      const r = pane?.getBoundingClientRect();
      const centre = r ? rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
      // Several additions in a row cascade instead of piling up on one spot.
      const near = editor.view.nodes.filter((n) => Math.abs(n.position.x - (centre.x - NODE_WIDTH / 2)) < 200 && Math.abs(n.position.y - centre.y) < 200).length;
      editor.addNode(kind.id, { x: centre.x - NODE_WIDTH / 2 + near * 24, y: centre.y - 30 + near * 24 });
    },
    [editor, rf],
  );

  const onDragStart = (e: DragEvent, kind: NodeKind) => {
    e.dataTransfer.setData(KIND_MIME, kind.id);
    e.dataTransfer.setData('text/plain', kind.label);
    e.dataTransfer.effectAllowed = 'copy';
  };

  const onKeyDown = (e: KeyboardEvent, kind: NodeKind) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      addAtCentre(kind);
    }
  };

  const filtering = filter.trim() !== '';
  const toggle = (c: Category) =>
    setFolded((f) => {
      const next = new Set(f);
      if (!next.delete(c)) next.add(c);
      return next;
    });

  return (
    <nav className="sf-palette" aria-label="Node palette">
      <div className="sf-palette-head">
        <div className="sf-panel-title">Nodes</div>
        <div className="sf-palette-search">
          <input
            type="search"
            className="sf-input"
            placeholder="Filter nodes…"
            aria-label="Filter nodes"
            title="Type to filter; Enter adds the first match, Escape clears"
            data-testid="palette-filter"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setFilter('');
              else if (e.key === 'Enter' && groups[0]) addAtCentre(groups[0].kinds[0]);
            }}
          />
        </div>
      </div>
      {groups.length === 0 && <p className="sf-pad sf-muted">No node matches “{filter}”.</p>}
      {groups.map((g) => {
        const open = filtering || !folded.has(g.category);
        return (
          <section key={g.category} className={`sf-palette-group${open ? '' : ' is-folded'}`}>
            <h3>
              <button type="button" className="sf-palette-cat" aria-expanded={open} data-testid={`palette-category-${g.category}`} disabled={filtering} onClick={() => toggle(g.category)}>
                <span className="sf-palette-caret" aria-hidden="true">
                  {open ? '▾' : '▸'}
                </span>
                {CATEGORY_TITLES[g.category]}
                <span className="sf-palette-count">{g.kinds.length}</span>
              </button>
            </h3>
            {open && (
              <ul>
                {g.kinds.map((k) => (
                  <li
                    key={k.id}
                    className={`sf-palette-item cat-${k.category}`}
                    data-testid={`palette-${k.id}`}
                    draggable
                    tabIndex={0}
                    role="button"
                    aria-label={`Add ${k.label}`}
                    title={`${k.label}\n\n${k.help}\n\nDrag onto the canvas, or double-click to add.`}
                    onDragStart={(e) => onDragStart(e, k)}
                    onDoubleClick={() => addAtCentre(k)}
                    onKeyDown={(e) => onKeyDown(e, k)}
                  >
                    <span className="sf-palette-dot" />
                    <span className="sf-palette-text">
                      <span className="sf-palette-label">{k.label}</span>
                      <span className="sf-palette-help">{firstSentence(k.help)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
      <GroupPalette filter={filter} />
    </nav>
  );
}
