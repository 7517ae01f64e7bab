/** A toolbar button with a popup menu; closes on choice, outside click or Escape. */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Icon } from './Icon.tsx';

export interface MenuItem {
  readonly key: string;
  readonly label: string;
  readonly hint?: string;
  readonly title?: string;
  readonly disabled?: boolean;
  readonly separatorBefore?: boolean;
  readonly testId?: string;
  onSelect(): void;
}

export function Dropdown(props: { label: ReactNode; title?: string; items: readonly MenuItem[]; testId?: string; empty?: string }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('pointerdown', onDown, true);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="sf-dropdown" ref={root}>
      <button type="button" className={`sf-btn${open ? ' is-active' : ''}`} title={props.title} aria-haspopup="menu" aria-expanded={open} data-testid={props.testId} onClick={() => setOpen((o) => !o)}>
        {props.label}
        <Icon name="chevron" size={12} />
      </button>
      {open && (
        <div className="sf-menu" role="menu">
          {props.items.length === 0 && <div className="sf-menu-empty">{props.empty ?? 'Nothing here'}</div>}
          {props.items.map((item) => (
            <div key={item.key}>
              {item.separatorBefore && <div className="sf-menu-sep" />}
              <button
                type="button"
                role="menuitem"
                className="sf-menu-item"
                disabled={item.disabled}
                title={item.title}
                data-testid={item.testId}
                onClick={() => {
                  setOpen(false);
                  item.onSelect();
                }}
              >
                <span>{item.label}</span>
                {item.hint && <span className="sf-menu-hint">{item.hint}</span>}
              </button>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
