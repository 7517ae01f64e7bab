/**
 * Where nodes go: sizes (measured on the canvas, else estimated), a free spot for new
 * nodes so they never land on an existing one, and align / distribute for a selection.
 * Pure functions over positions; the Editor turns their answers into one history entry.
 */
import type { DocNode } from '../../engine/format/document.ts';
import { getKind } from '../../engine/kinds/index.ts';
import { NODE_WIDTH } from '../canvas/constants.ts';

export interface XY {
  readonly x: number;
  readonly y: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Rect extends XY, Size {}

export type SizeOf = (node: DocNode) => Size;

/** A node's size before the canvas has measured it: header, three summary rows, one row per port pair. */
export function estimateSize(node: DocNode): Size {
  const kind = getKind(node.kind);
  const ports = kind ? Math.max(kind.inputs.length, kind.outputs.length) : 1;
  return { width: NODE_WIDTH, height: 56 + 3 * 18 + ports * 22 };
}

export function rectOf(node: DocNode, sizeOf: SizeOf): Rect {
  return { ...node.position, ...sizeOf(node) };
}

/** Whether two rectangles come closer than `gap`. */
export function overlaps(a: Rect, b: Rect, gap = 12): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/**
 * The smallest shift (tried ring by ring, `step` apart: down, right, down-right, up,
 * left) that moves every rectangle of `placed` clear of every rectangle of `existing`.
 */
export function freeOffset(existing: readonly Rect[], placed: readonly Rect[], step = 24): XY {
  const clear = (dx: number, dy: number) => placed.every((p) => existing.every((e) => !overlaps({ ...p, x: p.x + dx, y: p.y + dy }, e)));
  if (clear(0, 0)) return { x: 0, y: 0 };
  for (let r = 1; r <= 400; r++) {
    const d = r * step;
    for (const [dx, dy] of [
      [0, d],
      [d, 0],
      [d, d],
      [0, -d],
      [-d, 0],
    ] as const)
      if (clear(dx, dy)) return { x: dx, y: dy };
  }
  return { x: 0, y: 0 };
}

export const ALIGNS = ['left', 'centre', 'right', 'top', 'middle', 'bottom'] as const;
export type Align = (typeof ALIGNS)[number];

/** New positions that line the nodes up on one edge (or centre line) of their bounding box. */
export function alignPositions(nodes: readonly DocNode[], how: Align, sizeOf: SizeOf): Record<string, XY> {
  const rects = nodes.map((n) => ({ id: n.id, ...rectOf(n, sizeOf) }));
  const left = Math.min(...rects.map((r) => r.x));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const top = Math.min(...rects.map((r) => r.y));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  const out: Record<string, XY> = {};
  for (const r of rects) {
    const x = how === 'left' ? left : how === 'right' ? right - r.width : how === 'centre' ? (left + right) / 2 - r.width / 2 : r.x;
    const y = how === 'top' ? top : how === 'bottom' ? bottom - r.height : how === 'middle' ? (top + bottom) / 2 - r.height / 2 : r.y;
    out[r.id] = { x: Math.round(x), y: Math.round(y) };
  }
  return out;
}

/**
 * Spread three or more nodes so the gaps between them are equal along `axis`
 * (the outermost two stay where they are).
 */
export function distributePositions(nodes: readonly DocNode[], axis: 'horizontal' | 'vertical', sizeOf: SizeOf): Record<string, XY> {
  const h = axis === 'horizontal';
  const rects = nodes.map((n) => ({ id: n.id, ...rectOf(n, sizeOf) })).sort((a, b) => (h ? a.x - b.x : a.y - b.y));
  if (rects.length < 3) return {};
  const start = h ? rects[0].x : rects[0].y;
  const last = rects[rects.length - 1];
  const end = h ? last.x + last.width : last.y + last.height;
  const total = rects.reduce((s, r) => s + (h ? r.width : r.height), 0);
  const gap = (end - start - total) / (rects.length - 1);
  const out: Record<string, XY> = {};
  let at = start;
  for (const r of rects) {
    out[r.id] = h ? { x: Math.round(at), y: r.y } : { x: r.x, y: Math.round(at) };
    at += (h ? r.width : r.height) + gap;
  }
  return out;
}
