/**
 * A small picture of a graph from its saved positions, for the start screen's gallery:
 * one rounded box per node in its category's colour, one curve per wire. Pure data
 * (boxes and paths in a fixed view box); `GraphThumbnail` draws it as SVG.
 */
import { getKind } from '../../engine/kinds/index.ts';
import { CATEGORY_COLORS, NODE_WIDTH } from '../canvas/constants.ts';

export const THUMB_WIDTH = 240;
export const THUMB_HEIGHT = 120;
const NODE_HEIGHT = 120;
const PAD = 8;

export interface ThumbBox {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly color: string;
}

export interface Thumbnail {
  readonly boxes: readonly ThumbBox[];
  /** SVG path data, one cubic curve per wire (a self-loop is an arc over its node). */
  readonly wires: readonly string[];
}

interface RawNode {
  id?: unknown;
  kind?: unknown;
  position?: { x?: unknown; y?: unknown };
}

interface RawEdge {
  source?: { node?: unknown };
  target?: { node?: unknown };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The thumbnail of a document's JSON value (parsed, not validated: a gallery must not fail on one bad file). */
export function thumbnailOf(doc: unknown): Thumbnail {
  const d = (doc ?? {}) as { nodes?: unknown; edges?: unknown };
  const nodes = (Array.isArray(d.nodes) ? d.nodes : []) as RawNode[];
  const edges = (Array.isArray(d.edges) ? d.edges : []) as RawEdge[];
  if (nodes.length === 0) return { boxes: [], wires: [] };
  const xs = nodes.map((n) => num(n.position?.x));
  const ys = nodes.map((n) => num(n.position?.y));
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const spanX = Math.max(...xs) + NODE_WIDTH - minX;
  const spanY = Math.max(...ys) + NODE_HEIGHT - minY;
  const scale = Math.min((THUMB_WIDTH - 2 * PAD) / spanX, (THUMB_HEIGHT - 2 * PAD) / spanY);
  // Centre the drawing in the view box.
  const offX = PAD + (THUMB_WIDTH - 2 * PAD - spanX * scale) / 2;
  const offY = PAD + (THUMB_HEIGHT - 2 * PAD - spanY * scale) / 2;
  const r = (v: number) => Math.round(v * 10) / 10;
  const boxes: ThumbBox[] = nodes.map((n, i) => {
    const kind = typeof n.kind === 'string' ? getKind(n.kind) : undefined;
    return {
      id: typeof n.id === 'string' ? n.id : String(i),
      x: r(offX + (xs[i] - minX) * scale),
      y: r(offY + (ys[i] - minY) * scale),
      width: r(NODE_WIDTH * scale),
      height: r(NODE_HEIGHT * scale * 0.7),
      color: CATEGORY_COLORS[kind?.category ?? ''] ?? '#adb5bd',
    };
  });
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const wires: string[] = [];
  for (const e of edges) {
    const a = byId.get(String(e.source?.node));
    const b = byId.get(String(e.target?.node));
    if (!a || !b) continue;
    const x1 = r(a.x + a.width);
    const y1 = r(a.y + a.height / 2);
    const x2 = b.x;
    const y2 = r(b.y + b.height / 2);
    if (a === b) {
      wires.push(`M${x1} ${y1} C${r(x1 + 10)} ${r(a.y - 10)} ${r(x2 - 10)} ${r(a.y - 10)} ${x2} ${y2}`);
      continue;
    }
    const bend = r(Math.max(12, Math.abs(x2 - x1) / 2));
    wires.push(`M${x1} ${y1} C${r(x1 + bend)} ${y1} ${r(x2 - bend)} ${y2} ${x2} ${y2}`);
  }
  return { boxes, wires };
}
