/**
 * The palette's group sections: the shipped motifs and the user's saved groups. Drag one
 * onto the canvas, or double-click it (Enter when focused) to add it in the middle of
 * the view; each is placed with fresh ids, as one undo step.
 */
import { useEffect, useState } from 'react';
import type { DragEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useServices } from '../app/EditorContext.tsx';
import { placeGroup } from './commands.ts';
import { libraryGroups, onLibraryChange, removeFromLibrary } from './library.ts';
import { MOTIFS } from './motifs.ts';
import type { GroupDefinition } from './motifs.ts';
import './groups.css';
// Quick-add and the context menus offer groups too.
import './register.ts';

/** The drag payload type of a group definition (its key). */
export const GROUP_MIME = 'application/x-spikeflow-group';

/** A motif or saved group by its key. */
export function findGroupDefinition(key: string): GroupDefinition | undefined {
  return MOTIFS.find((m) => m.key === key) ?? libraryGroups().find((g) => g.key === key);
}

function Section({ title, testId, defs, filter, onRemove }: { title: string; testId: string; defs: readonly GroupDefinition[]; filter: string; onRemove?: (key: string) => void }) {
  const { editor } = useServices();
  const rf = useReactFlow();
  const [open, setOpen] = useState(true);
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = defs.filter((d) => words.every((w) => `${d.name} ${d.description}`.toLowerCase().includes(w)));
  if (shown.length === 0) return null;
  const addAtCentre = (def: GroupDefinition) => {
    const pane = document.querySelector('.sf-canvas .react-flow');
    const r = pane?.getBoundingClientRect();
    const c = r ? rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
    placeGroup(editor, def, { x: c.x - 100, y: c.y - 40 });
  };
  const onDragStart = (e: DragEvent, def: GroupDefinition) => {
    e.dataTransfer.setData(GROUP_MIME, def.key);
    e.dataTransfer.setData('text/plain', def.name);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <section className={`sf-palette-group${open ? '' : ' is-folded'}`} data-testid={testId}>
      <h3>
        <button type="button" className="sf-palette-cat" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span className="sf-palette-caret" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          {title}
          <span className="sf-palette-count">{shown.length}</span>
        </button>
      </h3>
      {open && (
        <ul>
          {shown.map((d) => (
            <li
              key={d.key}
              className="sf-palette-item is-group"
              data-testid={`group-item-${d.key.replace(':', '-')}`}
              draggable
              tabIndex={0}
              role="button"
              aria-label={`Add ${d.name}`}
              title={`${d.name}\n\n${d.description}\n\nDrag onto the canvas, or double-click to add.${onRemove ? ' Delete removes it from the library.' : ''}`}
              onDragStart={(e) => onDragStart(e, d)}
              onDoubleClick={() => addAtCentre(d)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  addAtCentre(d);
                } else if (onRemove && e.key === 'Delete') {
                  e.preventDefault();
                  e.stopPropagation();
                  onRemove(d.key);
                }
              }}
            >
              <span className="sf-palette-dot" />
              <span className="sf-palette-text">
                <span className="sf-palette-label">{d.name}</span>
                <span className="sf-palette-help">{d.description}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function GroupPalette({ filter }: { filter: string }) {
  const [saved, setSaved] = useState(() => libraryGroups());
  useEffect(() => onLibraryChange(() => setSaved(libraryGroups())), []);
  return (
    <>
      <Section title="Motifs" testId="palette-motifs" defs={MOTIFS} filter={filter} />
      <Section title="My groups" testId="palette-library" defs={saved} filter={filter} onRemove={(k) => removeFromLibrary(k)} />
    </>
  );
}
