/** A few 16 px line icons (inline SVG; no icon font, no dependency). */
const PATHS = {
  new: 'M4 2h5l3 3v9H4z M9 2v3h3',
  open: 'M2 4h4l1.5 1.5H14v7.5H2z',
  save: 'M3 2h8l2 2v10H3z M5 2v4h6V2 M5 14v-4h6v4',
  undo: 'M5 4L2 7l3 3 M2 7h7a4 4 0 010 8H7',
  redo: 'M11 4l3 3-3 3 M14 7H7a4 4 0 000 8h2',
  run: 'M4 2.5v11l9-5.5z',
  pause: 'M4.5 3h2.5v10H4.5z M9 3h2.5v10H9z',
  stop: 'M3.5 3.5h9v9h-9z',
  chevron: 'M4 6l4 4 4-4',
  close: 'M4 4l8 8 M12 4l-8 8',
  book: 'M2 3h4.5A1.5 1.5 0 018 4.5V14a1.5 1.5 0 00-1.5-1.5H2z M14 3H9.5A1.5 1.5 0 008 4.5V14a1.5 1.5 0 011.5-1.5H14z',
  fit: 'M2 6V2h4 M10 2h4v4 M14 10v4h-4 M6 14H2v-4',
} as const;

export type IconName = keyof typeof PATHS;

const FILLED: ReadonlySet<IconName> = new Set(['run', 'pause', 'stop']);

export function Icon({ name, size = 16 }: { name: IconName; size?: number }) {
  const filled = FILLED.has(name);
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" className="sf-icon">
      <path d={PATHS[name]} fill={filled ? 'currentColor' : 'none'} stroke={filled ? 'none' : 'currentColor'} strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
