/**
 * The quick-add search: a box at the pointer with a fuzzy-filtered list of what can be
 * added (node kinds, and saved groups or motifs when registered). Arrow keys move,
 * Enter places the highlighted entry at the pointer, Escape or a click elsewhere closes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app/EditorContext.tsx';
import { chooseEntry, closeQuickAdd, entriesFor, quickAddStore } from './quick-add.ts';
import type { QuickAddRequest } from './quick-add.ts';
import { searchEntries } from './sources.ts';

const WIDTH = 320;
const MAX_SHOWN = 40;

function Search({ request }: { request: QuickAddRequest }) {
  const { editor } = useServices();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const root = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const base = useMemo(() => entriesFor(editor, request), [editor, request]);
  const shown = useMemo(() => searchEntries(base, query).slice(0, MAX_SHOWN), [base, query]);

  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) closeQuickAdd();
    };
    window.addEventListener('pointerdown', onDown, true);
    return () => window.removeEventListener('pointerdown', onDown, true);
  }, []);

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, shown]);

  const choose = (i: number) => {
    const entry = shown[i];
    if (entry) chooseEntry(editor, entry, request);
  };

  const left = Math.max(8, Math.min(request.screen.x, window.innerWidth - WIDTH - 8));
  const top = Math.max(8, Math.min(request.screen.y, window.innerHeight - 360));
  const title = request.wire ? 'Add and wire…' : request.insertOn ? `Insert on ${request.insertOn}…` : 'Add node…';
  return (
    <div className="sf-quick-add" ref={root} style={{ left, top, width: WIDTH }} data-testid="quick-add" role="dialog" aria-label={title}>
      <input
        autoFocus
        className="sf-quick-add-input"
        data-testid="quick-add-input"
        placeholder={`${title} (type to search)`}
        value={query}
        aria-controls="sf-quick-add-list"
        aria-activedescendant={shown[active] ? `qa-${shown[active].key}` : undefined}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, shown.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') choose(active);
          else if (e.key === 'Escape') closeQuickAdd();
          else return;
          e.preventDefault();
          e.stopPropagation();
        }}
      />
      <ul className="sf-quick-add-list" id="sf-quick-add-list" role="listbox" ref={list}>
        {shown.length === 0 && <li className="sf-quick-add-empty">{base.length === 0 ? 'Nothing can be wired here.' : 'No match.'}</li>}
        {shown.map((e, i) => (
          <li
            key={e.key}
            id={`qa-${e.key}`}
            role="option"
            aria-selected={i === active}
            className={`sf-quick-add-item${i === active ? ' is-active' : ''}`}
            data-testid="quick-add-item"
            data-key={e.key}
            onPointerEnter={() => setActive(i)}
            onClick={() => choose(i)}
          >
            <span className="sf-quick-add-label">{e.label}</span>
            <span className="sf-quick-add-section">{e.section}</span>
            <span className="sf-quick-add-detail">{e.detail}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function QuickAdd() {
  const request = useStore(quickAddStore, (s) => s.request);
  // A new request starts a fresh search.
  return request ? <Search key={`${request.screen.x},${request.screen.y},${request.wire?.node ?? ''},${request.insertOn ?? ''}`} request={request} /> : null;
}
