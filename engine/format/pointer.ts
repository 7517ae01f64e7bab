/**
 * JSON pointers (RFC 6901), the addresses every {@link DocIssue} carries.
 */
import type { DocIssue } from './document.ts';

/** Build a pointer from path segments: `pointer('nodes', 3, 'params')` → `/nodes/3/params`. */
export function pointer(...segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Split a pointer into unescaped segments; null when it is not a pointer. */
export function parsePointer(p: string): string[] | null {
  if (p === '') return [];
  if (!p.startsWith('/')) return null;
  const out: string[] = [];
  for (const raw of p.slice(1).split('/')) {
    // `~` must be followed by 0 or 1.
    if (/~(?![01])/.test(raw)) return null;
    out.push(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return out;
}

/** What a pointer addresses in `root`, if anything. */
export function resolvePointer(root: unknown, p: string): { found: true; value: unknown } | { found: false } {
  const segs = parsePointer(p);
  if (!segs) return { found: false };
  let cur: unknown = root;
  for (const s of segs) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(s) || Number(s) >= cur.length) return { found: false };
      cur = cur[Number(s)];
    } else if (typeof cur === 'object' && cur !== null && Object.hasOwn(cur, s)) {
      cur = (cur as Record<string, unknown>)[s];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: cur };
}

/** An issue without node, edge or field: about the document as a whole. */
export function docIssue(p: string, message: string, field?: string): DocIssue {
  return field === undefined ? { pointer: p, message } : { pointer: p, field, message };
}
